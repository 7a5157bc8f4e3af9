package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * The descriptor-table registers: LGDT, LIDT, SGDT, SIDT (a 16-bit limit then a 32-bit base in
 * memory; with a 16-bit operand size only 24 bits of base are loaded, and stored with a zero top
 * byte), and LLDT, LTR, SLDT, STR. The loads are privileged; the stores are not (there is no
 * UMIP). LLDT, LTR, SLDT and STR do not exist in real-address mode (#UD).
 */
final class TableRegisters {
    private TableRegisters() {
    }

    /** 0F 01 /0-/3. */
    static void globalAndInterrupt(Cpu cpu, Insn in) {
        SystemRegisters s = cpu.sys;
        int baseMask = in.o16 ? 0x00FFFFFF : 0xFFFFFFFF;
        boolean store = in.reg < 2;
        int linear = cpu.linear(in, 6, store);
        boolean interrupt = (in.reg & 1) != 0;
        if (store) {
            cpu.mmu.probeWrite(linear, 6);
            cpu.writeMem(linear, 1, interrupt ? s.idtLimit : s.gdtLimit);
            cpu.writeMem(linear + 2, 2, (interrupt ? s.idtBase : s.gdtBase) & baseMask);
            return;
        }
        SystemOps.privileged(cpu);
        int limit = cpu.readMem(linear, 1);
        int base = cpu.readMem(linear + 2, 2) & baseMask;
        if (interrupt) {
            s.idtLimit = limit;
            s.idtBase = base;
        } else {
            s.gdtLimit = limit;
            s.gdtBase = base;
        }
    }

    /** 0F 00 /0-/5: SLDT, STR, LLDT, LTR here; VERR and VERW are segment queries. */
    static void localAndTask(Cpu cpu, Insn in) {
        if (Virtual8086.realSegments(cpu)) {
            throw cpu.ud();
        }
        switch (in.reg) {
            case 0 -> storeSelector(cpu, in, cpu.sys.ldtSelector);
            case 1 -> storeSelector(cpu, in, cpu.sys.trSelector);
            case 2 -> {
                SystemOps.privileged(cpu);
                loadLocalTable(cpu, cpu.readRm(in, 1));
            }
            case 3 -> {
                SystemOps.privileged(cpu);
                loadTaskRegister(cpu, cpu.readRm(in, 1));
            }
            default -> SegmentInfo.execute(cpu, in);
        }
    }

    /** SLDT and STR: a word to memory, zero-extended into a 32-bit register. */
    private static void storeSelector(Cpu cpu, Insn in, int selector) {
        if (in.mod == 3) {
            cpu.writeReg(in.rm, in.size, selector);
        } else {
            cpu.writeRm(in, 1, selector);
        }
    }

    /** LLDT: a null selector leaves no LDT (selectors with TI set then fault); else an LDT in the GDT. */
    static void loadLocalTable(Cpu cpu, int selector) {
        SystemRegisters s = cpu.sys;
        if ((selector & 0xFFFC) == 0) {
            s.ldtSelector = selector;
            s.ldtBase = 0;
            s.ldtLimit = 0;
            return;
        }
        long d = globalSystemDescriptor(cpu, selector);
        int error = selector & 0xFFFC;
        if (Descriptor.isSegment(d) || Descriptor.type(d) != Descriptor.LDT) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
        s.ldtSelector = selector;
        s.ldtBase = Descriptor.base(d);
        s.ldtLimit = Descriptor.limit(d);
    }

    /** LTR: an available 16- or 32-bit TSS in the GDT, which becomes busy. */
    static void loadTaskRegister(Cpu cpu, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long d = globalSystemDescriptor(cpu, selector);
        int error = selector & 0xFFFC;
        int type = Descriptor.type(d);
        if (Descriptor.isSegment(d) || (type != Descriptor.TSS16_AVAILABLE && type != Descriptor.TSS32_AVAILABLE)) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
        DescriptorTables.markBusy(cpu, selector, d);
        SystemRegisters s = cpu.sys;
        s.trSelector = selector;
        s.trBase = Descriptor.base(d);
        s.trLimit = Descriptor.limit(d);
        s.trAttr = Descriptor.attr(d) | 0x2;
    }

    /** A descriptor LLDT or LTR may load: it must be in the GDT (TI clear). */
    private static long globalSystemDescriptor(Cpu cpu, int selector) {
        if ((selector & 4) != 0) {
            throw cpu.gp(selector & 0xFFFC);
        }
        return DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
    }
}
