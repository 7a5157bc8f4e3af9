package org.jlguest.mmu;

import java.util.Arrays;

/**
 * One privilege level's soft TLB: direct-mapped arrays from linear page number to the physical
 * base of its frame, one pair per access kind (read, write, fetch).
 *
 * <p>A tag of -1 is empty (linear page numbers are 20 bits). A write entry exists only for a page
 * that is writable, dirty and not holding decoded code, so a hit may store at once.
 */
final class Tlb {
    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;

    final int[] readTag = new int[SIZE];
    final int[] readBase = new int[SIZE];
    final int[] writeTag = new int[SIZE];
    final int[] writeBase = new int[SIZE];
    final int[] fetchTag = new int[SIZE];
    final int[] fetchBase = new int[SIZE];
    /** Per slot: bit 0 global, bit 1 from a 4 MiB page. */
    final byte[] attributes = new byte[SIZE];

    Tlb() {
        flushAll();
    }

    void flushAll() {
        Arrays.fill(readTag, -1);
        Arrays.fill(writeTag, -1);
        Arrays.fill(fetchTag, -1);
        Arrays.fill(attributes, (byte) 0);
    }

    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if ((attributes[i] & 1) == 0) {
                readTag[i] = -1;
                writeTag[i] = -1;
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
            if (writeTag[i] != -1 && writeBase[i] == frameBase) {
                writeTag[i] = -1;
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
        return readTag[slot] == page || writeTag[slot] == page || fetchTag[slot] == page;
    }

    private int tagOf(int slot) {
        return readTag[slot] != -1 ? readTag[slot] : writeTag[slot] != -1 ? writeTag[slot] : fetchTag[slot];
    }

    private void clear(int slot) {
        readTag[slot] = -1;
        writeTag[slot] = -1;
        fetchTag[slot] = -1;
        attributes[slot] = 0;
    }
}
