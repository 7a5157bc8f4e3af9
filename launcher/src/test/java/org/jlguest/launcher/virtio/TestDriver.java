package org.jlguest.launcher.virtio;

import java.util.List;
import org.jlguest.mmu.GuestMemory;

/**
 * The driver half of a split virtqueue, as a Guest's virtio_ring.c would write it, for tests:
 * descriptors are taken round-robin from the table, chains are published through avail.idx, and
 * used entries are collected in order.
 */
public final class TestDriver {
    /** One buffer of a chain the test builds. */
    public record Buffer(int address, int length, boolean writable) {
        public static Buffer readable(int address, int length) {
            return new Buffer(address, length, false);
        }

        public static Buffer writable(int address, int length) {
            return new Buffer(address, length, true);
        }
    }

    /** A used ring entry. */
    public record Used(int head, int length) {
    }

    private final GuestMemory memory;
    private final QueueLayout layout;
    private int nextDescriptor;
    private int availIdx;
    private int usedSeen;

    public TestDriver(GuestMemory memory, QueueLayout layout) {
        this.memory = memory;
        this.layout = layout;
    }

    /** Starts both rings at {@code index}, as if that many chains had gone round already. */
    public TestDriver startingAt(int index) {
        availIdx = index & 0xFFFF;
        usedSeen = index & 0xFFFF;
        memory.write16((int) layout.avail() + 2, availIdx);
        memory.write16((int) layout.used() + 2, usedSeen);
        return this;
    }

    public QueueLayout layout() {
        return layout;
    }

    /** Writes {@code buffers} as a direct chain and makes it available; returns its head. */
    public int add(List<Buffer> buffers) {
        int head = nextDescriptor;
        for (int i = 0; i < buffers.size(); i++) {
            int index = nextDescriptor;
            nextDescriptor = (nextDescriptor + 1) % layout.size();
            boolean last = i == buffers.size() - 1;
            writeDescriptor((int) layout.desc(), index, buffers.get(i), last ? 0 : Virtqueue.DESC_F_NEXT, last ? 0 : nextDescriptor);
        }
        publish(head);
        return head;
    }

    /** Writes {@code buffers} as an indirect table at {@code table} behind one descriptor; returns its head. */
    public int addIndirect(List<Buffer> buffers, int table) {
        for (int i = 0; i < buffers.size(); i++) {
            boolean last = i == buffers.size() - 1;
            writeDescriptor(table, i, buffers.get(i), last ? 0 : Virtqueue.DESC_F_NEXT, last ? 0 : i + 1);
        }
        int head = nextDescriptor;
        nextDescriptor = (nextDescriptor + 1) % layout.size();
        int d = (int) layout.desc() + 16 * head;
        memory.write64(d, table);
        memory.write32(d + 8, 16 * buffers.size());
        memory.write16(d + 12, Virtqueue.DESC_F_INDIRECT);
        memory.write16(d + 14, 0);
        publish(head);
        return head;
    }

    /** The next used entry the device published, or null. */
    public Used pollUsed() {
        int idx = memory.read16Acquire((int) layout.used() + 2);
        if (idx == usedSeen) {
            return null;
        }
        int entry = (int) layout.used() + 4 + 8 * (usedSeen % layout.size());
        usedSeen = (usedSeen + 1) & 0xFFFF;
        return new Used(memory.read32(entry), memory.read32(entry + 4));
    }

    /** Sets avail.flags (NO_INTERRUPT is 1). */
    public void setAvailFlags(int flags) {
        memory.write16((int) layout.avail(), flags);
    }

    /** used.flags as the device left it. */
    public int usedFlags() {
        return memory.read16((int) layout.used());
    }

    private void publish(int head) {
        memory.write16((int) layout.avail() + 4 + 2 * (availIdx % layout.size()), head);
        availIdx = (availIdx + 1) & 0xFFFF;
        memory.write16Release((int) layout.avail() + 2, availIdx);
    }

    private void writeDescriptor(int table, int index, Buffer buffer, int flags, int next) {
        int d = table + 16 * index;
        memory.write64(d, Integer.toUnsignedLong(buffer.address()));
        memory.write32(d + 8, buffer.length());
        memory.write16(d + 12, flags | (buffer.writable() ? Virtqueue.DESC_F_WRITE : 0));
        memory.write16(d + 14, next);
    }
}
