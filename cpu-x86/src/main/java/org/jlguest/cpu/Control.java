package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * Near control flow: conditional and unconditional jumps, CALL and RET, the LOOP family and
 * JCXZ, the software interrupts (INT3, INT n, INTO, INT1) and BOUND.
 *
 * <p>When a handler runs EIP already points past the instruction, so a relative target is
 * {@code eip + imm}. The operand size decides how wide the new EIP is (a 0x66 prefix truncates it
 * to 16 bits, and makes CALL and RET push and pop words); the address size decides whether the
 * LOOP family counts in CX or ECX. Stack writes come before EIP changes, so a CALL whose push
 * faults leaves nothing behind.
 *
 * <p>The far forms (CALLF, JMPF, RETF) load CS through a descriptor table or a call gate and are
 * {@link FarTransfer}'s; IRET is {@link InterruptReturn}'s.
 */
final class Control {
    private Control() {
    }

    static void execute(Cpu cpu, Insn in) {
        int op = in.op;
        if ((op & 0x1F0) == 0x70 || (op & 0x1F0) == 0x180) {
            if (cpu.flags.condition(op & 0xF)) {
                cpu.jump(cpu.eip + in.imm, in.o16);
            }
            return;
        }
        switch (op) {
            case 0xE0, 0xE1, 0xE2 -> loop(cpu, in);
            case 0xE3 -> jumpIfCountZero(cpu, in);
            case 0xE9, 0xEB -> cpu.jump(cpu.eip + in.imm, in.o16);
            case 0xE8 -> call(cpu, in, cpu.eip + in.imm);
            case 0xC2, 0xC3 -> ret(cpu, in);
            case 0xFF -> indirect(cpu, in);
            case 0xCC -> throw softwareInterrupt(cpu, in, Fault.BP);
            case 0xCD -> {
                Virtual8086.checkIopl(cpu);
                throw softwareInterrupt(cpu, in, in.imm);
            }
            case 0xCE -> overflow(cpu, in);
            case 0xF1 -> throw cpu.trap(Fault.DB);
            case 0x62 -> bound(cpu, in);
            case 0x9A, 0xEA, 0xCA, 0xCB -> FarTransfer.execute(cpu, in);
            case 0xCF -> InterruptReturn.execute(cpu, in);
            default -> throw cpu.ud();
        }
    }

    /** FF /2 CALL and FF /4 JMP through a register or memory; /3 and /5 are the far forms. */
    private static void indirect(Cpu cpu, Insn in) {
        switch (in.reg) {
            case 2 -> call(cpu, in, cpu.readRm(in));
            case 4 -> cpu.jump(cpu.readRm(in), in.o16);
            default -> FarTransfer.execute(cpu, in);
        }
    }

    /** Pushes the return address (IP alone for a 16-bit operand size), then branches. */
    private static void call(Cpu cpu, Insn in, int target) {
        cpu.push(cpu.eip, in.size);
        cpu.jump(target, in.o16);
    }

    /** RET, and RET imm16 which also releases {@code imm} bytes of arguments. */
    private static void ret(Cpu cpu, Insn in) {
        int target = cpu.pop(in.size);
        if (in.op == 0xC2) {
            cpu.setSp(cpu.sp() + in.imm);
        }
        cpu.jump(target, in.o16);
    }

    /** LOOPNE (E0), LOOPE (E1), LOOP (E2): decrement the count without touching the flags. */
    private static void loop(Cpu cpu, Insn in) {
        int count;
        if (in.a16) {
            count = (cpu.reg[Cpu.ECX] - 1) & 0xFFFF;
            cpu.writeReg(Cpu.ECX, 1, count);
        } else {
            count = cpu.reg[Cpu.ECX] - 1;
            cpu.reg[Cpu.ECX] = count;
        }
        boolean taken = count != 0 && switch (in.op) {
            case 0xE0 -> !cpu.flags.zf();
            case 0xE1 -> cpu.flags.zf();
            default -> true;
        };
        if (taken) {
            cpu.jump(cpu.eip + in.imm, in.o16);
        }
    }

    /** JCXZ / JECXZ: the address size, not the operand size, picks CX or ECX. */
    private static void jumpIfCountZero(Cpu cpu, Insn in) {
        int count = in.a16 ? cpu.reg[Cpu.ECX] & 0xFFFF : cpu.reg[Cpu.ECX];
        if (count == 0) {
            cpu.jump(cpu.eip + in.imm, in.o16);
        }
    }

    /** INTO: the overflow trap, taken only when OF is set. */
    private static void overflow(Cpu cpu, Insn in) {
        if (cpu.flags.of()) {
            throw softwareInterrupt(cpu, in, Fault.OF);
        }
    }

    /**
     * INT3, INT n and INTO: traps through a gate whose DPL the delivering side checks, so they are
     * marked as software interrupts and carry their length for a #GP that must point back at them.
     * In virtual-8086 mode INT n (but not INT3 or INTO) first needs IOPL 3, else #GP(0).
     */
    private static Fault softwareInterrupt(Cpu cpu, Insn in, int vector) {
        return cpu.fault.raise(vector).asSoftwareInterrupt(in.length);
    }

    /** BOUND: #BR unless lower &lt;= index &lt;= upper, the bounds a signed pair in memory. */
    private static void bound(Cpu cpu, Insn in) {
        int size = in.size;
        int offset = cpu.ea(in);
        int upperOffset = offset + (size == 1 ? 2 : 4);
        if (in.a16) {
            upperOffset &= 0xFFFF;
        }
        int bytes = size == 1 ? 2 : 4;
        int lower = cpu.readMem(cpu.linear(in.seg, offset, bytes, false), size);
        int upper = cpu.readMem(cpu.linear(in.seg, upperOffset, bytes, false), size);
        int index = cpu.reg[in.reg];
        if (size == 1) {
            lower = (short) lower;
            upper = (short) upper;
            index = (short) index;
        }
        if (index < lower || index > upper) {
            throw cpu.fault.raise(Fault.BR);
        }
    }
}
