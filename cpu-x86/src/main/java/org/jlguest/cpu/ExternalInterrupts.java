package org.jlguest.cpu;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The CPU's interrupt input: 256 pending bits that device threads set and the CPU thread takes,
 * highest vector first (as a local APIC prioritizes). One volatile summary flag makes the check
 * between blocks a single load when nothing is pending.
 */
final class ExternalInterrupts {
    private final AtomicLongArray pending = new AtomicLongArray(4);
    private volatile boolean any;

    void raise(int vector) {
        int v = vector & 0xFF;
        long bit = 1L << (v & 63);
        pending.getAndAccumulate(v >>> 6, bit, (a, b) -> a | b);
        any = true;
    }

    void clear(int vector) {
        int v = vector & 0xFF;
        long bit = 1L << (v & 63);
        pending.getAndAccumulate(v >>> 6, bit, (a, b) -> a & ~b);
        refresh();
    }

    boolean pending() {
        return any;
    }

    /** Removes and returns the highest pending vector, or -1 if another thread withdrew it. */
    int take() {
        for (int word = 3; word >= 0; word--) {
            long bits = pending.get(word);
            while (bits != 0) {
                int bit = 63 - Long.numberOfLeadingZeros(bits);
                long mask = 1L << bit;
                if (pending.compareAndSet(word, bits, bits & ~mask)) {
                    refresh();
                    return word << 6 | bit;
                }
                bits = pending.get(word);
            }
        }
        refresh();
        return -1;
    }

    /**
     * Recomputes the summary flag. A raise between the scan and the store would be hidden by
     * storing false, so a false result is checked once more after it is stored.
     */
    private void refresh() {
        boolean now = summary();
        any = now;
        if (!now && summary()) {
            any = true;
        }
    }

    private boolean summary() {
        for (int word = 0; word < 4; word++) {
            if (pending.get(word) != 0) {
                return true;
            }
        }
        return false;
    }
}
