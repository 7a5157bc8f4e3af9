package org.jlguest.cpu;

/**
 * Bit tests (BT, BTS, BTR, BTC with a register or immediate bit offset) and bit scans (BSF, BSR).
 *
 * <p>With a register offset and a memory operand the offset is a signed bit number relative to the
 * operand's address, so it can reach any bit within ±2^31 bits: the operand used is the word or
 * dword that holds that bit. Immediate offsets and register operands take the offset modulo the
 * operand width.
 *
 * <p>BT* change only CF. For BSF/BSR the SDM leaves every flag but ZF undefined; AMD clears CF, OF,
 * SF and AF and sets PF from the bit index found (from zero when there is none), and jlguest does
 * the same.
 */
final class Bits {
    private static final int TEST = 0, SET = 1, RESET = 2, COMPLEMENT = 3;

    private Bits() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0x1BA -> test(cpu, in, in.reg - 4, in.imm, false);
            case 0x1BC, 0x1BD -> scan(cpu, in);
            default -> test(cpu, in, (in.op >>> 3) & 3, cpu.readReg(in.reg, in.size), true);
        }
    }

    /**
     * BT/BTS/BTR/BTC; {@code operation} is the opcodes' own numbering (A3, AB, B3, BB and /4-/7 of
     * BA in that order).
     */
    private static void test(Cpu cpu, Insn in, int operation, int offset, boolean addressing) {
        int size = in.size;
        int width = 8 << size;
        int bit = offset & (width - 1);
        int value;
        if (in.mod == 3) {
            value = cpu.readReg(in.rm, size);
            if (operation != TEST) {
                cpu.writeReg(in.rm, size, update(operation, value, bit));
            }
        } else {
            int ea = cpu.ea(in);
            if (addressing) {
                // The signed offset selects the word/dword: (offset >> 4) * 2 or (offset >> 5) * 4 bytes.
                int signed = size == 1 ? (short) offset : offset;
                ea += (signed >> (size + 3)) << size;
                if (in.a16) {
                    ea &= 0xFFFF;
                }
            }
            int linear = cpu.linear(in.seg, ea, 1 << size, operation != TEST);
            if (operation == TEST) {
                value = cpu.readMem(linear, size);
            } else {
                value = cpu.readMemForWrite(linear, size);
                cpu.writeMem(linear, size, update(operation, value, bit));
            }
        }
        cpu.flags.setCf((value >>> bit & 1) != 0);
    }

    private static int update(int operation, int value, int bit) {
        int mask = 1 << bit;
        return switch (operation) {
            case SET -> value | mask;
            case RESET -> value & ~mask;
            default -> value ^ mask;
        };
    }

    /** BSF/BSR: a zero source sets ZF and leaves the destination alone. */
    private static void scan(Cpu cpu, Insn in) {
        int src = cpu.readRm(in);
        if (src == 0) {
            cpu.flags.setArithmetic(Flags.ZF | Flags.PF);
            return;
        }
        int index = in.op == 0x1BC ? Integer.numberOfTrailingZeros(src) : 31 - Integer.numberOfLeadingZeros(src);
        cpu.writeReg(in.reg, in.size, index);
        cpu.flags.setArithmetic(Flags.parity(index) ? Flags.PF : 0);
    }
}
