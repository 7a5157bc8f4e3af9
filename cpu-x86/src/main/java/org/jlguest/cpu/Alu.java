package org.jlguest.cpu;

/**
 * The eight classic ALU operations (ADD, OR, ADC, SBB, AND, SUB, XOR, CMP) in every encoding,
 * plus TEST, NOT, NEG, INC and DEC.
 *
 * <p>The operation number is the one the encodings share: bits 3-5 of opcodes 00-3F, or the ModRM
 * reg field of group 1 (80-83). Each handler computes the result, stores it (the step that can
 * fault), and only then records the flags.
 */
final class Alu {
    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

    private Alu() {
    }

    static void execute(Cpu cpu, Insn in) {
        int op = in.op;
        if (op < 0x40) {
            int operation = op >>> 3;
            switch (op & 7) {
                case 0, 1 -> toRm(cpu, in, operation, cpu.readReg(in.reg, in.size));
                case 2, 3 -> toReg(cpu, operation, in.size, in.reg, cpu.readRm(in));
                default -> toReg(cpu, operation, in.size, Cpu.EAX, in.imm);
            }
            return;
        }
        switch (op) {
            case 0x80, 0x81, 0x82, 0x83 -> toRm(cpu, in, in.reg, in.imm);
            case 0x84, 0x85 -> cpu.flags.setLogic(in.size, cpu.readRm(in) & cpu.readReg(in.reg, in.size));
            case 0xA8, 0xA9 -> cpu.flags.setLogic(in.size, cpu.readReg(Cpu.EAX, in.size) & in.imm);
            case 0xF6, 0xF7 -> unary(cpu, in);
            case 0xFE, 0xFF -> incDecRm(cpu, in, in.reg == 0 ? Flags.INC : Flags.DEC);
            default -> incDecReg(cpu, in, op < 0x48 ? Flags.INC : Flags.DEC);
        }
    }

    /** {@code r/m = r/m OP src}. */
    private static void toRm(Cpu cpu, Insn in, int operation, int src) {
        int size = in.size;
        int carry = carryIn(cpu, operation);
        int dst;
        int res;
        if (in.mod == 3) {
            dst = cpu.readReg(in.rm, size);
            res = result(operation, dst, src, carry);
            if (operation != CMP) {
                cpu.writeReg(in.rm, size, res);
            }
        } else {
            int linear = operation == CMP ? cpu.linear(in) : cpu.linearForWrite(in);
            if (operation == CMP) {
                dst = cpu.readMem(linear, size);
                res = result(operation, dst, src, carry);
            } else {
                dst = cpu.readMemForWrite(linear, size);
                res = result(operation, dst, src, carry);
                cpu.writeMem(linear, size, res);
            }
        }
        record(cpu.flags, operation, size, res, dst, src, carry);
    }

    /** {@code reg = reg OP src}. */
    private static void toReg(Cpu cpu, int operation, int size, int r, int src) {
        int carry = carryIn(cpu, operation);
        int dst = cpu.readReg(r, size);
        int res = result(operation, dst, src, carry);
        if (operation != CMP) {
            cpu.writeReg(r, size, res);
        }
        record(cpu.flags, operation, size, res, dst, src, carry);
    }

    /** CF for ADC and SBB; the other operations do not read it. */
    private static int carryIn(Cpu cpu, int operation) {
        return (operation == ADC || operation == SBB) && cpu.flags.cf() ? 1 : 0;
    }

    static int result(int operation, int dst, int src, int carry) {
        return switch (operation) {
            case ADD -> dst + src;
            case OR -> dst | src;
            case ADC -> dst + src + carry;
            case SBB -> dst - src - carry;
            case AND -> dst & src;
            case XOR -> dst ^ src;
            default -> dst - src;
        };
    }

    static void record(Flags flags, int operation, int size, int res, int dst, int src, int carry) {
        switch (operation) {
            case ADD -> flags.set(Flags.ADD, size, res, dst, src);
            case ADC -> flags.setWithCarry(Flags.ADC, size, res, dst, src, carry);
            case SBB -> flags.setWithCarry(Flags.SBB, size, res, dst, src, carry);
            case SUB, CMP -> flags.set(Flags.SUB, size, res, dst, src);
            default -> flags.setLogic(size, res);
        }
    }

    /** Group 3's first half: TEST r/m,imm; NOT; NEG. (MUL/DIV are {@link MulDiv}'s.) */
    private static void unary(Cpu cpu, Insn in) {
        int size = in.size;
        switch (in.reg) {
            case 0, 1 -> cpu.flags.setLogic(size, cpu.readRm(in) & in.imm);
            case 2 -> {
                if (in.mod == 3) {
                    cpu.writeReg(in.rm, size, ~cpu.readReg(in.rm, size));
                } else {
                    int linear = cpu.linearForWrite(in);
                    cpu.writeMem(linear, size, ~cpu.readMemForWrite(linear, size));
                }
            }
            default -> {
                int value;
                if (in.mod == 3) {
                    value = cpu.readReg(in.rm, size);
                    cpu.writeReg(in.rm, size, -value);
                } else {
                    int linear = cpu.linearForWrite(in);
                    value = cpu.readMemForWrite(linear, size);
                    cpu.writeMem(linear, size, -value);
                }
                cpu.flags.set(Flags.NEG, size, -value, 0, value);
            }
        }
    }

    private static void incDecRm(Cpu cpu, Insn in, int kind) {
        int size = in.size;
        int delta = kind == Flags.INC ? 1 : -1;
        int dst;
        if (in.mod == 3) {
            dst = cpu.readReg(in.rm, size);
            cpu.writeReg(in.rm, size, dst + delta);
        } else {
            int linear = cpu.linearForWrite(in);
            dst = cpu.readMemForWrite(linear, size);
            cpu.writeMem(linear, size, dst + delta);
        }
        cpu.flags.setIncDec(kind, size, dst + delta, dst);
    }

    private static void incDecReg(Cpu cpu, Insn in, int kind) {
        int dst = cpu.readReg(in.reg, in.size);
        int res = dst + (kind == Flags.INC ? 1 : -1);
        cpu.writeReg(in.reg, in.size, res);
        cpu.flags.setIncDec(kind, in.size, res, dst);
    }
}
