package org.jlguest.launcher.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The block device's request loop. A request is a chain of a 16-byte header {type u32, ioprio
 * u32, sector u64} in the readable part, data (readable for a write, writable for a read), and a
 * status byte, the last writable byte. The used length is the bytes written to the Guest: data
 * read plus the status byte.
 */
final class BlockService {
    static final int T_IN = 0;
    static final int T_OUT = 1;
    static final int T_FLUSH = 4;
    static final int T_GET_ID = 8;
    static final int S_OK = 0;
    static final int S_IOERR = 1;
    static final int S_UNSUPP = 2;
    private static final int HEADER = 16;

    private final BlockDevice device;
    private final Activation activation;
    private final DescriptorChain chain = new DescriptorChain();
    private final byte[] header = new byte[HEADER];
    private final byte[] data = new byte[64 * 1024];
    private final ByteBuffer dataBuffer = ByteBuffer.wrap(data);

    BlockService(BlockDevice device, Activation activation) {
        this.device = device;
        this.activation = activation;
    }

    void run() throws VirtqueueException, InterruptedException {
        QueueWorker worker = activation.queue(0).orElse(null);
        if (worker == null) {
            return;
        }
        while (worker.awaitChain(chain)) {
            if (chain.readableBytes() < HEADER) {
                throw new VirtqueueException("block request header is " + chain.readableBytes() + " bytes, not " + HEADER);
            }
            if (chain.writableBytes() < 1) {
                throw new VirtqueueException("block request " + chain.head() + " has no writable status byte");
            }
            chain.read(worker.memory(), 0, header, 0, HEADER);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int type = h.getInt(0);
            long sector = h.getLong(8);
            long room = chain.writableBytes() - 1;
            long written;
            int status;
            try {
                switch (type) {
                    case T_IN -> {
                        status = read(worker, sector, room);
                        written = status == S_OK ? room : 0;
                    }
                    case T_OUT -> {
                        status = write(worker, sector, chain.readableBytes() - HEADER);
                        written = 0;
                    }
                    case T_FLUSH -> {
                        device.file().force(true);
                        status = S_OK;
                        written = 0;
                    }
                    case T_GET_ID -> {
                        written = getId(worker, room);
                        status = S_OK;
                    }
                    default -> {
                        status = S_UNSUPP;
                        written = 0;
                    }
                }
            } catch (IOException e) {
                status = S_IOERR;
                written = 0;
            }
            if (status != S_OK) {
                device.counters().error();
            }
            header[0] = (byte) status;
            chain.write(worker.memory(), room, header, 0, 1);
            device.counters().request(written + (type == T_OUT && status == S_OK ? chain.readableBytes() - HEADER : 0));
            worker.complete(chain, (int) (written + 1));
        }
    }

    /** Whether [sector × 512, + length) lies within the disk; sector comes from the Guest, unchecked. */
    private boolean inDisk(long sector, long length) {
        long capacityBytes = device.capacity() * BlockDevice.SECTOR_SIZE;
        return sector >= 0 && sector <= device.capacity() && length <= capacityBytes - sector * BlockDevice.SECTOR_SIZE;
    }

    private int read(QueueWorker worker, long sector, long length) throws IOException {
        if (!inDisk(sector, length)) {
            return S_IOERR;
        }
        FileChannel file = device.file();
        long position = sector * BlockDevice.SECTOR_SIZE;
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(data.length, length - done);
            dataBuffer.clear().limit(n);
            while (dataBuffer.hasRemaining()) {
                if (file.read(dataBuffer, position + done + dataBuffer.position()) < 0) {
                    throw new IOException("image shrank below sector " + sector);
                }
            }
            chain.write(worker.memory(), done, data, 0, n);
            done += n;
        }
        return S_OK;
    }

    private int write(QueueWorker worker, long sector, long length) throws IOException {
        if (device.readOnly() || !inDisk(sector, length)) {
            return S_IOERR;
        }
        FileChannel file = device.file();
        long position = sector * BlockDevice.SECTOR_SIZE;
        for (long done = 0; done < length; ) {
            int n = chain.read(worker.memory(), HEADER + done, data, 0, (int) Math.min(data.length, length - done));
            dataBuffer.clear().limit(n);
            while (dataBuffer.hasRemaining()) {
                file.write(dataBuffer, position + done + dataBuffer.position());
            }
            done += n;
        }
        return S_OK;
    }

    /** Writes the id, NUL-padded to the space the driver gave (at most 20 bytes); returns its length. */
    private long getId(QueueWorker worker, long room) {
        int n = (int) Math.min(room, BlockDevice.ID_BYTES);
        byte[] answer = new byte[n];
        System.arraycopy(device.id(), 0, answer, 0, Math.min(n, device.id().length));
        chain.write(worker.memory(), 0, answer, 0, n);
        return n;
    }
}
