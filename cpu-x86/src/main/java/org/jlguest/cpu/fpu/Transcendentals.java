package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Arithmetic.DE;
import static org.jlguest.cpu.fpu.Arithmetic.PE;
import static org.jlguest.cpu.fpu.Arithmetic.ZE;
import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1.
 *
 * <p>These are evaluated in binary64 with {@link StrictMath} (fdlibm: within one unit in the last
 * place of a double, and the same on every JVM) and a first-order correction for the operand bits
 * a double cannot hold, so an extended operand is not rounded before the function sees it. The
 * result therefore carries double precision, not the x87's full 64 bits. Exponents the double
 * range cannot hold are taken apart first (logarithms split off the binary exponent, arctangent
 * scales both operands alike, tiny arguments use the leading term of the series through the exact
 * arithmetic).
 *
 * <p>Results go to the shared {@link Arithmetic} result; a second result (FSINCOS's cosine,
 * FPTAN's 1.0) to {@link #secondSe}/{@link #secondSig}; {@link #outOfRange} reports the C2 case
 * of the trigonometric functions: |x| ≥ 2^63 leaves the operand unchanged.
 */
public final class Transcendentals {
    private static final double LN2 = 0.6931471805599453;
    /** Unbiased exponents a double holds as a normal number. */
    private static final int DOUBLE_MIN = -1022, DOUBLE_MAX = 1023;

    private final Arithmetic math;

    public boolean outOfRange;
    public int secondSe;
    public long secondSig;
    /** The double nearest the last operand split by {@link #split}, and the remainder. */
    private double high;
    private double low;

    public Transcendentals(Arithmetic math) {
        this.math = math;
    }

    /** FSIN ({@code cosine} false) or FCOS. */
    public void sineOrCosine(int se, long sig, boolean cosine) {
        if (trigonometricSpecial(se, sig)) {
            return;
        }
        if (sig == 0 || tiny(se, sig)) {
            if (cosine) {
                deliver(1.0);
            } else {
                math.result(se, sig);
                inexactUnlessZero(sig);
            }
            return;
        }
        split(se, sig);
        double s = StrictMath.sin(high);
        double c = StrictMath.cos(high);
        deliver(cosine ? c - s * low : s + c * low);
    }

    /** FSINCOS: the sine is the result, the cosine the second result (pushed on top). */
    public void sineAndCosine(int se, long sig) {
        if (trigonometricSpecial(se, sig)) {
            secondSe = math.se;
            secondSig = math.sig;
            return;
        }
        if (sig == 0 || tiny(se, sig)) {
            math.result(se, sig);
            inexactUnlessZero(sig);
            secondSe = BIAS;
            secondSig = INTEGER_BIT;
            return;
        }
        split(se, sig);
        double s = StrictMath.sin(high);
        double c = StrictMath.cos(high);
        deliver(c - s * low);
        secondSe = math.se;
        secondSig = math.sig;
        deliver(s + c * low);
    }

    /** FPTAN: the tangent is the result, and 1.0 the second result (pushed on top). */
    public void tangent(int se, long sig) {
        secondSe = BIAS;
        secondSig = INTEGER_BIT;
        if (trigonometricSpecial(se, sig)) {
            secondSe = math.se;
            secondSig = math.sig;
            return;
        }
        if (sig == 0 || tiny(se, sig)) {
            math.result(se, sig);
            inexactUnlessZero(sig);
            return;
        }
        split(se, sig);
        double t = StrictMath.tan(high);
        deliver(t + (1 + t * t) * low);
    }

    /** NaN, unsupported, infinity (invalid), denormal and |x| ≥ 2^63; true if that settled it. */
    private boolean trigonometricSpecial(int se, long sig) {
        outOfRange = false;
        if (math.nanOperand(se, sig)) {
            return true;
        }
        if (Extended.isInfinity(se, sig)) {
            math.invalid();
            return true;
        }
        if (math.denormal(se, sig)) {
            return true;
        }
        if (sig != 0 && Extended.normalizedExponent(se, sig) - BIAS >= 63) {
            outOfRange = true;
            math.result(se, sig);
            return true;
        }
        return false;
    }

    /** F2XM1: 2^x − 1, defined for −1 ≤ x ≤ 1. */
    public void twoToXMinusOne(int se, long sig) {
        if (math.nanOperand(se, sig)) {
            return;
        }
        if (Extended.isInfinity(se, sig)) {
            math.result((se & SIGN) != 0 ? SIGN | BIAS : MAX_EXP, INTEGER_BIT);
            return;
        }
        if (math.denormal(se, sig)) {
            return;
        }
        if (sig == 0) {
            math.result(se, 0);
            return;
        }
        if (below(se, sig, DOUBLE_MIN + 64)) {
            math.multiply(se, sig, 0x3FFE, 0xB17217F7D1CF79ACL);
            return;
        }
        split(se, sig);
        double e = StrictMath.expm1(high * LN2);
        deliver(e + (e + 1) * LN2 * low);
    }

    /** FYL2X: y · log2(x). */
    public void yLog2X(int xSe, long xSig, int ySe, long ySig) {
        if (math.nanOperands(xSe, xSig, ySe, ySig)) {
            return;
        }
        boolean xNegative = (xSe & SIGN) != 0 && xSig != 0;
        boolean xZero = xSig == 0;
        boolean xInf = Extended.isInfinity(xSe, xSig);
        boolean yZero = ySig == 0;
        boolean yInf = Extended.isInfinity(ySe, ySig);
        boolean xOne = xSe == BIAS && xSig == INTEGER_BIT;
        if (xNegative || (xZero && yZero) || (xInf && yZero) || (xOne && yInf)) {
            math.invalid();
            return;
        }
        if (math.denormal(xSe, xSig) | math.denormal(ySe, ySig)) {
            return;
        }
        if (xZero) {
            math.exceptions |= ZE;
            math.result((ySe ^ SIGN) & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        int e = Extended.normalizedExponent(xSe, xSig) - BIAS;
        // Taking the significand in [√2/2, √2) keeps log2 of it small, so adding e cancels nothing.
        long m = Extended.normalizedSignificand(xSig);
        boolean upper = Long.compareUnsigned(m, 0xB504F333F9DE6484L) > 0;
        split(upper ? BIAS - 1 : BIAS, m);
        double log = (upper ? e + 1 : e) + (StrictMath.log(high) / LN2 + low / (high * LN2));
        if (xInf) {
            math.result(ySe & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        multiplyBy(ySe, ySig, log);
    }

    /** FYL2XP1: y · log2(x + 1), for |x| < 1 − √2/2. */
    public void yLog2XPlusOne(int xSe, long xSig, int ySe, long ySig) {
        if (math.nanOperands(xSe, xSig, ySe, ySig)) {
            return;
        }
        boolean xInf = Extended.isInfinity(xSe, xSig);
        if (xInf || (Extended.isInfinity(ySe, ySig) && xSig == 0)) {
            math.invalid();
            return;
        }
        if (math.denormal(xSe, xSig) | math.denormal(ySe, ySig)) {
            return;
        }
        if (xSig == 0 || ySig == 0) {
            math.result((xSe ^ ySe) & SIGN, 0);
            return;
        }
        if (below(xSe, xSig, DOUBLE_MIN + 64)) {
            // log2(1 + x) = x / ln 2 for x this small.
            math.multiply(xSe, xSig, 0x3FFF, 0xB8AA3B295C17F0BCL);
            math.multiply(math.se, math.sig, ySe, ySig);
            return;
        }
        split(xSe, xSig);
        double log = StrictMath.log1p(high) / LN2 + low / ((1 + high) * LN2);
        multiplyBy(ySe, ySig, log);
    }

    /** FPATAN: the angle of (x, y), i.e. arctan(y / x) in the quadrant the signs give. */
    public void arcTangent(int xSe, long xSig, int ySe, long ySig) {
        if (math.nanOperands(xSe, xSig, ySe, ySig)) {
            return;
        }
        if (math.denormal(xSe, xSig) | math.denormal(ySe, ySig)) {
            return;
        }
        double x = scaled(xSe, xSig, ySe, ySig);
        double xLow = low;
        double y = scaled(ySe, ySig, xSe, xSig);
        double yLow = low;
        double angle = StrictMath.atan2(y, x);
        double norm = x * x + y * y;
        if (norm != 0 && Double.isFinite(norm)) {
            angle += (x * yLow - y * xLow) / norm;
        }
        deliver(angle);
    }

    /**
     * {@code value} as a double after scaling it and {@code other} by the same power of two so the
     * larger of them is near one (an angle does not change); the remainder goes to {@link #low}.
     */
    private double scaled(int se, long sig, int otherSe, long otherSig) {
        low = 0;
        if (Extended.isInfinity(se, sig)) {
            return Extended.isInfinity(otherSe, otherSig) ? Math.copySign(1.0, sign(se))
                    : Math.copySign(Double.POSITIVE_INFINITY, sign(se));
        }
        if (Extended.isInfinity(otherSe, otherSig) || sig == 0) {
            return Math.copySign(0.0, sign(se));
        }
        int shift = otherSig == 0 ? Extended.normalizedExponent(se, sig)
                : Math.max(Extended.normalizedExponent(se, sig), Extended.normalizedExponent(otherSe, otherSig));
        int e = Extended.normalizedExponent(se, sig) - shift;
        if (e < DOUBLE_MIN + 64) {
            return Math.copySign(0.0, sign(se));
        }
        split(se & SIGN | (BIAS + e), Extended.normalizedSignificand(sig));
        return high;
    }

    private static double sign(int se) {
        return (se & SIGN) != 0 ? -1.0 : 1.0;
    }

    /** Rounds {@code factor} to extended and multiplies y by it with the exact arithmetic. */
    private void multiplyBy(int ySe, long ySig, double factor) {
        int before = math.exceptions;
        deliver(factor);
        math.exceptions = before | PE;
        math.multiply(ySe, ySig, math.se, math.sig);
        math.exceptions |= PE;
    }

    /**
     * Splits a finite non-zero value whose exponent a double holds into {@link #high}, its first
     * 53 bits, and {@link #low}, the other 11: both exact.
     */
    private void split(int se, long sig) {
        int e = Extended.normalizedExponent(se, sig) - BIAS;
        long m = Extended.normalizedSignificand(sig);
        double s = (se & SIGN) != 0 ? -1.0 : 1.0;
        high = s * Math.scalb((double) (m >>> 11), e - 52);
        low = s * Math.scalb((double) (m & 0x7FF), e - 63);
    }

    /** Below 2^-40 sine, cosine and tangent are their first series term to the last extended bit. */
    private static boolean tiny(int se, long sig) {
        return below(se, sig, -40);
    }

    private static boolean below(int se, long sig, int exponent) {
        return Extended.normalizedExponent(se, sig) - BIAS < exponent;
    }

    private void inexactUnlessZero(long sig) {
        if (sig != 0) {
            math.exceptions |= PE;
        }
    }

    /** Widens a double result exactly into the arithmetic result; transcendental results are inexact. */
    private void deliver(double value) {
        int before = math.exceptions;
        long bits = Double.doubleToRawLongBits(value);
        int sign = bits < 0 ? SIGN : 0;
        int exp = (int) (bits >>> 52) & 0x7FF;
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0x7FF) {
            math.result(sign | MAX_EXP, INTEGER_BIT);
        } else if (exp == 0 && fraction == 0) {
            math.result(sign, 0);
        } else if (exp == 0) {
            int n = Long.numberOfLeadingZeros(fraction);
            math.result(sign | (BIAS - 1022 - 52 + 63 - n), fraction << n);
        } else {
            math.result(sign | (exp - 1023 + BIAS), INTEGER_BIT | fraction << 11);
        }
        math.exceptions = (before & ~DE) | PE;
    }
}
