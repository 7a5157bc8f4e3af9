package org.jlguest.testdata.oracle;

import static org.jlguest.testdata.oracle.CaseBuilder.AF;
import static org.jlguest.testdata.oracle.CaseBuilder.CF;
import static org.jlguest.testdata.oracle.CaseBuilder.EAX;
import static org.jlguest.testdata.oracle.CaseBuilder.ECX;
import static org.jlguest.testdata.oracle.CaseBuilder.EDX;
import static org.jlguest.testdata.oracle.CaseBuilder.OF;
import static org.jlguest.testdata.oracle.CaseBuilder.PF;
import static org.jlguest.testdata.oracle.CaseBuilder.SF;
import static org.jlguest.testdata.oracle.CaseBuilder.ZF;

import java.util.Random;

/**
 * Arithmetic and logic: ALU ops, INC/DEC/NEG/NOT, shifts and rotates, multiply and
 * divide, BCD adjusts, bit tests and scans, SETcc/CMOVcc, and mixed sequences.
 * Each method builds one case; undefined flags follow the Intel SDM.
 */
final class ArithmeticCases {

    private ArithmeticCases() {
    }

    /** ADD OR ADC SBB AND SUB XOR CMP (op 0-7) and TEST (op 8), every encoding and size. */
    static void alu(CaseBuilder b) {
        Random r = b.rnd();
        int op = r.nextInt(9);
        boolean test = op == 8;
        if (op == 1 || op == 4 || op == 6 || test) b.undefined(AF);
        Operands.randomFlags(b);
        int size = Operands.size(r);
        int w = size == 1 ? 0 : 1;
        boolean memory = r.nextInt(3) == 0;
        int form = r.nextInt(test ? 4 : 6);
        if (memory && r.nextInt(4) == 0 && form <= 1 && op != 7 && !test) b.op(0xF0); // LOCK: legal on a memory destination
        Operands.prefix(b, size);
        switch (form) {
            case 0 -> { // r/m, reg
                b.op(test ? 0x84 | w : op * 8 + w);
                Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
            }
            case 1 -> { // group 1 immediate: 80/81, 83 (sign-extended imm8), 82 (80's alias)
                int opcode = size == 1 ? (r.nextInt(4) == 0 && !test ? 0x82 : 0x80) : (!test && r.nextBoolean() ? 0x83 : 0x81);
                b.op(test ? 0xF6 | w : opcode);
                Operands.rm(b, test ? 0 : op, size, memory, b.value(8 * size));
                b.imm(opcode == 0x81 ? size : 1, b.value(8 * size));
            }
            case 2 -> { // accumulator, immediate
                b.op(test ? 0xA8 | w : op * 8 + 4 + w);
                b.setOperand(EAX, size, b.value(8 * size));
                b.imm(size, b.value(8 * size));
            }
            case 3 -> { // reg, r/m (TEST has none: use the r/m, reg form with registers)
                b.op(test ? 0x84 | w : op * 8 + 2 + w);
                Operands.rm(b, Operands.reg(b, size), size, memory && !test, b.value(8 * size));
            }
            default -> { // register-register, both directions
                b.op(op * 8 + (form == 4 ? 0 : 2) + w);
                Operands.rm(b, Operands.reg(b, size), size, false, b.value(8 * size));
            }
        }
    }

    /** INC DEC (short and group forms), NEG, NOT. */
    static void incDec(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int size = Operands.size(r);
        boolean memory = r.nextInt(3) == 0;
        int kind = r.nextInt(4);
        if (memory && r.nextInt(4) == 0) b.op(0xF0);
        Operands.prefix(b, size);
        if (size != 1 && kind < 2 && r.nextBoolean() && !memory) {
            int reg = r.nextInt(8);
            b.op((kind == 0 ? 0x40 : 0x48) + reg);
            b.setOperand(reg, size, b.value(8 * size));
            return;
        }
        int w = size == 1 ? 0 : 1;
        b.op(kind < 2 ? 0xFE | w : 0xF6 | w);
        int field = kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 ? 2 : 3;
        Operands.rm(b, field, size, memory, b.value(8 * size));
    }

    /** ROL ROR RCL RCR SHL SHR SAR by 1, CL and imm8 (counts beyond 31 check masking), then SHLD/SHRD. */
    static void shift(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        if (r.nextInt(4) == 0) {
            doubleShift(b);
            return;
        }
        int size = Operands.size(r);
        int w = size == 1 ? 0 : 1;
        int[] ops = {0, 1, 2, 3, 4, 5, 7};
        int op = ops[r.nextInt(ops.length)];
        boolean memory = r.nextInt(4) == 0;
        int count = r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(40);
        int form = r.nextInt(3);
        Operands.prefix(b, size);
        if (form == 0) {
            count = 1;
            b.op(0xD0 | w);
            Operands.rm(b, op, size, memory, b.value(8 * size));
        } else if (form == 1) {
            b.claim(ECX, (b.value(32) & ~0xFF) | count);
            b.op(0xD2 | w);
            Operands.rm(b, op, size, memory, b.value(8 * size));
        } else {
            b.op(0xC0 | w);
            Operands.rm(b, op, size, memory, b.value(8 * size));
            b.imm(1, count);
        }
        int masked = count & 0x1F;
        if (masked == 0) return;
        if (masked != 1) b.undefined(OF);
        if (op >= 4) {
            b.undefined(AF);
            // The SDM leaves CF undefined for SHL/SHR counts reaching the operand size;
            // SAR gets the same treatment so the vectors hold on any vendor.
            if (masked >= 8 * size) b.undefined(CF);
        }
    }

    private static void doubleShift(CaseBuilder b) {
        Random r = b.rnd();
        int size = Operands.wordSize(r);
        boolean left = r.nextBoolean();
        boolean byCl = r.nextBoolean();
        // A 16-bit count above 16 leaves the result undefined: keep counts in range there.
        int count = size == 2 ? (r.nextInt(4) == 0 ? 32 + r.nextInt(17) : r.nextInt(17)) : r.nextInt(r.nextBoolean() ? 32 : 256);
        boolean memory = r.nextInt(4) == 0;
        Operands.prefix(b, size);
        if (byCl) b.claim(ECX, (b.value(32) & ~0xFF) | count);
        b.op(0x0F, (left ? 0xA4 : 0xAC) | (byCl ? 1 : 0));
        Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
        if (!byCl) b.imm(1, count);
        int masked = count & 0x1F;
        if (masked == 0) return;
        b.undefined(AF);
        if (masked != 1) b.undefined(OF);
    }

    /** MUL IMUL (one, two and three operands) DIV IDIV, including divide errors. */
    static void mulDiv(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int kind = r.nextInt(7);
        boolean memory = r.nextInt(3) == 0;
        if (kind >= 4) { // IMUL r, r/m ; IMUL r, r/m, imm32 ; IMUL r, r/m, imm8
            b.undefined(SF | ZF | AF | PF);
            int size = Operands.wordSize(r);
            Operands.prefix(b, size);
            int reg = Operands.reg(b, size);
            if (kind == 4) b.op(0x0F, 0xAF);
            else b.op(kind == 5 ? 0x69 : 0x6B);
            Operands.rm(b, reg, size, memory, b.value(8 * size));
            if (kind == 5) b.imm(size, b.value(8 * size));
            if (kind == 6) b.imm(1, b.value(8));
            return;
        }
        int size = Operands.size(r);
        int bits = 8 * size;
        long mask = (1L << bits) - 1;
        if (kind < 2) {
            b.undefined(SF | ZF | AF | PF);
            b.setOperand(EAX, size, b.value(bits));
            b.set(EDX, b.value(32));
            Operands.prefix(b, size);
            b.op(size == 1 ? 0xF6 : 0xF7);
            Operands.rm(b, 4 + kind, size, memory, b.value(bits));
            return;
        }
        b.undefined(CF | OF | SF | ZF | AF | PF);
        boolean signed = kind == 3;
        long divisor;
        long dividend;
        int choice = r.nextInt(10);
        if (choice == 0) {
            divisor = 0;
            dividend = r.nextLong();
        } else if (choice <= 2) { // overflowing quotients (and IDIV's most negative / -1)
            divisor = signed && r.nextBoolean() ? mask : 1 + r.nextInt((int) Math.min(1L << (bits - 1), 1 << 20));
            dividend = signed && divisor == mask ? 1L << (2 * bits - 1) : r.nextLong();
        } else { // quotients that fit
            divisor = (b.value(bits) & mask);
            if (divisor == 0) divisor = 1;
            long quotient = r.nextLong() & (signed ? (mask >> 1) : mask);
            long sd = signed ? (divisor << (64 - bits)) >> (64 - bits) : divisor;
            if (signed && r.nextBoolean()) quotient = -quotient;
            long remainder = Math.floorMod(r.nextLong(), Math.max(1, Math.abs(sd)));
            dividend = quotient * sd + (signed && quotient < 0 ? -remainder : remainder);
        }
        if (size == 1) {
            b.set(EAX, (b.value(32) & ~0xFFFF) | (int) (dividend & 0xFFFF));
        } else {
            b.setOperand(EAX, size, (int) (dividend & mask));
            b.setOperand(EDX, size, (int) ((dividend >>> bits) & mask));
        }
        Operands.prefix(b, size);
        b.op(size == 1 ? 0xF6 : 0xF7);
        Operands.rm(b, 4 + kind, size, memory, (int) divisor);
    }

    /** DAA DAS AAA AAS AAM AAD (AAM 0 raises #DE). */
    static void bcd(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int kind = r.nextInt(6);
        int al = r.nextInt(256);
        int ah = r.nextInt(256);
        boolean adjust = (al & 0xF) > 9 || (b.flags() & AF) != 0;
        // Newer Intel CPUs adjust AX as a whole (AX+0x106, AX-6), older ones and AMD byte
        // by byte; the two agree unless AL carries or borrows: keep away from that.
        if (kind == 2 && adjust && al >= 0xFA) al = r.nextInt(0xFA);
        if (kind == 3 && adjust && al < 6) al = 6 + r.nextInt(250);
        b.set(EAX, (b.value(32) & 0xFFFF_0000) | ah << 8 | al);
        switch (kind) {
            case 0 -> b.op(0x27).undefined(OF);
            case 1 -> b.op(0x2F).undefined(OF);
            case 2 -> b.op(0x37).undefined(OF | SF | ZF | PF);
            case 3 -> b.op(0x3F).undefined(OF | SF | ZF | PF);
            default -> {
                int base = r.nextInt(4) == 0 ? 10 : r.nextInt(8) == 0 ? 0 : r.nextInt(256);
                b.op(kind == 4 ? 0xD4 : 0xD5, base);
                b.undefined(OF | AF | CF);
            }
        }
    }

    /** BT BTS BTR BTC (register, imm8, memory with large and negative bit offsets), BSF BSR. */
    static void bits(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int size = Operands.wordSize(r);
        int kind = r.nextInt(5);
        if (kind == 4) {
            bitScan(b, size);
            return;
        }
        b.undefined(OF | SF | AF | PF);
        int op = r.nextInt(4); // BT BTS BTR BTC
        boolean memory = r.nextBoolean();
        if (memory && op != 0 && r.nextInt(4) == 0) b.op(0xF0);
        Operands.prefix(b, size);
        if (kind == 0) { // imm8 bit offset: taken modulo the operand size
            b.op(0x0F, 0xBA);
            Operands.rm(b, 4 + op, size, memory, b.value(8 * size));
            b.imm(1, r.nextInt(256));
            return;
        }
        b.op(0x0F, 0xA3 + 8 * op);
        if (!memory) {
            int offsetReg = Operands.reg(b, size);
            Operands.rm(b, offsetReg, size, false, b.value(8 * size));
            return;
        }
        // Memory with a register offset: the operand is the word or dword at
        // EA + size * floor(offset / bits), with the offset signed and unbounded.
        int offsetReg = r.nextInt(8);
        int offset = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(64) - 32;
            case 1 -> r.nextInt(4096) - 2048;
            default -> b.value(32);
        };
        if (size == 2) offset = (short) offset;
        b.claim(offsetReg, (b.reg(offsetReg) & (size == 2 ? 0xFFFF_0000 : 0)) | (offset & (size == 2 ? 0xFFFF : -1)));
        int target = b.data(b.randomBytes(size + 8)) + 4;
        int ea = target - size * (offset >> (size == 2 ? 4 : 5));
        b.op(b.mem(offsetReg, ea));
    }

    private static void bitScan(CaseBuilder b, int size) {
        Random r = b.rnd();
        b.undefined(CF | OF | SF | AF | PF);
        boolean reverse = r.nextBoolean();
        boolean memory = r.nextBoolean();
        boolean zero = r.nextInt(5) == 0;
        int value = zero ? 0 : b.value(8 * size);
        if (value == 0 || (size == 2 && (value & 0xFFFF) == 0)) zero = true;
        int dest = r.nextInt(8);
        // With a zero source the destination is undefined (AMD and Intel in practice keep it):
        // starting it at zero makes "kept" and "cleared" agree.
        if (zero) b.claim(dest, b.reg(dest) & (size == 2 ? 0xFFFF_0000 : 0));
        Operands.prefix(b, size);
        b.op(0x0F, reverse ? 0xBD : 0xBC);
        if (memory) {
            Operands.rm(b, dest, size, true, value);
        } else {
            int src = zero ? dest : r.nextInt(8);
            b.op(0xC0 | dest << 3 | src);
            b.setOperand(src, size, value);
        }
    }

    /** SETcc and CMOVcc, all sixteen conditions, with random flags. */
    static void conditional(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int cc = r.nextInt(16);
        boolean memory = r.nextInt(3) == 0;
        if (r.nextBoolean()) {
            b.op(0x0F, 0x90 + cc);
            Operands.rm(b, 0, 1, memory, b.value(8));
        } else {
            int size = Operands.wordSize(r);
            Operands.prefix(b, size);
            b.op(0x0F, 0x40 + cc);
            Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
        }
    }

    /**
     * Short register-only sequences whose flags stay defined (so each one's flags feed the
     * next: carries, SETcc, CMOVcc), checking how flags flow between instructions.
     */
    static void mixed(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        for (int i = 0; i < 8; i++) b.set(i, b.value(32));
        int n = 2 + r.nextInt(5);
        boolean afUndefined = false;
        for (int i = 0; i < n; i++) {
            int d = r.nextInt(8);
            int s = r.nextInt(8);
            switch (r.nextInt(12)) {
                case 0 -> { // ADD ADC SUB SBB CMP, register-register
                    int[] ops = {0, 2, 3, 5, 7};
                    b.op(ops[r.nextInt(ops.length)] * 8 + 1, 0xC0 | s << 3 | d);
                    afUndefined = false;
                }
                case 1 -> { // AND OR XOR
                    int[] ops = {1, 4, 6};
                    b.op(ops[r.nextInt(ops.length)] * 8 + 1, 0xC0 | s << 3 | d);
                    afUndefined = true;
                }
                case 2 -> { // group 1 with a sign-extended imm8; its logical ops leave AF undefined
                    int op = r.nextInt(8);
                    b.op(0x83, 0xC0 | op << 3 | d, r.nextInt(256));
                    afUndefined = op == 1 || op == 4 || op == 6;
                }
                case 3 -> {
                    b.op((r.nextBoolean() ? 0x40 : 0x48) + d);
                    afUndefined = false;
                }
                case 4 -> { // NOT (no flags) or NEG
                    int op = 2 + r.nextInt(2);
                    b.op(0xF7, 0xC0 | op << 3 | d);
                    if (op == 3) afUndefined = false;
                }
                case 5 -> { // shifts and rotates by one: all but AF defined
                    int[] ops = {0, 1, 2, 3, 4, 5, 7};
                    int op = ops[r.nextInt(ops.length)];
                    b.op(0xD1, 0xC0 | op << 3 | d);
                    if (op >= 4) afUndefined = true;
                }
                case 6 -> b.op(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));
                case 7 -> b.op(0x0F, 0x40 + r.nextInt(16), 0xC0 | d << 3 | s);
                case 8 -> b.op(new int[] {0xF8, 0xF9, 0xF5}[r.nextInt(3)]);
                case 9 -> b.op(0x8D, 0x44 | d << 3, s << 3 | r.nextInt(8) | r.nextInt(4) << 6, r.nextInt(256));
                case 10 -> b.op(0x87, 0xC0 | s << 3 | d);
                default -> b.op(0x0F, 0xB6 + 8 * r.nextInt(2) + r.nextInt(2), 0xC0 | d << 3 | s);
            }
        }
        if (afUndefined) b.undefined(AF);
    }
}
