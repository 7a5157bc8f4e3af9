package org.jlguest.cpu;

import org.jlguest.mmu.Mmu;

/**
 * The string instructions MOVS, CMPS, STOS, LODS and SCAS at 8, 16 and 32 bits, alone or with a
 * REP, REPE or REPNE prefix.
 *
 * <p>The source is seg:ESI (DS unless overridden), the destination ES:EDI (never overridden); a
 * 16-bit address size uses SI, DI and CX and wraps them at 64 KiB. DF picks the direction.
 *
 * <p>A repeated instruction runs at most {@link #BURST} iterations per execution and then, if its
 * count is not exhausted, leaves EIP at itself to run again: interrupts are taken between bursts
 * and one instruction never holds the CPU for long. Index and count registers are kept in locals
 * and written back when the burst ends, normally or by a fault, so they always describe exactly
 * the completed iterations, as hardware guarantees.
 *
 * <p>When the source segment or ES needs {@link SegmentChecks} (a limit, read-only data, a null
 * selector: real and virtual-8086 mode, segmented protected mode) every element goes through
 * {@link #checked}, which checks it like any other operand: #GP(0), or #SS(0) through SS. Flat
 * segments keep the loops below, which only add the base.
 */
final class Strings {
    /** Iterations of a repeated instruction per execution. */
    static final int BURST = 4096;

    private Strings() {
    }

    static void execute(Cpu cpu, Insn in) {
        // The opcode's low bit picks byte or full operand size; the table has no operand to say so.
        int size = (in.op & 1) == 0 ? 0 : in.size;
        if (cpu.segChecked[in.seg] || cpu.segChecked[Cpu.ES]) {
            checked(cpu, in, size);
            return;
        }
        if (in.rep == 0) {
            once(cpu, in, size);
            return;
        }
        switch (in.op) {
            case 0xA4, 0xA5 -> repMovs(cpu, in, size);
            case 0xAA, 0xAB -> repStos(cpu, in, size);
            case 0xAC, 0xAD -> repLods(cpu, in, size);
            default -> repCompare(cpu, in, size);
        }
    }

    private static int step(Cpu cpu, int size) {
        return cpu.flags.df() ? -(1 << size) : 1 << size;
    }

    private static int addressMask(Insn in) {
        return in.a16 ? 0xFFFF : -1;
    }

    /** Replaces the part of {@code register} the address size uses. */
    private static int merge(int register, int value, int mask) {
        return (register & ~mask) | (value & mask);
    }

    /** One iteration without a prefix: no count, no burst. */
    private static void once(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int step = step(cpu, size);
        int si = reg[Cpu.ESI] & mask;
        int di = reg[Cpu.EDI] & mask;
        int source = cpu.segBase[in.seg] + si;
        int destination = cpu.segBase[Cpu.ES] + di;
        switch (in.op) {
            case 0xA4, 0xA5 -> {
                cpu.writeMem(destination, size, cpu.readMem(source, size));
                reg[Cpu.ESI] = merge(reg[Cpu.ESI], si + step, mask);
                reg[Cpu.EDI] = merge(reg[Cpu.EDI], di + step, mask);
            }
            case 0xA6, 0xA7 -> {
                int s = cpu.readMem(source, size);
                int d = cpu.readMem(destination, size);
                cpu.flags.set(Flags.SUB, size, s - d, s, d);
                reg[Cpu.ESI] = merge(reg[Cpu.ESI], si + step, mask);
                reg[Cpu.EDI] = merge(reg[Cpu.EDI], di + step, mask);
            }
            case 0xAA, 0xAB -> {
                cpu.writeMem(destination, size, reg[Cpu.EAX]);
                reg[Cpu.EDI] = merge(reg[Cpu.EDI], di + step, mask);
            }
            case 0xAC, 0xAD -> {
                cpu.writeReg(Cpu.EAX, size, cpu.readMem(source, size));
                reg[Cpu.ESI] = merge(reg[Cpu.ESI], si + step, mask);
            }
            default -> {
                int a = cpu.readReg(Cpu.EAX, size);
                int d = cpu.readMem(destination, size);
                cpu.flags.set(Flags.SUB, size, a - d, a, d);
                reg[Cpu.EDI] = merge(reg[Cpu.EDI], di + step, mask);
            }
        }
    }

    /** The count at which a burst starting from {@code count} stops. */
    private static int burstEnd(int count) {
        return Integer.compareUnsigned(count, BURST) > 0 ? count - BURST : 0;
    }

    /** REP MOVS, with a loop per element size so the copy itself does not branch on it. */
    private static void repMovs(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int count = reg[Cpu.ECX] & mask;
        if (count == 0) {
            return;
        }
        int end = burstEnd(count);
        int step = step(cpu, size);
        int src = cpu.segBase[in.seg];
        int dst = cpu.segBase[Cpu.ES];
        int si = reg[Cpu.ESI] & mask;
        int di = reg[Cpu.EDI] & mask;
        Mmu mmu = cpu.mmu;
        try {
            switch (size) {
                case 0 -> {
                    while (count != end) {
                        mmu.write8(dst + di, mmu.read8(src + si));
                        si = (si + step) & mask;
                        di = (di + step) & mask;
                        count--;
                    }
                }
                case 1 -> {
                    while (count != end) {
                        mmu.write16(dst + di, mmu.read16(src + si));
                        si = (si + step) & mask;
                        di = (di + step) & mask;
                        count--;
                    }
                }
                default -> {
                    while (count != end) {
                        mmu.write32(dst + di, mmu.read32(src + si));
                        si = (si + step) & mask;
                        di = (di + step) & mask;
                        count--;
                    }
                }
            }
        } finally {
            reg[Cpu.ESI] = merge(reg[Cpu.ESI], si, mask);
            reg[Cpu.EDI] = merge(reg[Cpu.EDI], di, mask);
            reg[Cpu.ECX] = merge(reg[Cpu.ECX], count, mask);
        }
        if (count != 0) {
            cpu.eip = cpu.insnEip;
        }
    }

    /** REP STOS: memset. */
    private static void repStos(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int count = reg[Cpu.ECX] & mask;
        if (count == 0) {
            return;
        }
        int end = burstEnd(count);
        int step = step(cpu, size);
        int dst = cpu.segBase[Cpu.ES];
        int di = reg[Cpu.EDI] & mask;
        int value = reg[Cpu.EAX];
        Mmu mmu = cpu.mmu;
        try {
            switch (size) {
                case 0 -> {
                    while (count != end) {
                        mmu.write8(dst + di, value);
                        di = (di + step) & mask;
                        count--;
                    }
                }
                case 1 -> {
                    while (count != end) {
                        mmu.write16(dst + di, value);
                        di = (di + step) & mask;
                        count--;
                    }
                }
                default -> {
                    while (count != end) {
                        mmu.write32(dst + di, value);
                        di = (di + step) & mask;
                        count--;
                    }
                }
            }
        } finally {
            reg[Cpu.EDI] = merge(reg[Cpu.EDI], di, mask);
            reg[Cpu.ECX] = merge(reg[Cpu.ECX], count, mask);
        }
        if (count != 0) {
            cpu.eip = cpu.insnEip;
        }
    }

    /** REP LODS: rarely useful, but defined; the accumulator ends with the last element. */
    private static void repLods(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int count = reg[Cpu.ECX] & mask;
        if (count == 0) {
            return;
        }
        int end = burstEnd(count);
        int step = step(cpu, size);
        int src = cpu.segBase[in.seg];
        int si = reg[Cpu.ESI] & mask;
        try {
            while (count != end) {
                cpu.writeReg(Cpu.EAX, size, cpu.readMem(src + si, size));
                si = (si + step) & mask;
                count--;
            }
        } finally {
            reg[Cpu.ESI] = merge(reg[Cpu.ESI], si, mask);
            reg[Cpu.ECX] = merge(reg[Cpu.ECX], count, mask);
        }
        if (count != 0) {
            cpu.eip = cpu.insnEip;
        }
    }

    /**
     * REPE/REPNE CMPS and SCAS: each iteration sets the flags as CMP would; REPE stops on a
     * difference, REPNE on a match. (MOVS, STOS and LODS take F2 as a plain REP, as hardware does.)
     */
    private static void repCompare(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int count = reg[Cpu.ECX] & mask;
        if (count == 0) {
            return;
        }
        int end = burstEnd(count);
        int step = step(cpu, size);
        boolean scan = in.op >= 0xAE;
        boolean stopOnEqual = in.rep == Insn.REPNE;
        int src = cpu.segBase[in.seg];
        int dst = cpu.segBase[Cpu.ES];
        int si = reg[Cpu.ESI] & mask;
        int di = reg[Cpu.EDI] & mask;
        int accumulator = cpu.readReg(Cpu.EAX, size);
        Flags flags = cpu.flags;
        boolean stopped = false;
        try {
            while (count != end) {
                int s = scan ? accumulator : cpu.readMem(src + si, size);
                int d = cpu.readMem(dst + di, size);
                flags.set(Flags.SUB, size, s - d, s, d);
                if (!scan) {
                    si = (si + step) & mask;
                }
                di = (di + step) & mask;
                count--;
                if ((s == d) == stopOnEqual) {
                    stopped = true;
                    break;
                }
            }
        } finally {
            reg[Cpu.ESI] = merge(reg[Cpu.ESI], si, mask);
            reg[Cpu.EDI] = merge(reg[Cpu.EDI], di, mask);
            reg[Cpu.ECX] = merge(reg[Cpu.ECX], count, mask);
        }
        if (count != 0 && !stopped) {
            cpu.eip = cpu.insnEip;
        }
    }

    /**
     * Any string instruction, repeated or not, one checked element at a time: the source through
     * {@code in.seg} is read, the destination through ES read or written, each access checked
     * against its segment before it is made.
     */
    private static void checked(Cpu cpu, Insn in, int size) {
        int[] reg = cpu.reg;
        int mask = addressMask(in);
        int bytes = 1 << size;
        int step = step(cpu, size);
        boolean repeat = in.rep != 0;
        int count = repeat ? reg[Cpu.ECX] & mask : 1;
        if (count == 0) {
            return;
        }
        int end = repeat ? burstEnd(count) : 0;
        int op = in.op;
        int seg = in.seg;
        boolean stopOnEqual = in.rep == Insn.REPNE;
        int si = reg[Cpu.ESI] & mask;
        int di = reg[Cpu.EDI] & mask;
        boolean stopped = false;
        try {
            while (count != end) {
                switch (op) {
                    case 0xA4, 0xA5 -> {
                        int value = cpu.readMem(cpu.linear(seg, si, bytes, false), size);
                        cpu.writeMem(cpu.linear(Cpu.ES, di, bytes, true), size, value);
                        si = (si + step) & mask;
                        di = (di + step) & mask;
                    }
                    case 0xAA, 0xAB -> {
                        cpu.writeMem(cpu.linear(Cpu.ES, di, bytes, true), size, reg[Cpu.EAX]);
                        di = (di + step) & mask;
                    }
                    case 0xAC, 0xAD -> {
                        cpu.writeReg(Cpu.EAX, size, cpu.readMem(cpu.linear(seg, si, bytes, false), size));
                        si = (si + step) & mask;
                    }
                    default -> {
                        boolean scan = op >= 0xAE;
                        int s = scan ? cpu.readReg(Cpu.EAX, size) : cpu.readMem(cpu.linear(seg, si, bytes, false), size);
                        int d = cpu.readMem(cpu.linear(Cpu.ES, di, bytes, false), size);
                        cpu.flags.set(Flags.SUB, size, s - d, s, d);
                        if (!scan) {
                            si = (si + step) & mask;
                        }
                        di = (di + step) & mask;
                        if (repeat && (s == d) == stopOnEqual) {
                            count--;
                            stopped = true;
                            break;
                        }
                    }
                }
                if (stopped) {
                    break;
                }
                count--;
            }
        } finally {
            reg[Cpu.ESI] = merge(reg[Cpu.ESI], si, mask);
            reg[Cpu.EDI] = merge(reg[Cpu.EDI], di, mask);
            if (repeat) {
                reg[Cpu.ECX] = merge(reg[Cpu.ECX], count, mask);
            }
        }
        if (repeat && count != 0 && !stopped) {
            cpu.eip = cpu.insnEip;
        }
    }
}
