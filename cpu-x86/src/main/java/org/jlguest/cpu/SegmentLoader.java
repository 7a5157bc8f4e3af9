package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * Loading a segment register: the descriptor fetch and every protection check of MOV Sreg, POP
 * Sreg and LDS-LGS (SDM vol. 2, MOV; vol. 3, 5.10), or the real-mode load. Error codes carry the
 * selector's index and TI with the RPL bits cleared.
 *
 * <p>In real-address mode a load only sets the selector and the base (selector * 16); the cached
 * limit, size and granularity stay as they were, which is how "unreal mode" code keeps 4 GiB
 * segments after leaving protected mode. The cache is marked present, writable data (readable
 * code for CS), DPL 0, so a segment last loaded null becomes usable again. Virtual-8086 mode
 * loads the same way but with a 64 KiB limit, 16-bit size and DPL 3 ({@link Virtual8086#load}).
 */
final class SegmentLoader {
    private SegmentLoader() {
    }

    /** Loads ES, SS, DS, FS or GS with {@code selector}; CS changes only by far transfers. */
    static void load(Cpu cpu, int seg, int selector) {
        selector &= 0xFFFF;
        if (Virtual8086.realSegments(cpu)) {
            loadReal(cpu, seg, selector);
        } else if (seg == Cpu.SS) {
            loadStack(cpu, selector);
        } else {
            loadData(cpu, seg, selector);
        }
    }

    static void loadReal(Cpu cpu, int seg, int selector) {
        if (Virtual8086.active(cpu)) {
            Virtual8086.load(cpu, seg, selector);
            return;
        }
        int type = seg == Cpu.CS ? 0x1B : 0x13;
        int attr = (cpu.segAttr[seg] & (Descriptor.BIG | Descriptor.GRANULAR | 0x1000)) | Descriptor.PRESENT | type;
        cpu.setSegment(seg, selector, selector << 4, cpu.segLimit[seg], attr);
    }

    /**
     * DS, ES, FS, GS: a null selector loads an unusable segment (any access through it is #GP(0));
     * otherwise data or readable code, with DPL &gt;= CPL and RPL unless the code is conforming.
     */
    static void loadData(Cpu cpu, int seg, int selector) {
        if ((selector & 0xFFFC) == 0) {
            loadNull(cpu, seg, selector);
            return;
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        if (!Descriptor.isReadable(d)) {
            throw cpu.gp(error);
        }
        if (!Descriptor.isConforming(d) && ((selector & 3) > Descriptor.dpl(d) || cpu.cpl > Descriptor.dpl(d))) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
        fill(cpu, seg, selector, DescriptorTables.markAccessed(cpu, selector, d));
    }

    /** SS: never null, a writable data segment with RPL = DPL = CPL; not present is #SS. */
    static void loadStack(Cpu cpu, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        if ((selector & 3) != cpu.cpl || !Descriptor.isWritableData(d) || Descriptor.dpl(d) != cpu.cpl) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.SS, error);
        }
        fill(cpu, Cpu.SS, selector, DescriptorTables.markAccessed(cpu, selector, d));
    }

    /** A null selector in a data segment register: usable for nothing until reloaded. */
    static void loadNull(Cpu cpu, int seg, int selector) {
        cpu.setSegment(seg, selector, 0, 0, 0);
    }

    /** Fills a segment cache from a descriptor already checked. */
    static void fill(Cpu cpu, int seg, int selector, long d) {
        cpu.setSegment(seg, selector, Descriptor.base(d), Descriptor.limit(d), Descriptor.attr(d));
    }

    /**
     * Checks a new SS for a stack switch to privilege {@code cpl} (from the TSS on an interrupt or
     * a call gate): faults are #TS naming the selector, or #SS when it is not present.
     */
    static long checkInnerStack(Cpu cpu, int selector, int cpl, int ext) {
        if ((selector & 0xFFFC) == 0) {
            throw cpu.fault.raise(Fault.TS, ext);
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.TS, ext);
        int error = (selector & 0xFFFC) | ext;
        if ((selector & 3) != cpl || Descriptor.dpl(d) != cpl || !Descriptor.isWritableData(d)) {
            throw cpu.fault.raise(Fault.TS, error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.SS, error);
        }
        return d;
    }

    /**
     * Checks the SS:ESP a return to an outer level pops (RETF, IRET): #GP naming the selector,
     * #SS when not present. RPL and DPL must equal the new CPL.
     */
    static long checkOuterStack(Cpu cpu, int selector, int cpl) {
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        if ((selector & 3) != cpl || Descriptor.dpl(d) != cpl || !Descriptor.isWritableData(d)) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.SS, error);
        }
        return d;
    }

    /**
     * After a return to an outer level: DS, ES, FS and GS holding data or non-conforming code
     * more privileged than the new CPL are loaded null, so the outer level cannot keep using them.
     */
    static void dropPrivilegedSegments(Cpu cpu) {
        for (int seg = Cpu.ES; seg <= Cpu.GS; seg++) {
            if (seg == Cpu.CS || seg == Cpu.SS) {
                continue;
            }
            int attr = cpu.segAttr[seg];
            boolean conformingCode = Descriptor.isCode(attr) && (attr & Descriptor.EXPAND_DOWN_OR_CONFORMING) != 0;
            int dpl = (attr >>> 5) & 3;
            if ((attr & Descriptor.PRESENT) != 0 && !conformingCode && dpl < cpu.cpl) {
                loadNull(cpu, seg, 0);
            }
        }
    }

    /** Loads CS from a checked code descriptor at privilege {@code cpl} (which becomes CS.RPL). */
    static void loadCode(Cpu cpu, int selector, long d, int cpl) {
        long accessed = DescriptorTables.markAccessed(cpu, selector, d);
        cpu.setSegment(Cpu.CS, (selector & 0xFFFC) | cpl, Descriptor.base(accessed), Descriptor.limit(accessed),
                Descriptor.attr(accessed));
        cpu.setCpl(cpl);
    }
}
