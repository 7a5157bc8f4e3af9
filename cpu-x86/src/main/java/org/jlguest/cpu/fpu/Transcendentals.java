package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Arithmetic.PE;
import static org.jlguest.cpu.fpu.Arithmetic.ZE;
import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.SIGN;

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
 * rounded to 66 bits ({@link #HALF_PI_HIGH}, {@link #HALF_PI_LOW}), exactly. Close to a multiple
 * of π/2 the result is therefore the function of the hardware's reduced argument, which can be
 * far from the true value; that is what programs see on real processors. At |x| ≥ 2^63 the
 * operand is left alone and C2 set ({@link #outOfRange}).
 *
 * <p>Results go to the shared {@link Arithmetic} result; a second result (FSINCOS's cosine,
 * FPTAN's 1.0) to {@link #secondSe}/{@link #secondSig}.
 */
public final class Transcendentals {
    /** π/2 as the x87 reduces by it, 0xC90FDAA22168C234C × 2^-67: its top 4 bits and low 64. */
    private static final long HALF_PI_HIGH = 0xC, HALF_PI_LOW = 0x90FDAA22168C234CL;
    private static final double LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;
    private static final double LOG2E_HI = 1.4426950408889634, LOG2E_LO = 2.0355273740931033e-17;
    private static final double HALF_PI_HI = 1.5707963267948966, HALF_PI_LO = 6.123233995736766e-17;
    private static final double PI_HI = 3.141592653589793, PI_LO = 1.2246467991473532e-16;
    /** arctan(j/8) for j = 0..8, as (hi, lo) pairs. */
    private static final double[] ARCTAN_EIGHTHS = {
        0.0, 0.0,
        0.12435499454676144, -3.1253241424539383e-18,
        0.24497866312686414, 1.0698755618734451e-17,
        0.35877067027057225, -2.4623815582638635e-17,
        0.4636476090008061, 2.2698777452961687e-17,
        0.5585993153435624, -5.4556305485916264e-18,
        0.6435011087932844, 1.5834785051444286e-17,
        0.7188299996216245, -2.1478388444456983e-17,
        0.7853981633974483, 3.061616997868383e-17};
    /** sin r = r·SINE(r²) and cos r = COSINE(r²) for |r| ≤ π/4. */
    private static final double[] SINE = series(15, 1, 2, true);
    private static final double[] COSINE = series(15, 0, 2, true);
    /** e^t − 1 = t·EXPM1(t) for |t| ≤ ln 2. */
    private static final double[] EXPM1 = series(28, 1, 1, false);
    /** atanh s = s·ARTANH(s²) for |s| ≤ 0.18; arctan t = t·ARCTAN(t²) for |t| ≤ 1/16. */
    private static final double[] ARTANH = oddReciprocals(22, false);
    private static final double[] ARCTAN = oddReciprocals(14, true);
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
    /** The last {@link #reduce}: the quadrant, and the reduced argument is in {@link #a}. */
    private int quadrant;

    public Transcendentals(Arithmetic math) {
        this.math = math;
    }

    /**
     * The coefficients of Σ (±) z^n / (start + step·n)!, n = 0..terms−1, highest degree first as
     * (hi, lo) pairs.
     */
    private static double[] series(int terms, int start, int step, boolean alternating) {
        double[] out = new double[2 * terms];
        DoubleDouble term = new DoubleDouble().set(1, 0);
        for (int k = 2; k <= start; k++) {
            term.divide(k, 0);
        }
        int k = start;
        for (int n = 0; n < terms; n++) {
            double sign = alternating && (n & 1) != 0 ? -1 : 1;
            out[2 * (terms - 1 - n)] = sign * term.hi;
            out[2 * (terms - 1 - n) + 1] = sign * term.lo;
            for (int i = 0; i < step; i++) {
                term.divide(++k, 0);
            }
        }
        return out;
    }

    /** The coefficients of Σ (±) z^n / (2n + 1), highest degree first as (hi, lo) pairs. */
    private static double[] oddReciprocals(int terms, boolean alternating) {
        double[] out = new double[2 * terms];
        DoubleDouble term = new DoubleDouble();
        for (int n = 0; n < terms; n++) {
            term.set(alternating && (n & 1) != 0 ? -1 : 1, 0).divide(2 * n + 1, 0);
            out[2 * (terms - 1 - n)] = term.hi;
            out[2 * (terms - 1 - n) + 1] = term.lo;
        }
        return out;
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
        reduce(se, sig);
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
        reduce(se, sig);
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
        reduce(se, sig);
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

    /**
     * Reduces x (2^TINY ≤ |x| < 2^63) to r = x − k·C, |r| ≤ C/2, with C the x87's π/2: r into
     * {@link #a}, k mod 4 into {@link #quadrant}. In units of 2^-67, C is the 68-bit integer
     * HALF_PI_HIGH:HALF_PI_LOW and |x| = m·2^(e+4); long division of one by the other leaves the
     * remainder exact in 68 bits. Only 67 bits of x can be below C, so the division starts there.
     */
    private void reduce(int se, long sig) {
        int e = Extended.normalizedExponent(se, sig) - BIAS;
        long m = Extended.normalizedSignificand(sig);
        boolean negative = (se & SIGN) != 0;
        if (e < -1) {
            a.setSignificand(m).scale(e);
            quadrant = 0;
        } else {
            long rHi = m >>> 61;
            long rLo = m << 3;
            long q = 0;
            for (int i = 0; i <= e; i++) {
                rHi = rHi << 1 | rLo >>> 63;
                rLo <<= 1;
                q <<= 1;
                if (rHi > HALF_PI_HIGH || (rHi == HALF_PI_HIGH && Long.compareUnsigned(rLo, HALF_PI_LOW) >= 0)) {
                    rHi -= HALF_PI_HIGH + (Long.compareUnsigned(rLo, HALF_PI_LOW) < 0 ? 1 : 0);
                    rLo -= HALF_PI_LOW;
                    q |= 1;
                }
            }
            // To the nearest multiple: past C/2 the remainder becomes C − r below the next one.
            boolean past = rHi > HALF_PI_HIGH >>> 1
                    || (rHi == HALF_PI_HIGH >>> 1 && Long.compareUnsigned(rLo, HALF_PI_LOW >>> 1) > 0);
            if (past) {
                long lo = HALF_PI_LOW - rLo;
                rHi = HALF_PI_HIGH - rHi - (Long.compareUnsigned(HALF_PI_LOW, rLo) < 0 ? 1 : 0);
                rLo = lo;
                q++;
            }
            fixedToDoubleDouble(rHi, rLo, -67);
            if (past) {
                a.negate();
            }
            quadrant = (int) q & 3;
        }
        if (negative) {
            // sin and tan are odd, cos even: −x reduces to −r in quadrant −k.
            a.negate();
            quadrant = -quadrant & 3;
        }
    }

    /** The (at most 68-bit) integer hi:lo × 2^scale into {@link #a}, exactly. */
    private void fixedToDoubleDouble(long hi, long lo, int scale) {
        if (hi == 0 && lo == 0) {
            a.set(0, 0);
            return;
        }
        int n = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
        long top;
        long rest;
        if (n >= 64) {
            top = lo << (n - 64);
            rest = 0;
        } else {
            top = hi << n | (n == 0 ? 0 : lo >>> (64 - n));
            rest = lo << n;
        }
        // top's bit 63 is worth 2^topExponent; rest holds at most the 4 bits below top's.
        int topExponent = 127 - n + scale;
        a.setSignificand(top).scale(topExponent).add(Math.scalb((double) (rest >>> 11), topExponent - 63 - 53), 0);
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
