package org.jlguest.launcher.boot;

/**
 * Little-endian reads from a kernel file's bytes that turn "the file ends here" into a
 * {@link KernelImageException} naming the field being read, instead of an index exception.
 */
final class ImageBytes {
    private final byte[] bytes;
    private final String what;

    ImageBytes(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int length() {
        return bytes.length;
    }

    byte[] array() {
        return bytes;
    }

    int u8(int offset, String field) throws KernelImageException {
        require(offset, 1, field);
        return bytes[offset] & 0xFF;
    }

    int u16(int offset, String field) throws KernelImageException {
        require(offset, 2, field);
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    /** An unsigned 32-bit field, as a long so comparisons and sums cannot wrap. */
    long u32(int offset, String field) throws KernelImageException {
        require(offset, 4, field);
        return (bytes[offset] & 0xFFL) | (bytes[offset + 1] & 0xFFL) << 8
                | (bytes[offset + 2] & 0xFFL) << 16 | (bytes[offset + 3] & 0xFFL) << 24;
    }

    private void require(long offset, int size, String field) throws KernelImageException {
        if (offset < 0 || offset + size > bytes.length) {
            throw new KernelImageException(String.format(
                    "%s of %d bytes is truncated: %s at offset %#x lies past its end", what, bytes.length, field, offset));
        }
    }
}
