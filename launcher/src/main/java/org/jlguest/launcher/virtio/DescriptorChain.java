package org.jlguest.launcher.virtio;

import java.util.Arrays;
import org.jlguest.mmu.GuestMemory;

/**
 * One descriptor chain popped by {@link Virtqueue#next}: its head index, then its device-readable
 * buffers followed by its device-writable ones, each already checked to lie in guest RAM.
 *
 * <p>A device keeps one instance per queue and lets {@code next} refill it, so servicing a queue
 * allocates nothing once the arrays have grown to the longest chain seen. The readable buffers form
 * one logical byte stream and the writable buffers another; {@link #read} and {@link #write}
 * address them by offset in that stream, so a device never cares how the driver split a request.
 */
public final class DescriptorChain {
    private int head = -1;
    private int[] readAddress = new int[8];
    private int[] readLength = new int[8];
    private int readCount;
    private long readTotal;
    private int[] writeAddress = new int[8];
    private int[] writeLength = new int[8];
    private int writeCount;
    private long writeTotal;

    /** The index of the chain's first descriptor: what {@link Virtqueue#addUsed} gives back. */
    public int head() {
        return head;
    }

    public int readableCount() {
        return readCount;
    }

    public int writableCount() {
        return writeCount;
    }

    public int readableAddress(int i) {
        return readAddress[checkIndex(i, readCount)];
    }

    public int readableLength(int i) {
        return readLength[checkIndex(i, readCount)];
    }

    public int writableAddress(int i) {
        return writeAddress[checkIndex(i, writeCount)];
    }

    public int writableLength(int i) {
        return writeLength[checkIndex(i, writeCount)];
    }

    /** Total bytes of the device-readable buffers. */
    public long readableBytes() {
        return readTotal;
    }

    /** Total bytes of the device-writable buffers. */
    public long writableBytes() {
        return writeTotal;
    }

    /**
     * Copies up to {@code length} bytes of the readable stream, starting {@code offset} bytes into
     * it, to {@code dst}; returns how many were copied (fewer only at the end of the stream).
     */
    public int read(GuestMemory memory, long offset, byte[] dst, int dstOffset, int length) {
        int done = 0;
        long skip = offset;
        for (int i = 0; i < readCount && done < length; i++) {
            int len = readLength[i];
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int n = (int) Math.min(len - skip, length - done);
            memory.copyOut(readAddress[i] + (int) skip, dst, dstOffset + done, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    /**
     * Copies up to {@code length} bytes from {@code src} into the writable stream, starting
     * {@code offset} bytes into it; returns how many were copied (fewer only at its end).
     */
    public int write(GuestMemory memory, long offset, byte[] src, int srcOffset, int length) {
        int done = 0;
        long skip = offset;
        for (int i = 0; i < writeCount && done < length; i++) {
            int len = writeLength[i];
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int n = (int) Math.min(len - skip, length - done);
            memory.copyIn(writeAddress[i] + (int) skip, src, srcOffset + done, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    void reset(int newHead) {
        head = newHead;
        readCount = 0;
        readTotal = 0;
        writeCount = 0;
        writeTotal = 0;
    }

    void addReadable(int address, int length) {
        if (readCount == readAddress.length) {
            readAddress = Arrays.copyOf(readAddress, readCount * 2);
            readLength = Arrays.copyOf(readLength, readCount * 2);
        }
        readAddress[readCount] = address;
        readLength[readCount++] = length;
        readTotal += Integer.toUnsignedLong(length);
    }

    void addWritable(int address, int length) {
        if (writeCount == writeAddress.length) {
            writeAddress = Arrays.copyOf(writeAddress, writeCount * 2);
            writeLength = Arrays.copyOf(writeLength, writeCount * 2);
        }
        writeAddress[writeCount] = address;
        writeLength[writeCount++] = length;
        writeTotal += Integer.toUnsignedLong(length);
    }

    private static int checkIndex(int i, int count) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("buffer " + i + " of " + count);
        }
        return i;
    }
}
