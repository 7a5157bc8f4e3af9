package org.jlguest.launcher.virtio;

import java.lang.invoke.VarHandle;
import org.jlguest.mmu.GuestMemory;

/**
 * The device side of one split virtqueue (virtio 1.0 §2.4): the queue's own state, kept apart from
 * the guest memory its rings live in.
 *
 * <p>The state is the validated {@link QueueLayout}, the negotiated ring features, the next avail
 * index to consume and the next used index to publish. Every operation is handed the
 * {@link GuestMemory} it works on; the side effects each has on that memory are listed on the
 * method. Anything the Guest wrote that breaks the ring rules surfaces as a
 * {@link VirtqueueException} naming the field, never as another exception and never as an access
 * outside guest RAM: every address is checked before it is used.
 *
 * <p>One thread owns a queue (its device's service thread). The Guest's vCPU thread writes the
 * same rings concurrently, so the avail index is read with acquire semantics (the ring entries and
 * descriptors it publishes are then visible) and the used index is written with release semantics
 * (the used entries are visible before the index that publishes them).
 */
public final class Virtqueue {
    /** Descriptor flag: the chain continues at {@code next}. */
    public static final int DESC_F_NEXT = 1;
    /** Descriptor flag: the buffer is device-writable. */
    public static final int DESC_F_WRITE = 2;
    /** Descriptor flag: the buffer is a table of descriptors. */
    public static final int DESC_F_INDIRECT = 4;
    /** avail.flags: the driver asks not to be interrupted. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    /** used.flags: the device asks not to be notified. */
    public static final int USED_F_NO_NOTIFY = 1;

    private final QueueLayout layout;
    private final int size;
    private final int desc;
    private final int avail;
    private final int used;
    private final boolean indirect;
    private final boolean eventIdx;
    private int lastAvail;
    private int nextUsed;
    private int signalledUsed;

    private Virtqueue(QueueLayout layout, boolean indirect, boolean eventIdx) {
        this.layout = layout;
        this.size = layout.size();
        this.desc = (int) layout.desc();
        this.avail = (int) layout.avail();
        this.used = (int) layout.used();
        this.indirect = indirect;
        this.eventIdx = eventIdx;
    }

    /**
     * Validates {@code layout} against {@code memory} and returns a queue with both indexes at 0.
     *
     * @param indirect whether VIRTIO_F_INDIRECT_DESC was negotiated
     * @param eventIdx whether VIRTIO_F_EVENT_IDX was negotiated
     */
    public static Virtqueue enable(GuestMemory memory, QueueLayout layout, boolean indirect, boolean eventIdx)
            throws VirtqueueException {
        layout.validate(memory, eventIdx);
        return new Virtqueue(layout, indirect, eventIdx);
    }

    public QueueLayout layout() {
        return layout;
    }

    /** The avail index the next {@link #next} call consumes (mod 2^16). */
    public int lastAvail() {
        return lastAvail;
    }

    /** The used index the next {@link #addUsed} publishes (mod 2^16). */
    public int nextUsed() {
        return nextUsed;
    }

    /** Whether the driver has made chains available that {@link #next} has not taken. Reads only. */
    public boolean hasAvailable(GuestMemory memory) {
        return memory.read16Acquire(avail + 2) != lastAvail;
    }

    /**
     * Pops the next available chain into {@code chain}; false if there is none.
     *
     * <p>Reads avail.idx (acquire), one avail ring entry and the chain's descriptors; writes nothing.
     * Advances the queue's avail index even when the chain is malformed, since the device is then
     * broken anyway and must not trip over the same entry twice.
     *
     * @throws VirtqueueException if avail.idx runs more than the queue size ahead, the head or a
     *     {@code next} index is outside its table, a buffer leaves guest RAM, a writable buffer is
     *     followed by a readable one, the chain loops (is longer than its table), or an indirect
     *     descriptor breaks its rules (not negotiated, nested, combined with NEXT, a length that is
     *     zero, not a multiple of 16 or more than the queue size entries)
     */
    public boolean next(GuestMemory memory, DescriptorChain chain) throws VirtqueueException {
        int availIdx = memory.read16Acquire(avail + 2);
        int pending = (availIdx - lastAvail) & 0xFFFF;
        if (pending == 0) {
            return false;
        }
        if (pending > size) {
            throw new VirtqueueException(String.format(
                    "avail.idx %d is %d entries past the last one taken (%d), more than the queue size %d",
                    availIdx, pending, lastAvail, size));
        }
        int head = memory.read16(avail + 4 + 2 * (lastAvail & (size - 1)));
        lastAvail = (lastAvail + 1) & 0xFFFF;
        if (head >= size) {
            throw new VirtqueueException(String.format("avail ring head %d is outside the %d-entry descriptor table", head, size));
        }
        walk(memory, head, chain);
        return true;
    }

    private void walk(GuestMemory memory, int head, DescriptorChain chain) throws VirtqueueException {
        chain.reset(head);
        int table = desc;
        int tableSize = size;
        boolean inIndirect = false;
        int i = head;
        int seen = 0;
        while (true) {
            if (++seen > tableSize) {
                throw new VirtqueueException(String.format(
                        "descriptor chain from head %d is longer than its %d-entry table: a loop", head, tableSize));
            }
            int d = table + 16 * i;
            long address = memory.read64(d);
            long length = Integer.toUnsignedLong(memory.read32(d + 8));
            int flags = memory.read16(d + 12);
            int next = memory.read16(d + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                checkIndirect(memory, head, inIndirect, address, length, flags);
                table = (int) address;
                tableSize = (int) (length / 16);
                inIndirect = true;
                i = 0;
                seen = 0;
                continue;
            }
            if (!GuestRange.inRam(memory, address, length)) {
                throw new VirtqueueException(String.format(
                        "descriptor %d of chain %d: buffer 0x%x+%d is outside guest RAM (0x%x bytes)",
                        i, head, address, length, memory.size()));
            }
            if ((flags & DESC_F_WRITE) != 0) {
                chain.addWritable((int) address, (int) length);
            } else if (chain.writableCount() > 0) {
                throw new VirtqueueException(String.format(
                        "descriptor %d of chain %d: a device-readable buffer follows a device-writable one", i, head));
            } else {
                chain.addReadable((int) address, (int) length);
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return;
            }
            if (next >= tableSize) {
                throw new VirtqueueException(String.format(
                        "descriptor %d of chain %d: next %d is outside its %d-entry table", i, head, next, tableSize));
            }
            i = next;
        }
    }

    private void checkIndirect(GuestMemory memory, int head, boolean inIndirect, long address, long length, int flags)
            throws VirtqueueException {
        String where = "chain " + head + ": indirect descriptor";
        if (!indirect) {
            throw new VirtqueueException(where + " used but VIRTIO_F_INDIRECT_DESC was not negotiated");
        }
        if (inIndirect) {
            throw new VirtqueueException(where + " inside an indirect table");
        }
        if ((flags & DESC_F_NEXT) != 0) {
            throw new VirtqueueException(where + " also has VRING_DESC_F_NEXT");
        }
        if (length == 0 || length % 16 != 0 || length / 16 > size) {
            throw new VirtqueueException(String.format(
                    "%s table length %d is not a non-zero multiple of 16 of at most %d entries", where, length, size));
        }
        if (!GuestRange.inRam(memory, address, length)) {
            throw new VirtqueueException(String.format(
                    "%s table 0x%x+%d is outside guest RAM (0x%x bytes)", where, address, length, memory.size()));
        }
    }

    /**
     * Returns chain {@code head} to the driver with {@code length} bytes written into it.
     *
     * <p>Writes the used ring entry, then used.idx with release semantics so the driver never sees
     * the index before the entry.
     */
    public void addUsed(GuestMemory memory, int head, int length) {
        if (head < 0 || head >= size) {
            throw new IllegalArgumentException("head " + head + " is not a descriptor of this " + size + "-entry queue");
        }
        int entry = used + 4 + 8 * (nextUsed & (size - 1));
        memory.write32(entry, head);
        memory.write32(entry + 4, length);
        nextUsed = (nextUsed + 1) & 0xFFFF;
        memory.write16Release(used + 2, nextUsed);
    }

    /**
     * Whether the driver wants an interrupt for the used entries published since the last time this
     * answered true: without EVENT_IDX, unless avail.flags has NO_INTERRUPT; with it, if the used
     * index crossed avail's used_event. Reads avail.flags or used_event after a full fence (so the
     * driver's suppression request and our used.idx store are ordered); writes nothing.
     *
     * @throws VirtqueueException if avail.flags has bits other than NO_INTERRUPT (without EVENT_IDX)
     */
    public boolean needsInterrupt(GuestMemory memory) throws VirtqueueException {
        VarHandle.fullFence();
        int old = signalledUsed;
        int now = nextUsed;
        if (old == now) {
            return false;
        }
        signalledUsed = now;
        if (eventIdx) {
            int event = memory.read16(avail + 4 + 2 * size);
            return ((now - event - 1) & 0xFFFF) < ((now - old) & 0xFFFF);
        }
        int flags = memory.read16(avail);
        if ((flags & ~AVAIL_F_NO_INTERRUPT) != 0) {
            throw new VirtqueueException(String.format("avail.flags 0x%x has bits other than NO_INTERRUPT", flags));
        }
        return flags == 0;
    }

    /**
     * Asks the driver to notify us about new chains: clears used.flags NO_NOTIFY, or with EVENT_IDX
     * sets used's avail_event to the next index we will take. Ends with a full fence, so the caller
     * can re-check {@link #hasAvailable} before sleeping without missing a notification.
     */
    public void enableNotifications(GuestMemory memory) {
        if (eventIdx) {
            memory.write16(used + 4 + 8 * size, lastAvail);
        } else {
            memory.write16(used, 0);
        }
        VarHandle.fullFence();
    }

    /**
     * Tells the driver not to notify us while we are busy: sets used.flags NO_NOTIFY. With EVENT_IDX
     * nothing is written; avail_event stays behind, so the driver notifies at most once more.
     */
    public void disableNotifications(GuestMemory memory) {
        if (!eventIdx) {
            memory.write16(used, USED_F_NO_NOTIFY);
        }
    }
}
