package org.jlguest.mmu;

import java.util.Arrays;

/**
 * One privilege level's soft TLB: direct-mapped arrays from linear page number to the physical
 * base of its frame, one per access kind (read, write, fetch).
 *
 * <p>A read or write entry is one {@code long}, the page in the high half and the frame's base in
 * the low half ({@link #entry}), so a probe is one load; fetch entries are a tag and a base array.
 * A tag of -1 is empty (linear page numbers are 20 bits). A write entry exists only for a page
 * that is writable, dirty and not holding decoded code, so a hit may store at once.
 */
final class Tlb {
    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;

    /** An empty read or write entry: its tag is -1. */
    static final long EMPTY = -1L;

    final long[] read = new long[SIZE];
    final long[] write = new long[SIZE];
    final int[] fetchTag = new int[SIZE];
    final int[] fetchBase = new int[SIZE];
    /** Per slot: bit 0 global, bit 1 from a 4 MiB page. */
    final byte[] attributes = new byte[SIZE];

    Tlb() {
        flushAll();
    }

    /** The read or write entry of {@code page} in the frame at physical {@code base}. */
    static long entry(int page, int base) {
        return (long) page << 32 | (base & 0xFFFFFFFFL);
    }

    /** The page an entry is for (-1 when empty). */
    static int tag(long entry) {
        return (int) (entry >>> 32);
    }

    void flushAll() {
        Arrays.fill(read, EMPTY);
        Arrays.fill(write, EMPTY);
        Arrays.fill(fetchTag, -1);
        Arrays.fill(attributes, (byte) 0);
    }

    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if ((attributes[i] & 1) == 0) {
                read[i] = EMPTY;
                write[i] = EMPTY;
                fetchTag[i] = -1;
            }
        }
    }

    /** INVLPG: the 4 KiB page, or every cached piece of the 4 MiB page that holds it. */
    void invalidate(int linearPage) {
        int slot = linearPage & MASK;
        if ((attributes[slot] & 2) == 0 && matches(slot, linearPage)) {
            clear(slot);
        }
        int region = linearPage >>> 10;
        for (int i = 0; i < SIZE; i++) {
            if ((attributes[i] & 2) != 0 && (tagOf(i) >>> 10) == region) {
                clear(i);
            }
        }
    }

    /** Drops write entries that map {@code frameBase}, so stores to it take the slow path. */
    void dropWritesTo(int frameBase) {
        for (int i = 0; i < SIZE; i++) {
            if (write[i] != EMPTY && (int) write[i] == frameBase) {
                write[i] = EMPTY;
            }
        }
    }

    /**
     * Prepares {@code slot} for an entry of {@code page}: entries of another page that share the
     * slot are dropped, so all live tags of a slot agree and its attributes describe them.
     */
    void claim(int slot, int page, boolean global, boolean large) {
        if (tagOf(slot) != page) {
            clear(slot);
        }
        attributes[slot] = (byte) ((global ? 1 : 0) | (large ? 2 : 0));
    }

    private boolean matches(int slot, int page) {
        return tag(read[slot]) == page || tag(write[slot]) == page || fetchTag[slot] == page;
    }

    private int tagOf(int slot) {
        return read[slot] != EMPTY ? tag(read[slot]) : write[slot] != EMPTY ? tag(write[slot]) : fetchTag[slot];
    }

    private void clear(int slot) {
        read[slot] = EMPTY;
        write[slot] = EMPTY;
        fetchTag[slot] = -1;
        attributes[slot] = 0;
    }
}
