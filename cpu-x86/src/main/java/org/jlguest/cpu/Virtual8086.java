package org.jlguest.cpu;

/**
 * Virtual-8086 mode (SDM vol. 3, chapter 20): protected mode with EFLAGS.VM set, running 8086
 * code at CPL 3 with real-mode style segments (base = selector * 16, limit 0xFFFF, 16-bit code
 * and stack, DPL 3) under paging and the I/O permission bitmap.
 *
 * <p>The mode changes in two places only, which keeps the flat protected-mode path free of any
 * test: a 32-bit IRET at CPL 0 whose popped EFLAGS has VM set enters it ({@link #enter}), and an
 * interrupt or exception leaves it for a 32- or 16-bit gate to a DPL 0 non-conforming code
 * segment ({@link InterruptDelivery}), pushing GS, FS, DS, ES, SS, ESP, EFLAGS, CS and EIP on the
 * ring-0 stack the TSS names and loading the four data segment registers null.
 *
 * <p>While in the mode, CLI, STI, PUSHF, POPF, INT n and IRET are IOPL-sensitive: with IOPL &lt; 3
 * they raise #GP(0), so a monitor can emulate them; POPF and IRET at IOPL 3 cannot change IOPL or
 * VM. INT3 and INTO are not IOPL-sensitive. IN, OUT, INS and OUTS consult the TSS I/O
 * permission bitmap whatever IOPL is. The virtual-mode extensions (CR4.VME, PVI) are not modelled.
 */
final class Virtual8086 {
    /** Cached attributes of a virtual-8086 segment: present, DPL 3, writable data or readable code, 16-bit. */
    static final int DATA_ATTR = 0xF3, CODE_ATTR = 0xFB;
    /** What IRET in the mode may change: real mode's set without IOPL. */
    private static final int IRET_WRITABLE = Flags.ARITHMETIC | Flags.TF | Flags.IF | Flags.DF | Flags.NT
            | Flags.RF | Flags.AC | Flags.ID;

    private Virtual8086() {
    }

    static boolean active(Cpu cpu) {
        return (cpu.flags.bits & Flags.VM) != 0;
    }

    /** Segment loads that compute base = selector * 16: real-address mode and virtual-8086 mode. */
    static boolean realSegments(Cpu cpu) {
        return !cpu.isProtectedMode() || (cpu.flags.bits & Flags.VM) != 0;
    }

    /** Raises #GP(0) for an IOPL-sensitive instruction in virtual-8086 mode at IOPL &lt; 3. */
    static void checkIopl(Cpu cpu) {
        if ((cpu.flags.bits & Flags.VM) != 0 && (cpu.flags.bits & Flags.IOPL) != Flags.IOPL) {
            throw cpu.gp(0);
        }
    }

    /** Loads a segment register the virtual-8086 way. */
    static void load(Cpu cpu, int seg, int selector) {
        selector &= 0xFFFF;
        cpu.setSegment(seg, selector, selector << 4, 0xFFFF, seg == Cpu.CS ? CODE_ATTR : DATA_ATTR);
    }

    /**
     * IRET at CPL 0 with VM set in the popped EFLAGS (32-bit operand size only): after EIP, CS and
     * EFLAGS it pops ESP, SS, ES, DS, FS and GS as dwords, loads every segment register the
     * virtual-8086 way and continues at CPL 3. The whole 36-byte frame is read, and EIP checked
     * against the new 64 KiB CS limit, before anything changes.
     */
    static void enter(Cpu cpu, int eip, int cs, int eflags) {
        int esp = cpu.peek(2, 12);
        int ss = cpu.peek(2, 16);
        int es = cpu.peek(2, 20);
        int ds = cpu.peek(2, 24);
        int fs = cpu.peek(2, 28);
        int gs = cpu.peek(2, 32);
        if (Integer.compareUnsigned(eip, 0xFFFF) > 0) {
            throw cpu.gp(0);
        }
        cpu.flags.setEflags(eflags);
        load(cpu, Cpu.CS, cs);
        load(cpu, Cpu.SS, ss);
        load(cpu, Cpu.ES, es);
        load(cpu, Cpu.DS, ds);
        load(cpu, Cpu.FS, fs);
        load(cpu, Cpu.GS, gs);
        cpu.reg[Cpu.ESP] = esp;
        cpu.eip = eip;
        cpu.setCpl(3);
        cpu.breakBlock = true;
    }

    /**
     * IRET in virtual-8086 mode at IOPL 3: as in real-address mode (IP, CS and FLAGS, or EIP, CS
     * and EFLAGS, from the stack), except that IOPL, VM, VIF and VIP keep their values and a
     * 32-bit EIP beyond 0xFFFF is #GP(0).
     */
    static void interruptReturn(Cpu cpu, int size) {
        checkIopl(cpu);
        int bytes = size == 1 ? 2 : 4;
        int target = cpu.peek(size, 0);
        int selector = cpu.peek(1, bytes);
        int image = cpu.peek(size, 2 * bytes);
        if (Integer.compareUnsigned(target, 0xFFFF) > 0) {
            throw cpu.gp(0);
        }
        int mask = size == 1 ? IRET_WRITABLE & 0xFFFF : IRET_WRITABLE;
        int old = cpu.flags.eflags();
        load(cpu, Cpu.CS, selector);
        cpu.eip = target;
        cpu.flags.setEflags((old & ~mask) | (image & mask));
        cpu.setSp(cpu.stackOffset(cpu.sp() + 3 * bytes));
        cpu.breakBlock = true;
    }
}
