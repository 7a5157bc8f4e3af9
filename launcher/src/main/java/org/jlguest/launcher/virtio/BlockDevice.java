package org.jlguest.launcher.virtio;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The virtio block device (type 2), backed by a file through a {@link FileChannel}.
 *
 * <p>It offers SEG_MAX (254 segments), FLUSH (so the Guest asks for its writes to be made durable,
 * which {@link FileChannel#force} does) and, for a read-only image, RO, which is also enforced: a
 * write request fails with IOERR. The capacity is the file's size in 512-byte sectors at open time;
 * requests beyond it fail rather than grow the file.
 */
public final class BlockDevice extends VirtioDevice implements AutoCloseable {
    public static final long F_SEG_MAX = 1L << 2;
    public static final long F_RO = 1L << 5;
    public static final long F_FLUSH = 1L << 9;
    public static final int SECTOR_SIZE = 512;
    public static final int SEG_MAX = 254;
    /** VIRTIO_BLK_ID_BYTES: the length of the GET_ID answer. */
    public static final int ID_BYTES = 20;
    /** struct virtio_blk_config up to seg_max: capacity u64, size_max u32, seg_max u32. */
    private static final int CONFIG_SIZE = 16;

    private final FileChannel file;
    private final boolean readOnly;
    private final long capacity;
    private final byte[] id;

    private BlockDevice(String name, FileChannel file, boolean readOnly, long capacity, byte[] id) {
        super(DeviceType.BLOCK, name, 1);
        this.file = file;
        this.readOnly = readOnly;
        this.capacity = capacity;
        this.id = id;
    }

    /**
     * Opens {@code image} (read-only if {@code readOnly}) as device {@code name}; the Guest sees
     * {@code name} as the disk's serial number (GET_ID), cut to 20 bytes.
     */
    public static BlockDevice open(String name, Path image, boolean readOnly) throws IOException {
        FileChannel file = readOnly
                ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long capacity = file.size() / SECTOR_SIZE;
        byte[] id = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), Math.min(ID_BYTES, name.length()));
        return new BlockDevice(name, file, readOnly, capacity, id);
    }

    /** Capacity in 512-byte sectors. */
    public long capacity() {
        return capacity;
    }

    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public long deviceFeatures() {
        return F_SEG_MAX | F_FLUSH | (readOnly ? F_RO : 0);
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    @Override
    public int readConfig(int offset, int size) {
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= configByte(offset + i) << (8 * i);
        }
        return value;
    }

    private int configByte(int offset) {
        if (offset < 8) {
            return (int) (capacity >>> (8 * offset)) & 0xFF;
        }
        if (offset >= 12 && offset < 16) {
            return (SEG_MAX >>> (8 * (offset - 12))) & 0xFF;
        }
        return 0;
    }

    @Override
    protected List<Service> services(Activation activation) {
        return List.of(new Service("requests", new BlockService(this, activation)::run));
    }

    FileChannel file() {
        return file;
    }

    byte[] id() {
        return id;
    }

    /** Stops any activation and closes the backing file. */
    @Override
    public void close() throws IOException {
        deactivate();
        file.close();
    }
}
