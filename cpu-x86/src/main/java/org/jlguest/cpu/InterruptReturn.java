package org.jlguest.cpu;

/**
 * IRET (SDM vol. 2, IRET): back from a handler to the same or an outer privilege level, or in
 * real-address mode to the IP, CS and FLAGS the vector table delivery pushed.
 *
 * <p>Which EFLAGS bits the popped image may change depends on the privilege IRET runs at: IOPL
 * (and VIF, VIP) only at CPL 0, IF only when CPL &lt;= IOPL. The 16-bit form pops words and
 * changes only FLAGS' low 16 bits. Returning to an outer level also pops SS:ESP and nulls data
 * segment registers the outer level may not use. A 32-bit IRET at CPL 0 whose popped EFLAGS has
 * VM set returns to virtual-8086 mode, and IRET in that mode is IOPL-sensitive
 * ({@link Virtual8086}). Not implemented: IRET with NT set (a return to the previous task; #GP(0)).
 */
final class InterruptReturn {
    private static final int ALWAYS = Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF | Flags.TF | Flags.DF
            | Flags.OF | Flags.NT;
    private static final int ALWAYS32 = ALWAYS | Flags.RF | Flags.AC | Flags.ID;
    /** Real mode: everything but VM, VIF and VIP (the SDM's 257FD5H). */
    private static final int REAL32 = ALWAYS32 | Flags.IF | Flags.IOPL;

    private InterruptReturn() {
    }

    static void execute(Cpu cpu, Insn in) {
        int size = in.size;
        if (Virtual8086.active(cpu)) {
            Virtual8086.interruptReturn(cpu, size);
            return;
        }
        int bytes = size == 1 ? 2 : 4;
        int target = cpu.peek(size, 0);
        int selector = cpu.peek(1, bytes);
        int image = cpu.peek(size, 2 * bytes);
        if (!cpu.isProtectedMode()) {
            FarTransfer.checkLimit(cpu, target, cpu.segLimit[Cpu.CS]);
            SegmentLoader.loadReal(cpu, Cpu.CS, selector);
            cpu.eip = target;
            setFlags(cpu, image, size == 1 ? 0xFFFF : REAL32);
            cpu.setSp(cpu.stackOffset(cpu.sp() + 3 * bytes));
            return;
        }
        if ((cpu.flags.bits & Flags.NT) != 0) {
            throw cpu.gp(0);
        }
        if (size == 2 && (image & Flags.VM) != 0 && cpu.cpl == 0) {
            Virtual8086.enter(cpu, target, selector, image);
            return;
        }
        long code = FarTransfer.checkReturnCode(cpu, selector);
        int rpl = selector & 3;
        int oldCpl = cpu.cpl;
        FarTransfer.checkLimit(cpu, target, Descriptor.limit(code));
        int mask = changeable(cpu, oldCpl, size);
        if (rpl == oldCpl) {
            SegmentLoader.loadCode(cpu, selector, code, rpl);
            cpu.eip = target;
            setFlags(cpu, image, mask);
            cpu.setSp(cpu.stackOffset(cpu.sp() + 3 * bytes));
            return;
        }
        int outerEsp = cpu.peek(size, 3 * bytes);
        int outerSs = cpu.peek(1, 4 * bytes);
        long ssDescriptor = SegmentLoader.checkOuterStack(cpu, outerSs, rpl);
        SegmentLoader.loadCode(cpu, selector, code, rpl);
        cpu.eip = target;
        setFlags(cpu, image, mask);
        FarTransfer.loadOuterStack(cpu, outerSs, ssDescriptor, outerEsp, size, 0);
        SegmentLoader.dropPrivilegedSegments(cpu);
    }

    /** The EFLAGS bits an IRET at {@code cpl} may change. */
    private static int changeable(Cpu cpu, int cpl, int size) {
        int mask = size == 1 ? ALWAYS : ALWAYS32;
        int iopl = (cpu.flags.bits & Flags.IOPL) >>> 12;
        if (cpl <= iopl) {
            mask |= Flags.IF;
        }
        if (cpl == 0) {
            mask |= Flags.IOPL | (size == 1 ? 0 : Flags.VIF | Flags.VIP);
        }
        return mask;
    }

    private static void setFlags(Cpu cpu, int image, int mask) {
        int old = cpu.flags.eflags();
        cpu.flags.setEflags((old & ~mask) | (image & mask));
    }
}
