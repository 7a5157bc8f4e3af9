package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Arithmetic.PE;
import static org.jlguest.cpu.fpu.Arithmetic.ZE;
import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.SIGN;
import static org.jlguest.cpu.fpu.Series.ARCTAN;
import static org.jlguest.cpu.fpu.Series.ARCTAN_EIGHTHS;
import static org.jlguest.cpu.fpu.Series.ARTANH;
import static org.jlguest.cpu.fpu.Series.COSINE;
import static org.jlguest.cpu.fpu.Series.EXPM1;
import static org.jlguest.cpu.fpu.Series.SINE;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1.
 *
 * <p>Each function is evaluated in {@link DoubleDouble} arithmetic (about 104 good bits) from the
 * exact operand and rounded once to the extended format by the rounding control, so a result is
 * within about half a unit in its last place of the true value. Hardware is itself within about
 * one unit, and AMD and Intel differ in the last bits, so results agree with a given processor to
 * a unit or two, not always to the bit.
 *
 * <p>The trigonometric functions reduce their argument as the x87 does: by multiples of π/2
 * rounded to 66 bits, exactly ({@link PiReduction}). Close to a multiple
 * of π/2 the result is therefore the function of the hardware's reduced argument, which can be
 * far from the true value; that is what programs see on real processors. At |x| ≥ 2^63 the
 * operand is left alone and C2 set ({@link #outOfRange}).
 *
 * <p>Results go to the shared {@link Arithmetic} result; a second result (FSINCOS's cosine,
 * FPTAN's 1.0) to {@link #secondSe}/{@link #secondSig}.
 */
public final class Transcendentals {
    private static final double LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;
    private static final double LOG2E_HI = 1.4426950408889634, LOG2E_LO = 2.0355273740931033e-17;
    private static final double HALF_PI_HI = 1.5707963267948966, HALF_PI_LO = 6.123233995736766e-17;
    private static final double PI_HI = 3.141592653589793, PI_LO = 1.2246467991473532e-16;
    /** √2/2 as a 64-bit significand: logarithms take the significand in [√2/2, √2). */
    private static final long HALF_SQRT2 = 0xB504F333F9DE6484L;
    /** Below 2^-40 sine and tangent are x and cosine 1 to the last extended bit. */
    private static final int TINY = -40;
    /** Exponents below this are out of the double-double range; the leading term is exact enough. */
    private static final int DOUBLE_DOUBLE_MIN = -960;

    private final Arithmetic math;
    private final DoubleDouble a = new DoubleDouble();
    private final DoubleDouble b = new DoubleDouble();
    private final DoubleDouble c = new DoubleDouble();
    private final DoubleDouble d = new DoubleDouble();

    public boolean outOfRange;
    public int secondSe;
    public long secondSig;
    private final PiReduction reduction = new PiReduction();

    public Transcendentals(Arithmetic math) {
        this.math = math;
    }

    // ---- FSIN FCOS FSINCOS FPTAN ---------------------------------------------------------------

    /** FSIN ({@code cosine} false) or FCOS. */
    public void sineOrCosine(int se, long sig, boolean cosine) {
        if (trigonometricSpecial(se, sig)) {
            return;
        }
        if (sig == 0 || tiny(se, sig)) {
            if (cosine) {
                cosineOfTiny(sig);
            } else {
                tinyAngle(se, sig, false);
            }
            return;
        }
        reduction.reduce(se, sig, a);
        int quadrant = reduction.quadrant;
        sineAndCosineOfReduced();
        int q = cosine ? quadrant + 1 : quadrant;
        deliver((q & 1) == 0 ? b : c, (q & 2) != 0);
    }

    /** FSINCOS: the sine is the result, the cosine the second result (pushed on top). */
    public void sineAndCosine(int se, long sig) {
        if (trigonometricSpecial(se, sig)) {
            secondSe = math.se;
            secondSig = math.sig;
            return;
        }
        if (sig == 0 || tiny(se, sig)) {
            cosineOfTiny(sig);
            secondSe = math.se;
            secondSig = math.sig;
            tinyAngle(se, sig, false);
            return;
        }
        reduction.reduce(se, sig, a);
        int quadrant = reduction.quadrant;
        sineAndCosineOfReduced();
        int q = quadrant + 1;
        deliver((q & 1) == 0 ? b : c, (q & 2) != 0);
        secondSe = math.se;
        secondSig = math.sig;
        deliver((quadrant & 1) == 0 ? b : c, (quadrant & 2) != 0);
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
            tinyAngle(se, sig, true);
            return;
        }
        reduction.reduce(se, sig, a);
        int quadrant = reduction.quadrant;
        sineAndCosineOfReduced();
        // tan(r + kπ/2) is tan r for even k and −cot r for odd k.
        if ((quadrant & 1) == 0) {
            deliver(b.divide(c), false);
        } else {
            deliver(c.divide(b), true);
        }
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

    /** sin r into {@link #b} and cos r into {@link #c}, for the reduced argument in {@link #a}. */
    private void sineAndCosineOfReduced() {
        d.set(a).multiply(a);
        b.horner(SINE, d).multiply(a);
        c.horner(COSINE, d);
    }

    // ---- F2XM1 --------------------------------------------------------------------------------

    /** F2XM1: 2^x − 1, defined for −1 ≤ x ≤ 1 (beyond that the hardware's results are undefined). */
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
        int e = Extended.normalizedExponent(se, sig) - BIAS;
        if (e > 0) {
            outOfDomain(se, sig, e);
            return;
        }
        a.setSignificand(Extended.normalizedSignificand(sig)).multiply(LN2_HI, LN2_LO);
        if (e < DOUBLE_DOUBLE_MIN) {
            // 2^x − 1 = x·ln 2 for x this small, with the exponent kept out of the double range.
            deliver(a, (se & SIGN) != 0, e, true);
            return;
        }
        a.scale(e);
        if ((se & SIGN) != 0) {
            a.negate();
        }
        deliver(b.horner(EXPM1, a).multiply(a), false);
    }

    /** 2^x − 1 for |x| > 1, which the hardware leaves undefined: to double precision only. */
    private void outOfDomain(int se, long sig, int e) {
        double x = Math.scalb((double) (Extended.normalizedSignificand(sig) >>> 11), Math.min(e, 2000) - 52);
        double value = StrictMath.expm1(((se & SIGN) != 0 ? -x : x) * LN2_HI);
        if (Double.isInfinite(value)) {
            math.result(MAX_EXP, INTEGER_BIT);
            math.exceptions |= PE;
            return;
        }
        deliver(a.set(value, 0), false);
    }

    // ---- FYL2X FYL2XP1 ------------------------------------------------------------------------

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
        if (xZero) {
            // Division by zero takes precedence over a denormal y (no DE).
            math.exceptions |= ZE;
            math.result((ySe ^ SIGN) & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (math.denormal(xSe, xSig) | math.denormal(ySe, ySig)) {
            return;
        }
        if (xInf) {
            math.result(ySe & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (yInf) {
            boolean below = Extended.normalizedExponent(xSe, xSig) < BIAS;
            math.result((below ? ySe ^ SIGN : ySe) & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (yZero || xOne) {
            // An exact zero: y·log2 1, or 0·log2 x with the sign of the product.
            math.result((!xOne && Extended.normalizedExponent(xSe, xSig) < BIAS ? ySe ^ SIGN : ySe) & SIGN, 0);
            return;
        }
        long m = Extended.normalizedSignificand(xSig);
        log2(Extended.normalizedExponent(xSe, xSig) - BIAS, m);
        multiplyBy(ySe, ySig, 0);
    }

    /**
     * log2(m·2^e) into {@link #a}: e + ln(m')/ln 2 with the significand m' taken in [√2/2, √2),
     * where ln m' = 2·atanh((m' − 1)/(m' + 1)) is a short series and adding e cancels nothing.
     */
    private void log2(int e, long m) {
        boolean upper = Long.compareUnsigned(m, HALF_SQRT2) > 0;
        b.setSignificand(m);
        if (upper) {
            b.scale(-1);
            e++;
        }
        c.set(b).add(1, 0);
        b.add(-1, 0).divide(c);
        naturalLogOfRatio();
        a.multiply(LOG2E_HI, LOG2E_LO).add(e, 0);
    }

    /** 2·atanh(s) into {@link #a}, for s in {@link #b} (|s| ≤ 0.18). */
    private void naturalLogOfRatio() {
        d.set(b).multiply(b);
        a.horner(ARTANH, d).multiply(b).scale(1);
    }

    /** FYL2XP1: y · log2(x + 1), for |x| < 1 − √2/2. */
    public void yLog2XPlusOne(int xSe, long xSig, int ySe, long ySig) {
        if (math.nanOperands(xSe, xSig, ySe, ySig)) {
            return;
        }
        boolean xInf = Extended.isInfinity(xSe, xSig);
        boolean negative = (xSe & SIGN) != 0;
        if ((xInf && (negative || ySig == 0)) || (Extended.isInfinity(ySe, ySig) && xSig == 0)) {
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
        if (xInf || Extended.isInfinity(ySe, ySig)) {
            math.result((xSe ^ ySe) & SIGN | MAX_EXP, INTEGER_BIT);
            return;
        }
        int e = Extended.normalizedExponent(xSe, xSig) - BIAS;
        if (e < DOUBLE_DOUBLE_MIN) {
            // log2(1 + x) = x / ln 2 for x this small, with the exponent kept out of the double range.
            a.setSignificand(Extended.normalizedSignificand(xSig)).multiply(LOG2E_HI, LOG2E_LO);
            if (negative) {
                a.negate();
            }
            multiplyBy(ySe, ySig, e);
            return;
        }
        if (e > 0 || (negative && e == 0)) {
            // Out of the domain (|x| ≥ 1): the logarithm of 1 + x, unless that is not positive.
            if (negative) {
                math.invalid();
                return;
            }
            b.setSignificand(Extended.normalizedSignificand(xSig)).add(Math.scalb(1.0, -Math.min(e, 200)), 0);
            int p = Math.getExponent(b.hi);
            log2(e + p, (long) Math.scalb(b.hi, 52 - p) << 11);
        } else {
            b.setSignificand(Extended.normalizedSignificand(xSig)).scale(e);
            if (negative) {
                b.negate();
            }
            c.set(b).add(2, 0);
            b.divide(c);
            naturalLogOfRatio();
            a.multiply(LOG2E_HI, LOG2E_LO);
        }
        multiplyBy(ySe, ySig, 0);
    }

    /**
     * y × {@link #a} × 2^scale, rounded once; inexact even when the logarithm was exact (a power
     * of two), as on hardware.
     */
    private void multiplyBy(int ySe, long ySig, int scale) {
        b.setSignificand(Extended.normalizedSignificand(ySig)).multiply(a);
        deliver(b, (ySe & SIGN) != 0, Extended.normalizedExponent(ySe, ySig) - BIAS + scale, true);
    }

    // ---- FPATAN -------------------------------------------------------------------------------

    /**
     * FPATAN: the angle of (x, y), arctan(y/x) in the quadrant the signs give. With z the smaller
     * of |x|, |y| over the larger, arctan z = arctan(j/8) + arctan((z − j/8)/(1 + z·j/8)) for the
     * nearest eighth j/8, and the second term is a short series.
     */
    public void arcTangent(int xSe, long xSig, int ySe, long ySig) {
        if (math.nanOperands(xSe, xSig, ySe, ySig)) {
            return;
        }
        if (math.denormal(xSe, xSig) | math.denormal(ySe, ySig)) {
            return;
        }
        boolean xInf = Extended.isInfinity(xSe, xSig);
        boolean yInf = Extended.isInfinity(ySe, ySig);
        boolean xNegative = (xSe & SIGN) != 0;
        boolean ySwapped;
        int scale = 0;
        if (xInf || yInf || xSig == 0 || ySig == 0) {
            // The ratio is 0, 1 (both infinite) or infinite: the angle is a multiple of π/4.
            ySwapped = yInf && !xInf || (xSig == 0 && ySig != 0);
            a.set(xInf && yInf ? ARCTAN_EIGHTHS[16] : 0, xInf && yInf ? ARCTAN_EIGHTHS[17] : 0);
            if (a.hi == 0 && !ySwapped && !xNegative) {
                math.result(ySe & SIGN, 0);
                return;
            }
        } else {
            int ex = Extended.normalizedExponent(xSe, xSig);
            int ey = Extended.normalizedExponent(ySe, ySig);
            long mx = Extended.normalizedSignificand(xSig);
            long my = Extended.normalizedSignificand(ySig);
            ySwapped = ey > ex || (ey == ex && Long.compareUnsigned(my, mx) > 0);
            int gap = ySwapped ? ex - ey : ey - ex;
            b.setSignificand(ySwapped ? mx : my);
            c.setSignificand(ySwapped ? my : mx);
            if (gap < DOUBLE_DOUBLE_MIN) {
                // arctan z = z to far beyond the last bit: the exact quotient, kept apart from the double range.
                if (!ySwapped && !xNegative) {
                    math.divide(ySe, ySig, xSe, xSig);
                    inexact();
                    return;
                }
                a.set(0, 0);
            } else {
                b.divide(c).scale(gap);
                arcTangentOfRatio();
                if (!ySwapped && !xNegative && a.hi < 0x1p-900) {
                    scale = -200;
                    a.scale(200);
                }
            }
        }
        if (ySwapped) {
            a.negate().add(HALF_PI_HI, HALF_PI_LO);
        }
        if (xNegative) {
            a.negate().add(PI_HI, PI_LO);
        }
        deliver(a, (ySe & SIGN) != 0, scale, true);
    }

    /** arctan z into {@link #a} for z in [0, 1] in {@link #b}. */
    private void arcTangentOfRatio() {
        int j = (int) Math.rint(b.hi * 8);
        double eighth = j / 8.0;
        c.set(b).multiply(eighth, 0).add(1, 0);
        b.add(-eighth, 0).divide(c);
        d.set(b).multiply(b);
        a.horner(ARCTAN, d).multiply(b).add(ARCTAN_EIGHTHS[2 * j], ARCTAN_EIGHTHS[2 * j + 1]);
    }

    // ---- shared -------------------------------------------------------------------------------

    private static boolean tiny(int se, long sig) {
        return Extended.normalizedExponent(se, sig) - BIAS < TINY;
    }

    /**
     * sin x = x − x³/6 and tan x = x + x³/3 for a zero or tiny x: x itself, nudged by far less than
     * a unit below or above in magnitude, so that every rounding mode rounds as it should (and a
     * denormal result underflows).
     */
    private void tinyAngle(int se, long sig, boolean above) {
        if (sig == 0) {
            math.result(se, sig);
            return;
        }
        int e = Extended.normalizedExponent(se, sig);
        long m = Extended.normalizedSignificand(sig);
        if (above) {
            math.round(se & SIGN, e, m, 1, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
        } else if (m == INTEGER_BIT) {
            math.round(se & SIGN, e - 1, -1L, -1L, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
        } else {
            math.round(se & SIGN, e, m - 1, -1L, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
        }
    }

    /** cos x = 1 − x²/2 for a zero or tiny x: 1.0, or just below it before rounding. */
    private void cosineOfTiny(long sig) {
        if (sig == 0) {
            math.result(BIAS, INTEGER_BIT);
            return;
        }
        math.round(0, BIAS - 1, -1L, -1L, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
    }

    private void deliver(DoubleDouble value, boolean negate) {
        deliver(value, negate, 0, true);
    }

    /**
     * Rounds ±value × 2^scale into the arithmetic result; {@code inexact} when the value is only
     * an approximation, which is then reported inexact whatever the rounding found.
     */
    private void deliver(DoubleDouble value, boolean negate, int scale, boolean inexact) {
        if (negate) {
            value.negate();
        }
        value.round(math, scale);
        if (inexact) {
            inexact();
        }
    }

    /** Reports an approximate result inexact, and underflowed if it is tiny, even when its rounding was exact. */
    private void inexact() {
        math.exceptions |= PE;
        if ((math.se & MAX_EXP) == 0 && math.sig != 0) {
            math.exceptions |= Arithmetic.UE;
        }
    }
}
