package org.jlguest.launcher.virtio;

import org.jlguest.mmu.GuestMemory;

/**
 * Where a split virtqueue lives: its size and the guest-physical addresses of its three parts.
 *
 * <p>Addresses are 64-bit because that is what the driver writes (the PCI transport's lo/hi
 * register pairs); a 32-bit Guest never has RAM above 4 GiB, so {@link #validate} rejects them.
 *
 * @param size  number of descriptors (a power of two, at most 32768)
 * @param desc  descriptor table: {@code size} entries of 16 bytes, 16-byte aligned
 * @param avail driver ring: flags, idx, ring[size], used_event; 2-byte aligned
 * @param used  device ring: flags, idx, {id, len}[size], avail_event; 4-byte aligned
 */
public record QueueLayout(int size, long desc, long avail, long used) {
    public static final int MAX_SIZE = 32768;
    /** The ring alignment of the legacy (lguest bus) layout. */
    public static final int LEGACY_ALIGN = 4096;

    /**
     * The legacy layout the 3.x lguest bus uses: one block at {@code base}, the avail ring right
     * after the descriptors, the used ring at the next {@code align} boundary.
     */
    public static QueueLayout legacy(long base, int size, int align) {
        long avail = base + 16L * size;
        long used = (avail + 2L * (3 + size) + align - 1) & -(long) align;
        return new QueueLayout(size, base, avail, used);
    }

    /** Bytes of the legacy block {@link #legacy} describes. */
    public static long legacyBytes(int size, int align) {
        return ((16L * size + 2L * (3 + size) + align - 1) & -(long) align) + 6 + 8L * size;
    }

    public long descBytes() {
        return 16L * size;
    }

    /** The avail ring's length, including the trailing used_event only with VIRTIO_F_EVENT_IDX. */
    public long availBytes(boolean eventIdx) {
        return 4 + 2L * size + (eventIdx ? 2 : 0);
    }

    /** The used ring's length, including the trailing avail_event only with VIRTIO_F_EVENT_IDX. */
    public long usedBytes(boolean eventIdx) {
        return 4 + 8L * size + (eventIdx ? 2 : 0);
    }

    /**
     * Checks the rules a device applies when the driver enables the queue: size, alignment, every
     * part inside guest RAM, and a used ring whose flags the driver left at 0.
     */
    public void validate(GuestMemory memory, boolean eventIdx) throws VirtqueueException {
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new VirtqueueException("queue size " + size + " is not a power of two in 1.." + MAX_SIZE);
        }
        checkPart(memory, "descriptor table", desc, 16, descBytes());
        checkPart(memory, "avail ring", avail, 2, availBytes(eventIdx));
        checkPart(memory, "used ring", used, 4, usedBytes(eventIdx));
        int usedFlags = memory.read16((int) used);
        if (usedFlags != 0) {
            throw new VirtqueueException(String.format("used ring at 0x%x has flags 0x%x, not 0", used, usedFlags));
        }
    }

    private static void checkPart(GuestMemory memory, String part, long address, int alignment, long length)
            throws VirtqueueException {
        if (address % alignment != 0) {
            throw new VirtqueueException(String.format("%s at 0x%x is not %d-byte aligned", part, address, alignment));
        }
        if (!GuestRange.inRam(memory, address, length)) {
            throw new VirtqueueException(String.format(
                    "%s at 0x%x+%d is outside guest RAM (0x%x bytes)", part, address, length, memory.size()));
        }
    }
}
