package org.jlguest.testdata.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jlguest.cpu.vectors.FpuState;
import org.jlguest.cpu.vectors.FpuState.Register;

/**
 * The x87 state an x87 case starts from, built up by its generator: a control word (every
 * precision and rounding setting; exceptions mostly masked), condition codes and sticky flags,
 * a random TOP, and registers that are full or empty at random, all holding some value (an empty
 * register's contents come back into view after FINCSTP or FFREE-then-FDECSTP, so they are part
 * of the case). The generator then places its operands in ST(0), ST(1)....
 */
final class X87Stack {

    /** Condition bits C0 C1 C2 C3, and the ones the SDM leaves undefined after most instructions. */
    static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
    static final int CONDITIONS = C0 | C1 | C2 | C3;
    static final int ALL_MASKED = 0x3F;

    private final Random rnd;
    private final X87Values values;
    private int cw;
    private int status;
    private final int top;
    private final Register[] physical = new Register[8];
    private final boolean[] full = new boolean[8];

    X87Stack(Random rnd) {
        this.rnd = rnd;
        this.values = new X87Values(rnd);
        int masks = rnd.nextInt(10) == 0 ? rnd.nextInt(ALL_MASKED) : ALL_MASKED;
        int precision = new int[] {3, 3, 3, 2, 2, 0, 0, 1}[rnd.nextInt(8)];
        cw = 0x40 | masks | precision << 8 | rnd.nextInt(4) << 10 | (rnd.nextInt(4) == 0 ? 0x1000 : 0);
        int flags = rnd.nextInt(4) == 0 ? rnd.nextInt(ALL_MASKED + 1) & masks : 0;
        status = rnd.nextInt(0x10000) & CONDITIONS | flags | ((flags & 1) != 0 && rnd.nextBoolean() ? 0x40 : 0);
        top = rnd.nextInt(8);
        int fullness = rnd.nextInt(4);
        for (int p = 0; p < 8; p++) {
            physical[p] = values.any();
            full[p] = rnd.nextInt(4) < fullness;
        }
    }

    X87Values values() {
        return values;
    }

    /** Unmasks these exceptions, clearing their flags so that nothing is pending before the case starts. */
    void unmask(int exceptions) {
        cw &= ~(exceptions & ALL_MASKED);
        status &= ~(exceptions & ALL_MASKED);
        if ((status & 1) == 0) status &= ~0x40;
    }

    /** Whether some exception is unmasked: the case then ends with FWAIT, where it would surface as #MF. */
    boolean unmasked() {
        return (cw & ALL_MASKED) != ALL_MASKED;
    }

    /** Puts {@code value} in ST(i); one time in 24 leaves ST(i) empty instead, for a stack underflow. */
    void operand(int i, Register value) {
        set(i, value);
        if (rnd.nextInt(24) == 0) full[(top + i) & 7] = false;
    }

    /** Puts {@code value} in ST(i). */
    void set(int i, Register value) {
        physical[(top + i) & 7] = value;
        full[(top + i) & 7] = true;
    }

    /** Masks these exceptions. */
    void mask(int exceptions) {
        cw |= exceptions & ALL_MASKED;
    }

    /** Empties ST(i). */
    void empty(int i) {
        full[(top + i) & 7] = false;
    }

    /** Empties ST(7), so a push does not overflow, except one time in 16. */
    void roomToPush() {
        if (rnd.nextInt(16) != 0) full[(top + 7) & 7] = false;
    }

    FpuState state() {
        int tw = 0;
        List<Register> regs = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            tw |= (full[p] ? tag(physical[p]) : 3) << (2 * p);
            regs.add(physical[p]);
        }
        return new FpuState(cw, status | top << 11, tw, top, regs);
    }

    /** The tag FNSAVE derives: 00 valid, 01 zero, 10 special. */
    private static int tag(Register r) {
        int e = r.se() & 0x7FFF;
        if (e == 0) return r.sig() == 0 ? 1 : 2;
        return e == 0x7FFF || r.sig() >= 0 ? 2 : 0;
    }
}
