package org.jlguest.cpu;

/**
 * Data movement: MOV in all its encodings, LEA, XCHG, the sign extensions (CBW, CWD and their
 * 32-bit forms), MOVZX/MOVSX, CMOVcc, SETcc, XLAT, BSWAP, and the atomic read-modify-write family
 * XADD, CMPXCHG and CMPXCHG8B.
 *
 * <p>Read-modify-write instructions access memory as a store from the start: hardware reports a
 * page fault on their operand with the write bit set even when the page is absent, and CMPXCHG
 * writes its destination back when the compare fails, so a read-only page faults either way.
 */
final class Moves {
    private Moves() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0x88, 0x89 -> cpu.writeRm(in, cpu.readReg(in.reg, in.size));
            case 0x8A, 0x8B -> cpu.writeReg(in.reg, in.size, cpu.readRm(in));
            case 0xA0, 0xA1 -> cpu.writeReg(Cpu.EAX, in.size, cpu.readMem(cpu.linear(in), in.size));
            case 0xA2, 0xA3 -> cpu.writeMem(cpu.linearForWrite(in), in.size, cpu.readReg(Cpu.EAX, in.size));
            case 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7 -> cpu.writeReg(in.reg, 0, in.imm);
            case 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF -> cpu.writeReg(in.reg, in.size, in.imm);
            case 0xC6, 0xC7 -> cpu.writeRm(in, in.imm);
            case 0x8D -> cpu.writeReg(in.reg, in.size, cpu.ea(in));
            case 0x86, 0x87 -> exchange(cpu, in);
            case 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97 -> exchangeAccumulator(cpu, in.reg, in.size);
            case 0x98 -> signExtendAccumulator(cpu, in.o16);
            case 0x99 -> signIntoDx(cpu, in.o16);
            case 0x1B6 -> cpu.writeReg(in.reg, in.size, cpu.readRm(in, 0));
            case 0x1B7 -> cpu.writeReg(in.reg, in.size, cpu.readRm(in, 1));
            case 0x1BE -> cpu.writeReg(in.reg, in.size, (byte) cpu.readRm(in, 0));
            case 0x1BF -> cpu.writeReg(in.reg, in.size, (short) cpu.readRm(in, 1));
            case 0xD7 -> translateByte(cpu, in);
            case 0x1C0, 0x1C1 -> exchangeAndAdd(cpu, in);
            case 0x1B0, 0x1B1 -> compareAndExchange(cpu, in);
            case 0x1C7 -> compareAndExchange8(cpu, in);
            default -> {
                if (in.op >= 0x1C8) {
                    byteSwap(cpu, in);
                } else if (in.op >= 0x190) {
                    cpu.writeRm(in, 0, cpu.flags.condition(in.op & 0xF) ? 1 : 0);
                } else {
                    conditionalMove(cpu, in);
                }
            }
        }
    }

    private static void exchange(Cpu cpu, Insn in) {
        int size = in.size;
        int r = cpu.readReg(in.reg, size);
        if (in.mod == 3) {
            int other = cpu.readReg(in.rm, size);
            cpu.writeReg(in.rm, size, r);
            cpu.writeReg(in.reg, size, other);
        } else {
            int linear = cpu.linearForWrite(in);
            int old = cpu.readMemForWrite(linear, size);
            cpu.writeMem(linear, size, r);
            cpu.writeReg(in.reg, size, old);
        }
    }

    private static void exchangeAccumulator(Cpu cpu, int r, int size) {
        int a = cpu.readReg(Cpu.EAX, size);
        cpu.writeReg(Cpu.EAX, size, cpu.readReg(r, size));
        cpu.writeReg(r, size, a);
    }

    /** CBW (AX = sign-extended AL) or CWDE (EAX = sign-extended AX). */
    private static void signExtendAccumulator(Cpu cpu, boolean o16) {
        int[] reg = cpu.reg;
        if (o16) {
            reg[Cpu.EAX] = (reg[Cpu.EAX] & 0xFFFF0000) | ((byte) reg[Cpu.EAX] & 0xFFFF);
        } else {
            reg[Cpu.EAX] = (short) reg[Cpu.EAX];
        }
    }

    /** CWD (DX = sign of AX) or CDQ (EDX = sign of EAX). */
    private static void signIntoDx(Cpu cpu, boolean o16) {
        int[] reg = cpu.reg;
        if (o16) {
            reg[Cpu.EDX] = (reg[Cpu.EDX] & 0xFFFF0000) | (((short) reg[Cpu.EAX] >> 15) & 0xFFFF);
        } else {
            reg[Cpu.EDX] = reg[Cpu.EAX] >> 31;
        }
    }

    /** CMOVcc: the source is read (and may fault) whatever the condition. */
    private static void conditionalMove(Cpu cpu, Insn in) {
        int value = cpu.readRm(in);
        if (cpu.flags.condition(in.op & 0xF)) {
            cpu.writeReg(in.reg, in.size, value);
        }
    }

    /** XLAT: AL = [seg:EBX + AL], the table addressed by BX under a 16-bit address size. */
    private static void translateByte(Cpu cpu, Insn in) {
        int offset = cpu.reg[Cpu.EBX] + (cpu.reg[Cpu.EAX] & 0xFF);
        if (in.a16) {
            offset &= 0xFFFF;
        }
        cpu.writeReg(Cpu.EAX, 0, cpu.read8(in.seg, offset));
    }

    /** BSWAP; with a 16-bit operand the SDM leaves the result undefined and hardware clears the word. */
    private static void byteSwap(Cpu cpu, Insn in) {
        int r = in.reg;
        if (in.o16) {
            cpu.reg[r] &= 0xFFFF0000;
        } else {
            cpu.reg[r] = Integer.reverseBytes(cpu.reg[r]);
        }
    }

    /** XADD: the sum goes to the destination, the old destination to the source register. */
    private static void exchangeAndAdd(Cpu cpu, Insn in) {
        int size = in.size;
        int src = cpu.readReg(in.reg, size);
        int dst;
        if (in.mod == 3) {
            dst = cpu.readReg(in.rm, size);
            cpu.writeReg(in.reg, size, dst);
            cpu.writeReg(in.rm, size, dst + src);
        } else {
            int linear = cpu.linearForWrite(in);
            dst = cpu.readMemForWrite(linear, size);
            cpu.writeMem(linear, size, dst + src);
            cpu.writeReg(in.reg, size, dst);
        }
        cpu.flags.set(Flags.ADD, size, dst + src, dst, src);
    }

    /**
     * CMPXCHG: compares the accumulator with the destination (flags as CMP). Equal: the source is
     * stored. Different: the destination is loaded into the accumulator, and a memory destination
     * is written back unchanged.
     */
    private static void compareAndExchange(Cpu cpu, Insn in) {
        int size = in.size;
        int accumulator = cpu.readReg(Cpu.EAX, size);
        int src = cpu.readReg(in.reg, size);
        int dst;
        boolean equal;
        if (in.mod == 3) {
            dst = cpu.readReg(in.rm, size);
            equal = dst == accumulator;
            if (equal) {
                cpu.writeReg(in.rm, size, src);
            }
        } else {
            int linear = cpu.linearForWrite(in);
            dst = cpu.readMemForWrite(linear, size);
            equal = dst == accumulator;
            cpu.writeMem(linear, size, equal ? src : dst);
        }
        cpu.flags.set(Flags.SUB, size, accumulator - dst, accumulator, dst);
        if (!equal) {
            cpu.writeReg(Cpu.EAX, size, dst);
        }
    }

    /**
     * CMPXCHG8B: EDX:EAX against the quadword; equal stores ECX:EBX, different loads EDX:EAX and
     * writes the quadword back. Both pages are checked writable before either half is stored. Only
     * ZF changes.
     */
    private static void compareAndExchange8(Cpu cpu, Insn in) {
        int[] reg = cpu.reg;
        int linear = cpu.linear(in, 8, true);
        int low = cpu.readMemForWrite(linear, 2);
        int high = cpu.readMemForWrite(linear + 4, 2);
        boolean equal = low == reg[Cpu.EAX] && high == reg[Cpu.EDX];
        cpu.mmu.probeWrite(linear, 8);
        cpu.mmu.write32(linear, equal ? reg[Cpu.EBX] : low);
        cpu.mmu.write32(linear + 4, equal ? reg[Cpu.ECX] : high);
        Flags f = cpu.flags;
        f.materialize();
        f.bits = equal ? f.bits | Flags.ZF : f.bits & ~Flags.ZF;
        if (!equal) {
            reg[Cpu.EAX] = low;
            reg[Cpu.EDX] = high;
        }
    }
}
