package org.jlguest.cpu;

/**
 * Stack instructions: PUSH and POP of registers, immediates and memory, PUSHA/POPA, PUSHF/POPF,
 * ENTER and LEAVE, each in its 16- and 32-bit operand sizes and on 16- or 32-bit stacks.
 *
 * <p>Instructions that store several times (PUSHA, ENTER) store in hardware's order and move ESP
 * only once all stores are done: a fault leaves the registers untouched, while the slots already
 * written below ESP keep their new values, as on hardware. Every stack access is checked against
 * SS (#SS(0)) unless SS is flat.
 */
final class Stack {
    /** EFLAGS bits POPF may write, before the privilege rules remove IOPL and IF. */
    private static final int POPF_WRITABLE = Flags.ARITHMETIC | Flags.TF | Flags.IF | Flags.DF | Flags.IOPL
            | Flags.NT | Flags.AC | Flags.ID;

    private Stack() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 -> cpu.push(cpu.reg[in.reg], in.size);
            case 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F -> cpu.writeReg(in.reg, in.size, cpu.pop(in.size));
            case 0x68, 0x6A -> cpu.push(in.imm, in.size);
            case 0xFF -> cpu.push(cpu.readRm(in), in.size);
            case 0x8F -> popRm(cpu, in);
            case 0x60 -> pushAll(cpu, in.size);
            case 0x61 -> popAll(cpu, in.size);
            case 0x9C -> pushFlags(cpu, in.size);
            case 0x9D -> popFlags(cpu, in.size);
            case 0xC8 -> enter(cpu, in);
            default -> leave(cpu, in.size);
        }
    }

    private static int bytes(int size) {
        return size == 1 ? 2 : 4;
    }

    /**
     * POP r/m. A memory destination addressed through ESP sees ESP already incremented; the store
     * comes before ESP moves, so a faulting store leaves ESP as it was.
     */
    private static void popRm(Cpu cpu, Insn in) {
        int size = in.size;
        int sp = cpu.sp();
        int value = cpu.readMem(cpu.linear(Cpu.SS, sp, bytes(size), false), size);
        if (in.mod == 3) {
            cpu.setSp(sp + bytes(size));
            cpu.writeReg(in.rm, size, value);
            return;
        }
        int oldEsp = cpu.reg[Cpu.ESP];
        cpu.setSp(sp + bytes(size));
        int newEsp = cpu.reg[Cpu.ESP];
        int linear = cpu.linearForWrite(in);
        cpu.reg[Cpu.ESP] = oldEsp;
        cpu.writeMem(linear, size, value);
        cpu.reg[Cpu.ESP] = newEsp;
    }

    /** PUSHA: EAX, ECX, EDX, EBX, the original ESP, EBP, ESI, EDI. */
    private static void pushAll(Cpu cpu, int size) {
        int[] reg = cpu.reg;
        int step = bytes(size);
        int sp = cpu.sp();
        for (int r = Cpu.EAX; r <= Cpu.EDI; r++) {
            sp = cpu.stackOffset(sp - step);
            cpu.writeMem(cpu.linear(Cpu.SS, sp, step, true), size, reg[r]);
        }
        cpu.setSp(sp);
    }

    /** POPA: the reverse of PUSHA, skipping the saved ESP. All slots are read before any register changes. */
    private static void popAll(Cpu cpu, int size) {
        int step = bytes(size);
        int sp = cpu.sp();
        int di = cpu.peek(size, 0);
        int si = cpu.peek(size, step);
        int bp = cpu.peek(size, 2 * step);
        int bx = cpu.peek(size, 4 * step);
        int dx = cpu.peek(size, 5 * step);
        int cx = cpu.peek(size, 6 * step);
        int ax = cpu.peek(size, 7 * step);
        cpu.writeReg(Cpu.EDI, size, di);
        cpu.writeReg(Cpu.ESI, size, si);
        cpu.writeReg(Cpu.EBP, size, bp);
        cpu.writeReg(Cpu.EBX, size, bx);
        cpu.writeReg(Cpu.EDX, size, dx);
        cpu.writeReg(Cpu.ECX, size, cx);
        cpu.writeReg(Cpu.EAX, size, ax);
        cpu.setSp(sp + 8 * step);
    }

    private static int iopl(Flags f) {
        return (f.bits & Flags.IOPL) >>> 12;
    }

    /** In virtual-8086 mode PUSHF and POPF are IOPL-sensitive. */
    private static void checkVirtual8086(Cpu cpu) {
        if ((cpu.flags.bits & Flags.VM) != 0 && iopl(cpu.flags) < 3) {
            throw cpu.gp(0);
        }
    }

    /** PUSHF: the image without VM and RF, which read as zero on the stack. */
    private static void pushFlags(Cpu cpu, int size) {
        checkVirtual8086(cpu);
        cpu.push(cpu.flags.eflags() & ~(Flags.VM | Flags.RF), size);
    }

    /**
     * POPF. Only CPL 0 changes IOPL, and only CPL <= IOPL changes IF; VM, VIF and VIP never
     * change. The 32-bit form clears RF; the 16-bit form leaves the upper half alone. A changed
     * TF, IF or AC affects the instructions that follow, so the block ends here.
     */
    private static void popFlags(Cpu cpu, int size) {
        checkVirtual8086(cpu);
        Flags f = cpu.flags;
        int value = cpu.pop(size);
        int writable = POPF_WRITABLE;
        if (cpu.cpl > 0) {
            writable &= ~Flags.IOPL;
        }
        if (cpu.cpl > iopl(f)) {
            writable &= ~Flags.IF;
        }
        int current = f.eflags();
        if (size == 1) {
            writable &= 0xFFFF;
        } else {
            current &= ~Flags.RF;
        }
        f.setEflags((current & ~writable) | (value & writable));
        cpu.breakBlock = true;
    }

    /**
     * ENTER size, level: pushes EBP, copies {@code level - 1} frame pointers from the enclosing
     * frame, pushes the new frame pointer, then reserves {@code size} bytes. Hardware also checks
     * that a store at the final stack pointer would succeed, and faults there if not.
     */
    private static void enter(Cpu cpu, Insn in) {
        int[] reg = cpu.reg;
        int size = in.size;
        int step = bytes(size);
        int allocation = in.imm & 0xFFFF;
        int level = in.imm2 & 31;
        int sp = cpu.stackOffset(cpu.sp() - step);
        cpu.writeMem(cpu.linear(Cpu.SS, sp, step, true), size, reg[Cpu.EBP]);
        // The frame pointer is ESP after that push: on a 16-bit stack SP with ESP's high half,
        // all of which a 32-bit ENTER stores and loads into EBP (a 16-bit ENTER only BP).
        int frame = cpu.stack32 ? sp : (reg[Cpu.ESP] & 0xFFFF0000) | sp;
        if (level > 0) {
            int bp = cpu.stackOffset(reg[Cpu.EBP]);
            for (int i = 1; i < level; i++) {
                bp = cpu.stackOffset(bp - step);
                int link = cpu.readMem(cpu.linear(Cpu.SS, bp, step, false), size);
                sp = cpu.stackOffset(sp - step);
                cpu.writeMem(cpu.linear(Cpu.SS, sp, step, true), size, link);
            }
            sp = cpu.stackOffset(sp - step);
            cpu.writeMem(cpu.linear(Cpu.SS, sp, step, true), size, frame);
        }
        sp = cpu.stackOffset(sp - allocation);
        if (allocation != 0) {
            cpu.mmu.probeWrite(cpu.linear(Cpu.SS, sp, step, true), step);
        }
        if (cpu.stack32) {
            reg[Cpu.EBP] = frame;
        } else {
            cpu.writeReg(Cpu.EBP, size, frame);
        }
        cpu.setSp(sp);
    }

    /** LEAVE: ESP = EBP (SP = BP on a 16-bit stack), then pop EBP (BP with a 16-bit operand). */
    private static void leave(Cpu cpu, int size) {
        int sp = cpu.stackOffset(cpu.reg[Cpu.EBP]);
        int value = cpu.readMem(cpu.linear(Cpu.SS, sp, bytes(size), false), size);
        cpu.setSp(sp + bytes(size));
        cpu.writeReg(Cpu.EBP, size, value);
    }
}
