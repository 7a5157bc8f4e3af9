package org.jlguest.testdata.oracle;

import static org.jlguest.testdata.oracle.X87Stack.C0;
import static org.jlguest.testdata.oracle.X87Stack.C1;
import static org.jlguest.testdata.oracle.X87Stack.C2;
import static org.jlguest.testdata.oracle.X87Stack.C3;

import java.util.Random;
import org.jlguest.cpu.vectors.FpuState.Register;

/**
 * The x87 families. Each case is one instruction (FLDENV/FRSTOR cases load an image from memory)
 * on an {@link X87Stack} of special values, under every precision and rounding setting. Cases
 * with an unmasked exception end with FWAIT, where the exception is delivered as #MF.
 *
 * <p>Condition bits the SDM calls undefined after an instruction are left out of
 * {@code sw_mask} (see {@code VECTORS.md}); for most instructions that is C0, C2 and C3.
 */
final class X87Cases {

    /** The SDM's "C0, C2, C3 undefined", true of most instructions. */
    private static final int C0_C2_C3 = C0 | C2 | C3;
    private static final int FWAIT = 0x9B;
    private static final int DE = 0x02;

    private X87Cases() {
    }

    // ---- FADD FSUB FSUBR FMUL FDIV FDIVR and the one-operand arithmetic ----

    /** The six arithmetic operations in every operand form, FSQRT FABS FCHS FRNDINT FSCALE FXTRACT FPREM FPREM1. */
    static void arithmetic(CaseBuilder b) {
        Random r = b.rnd();
        X87Stack s = new X87Stack(r);
        X87Values v = s.values();
        int op = new int[] {0, 1, 4, 5, 6, 7}[r.nextInt(6)];
        int i = r.nextInt(8);
        boolean conditionsDefined = false;
        switch (r.nextInt(10)) {
            case 0 -> memory(b, s, 0xD8, op, CaseBuilder.bytes(4, v.single()));
            case 1 -> memory(b, s, 0xDC, op, CaseBuilder.bytes(8, v.dbl()));
            case 2 -> memory(b, s, 0xDA, op, CaseBuilder.bytes(4, v.integer(4)));
            case 3 -> memory(b, s, 0xDE, op, CaseBuilder.bytes(2, v.integer(2)));
            case 4, 5, 6 -> {
                s.operand(0, v.any());
                s.operand(i, v.any());
                b.op(new int[] {0xD8, 0xDC, 0xDE}[r.nextInt(3)], 0xC0 | op << 3 | i);
            }
            default -> conditionsDefined = unary(b, s, v);
        }
        if (!conditionsDefined) b.fpuUndefined(C0_C2_C3);
        finish(b, s);
    }

    /** Emits a one-operand instruction; returns whether it defines every condition bit (FPREM and FPREM1 do). */
    private static boolean unary(CaseBuilder b, X87Stack s, X87Values v) {
        Random r = b.rnd();
        switch (r.nextInt(8)) {
            case 0 -> oneOperand(b, s, v.any(), 0xFA); // FSQRT
            case 1 -> oneOperand(b, s, v.any(), 0xE1); // FABS
            case 2 -> oneOperand(b, s, v.any(), 0xE0); // FCHS
            case 3 -> oneOperand(b, s, r.nextBoolean() ? v.integral() : v.any(), 0xFC); // FRNDINT
            case 4 -> { // FSCALE: ST(1) mostly a modest integer
                s.operand(0, v.any());
                s.operand(1, r.nextInt(3) == 0 ? v.any() : scale(r, v));
                b.op(0xD9, 0xFD);
            }
            case 5 -> { // FXTRACT pushes the significand
                s.operand(0, v.any());
                s.roomToPush();
                b.op(0xD9, 0xF4);
            }
            default -> { // FPREM, FPREM1: exponents mostly less than 64 apart, so one step completes
                Register dividend = v.any();
                Register divisor = r.nextInt(4) == 0 ? v.any() : near(r, v, dividend, r.nextInt(5) == 0 ? 90 : 70);
                s.operand(0, dividend);
                s.operand(1, divisor);
                b.op(0xD9, r.nextBoolean() ? 0xF8 : 0xF5);
                return true; // C0 C3 C1 are quotient bits, C2 says whether the reduction is complete
            }
        }
        return false;
    }

    /** An integer scale factor between -70000 and 70000, often small, sometimes with a fraction. */
    private static Register scale(Random r, X87Values v) {
        int bits = r.nextInt(4) == 0 ? 17 : 1 + r.nextInt(7);
        long magnitude = r.nextLong() >>> (64 - bits) | 1L << (bits - 1);
        long sig = magnitude << (64 - bits);
        if (r.nextInt(4) == 0) sig |= (r.nextLong() >>> bits) & ((1L << (64 - bits)) - 1);
        return new Register((r.nextBoolean() ? 0x8000 : 0) | X87Values.BIAS + bits - 1, sig);
    }

    /** A finite value whose exponent is within {@code spread} of {@code other}'s (when that is finite). */
    private static Register near(Random r, X87Values v, Register other, int spread) {
        int e = other.se() & 0x7FFF;
        if (e == 0 || e == 0x7FFF) return v.finite();
        int ne = Math.max(1, Math.min(0x7FFE, e - r.nextInt(spread) + 3));
        return new Register((r.nextBoolean() ? 0x8000 : 0) | ne, X87Values.INTEGER_BIT | v.fraction());
    }

    private static void oneOperand(CaseBuilder b, X87Stack s, Register value, int opcode) {
        s.operand(0, value);
        b.op(0xD9, opcode);
    }

    /** OP ST(0), memory: {@code escape} /op with the operand's bytes in a fresh region. */
    private static void memory(CaseBuilder b, X87Stack s, int escape, int op, byte[] operand) {
        s.operand(0, s.values().any());
        b.op(escape);
        operand(b, op, operand);
    }

    // ---- loads and stores ----

    /** FLD FST FSTP FILD FIST FISTP FBLD FBSTP in every format, and the seven constants. */
    static void loadStore(CaseBuilder b) {
        Random r = b.rnd();
        X87Stack s = new X87Stack(r);
        X87Values v = s.values();
        b.fpuUndefined(C0_C2_C3);
        switch (r.nextInt(17)) {
            case 0, 1 -> { // FLD m32, m64: AMD loads a denormal despite an unmasked DE, Intel documents that it does not
                s.mask(DE);
                if (r.nextBoolean()) push(b, s, 0xD9, 0, CaseBuilder.bytes(4, v.single()));
                else push(b, s, 0xDD, 0, CaseBuilder.bytes(8, v.dbl()));
            }
            case 2 -> push(b, s, 0xDB, 5, X87Values.bytes(v.any()));
            case 3 -> { // FLD ST(i)
                int i = r.nextInt(8);
                s.operand(i, v.any());
                s.roomToPush();
                b.op(0xD9, 0xC0 | i);
            }
            case 4 -> push(b, s, 0xDF, 0, CaseBuilder.bytes(2, v.integer(2)));
            case 5 -> push(b, s, 0xDB, 0, CaseBuilder.bytes(4, v.integer(4)));
            case 6 -> push(b, s, 0xDF, 5, CaseBuilder.bytes(8, v.integer(8)));
            case 7 -> push(b, s, 0xDF, 4, v.bcd());
            case 8 -> store(b, s, v.any(), 0xD9, 2 + r.nextInt(2), 4); // FST/FSTP m32
            case 9 -> store(b, s, v.any(), 0xDD, 2 + r.nextInt(2), 8); // FST/FSTP m64
            case 10 -> store(b, s, v.any(), 0xDB, 7, 10); // FSTP m80
            case 11 -> { // FST/FSTP ST(i)
                int i = r.nextInt(8);
                s.operand(0, v.any());
                b.op(0xDD, (r.nextBoolean() ? 0xD0 : 0xD8) | i);
            }
            case 12 -> store(b, s, integerish(r, v), 0xDF, 2 + r.nextInt(2), 2); // FIST/FISTP m16
            case 13 -> store(b, s, integerish(r, v), 0xDB, 2 + r.nextInt(2), 4); // FIST/FISTP m32
            case 14 -> store(b, s, integerish(r, v), 0xDF, 7, 8); // FISTP m64
            case 15 -> store(b, s, integerish(r, v), 0xDF, 6, 10); // FBSTP
            default -> { // FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ: rounded as the control word says
                s.roomToPush();
                b.op(0xD9, 0xE8 + r.nextInt(7));
            }
        }
        finish(b, s);
    }

    /** Values that mostly fit the integer formats, from small to 2^70, with fractions to round. */
    private static Register integerish(Random r, X87Values v) {
        return r.nextInt(4) == 0 ? v.any() : v.integral();
    }

    private static void push(CaseBuilder b, X87Stack s, int escape, int reg, byte[] operand) {
        s.roomToPush();
        b.op(escape);
        operand(b, reg, operand);
    }

    /** A store of ST(0) holding {@code value} to {@code size} bytes of memory: {@code escape} /reg. */
    private static void store(CaseBuilder b, X87Stack s, Register value, int escape, int reg, int size) {
        s.operand(0, value);
        b.op(escape);
        operand(b, reg, b.randomBytes(size));
    }

    // ---- comparisons ----

    /** FCOM FCOMP FCOMPP FUCOM FUCOMP FUCOMPP FICOM FICOMP FCOMI FCOMIP FUCOMI FUCOMIP FTST FXAM FCMOVcc. */
    static void compare(CaseBuilder b) {
        Random r = b.rnd();
        X87Stack s = new X87Stack(r);
        X87Values v = s.values();
        Operands.randomFlags(b);
        Register a = v.any();
        Register c = r.nextInt(3) == 0 ? a : r.nextBoolean() ? near(r, v, a, 3) : v.any();
        int i = r.nextInt(8);
        switch (r.nextInt(12)) {
            case 0 -> memoryCompare(b, s, a, 0xD8, CaseBuilder.bytes(4, v.single()));
            case 1 -> memoryCompare(b, s, a, 0xDC, CaseBuilder.bytes(8, v.dbl()));
            case 2 -> memoryCompare(b, s, a, 0xDE, CaseBuilder.bytes(2, v.integer(2)));
            case 3 -> memoryCompare(b, s, a, 0xDA, CaseBuilder.bytes(4, v.integer(4)));
            case 4 -> { // FCOM, FCOMP ST(i)
                twoOperands(s, a, c, i);
                b.op(0xD8, (r.nextBoolean() ? 0xD0 : 0xD8) | i);
            }
            case 5 -> { // FUCOM, FUCOMP ST(i)
                twoOperands(s, a, c, i);
                b.op(0xDD, (r.nextBoolean() ? 0xE0 : 0xE8) | i);
            }
            case 6 -> { // FCOMPP, FUCOMPP
                twoOperands(s, a, c, 1);
                b.op(r.nextBoolean() ? new int[] {0xDE, 0xD9} : new int[] {0xDA, 0xE9});
            }
            case 7, 8 -> { // FCOMI FUCOMI FCOMIP FUCOMIP: ZF PF CF, and C0 C2 C3 untouched
                twoOperands(s, a, c, i);
                b.op(r.nextBoolean() ? 0xDB : 0xDF, (r.nextBoolean() ? 0xF0 : 0xE8) | i);
                b.fpuUndefined(C1); // the SDM says cleared; AMD hardware leaves it
            }
            case 9 -> { // FTST, FXAM (FXAM of an empty register too)
                s.operand(0, a);
                if (r.nextInt(8) == 0) s.empty(0);
                b.op(0xD9, r.nextBoolean() ? 0xE4 : 0xE5);
            }
            default -> { // FCMOVcc ST(0), ST(i): condition from random EFLAGS
                twoOperands(s, a, c, i);
                b.op(r.nextBoolean() ? 0xDA : 0xDB, 0xC0 | r.nextInt(32));
                b.fpuUndefined(C0 | C1 | C2 | C3); // C1 is defined only for a stack underflow
            }
        }
        finish(b, s);
    }

    private static void twoOperands(X87Stack s, Register a, Register c, int i) {
        s.operand(0, a);
        s.operand(i, c);
    }

    private static void memoryCompare(CaseBuilder b, X87Stack s, Register a, int escape, byte[] operand) {
        s.operand(0, a);
        b.op(escape);
        operand(b, 2 + b.rnd().nextInt(2), operand);
    }

    // ---- stack and control ----

    /**
     * FXCH FFREE FINCSTP FDECSTP FNOP FNCLEX FNINIT, FNSTSW AX and m16, FNSTCW FLDCW, FNSTENV FLDENV
     * FNSAVE FRSTOR (32- and 16-bit images), and pending exceptions surfacing at FWAIT.
     */
    static void misc(CaseBuilder b) {
        Random r = b.rnd();
        X87Stack s = new X87Stack(r);
        X87Values v = s.values();
        int i = r.nextInt(8);
        switch (r.nextInt(14)) {
            case 0 -> { // FXCH ST(i)
                s.operand(0, v.any());
                s.operand(i, v.any());
                b.op(0xD9, 0xC8 | i);
                b.fpuUndefined(C0_C2_C3);
            }
            case 1 -> {
                b.op(0xDD, 0xC0 | i); // FFREE
                b.fpuUndefined(C0 | C1 | C2 | C3);
            }
            case 2 -> {
                b.op(0xD9, r.nextBoolean() ? 0xF6 : 0xF7); // FDECSTP, FINCSTP
                b.fpuUndefined(C0_C2_C3);
            }
            case 3 -> b.op(0xD9, 0xD0); // FNOP
            case 4 -> {
                b.op(0xDB, r.nextBoolean() ? 0xE2 : 0xE3); // FNCLEX, FNINIT
                b.fpuUndefined(C0 | C1 | C2 | C3);
            }
            case 5 -> {
                b.op(0xDF, 0xE0); // FNSTSW AX
                b.fpuUndefined(C0 | C1 | C2 | C3);
            }
            case 6 -> {
                b.op(0xDD); // FNSTSW m16
                operand(b, 7, b.randomBytes(2));
                b.fpuUndefined(C0 | C1 | C2 | C3);
            }
            case 7 -> {
                b.op(0xD9); // FNSTCW m16
                operand(b, 7, b.randomBytes(2));
                b.fpuUndefined(C0 | C1 | C2 | C3);
            }
            case 8 -> { // FLDCW: any precision and rounding, masks at random (may unmask a pending flag)
                int cw = r.nextInt(8) == 0 ? r.nextInt(0x10000) : 0x40 | r.nextInt(0x40) | r.nextInt(16) << 8;
                b.op(0xD9);
                operand(b, 5, CaseBuilder.bytes(2, cw));
                b.fpuUndefined(C0 | C1 | C2 | C3);
                if ((cw & 0x3F) != 0x3F) b.op(FWAIT); // a flag the new control word unmasks surfaces here
            }
            case 9 -> { // FNSTENV, FNSAVE: 32- or 16-bit layout; both then mask every exception
                boolean o16 = r.nextInt(4) == 0;
                boolean save = r.nextBoolean();
                if (o16) b.op(0x66);
                b.op(save ? 0xDD : 0xD9);
                operand(b, 6, b.randomBytes((o16 ? 14 : 28) + (save ? 80 : 0)));
            }
            case 10, 11 -> { // FLDENV, FRSTOR of a random image
                boolean o16 = r.nextInt(4) == 0;
                boolean restore = r.nextBoolean();
                byte[] image = b.randomBytes((o16 ? 14 : 28) + (restore ? 80 : 0));
                X87Stack loaded = new X87Stack(r);
                int word = o16 ? 2 : 4;
                byte[] words = CaseBuilder.bytes(6, 0);
                loadedWords(loaded, words);
                System.arraycopy(words, 0, image, 0, 2);
                System.arraycopy(words, 2, image, word, 2);
                System.arraycopy(words, 4, image, 2 * word, 2);
                if (restore) {
                    for (int k = 0; k < 8; k++) {
                        System.arraycopy(X87Values.bytes(loaded.values().any()), 0, image, (o16 ? 14 : 28) + 10 * k, 10);
                    }
                }
                if (o16) b.op(0x66);
                b.op(restore ? 0xDD : 0xD9);
                operand(b, 4, image);
            }
            default -> { // an exception left pending by one instruction, delivered at FWAIT
                s.unmask(1 + r.nextInt(X87Stack.ALL_MASKED));
                s.operand(0, v.any());
                s.operand(1, v.any());
                b.op(0xDE, 0xC0 | new int[] {0, 1, 4, 5, 6, 7}[r.nextInt(6)] << 3 | 1);
                b.fpuUndefined(C0_C2_C3);
            }
        }
        finish(b, s);
    }

    /** The control, status and tag words of an image to load: the loaded stack's, as FNSAVE would write them. */
    private static void loadedWords(X87Stack loaded, byte[] words) {
        var state = loaded.state();
        System.arraycopy(CaseBuilder.bytes(2, state.cw()), 0, words, 0, 2);
        System.arraycopy(CaseBuilder.bytes(2, state.sw()), 0, words, 2, 2);
        System.arraycopy(CaseBuilder.bytes(2, state.tw()), 0, words, 4, 2);
    }

    // ---- transcendental functions ----

    /**
     * How far a transcendental result may be from the hardware's, in units of the last place:
     * jlguest rounds a result good to about 2^-100 once, hardware is within about one unit of
     * the true value and processors differ from one another in the last bit or two.
     */
    static final long TRANSCENDENTAL_ULPS = 2;

    /**
     * FSIN FCOS FSINCOS FPTAN (from tiny angles to 2^64, many near multiples of π/2), F2XM1 on
     * −1..1, FYL2X, FYL2XP1 on |x| < 1 − √2/2 and FPATAN, each with specials now and then. C1
     * says which way the result was rounded, so like the result it is only as good as the
     * tolerance; C2 is defined (argument out of range) for the trigonometric ones only.
     */
    static void transcendental(CaseBuilder b) {
        Random r = b.rnd();
        X87Stack s = new X87Stack(r);
        X87Values v = s.values();
        b.fpuTolerance(TRANSCENDENTAL_ULPS);
        int which = r.nextInt(8);
        b.fpuUndefined(which < 4 ? C0 | C1 | C3 : C0_C2_C3 | C1);
        boolean special = r.nextInt(10) == 0;
        switch (which) {
            case 0, 1, 2, 3 -> { // FSIN FCOS FSINCOS FPTAN
                s.operand(0, special ? v.any() : angle(r, v));
                if (which >= 2) s.roomToPush();
                b.op(0xD9, new int[] {0xFE, 0xFF, 0xFB, 0xF2}[which]);
            }
            case 4 -> { // F2XM1
                s.operand(0, special ? nonFinite(v) : withinOne(r, v));
                b.op(0xD9, 0xF0);
            }
            case 5 -> { // FYL2X: ST(1)·log2 ST(0)
                s.operand(0, special ? nonFinite(v) : positive(r, v));
                s.operand(1, v.finite());
                b.op(0xD9, 0xF1);
            }
            case 6 -> { // FYL2XP1: ST(1)·log2(ST(0) + 1)
                s.operand(0, special ? nonFinite(v) : new Register((r.nextBoolean() ? 0x8000 : 0)
                        | X87Values.BIAS - 2 - r.nextInt(r.nextInt(4) == 0 ? 80 : 12), X87Values.INTEGER_BIT | v.fraction()));
                s.operand(1, v.finite());
                b.op(0xD9, 0xF9);
            }
            default -> { // FPATAN: arctan(ST(1)/ST(0))
                s.operand(0, special ? v.any() : v.finite());
                s.operand(1, special ? v.any() : v.finite());
                b.op(0xD9, 0xF3);
            }
        }
        finish(b, s);
    }

    /** An angle: small, moderate, up to 2^64 (beyond 2^63 the operand comes back with C2 set), or close to a multiple of π/2. */
    private static Register angle(Random r, X87Values v) {
        int sign = r.nextBoolean() ? 0x8000 : 0;
        return switch (r.nextInt(5)) {
            case 0 -> new Register(sign | X87Values.BIAS - r.nextInt(50), X87Values.INTEGER_BIT | v.fraction());
            case 1, 2 -> new Register(sign | X87Values.BIAS + r.nextInt(20), X87Values.INTEGER_BIT | v.fraction());
            case 3 -> new Register(sign | X87Values.BIAS + r.nextInt(65), X87Values.INTEGER_BIT | v.fraction());
            default -> { // k·π/2 to double precision, the last 11 bits at random
                double near = (1 + r.nextInt(1 << (1 + r.nextInt(24)))) * Math.PI / 2;
                long bits = Double.doubleToLongBits(near);
                int e = (int) (bits >>> 52) - 1023;
                long sig = X87Values.INTEGER_BIT | (bits & 0xF_FFFF_FFFF_FFFFL) << 11 | r.nextInt(1 << 11);
                yield new Register(sign | X87Values.BIAS + e, sig);
            }
        };
    }

    /** A value in [−1, 1], F2XM1's domain: exponents down to 2^-70, and ±1 itself. */
    private static Register withinOne(Random r, X87Values v) {
        int sign = r.nextBoolean() ? 0x8000 : 0;
        if (r.nextInt(16) == 0) return new Register(sign | X87Values.BIAS, X87Values.INTEGER_BIT);
        return new Register(sign | X87Values.BIAS - 1 - r.nextInt(r.nextInt(4) == 0 ? 70 : 8), X87Values.INTEGER_BIT | v.fraction());
    }

    /** A positive finite value, often close to 1 where the logarithm is small. */
    private static Register positive(Random r, X87Values v) {
        if (r.nextInt(4) == 0) { // just above or just below 1
            return r.nextBoolean() ? new Register(X87Values.BIAS, X87Values.INTEGER_BIT | r.nextLong() >>> (10 + r.nextInt(50)))
                    : new Register(X87Values.BIAS - 1, -1L << r.nextInt(60));
        }
        Register x = v.finite();
        return new Register(x.se() & 0x7FFF, x.sig());
    }

    /** Zero, denormal, infinity, NaN or an unsupported encoding: operands with defined results in any domain. */
    private static Register nonFinite(X87Values v) {
        while (true) {
            Register x = v.any();
            int e = x.se() & 0x7FFF;
            if (e == 0 || e == 0x7FFF || x.sig() >= 0) return x;
        }
    }

    // ---- shared ----

    /** Emits the ModRM of a memory operand holding {@code bytes}, with two guard bytes either side. */
    private static void operand(CaseBuilder b, int reg, byte[] bytes) {
        byte[] region = b.randomBytes(bytes.length + 4);
        System.arraycopy(bytes, 0, region, 2, bytes.length);
        b.op(b.mem(reg, b.data(region) + 2));
    }

    /** Fixes the starting state; a case that can raise an unmasked exception ends with FWAIT. */
    private static void finish(CaseBuilder b, X87Stack s) {
        if (s.unmasked()) b.op(FWAIT);
        b.fpu(s.state());
    }
}
