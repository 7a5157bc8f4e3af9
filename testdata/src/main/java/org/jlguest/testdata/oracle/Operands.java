package org.jlguest.testdata.oracle;

import java.util.Random;

/**
 * Emits the r/m and reg operands most instructions share: a register or a memory
 * operand (in a fresh data region with two guard bytes either side), with values
 * biased towards edge cases.
 */
final class Operands {

    private Operands() {
    }

    /** 1, 2 or 4 bytes, uniformly. */
    static int size(Random rnd) {
        return new int[] {1, 2, 4}[rnd.nextInt(3)];
    }

    /** 2 or 4 bytes. */
    static int wordSize(Random rnd) {
        return rnd.nextBoolean() ? 2 : 4;
    }

    /** The operand-size prefix for 16-bit operands, nothing otherwise. */
    static void prefix(CaseBuilder b, int size) {
        if (size == 2) b.op(0x66);
    }

    /**
     * Emits ModRM (and what follows it) for an r/m operand holding {@code value}:
     * register-direct or, if {@code memory}, a data region. Returns the operand's address, or 0.
     */
    static int rm(CaseBuilder b, int regField, int size, boolean memory, int value) {
        if (!memory) {
            int r = b.rnd().nextInt(8);
            b.op(0xC0 | regField << 3 | r);
            b.setOperand(r, size, value);
            return 0;
        }
        byte[] region = b.randomBytes(size + 4);
        System.arraycopy(CaseBuilder.bytes(size, value), 0, region, 2, size);
        int ea = b.data(region) + 2;
        b.op(b.mem(regField, ea));
        return ea;
    }

    /** A random reg-field register with an edge-biased value. */
    static int reg(CaseBuilder b, int size) {
        int r = b.rnd().nextInt(8);
        b.setOperand(r, size, b.value(8 * size));
        return r;
    }

    /** Random arithmetic flags and DF. */
    static void randomFlags(CaseBuilder b) {
        b.flags(b.rnd().nextInt());
    }
}
