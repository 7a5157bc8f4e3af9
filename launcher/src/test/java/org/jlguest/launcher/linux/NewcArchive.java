package org.jlguest.launcher.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A cpio archive in the "newc" format (magic 070701), the format the kernel unpacks as an
 * initramfs: a 110-byte ASCII header per entry, the NUL-terminated name and the data, each padded
 * to four bytes, ended by a {@code TRAILER!!!} entry.
 */
public final class NewcArchive {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int inode = 1;
    private boolean finished;

    public NewcArchive directory(String name) {
        return entry(name, S_IFDIR | 0755, 2, new byte[0], 0, 0);
    }

    public NewcArchive file(String name, int permissions, byte[] data) {
        return entry(name, S_IFREG | permissions, 1, data, 0, 0);
    }

    public NewcArchive symlink(String name, String target) {
        return entry(name, S_IFLNK | 0777, 1, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    public NewcArchive charDevice(String name, int permissions, int major, int minor) {
        return entry(name, S_IFCHR | permissions, 1, new byte[0], major, minor);
    }

    /** The archive with its trailer; no entries may be added afterwards. */
    public byte[] bytes() {
        if (!finished) {
            inode = 0;
            entry("TRAILER!!!", 0, 1, new byte[0], 0, 0);
            finished = true;
        }
        return out.toByteArray();
    }

    /** The archive, gzip-compressed, as {@code CONFIG_RD_GZIP} unpacks it. */
    public byte[] gzipped() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(z)) {
            gz.write(bytes());
        }
        return z.toByteArray();
    }

    private NewcArchive entry(String name, int mode, int links, byte[] data, int rdevMajor, int rdevMinor) {
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {inode == 0 ? 0 : inode++, mode, 0, 0, links, 0, data.length, 0, 0, rdevMajor, rdevMinor,
            nameBytes.length, 0};
        for (int f : fields) {
            h.append(String.format("%08X", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(nameBytes);
        pad();
        out.writeBytes(data);
        pad();
        return this;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
