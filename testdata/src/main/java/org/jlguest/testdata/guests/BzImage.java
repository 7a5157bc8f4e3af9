package org.jlguest.testdata.guests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a Launcher reads from a bzImage (Linux boot protocol): the setup header's fields and the
 * protected-mode payload that goes to {@code code32_start}.
 */
public record BzImage(int setupSects, int protocolVersion, int code32Start, int loadFlags, int kernelAlignment,
        int sysSize, String kernelVersion, byte[] payload) {
    public static final int HEADER_MAGIC = 0x53726448; // "HdrS"

    public BzImage {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Parses {@code file}; throws IllegalArgumentException if it is not a bzImage. */
    public static BzImage parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 0x264 || b.getInt(0x202) != HEADER_MAGIC || (b.getShort(0x1FE) & 0xFFFF) != 0xAA55) {
            throw new IllegalArgumentException("not a bzImage");
        }
        int setupSects = file[0x1F1] & 0xFF;
        if (setupSects == 0) {
            setupSects = 4;
        }
        int payloadOffset = (setupSects + 1) * 512;
        return new BzImage(setupSects, b.getShort(0x206) & 0xFFFF, b.getInt(0x214), file[0x211] & 0xFF,
                b.getInt(0x230), b.getInt(0x1F4), versionString(file, b.getShort(0x20E) & 0xFFFF),
                Arrays.copyOfRange(file, payloadOffset, file.length));
    }

    /** The NUL-terminated string kernel_version points at (relative to 0x200), or "" if none. */
    private static String versionString(byte[] file, int pointer) {
        if (pointer == 0) {
            return "";
        }
        int start = pointer + 0x200;
        int end = start;
        while (end < file.length && file[end] != 0) {
            end++;
        }
        return new String(file, start, end - start, StandardCharsets.US_ASCII);
    }

    /**
     * The release a Linux-style version string starts with, as major * 100 + minor (4.4 → 404),
     * or -1 if it does not start with one.
     */
    public int release() {
        String[] parts = kernelVersion.split("[^0-9]", 3);
        try {
            return Integer.parseInt(parts[0]) * 100 + Integer.parseInt(parts[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }
}
