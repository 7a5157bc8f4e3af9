package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

/** A hypervisor-kept GDT replaces the one at GDTR for every GDT selector. */
class HostDescriptorTableTest {
    /** Two entries beyond the in-memory GDT: 0x30 flat ring-0 data with base 0x1000, 0x38 absent. */
    private static final class Table implements HostDescriptorTable {
        final long[] entries = new long[8];
        int writes;

        @Override
        public int entries() {
            return entries.length;
        }

        @Override
        public long read(int index) {
            return entries[index];
        }

        @Override
        public void write(int index, long descriptor) {
            entries[index] = descriptor;
            writes++;
        }
    }

    @Test
    void segmentLoadsReadTheHostTableAndSetItsAccessedBit() {
        SystemCode m = new SystemCode();
        Table t = new Table();
        t.entries[2] = 0x00CF92001000FFFFL; // base 0x1000, flat, ring 0 data, not yet accessed
        m.cpu.setHostGdt(t);
        assertEquals(ExitReason.BREAKPOINT, m.run("66 b8 10 00 8e d8")); // mov ax, 0x10; mov ds, ax
        assertEquals(0x1000, m.cpu.getSegmentBase(Cpu.DS));
        assertEquals(1, t.writes);
        assertEquals(0x100L << 32, t.entries[2] & (0x100L << 32), "accessed bit written back to the host table");
    }

    @Test
    void selectorsBeyondTheHostTableFault() {
        SystemCode m = new SystemCode();
        m.cpu.setHostGdt(new Table());
        m.interpreter.setDeliverExceptions(false);
        assertEquals(ExitReason.FAULT, m.run("66 b8 40 00 8e d8")); // selector 0x40: entry 8 of 8
        assertEquals(Fault.GP, m.mmu.fault().vector());
        assertEquals(0x40, m.mmu.fault().errorCode());
    }
}
