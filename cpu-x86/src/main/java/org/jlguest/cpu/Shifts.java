package org.jlguest.cpu;

/**
 * Shifts and rotates: group 2 (ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR on C0/C1, D0/D1, D2/D3) and
 * the double shifts SHLD/SHRD (0F A4/A5/AC/AD).
 *
 * <p>The count is masked to five bits; a masked count of zero changes nothing, flags included,
 * though a memory operand is still accessed as for a write: a read-only page faults, as it does on
 * hardware.
 * Each operation is computed in one step on a {@code long} wide enough to hold the operand, the
 * bits shifted out and (for RCL/RCR) the carry, so no loop runs per bit.
 *
 * <p>The SDM defines OF only for one-bit shifts; for larger counts the processors apply the same
 * formula to the final result, which is what this does: after a left shift or rotate OF is the top
 * bit of the result XOR the new CF, after a right one it is the XOR of the result's two top bits.
 * AF is undefined; AMD sets it for SHL/SHR/SAR/SHLD/SHRD, and so does jlguest. For 16-bit
 * SHLD/SHRD counts above 16 (undefined) the operand pair is extended with the source once more, as
 * AMD does: dst:src:src shifted left, src:src:dst shifted right; AMD then clears CF (and OF after
 * SHLD), and SHLD by exactly 16 copies CF into OF.
 */
final class Shifts {
    private static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6;

    private Shifts() {
    }

    static void execute(Cpu cpu, Insn in) {
        int count = switch (in.op) {
            case 0xC0, 0xC1, 0x1A4, 0x1AC -> in.imm;
            case 0xD0, 0xD1 -> 1;
            default -> cpu.reg[Cpu.ECX];
        } & 0x1F;
        if (in.op >= 0x100) {
            doubleShift(cpu, in, count);
        } else {
            shift(cpu, in, count);
        }
    }

    private static void shift(Cpu cpu, Insn in, int count) {
        int size = in.size;
        int linear = in.mod == 3 ? 0 : cpu.linearForWrite(in);
        int dst = in.mod == 3 ? cpu.readReg(in.rm, size) : cpu.readMemForWrite(linear, size);
        if (count == 0) {
            return;
        }
        long r = compute(cpu.flags, in.reg, dst, size, count);
        if (in.mod == 3) {
            cpu.writeReg(in.rm, size, (int) r);
        } else {
            cpu.writeMem(linear, size, (int) r);
        }
        cpu.flags.setArithmetic((int) (r >>> 32));
    }

    /**
     * A 32-bit register shifted or rotated (ROL, ROR, SHL, SHR, SAR) by a count of 1-31, for
     * compiled code: returns the result and sets the flags as a shift through {@link #execute} does
     * (compiled code calls it when it needs the flags of a shift it kept as a record).
     */
    static int register32(Flags f, int operation, int dst, int count) {
        long r = compute(f, operation, dst, 2, count);
        f.setArithmetic((int) (r >>> 32));
        return (int) r;
    }

    /**
     * Operation {@code operation} (the ModRM reg field) on {@code dst} by a nonzero count: the
     * result in the low half (unmasked), the arithmetic flags it sets in the high half.
     */
    private static long compute(Flags f, int operation, int dst, int size, int count) {
        int width = 8 << size;
        long x = dst & 0xFFFFFFFFL;
        int res;
        boolean carry;
        switch (operation) {
            case ROL -> {
                res = rol(x, width, count);
                carry = (res & 1) != 0;
            }
            case ROR -> {
                res = ror(x, width, count);
                carry = (res >>> (width - 1) & 1) != 0;
            }
            case RCL -> {
                long r = rcl(x, width, count, f.cf());
                res = (int) r;
                carry = (r >>> width & 1) != 0;
            }
            case RCR -> {
                long r = rcr(x, width, count, f.cf());
                res = (int) r;
                carry = (r >>> width & 1) != 0;
            }
            case SHL, SAL -> {
                res = (int) (x << count);
                carry = (x << count >>> width & 1) != 0;
            }
            case SHR -> {
                res = (int) (x >>> count);
                carry = (x >>> (count - 1) & 1) != 0;
            }
            default -> {
                long signed = x << (64 - width) >> (64 - width);
                res = (int) (signed >> count);
                carry = (signed >> (count - 1) & 1) != 0;
            }
        }
        int masked = res & Flags.MASK[size];
        boolean left = (operation & 1) == 0;
        int out = (carry ? Flags.CF : 0) | overflow(masked, width, left, carry);
        int flags = operation <= RCR
                // Rotates keep SF, ZF, AF and PF.
                ? (f.eflags() & (Flags.SF | Flags.ZF | Flags.AF | Flags.PF)) | out
                : out | Flags.AF | Flags.zsp(masked, size);
        return (long) flags << 32 | (res & 0xFFFFFFFFL);
    }

    /** OF: top bit XOR CF after a left shift, top bit XOR the bit below it after a right shift. */
    private static int overflow(int res, int width, boolean left, boolean carry) {
        int top = res >>> (width - 1);
        int next = left ? (carry ? 1 : 0) : (res >>> (width - 2)) & 1;
        return (top ^ next) != 0 ? Flags.OF : 0;
    }

    /** Rotates within {@code width} bits; the result is masked to the operand by its store. */
    private static int rol(long x, int width, int count) {
        int n = count & (width - 1);
        return (int) (x << n | x >>> (width - n));
    }

    private static int ror(long x, int width, int count) {
        int n = count & (width - 1);
        return (int) (x >>> n | x << (width - n));
    }

    /**
     * Rotates the {@code width + 1}-bit value CF:dst left; bit {@code width} of the result is the
     * new CF. Eight- and 16-bit operands rotate modulo 9 and 17.
     */
    private static long rcl(long x, int width, int count, boolean cf) {
        int span = width + 1;
        int n = count % span;
        long v = (cf ? 1L << width : 0) | x;
        return (v << n | v >>> (span - n)) & ((1L << span) - 1);
    }

    private static long rcr(long x, int width, int count, boolean cf) {
        int span = width + 1;
        int n = count % span;
        long v = (cf ? 1L << width : 0) | x;
        return (v >>> n | v << (span - n)) & ((1L << span) - 1);
    }

    /**
     * SHLD/SHRD. The operands are laid out in one {@code long} so that the result is a window of
     * it: for SHLD dst:src (dst:src:src at 16 bits) and the result ends {@code 32 - count} bits
     * up; for SHRD src:dst (src:src:dst at 16 bits) and the result starts {@code count} bits up.
     */
    private static void doubleShift(Cpu cpu, Insn in, int count) {
        int size = in.size;
        int linear = in.mod == 3 ? 0 : cpu.linearForWrite(in);
        int dst = in.mod == 3 ? cpu.readReg(in.rm, size) : cpu.readMemForWrite(linear, size);
        if (count == 0) {
            return;
        }
        long src = cpu.readReg(in.reg, size) & 0xFFFFFFFFL;
        long pair;
        if (size == 1) {
            pair = src << 16 | src;
        } else {
            pair = src;
        }
        int width = 8 << size;
        boolean left = in.op < 0x1A8;
        int res;
        boolean carry;
        if (left) {
            long x = (dst & 0xFFFFFFFFL) << 32 | pair;
            res = (int) (x >>> (32 - count));
            carry = (x >>> (32 + width - count) & 1) != 0;
        } else {
            long x = pair << width | (dst & 0xFFFFFFFFL);
            res = (int) (x >>> count);
            carry = (x >>> (count - 1) & 1) != 0;
        }
        if (in.mod == 3) {
            cpu.writeReg(in.rm, size, res);
        } else {
            cpu.writeMem(linear, size, res);
        }
        res &= Flags.MASK[size];
        int overflow = overflow(res, width, left, carry);
        if (width == 16 && count >= 16) {
            // AMD's flags for the 16-bit counts the SDM leaves undefined (16 itself: OF only).
            if (count > 16) {
                carry = false;
            }
            if (left) {
                overflow = carry ? Flags.OF : 0;
            }
        }
        cpu.flags.setArithmetic((carry ? Flags.CF : 0) | overflow | Flags.AF | Flags.zsp(res, size));
    }
}
