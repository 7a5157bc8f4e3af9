package org.jlguest.launcher.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The disk the virtio-blk test guest expects (testdata/guests/virtio-blk.c): {@value #SECTORS}
 * sectors, the marker text at the start of sector {@value #MARKER_SECTOR}; and the sectors the
 * guest writes, {@value #FIRST_WRITTEN} onwards, {@value #WRITTEN} of them, byte i of sector s
 * being (s * 7 + i * 13 + 1) mod 256.
 */
final class TestDisk {
    static final int SECTOR = 512;
    static final int SECTORS = 128;
    static final int MARKER_SECTOR = 100;
    static final int FIRST_WRITTEN = 8;
    static final int WRITTEN = 64;
    static final String MARKER = "jlguest disk marker";

    private TestDisk() {
    }

    /** A fresh image in {@code dir}: zeros and the marker. */
    static Path create(Path dir) throws IOException {
        byte[] image = new byte[SECTORS * SECTOR];
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, image, MARKER_SECTOR * SECTOR, marker.length);
        Path file = dir.resolve("disk.img");
        Files.write(file, image);
        return file;
    }

    /** The first sector of the written range whose bytes in {@code image} are wrong, or -1. */
    static int firstWrongSector(byte[] image) {
        for (int s = FIRST_WRITTEN; s < FIRST_WRITTEN + WRITTEN; s++) {
            for (int i = 0; i < SECTOR; i++) {
                if (image[s * SECTOR + i] != (byte) (s * 7 + i * 13 + 1)) {
                    return s;
                }
            }
        }
        return -1;
    }
}
