package org.jlguest.cpu;

/**
 * Multiplication and division: group 3's MUL, IMUL, DIV and IDIV (F6/F7 /4-/7) on the accumulator
 * pair, and the two- and three-operand IMUL forms (0F AF, 69, 6B).
 *
 * <p>The double-width product or dividend lives in AX (8-bit), DX:AX (16-bit) or EDX:EAX (32-bit).
 * Java's {@code long} holds any of them, so each operation is one multiply or divide followed by
 * a range check.
 *
 * <p>Flags the SDM leaves undefined follow the AMD processors jlguest is checked against: MUL and
 * IMUL leave SF, ZF, AF and PF unchanged (Intel parts compute them from the low half instead), and
 * DIV/IDIV keep CF and OF, clear SF, ZF and PF, and set AF.
 */
final class MulDiv {
    private static final int DIVIDE_KEEPS = Flags.CF | Flags.OF;

    private MulDiv() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0xF6, 0xF7 -> {
                int src = cpu.readRm(in);
                switch (in.reg) {
                    case 4 -> mul(cpu, in.size, src);
                    case 5 -> imul(cpu, in.size, src);
                    case 6 -> div(cpu, in.size, src);
                    default -> idiv(cpu, in.size, src);
                }
            }
            case 0x69, 0x6B -> imulTo(cpu, in.size, in.reg, cpu.readRm(in), in.imm);
            default -> imulTo(cpu, in.size, in.reg, cpu.readReg(in.reg, in.size), cpu.readRm(in));
        }
    }

    /** Unsigned AX = AL * src, DX:AX = AX * src or EDX:EAX = EAX * src; CF = OF = high half nonzero. */
    private static void mul(Cpu cpu, int size, int src) {
        int[] reg = cpu.reg;
        boolean high;
        switch (size) {
            case 0 -> {
                int product = (reg[Cpu.EAX] & 0xFF) * src;
                cpu.writeReg(Cpu.EAX, 1, product);
                high = product > 0xFF;
            }
            case 1 -> {
                int product = (reg[Cpu.EAX] & 0xFFFF) * src;
                cpu.writeReg(Cpu.EAX, 1, product);
                cpu.writeReg(Cpu.EDX, 1, product >>> 16);
                high = (product >>> 16) != 0;
            }
            default -> {
                long product = Integer.toUnsignedLong(reg[Cpu.EAX]) * Integer.toUnsignedLong(src);
                reg[Cpu.EAX] = (int) product;
                reg[Cpu.EDX] = (int) (product >>> 32);
                high = (product >>> 32) != 0;
            }
        }
        carryOverflow(cpu.flags, high);
    }

    /** Signed one-operand IMUL; CF = OF = the product does not fit the low half. */
    private static void imul(Cpu cpu, int size, int src) {
        int[] reg = cpu.reg;
        boolean overflow;
        switch (size) {
            case 0 -> {
                int product = (byte) reg[Cpu.EAX] * (byte) src;
                cpu.writeReg(Cpu.EAX, 1, product);
                overflow = product != (byte) product;
            }
            case 1 -> {
                int product = (short) reg[Cpu.EAX] * (short) src;
                cpu.writeReg(Cpu.EAX, 1, product);
                cpu.writeReg(Cpu.EDX, 1, product >>> 16);
                overflow = product != (short) product;
            }
            default -> {
                long product = (long) reg[Cpu.EAX] * src;
                reg[Cpu.EAX] = (int) product;
                reg[Cpu.EDX] = (int) (product >>> 32);
                overflow = product != (int) product;
            }
        }
        carryOverflow(cpu.flags, overflow);
    }

    /** IMUL r, r/m [, imm]: the product truncated to the operand size; CF = OF = truncation lost bits. */
    private static void imulTo(Cpu cpu, int size, int r, int a, int b) {
        if (size != 1) {
            cpu.reg[r] = multiply32(cpu.flags, a, b);
            return;
        }
        int product = (short) a * (short) b;
        cpu.writeReg(r, 1, product);
        carryOverflow(cpu.flags, product != (short) product);
    }

    /** The 32-bit IMUL r, r/m [, imm], for compiled code too: the truncated product; CF = OF = bits lost. */
    static int multiply32(Flags f, int a, int b) {
        long product = (long) a * b;
        carryOverflow(f, product != (int) product);
        return (int) product;
    }

    /** Unsigned divide; #DE for a zero divisor or a quotient too wide for the low half. */
    private static void div(Cpu cpu, int size, int divisor) {
        if (divisor == 0) {
            throw cpu.divideError();
        }
        int[] reg = cpu.reg;
        switch (size) {
            case 0 -> {
                int dividend = reg[Cpu.EAX] & 0xFFFF;
                int quotient = dividend / divisor;
                if (quotient > 0xFF) {
                    throw cpu.divideError();
                }
                cpu.writeReg(Cpu.EAX, 1, (dividend % divisor) << 8 | quotient);
            }
            case 1 -> {
                int dividend = (reg[Cpu.EDX] << 16) | (reg[Cpu.EAX] & 0xFFFF);
                long quotient = Integer.toUnsignedLong(dividend) / divisor;
                if (quotient > 0xFFFF) {
                    throw cpu.divideError();
                }
                cpu.writeReg(Cpu.EAX, 1, (int) quotient);
                cpu.writeReg(Cpu.EDX, 1, Integer.remainderUnsigned(dividend, divisor));
            }
            default -> {
                // The quotient fits 32 bits exactly when the high half is below the divisor.
                if (Integer.compareUnsigned(reg[Cpu.EDX], divisor) >= 0) {
                    throw cpu.divideError();
                }
                long dividend = (long) reg[Cpu.EDX] << 32 | Integer.toUnsignedLong(reg[Cpu.EAX]);
                long d = Integer.toUnsignedLong(divisor);
                reg[Cpu.EAX] = (int) Long.divideUnsigned(dividend, d);
                reg[Cpu.EDX] = (int) Long.remainderUnsigned(dividend, d);
            }
        }
        divideFlags(cpu.flags);
    }

    /**
     * Signed divide, truncating toward zero as Java does; #DE for a zero divisor or a quotient out
     * of range, which includes the most negative dividend divided by -1.
     */
    private static void idiv(Cpu cpu, int size, int src) {
        if (src == 0) {
            throw cpu.divideError();
        }
        int[] reg = cpu.reg;
        switch (size) {
            case 0 -> {
                int dividend = (short) reg[Cpu.EAX];
                int divisor = (byte) src;
                int quotient = dividend / divisor;
                if (quotient != (byte) quotient) {
                    throw cpu.divideError();
                }
                cpu.writeReg(Cpu.EAX, 1, (dividend % divisor) << 8 | (quotient & 0xFF));
            }
            case 1 -> {
                int dividend = (reg[Cpu.EDX] << 16) | (reg[Cpu.EAX] & 0xFFFF);
                int divisor = (short) src;
                long quotient = (long) dividend / divisor;
                if (quotient != (short) quotient) {
                    throw cpu.divideError();
                }
                cpu.writeReg(Cpu.EAX, 1, (int) quotient);
                cpu.writeReg(Cpu.EDX, 1, (int) ((long) dividend % divisor));
            }
            default -> {
                long dividend = (long) reg[Cpu.EDX] << 32 | Integer.toUnsignedLong(reg[Cpu.EAX]);
                long quotient = dividend / src;
                if (quotient != (int) quotient) {
                    throw cpu.divideError();
                }
                reg[Cpu.EAX] = (int) quotient;
                reg[Cpu.EDX] = (int) (dividend % src);
            }
        }
        divideFlags(cpu.flags);
    }

    /** CF = OF = {@code value}; SF, ZF, AF and PF are kept. */
    private static void carryOverflow(Flags flags, boolean value) {
        int kept = flags.szap();
        flags.setArithmetic(value ? kept | Flags.CF | Flags.OF : kept);
    }

    private static void divideFlags(Flags flags) {
        flags.setArithmetic((flags.eflags() & DIVIDE_KEEPS) | Flags.AF);
    }
}
