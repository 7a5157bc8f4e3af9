package org.jlguest.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * With precision control at 53 bits and rounding to nearest, an x87 operation on two doubles
 * rounds exactly as IEEE binary64 does, as long as the result is a normal double (below that the
 * x87 still has its wider exponent and would round twice on the way to memory). Java's
 * {@code double} is binary64, so it is an exact oracle there.
 */
class DoublePrecisionProperties {
    private static final int CONTROL_53_NEAREST = 0x027F;

    @Provide
    Arbitrary<Double> normals() {
        Arbitrary<Double> wide = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> Double.isFinite(d) && Math.abs(d) >= Double.MIN_NORMAL);
        Arbitrary<Double> near = Arbitraries.doubles().between(-1e6, 1e6).filter(d -> d != 0);
        return Arbitraries.oneOf(wide, near);
    }

    @Property(tries = 3000)
    void addSubtractMultiplyDivideMatchBinary64(@ForAll("normals") double a, @ForAll("normals") double b) {
        check(a, b, 0, a + b);
        check(a, b, 1, a - b);
        check(a, b, 2, a * b);
        check(a, b, 3, a / b);
    }

    @Property(tries = 3000)
    void squareRootMatchesStrictMath(@ForAll("normals") double a) {
        double x = Math.abs(a);
        Arithmetic m = new Arithmetic();
        Conversions c = new Conversions(m);
        m.control(CONTROL_53_NEAREST);
        c.loadDouble(Double.doubleToRawLongBits(x));
        m.sqrt(m.se, m.sig);
        long result = c.storeDouble(m.se, m.sig);
        assertEquals(Double.doubleToRawLongBits(StrictMath.sqrt(x)), result, () -> "sqrt " + x);
    }

    private static void check(double a, double b, int op, double expected) {
        Assume.that(Double.isFinite(expected) && (expected == 0 || Math.abs(expected) >= Double.MIN_NORMAL));
        Arithmetic m = new Arithmetic();
        Conversions c = new Conversions(m);
        m.control(CONTROL_53_NEAREST);
        c.loadDouble(Double.doubleToRawLongBits(b));
        int bSe = m.se;
        long bSig = m.sig;
        c.loadDouble(Double.doubleToRawLongBits(a));
        switch (op) {
            case 0 -> m.add(m.se, m.sig, bSe, bSig, false);
            case 1 -> m.add(m.se, m.sig, bSe, bSig, true);
            case 2 -> m.multiply(m.se, m.sig, bSe, bSig);
            default -> m.divide(m.se, m.sig, bSe, bSig);
        }
        long result = c.storeDouble(m.se, m.sig);
        assertEquals(Double.doubleToRawLongBits(expected), result, () -> op + ": " + a + " " + b);
    }
}
