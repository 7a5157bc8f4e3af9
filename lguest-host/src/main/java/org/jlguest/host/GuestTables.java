package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import org.jlguest.cpu.HostDescriptorTable;

/**
 * The Guest's descriptor tables as the Host keeps them: 32 GDT entries and 256 IDT entries, each
 * two words, filled only through hypercalls (the Guest's own {@code lgdt}/{@code lidt} are
 * replaced by LOAD_GDT_ENTRY/LOAD_IDT_ENTRY calls). Both tables are the Host's fix-ups of what
 * the Guest asked for, as lguest stores them. The CPU resolves every GDT selector here, so the
 * Guest's segment loads see exactly what the Host allowed.
 */
final class GuestTables implements HostDescriptorTable {
    final int[] gdtLow = new int[GDT_ENTRIES];
    final int[] gdtHigh = new int[GDT_ENTRIES];
    final int[] idtLow = new int[256];
    final int[] idtHigh = new int[256];

    /** The boot GDT of a fresh Guest: flat ring-1 kernel code (12) and data (13). */
    GuestTables() {
        setDescriptor(12, 0x0000FFFF, 0x00CFBB00);
        setDescriptor(13, 0x0000FFFF, 0x00CFB300);
    }

    private void setDescriptor(int index, int low, int high) {
        gdtLow[index] = low;
        gdtHigh[index] = high;
    }

    /**
     * LHCALL_LOAD_GDT_ENTRY (and LOAD_TLS): store the entry; unless the slot is the Host's,
     * raise DPL 0 to 1 (the Guest kernel runs in ring 1) and set the accessed bit, so the CPU
     * never writes to a table the Guest cannot see.
     */
    void loadGdtEntry(int index, int low, int high) {
        if (index == GDT_ENTRY_LGUEST_CS || index == GDT_ENTRY_LGUEST_DS || index == GDT_ENTRY_TSS
                || index == GDT_ENTRY_DOUBLEFAULT_TSS) {
            setDescriptor(index, low, high);
            return;
        }
        int fixed = high;
        if ((fixed & 0x6000) == 0) {
            fixed |= 0x2000;
        }
        fixed |= 0x100;
        setDescriptor(index, low, fixed);
    }

    /**
     * LHCALL_LOAD_IDT_ENTRY after the vector checks: a not-present gate is stored as zero;
     * only 32-bit interrupt (0xE) and trap (0xF) gates are accepted; the selector is forced to
     * the Guest kernel's code segment. Returns false for a bad type (the caller kills).
     */
    boolean loadIdtEntry(int vector, int low, int high) {
        if ((high & 0x8000) == 0) {
            idtLow[vector] = 0;
            idtHigh[vector] = 0;
            return true;
        }
        int type = (high >>> 8) & 0xF;
        if (type != 0xE && type != 0xF) {
            return false;
        }
        idtLow[vector] = (GUEST_CS << 16) | (low & 0xFFFF);
        idtHigh[vector] = high & 0xFFFFEF00;
        return true;
    }

    @Override
    public int entries() {
        return GDT_ENTRIES;
    }

    @Override
    public long read(int index) {
        return Integer.toUnsignedLong(gdtLow[index]) | (long) gdtHigh[index] << 32;
    }

    /** The CPU setting an accessed bit: entries the Guest loaded already have it. */
    @Override
    public void write(int index, long descriptor) {
        gdtLow[index] = (int) descriptor;
        gdtHigh[index] = (int) (descriptor >>> 32);
    }

    boolean gatePresent(int vector) {
        return (idtHigh[vector] & 0x8000) != 0;
    }

    int gateDpl(int vector) {
        return (idtHigh[vector] >>> 13) & 3;
    }

    boolean isInterruptGate(int vector) {
        return ((idtHigh[vector] >>> 8) & 0xF) == 0xE;
    }

    int gateHandler(int vector) {
        return (idtLow[vector] & 0xFFFF) | (idtHigh[vector] & 0xFFFF0000);
    }
}
