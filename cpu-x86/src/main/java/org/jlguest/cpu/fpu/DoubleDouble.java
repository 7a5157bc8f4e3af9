package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * A number held as the unevaluated sum of two doubles, {@code hi + lo} with |lo| at most half an
 * ulp of hi: about 106 bits of significand, enough to evaluate the transcendental functions far
 * beyond the extended format's 64 before rounding once.
 *
 * <p>The value is mutable: every operation replaces it by its result, so a chain of them
 * allocates nothing. Sums are Knuth's error-free two-sum, products take their error term from
 * {@link Math#fma}; each operation is good to about 2^-104 relative. Extended values come in
 * exactly ({@link #setSignificand}) and go out through the exact arithmetic's rounding
 * ({@link #round}), the binary exponent kept apart so the double range never limits it.
 */
final class DoubleDouble {
    private static final double TWO_POW_MINUS_52 = 0x1p-52, TWO_POW_MINUS_63 = 0x1p-63;

    double hi;
    double lo;

    DoubleDouble set(double h, double l) {
        hi = h;
        lo = l;
        return this;
    }

    DoubleDouble set(DoubleDouble o) {
        return set(o.hi, o.lo);
    }

    /** A 64-bit significand (bit 63 the integer bit) as a value in [1, 2): exact. */
    DoubleDouble setSignificand(long sig) {
        return set((sig >>> 11) * TWO_POW_MINUS_52, (sig & 0x7FF) * TWO_POW_MINUS_63);
    }

    DoubleDouble negate() {
        return set(-hi, -lo);
    }

    /** Multiplies by 2^n, exactly while the result stays normal. */
    DoubleDouble scale(int n) {
        return set(Math.scalb(hi, n), Math.scalb(lo, n));
    }

    DoubleDouble add(double bh, double bl) {
        double s = hi + bh;
        double v = s - hi;
        double e = (hi - (s - v)) + (bh - v);
        double t = lo + bl;
        double w = t - lo;
        double f = (lo - (t - w)) + (bl - w);
        e += t;
        double u = s + e;
        e -= u - s;
        e += f;
        hi = u + e;
        lo = e - (hi - u);
        return this;
    }

    DoubleDouble add(DoubleDouble b) {
        return add(b.hi, b.lo);
    }

    DoubleDouble subtract(DoubleDouble b) {
        return add(-b.hi, -b.lo);
    }

    DoubleDouble multiply(double bh, double bl) {
        double p = hi * bh;
        double e = Math.fma(hi, bh, -p) + (hi * bl + lo * bh);
        hi = p + e;
        lo = e - (hi - p);
        return this;
    }

    DoubleDouble multiply(DoubleDouble b) {
        return multiply(b.hi, b.lo);
    }

    /** Long division: a first quotient, then the remainder (found exactly) divided once more. */
    DoubleDouble divide(double bh, double bl) {
        double q = hi / bh;
        double p = q * bh;
        double pe = Math.fma(q, bh, -p) + q * bl;
        double correction = ((hi - p) - pe + lo) / bh;
        hi = q + correction;
        lo = correction - (hi - q);
        return this;
    }

    DoubleDouble divide(DoubleDouble b) {
        return divide(b.hi, b.lo);
    }

    /** The polynomial at x by Horner's rule; coefficients as (hi, lo) pairs, highest degree first. */
    DoubleDouble horner(double[] coefficients, DoubleDouble x) {
        set(coefficients[0], coefficients[1]);
        for (int i = 2; i < coefficients.length; i += 2) {
            multiply(x).add(coefficients[i], coefficients[i + 1]);
        }
        return this;
    }

    /**
     * Rounds this × 2^scale into the arithmetic result by the rounding control, with C1, PE and
     * the range checks of any other rounded result. The value must be zero or normal with room
     * below hi for lo (|hi| above about 2^-960).
     */
    void round(Arithmetic math, int scale) {
        if (hi == 0) {
            math.result(Double.doubleToRawLongBits(hi) < 0 ? SIGN : 0, 0);
            return;
        }
        int sign = hi < 0 ? SIGN : 0;
        double h = Math.abs(hi);
        double l = hi < 0 ? -lo : lo;
        int eh = Math.getExponent(h);
        // The exact sum as a 128-bit significand whose bit 127 is worth 2^eh.
        long sHi = (Double.doubleToRawLongBits(h) & 0xFFFFFFFFFFFFFL | 1L << 52) << 11;
        long sLo = 0;
        if (l != 0) {
            long ml = Double.doubleToRawLongBits(Math.abs(l)) & 0xFFFFFFFFFFFFFL | 1L << 52;
            int shift = Math.getExponent(l) - 52 - eh + 127;
            long lHi = 0;
            long lLo;
            boolean sticky = false;
            if (shift > 0) {
                lHi = ml >>> (64 - shift);
                lLo = ml << shift;
            } else if (shift > -64) {
                lLo = ml >>> -shift;
                sticky = (ml << (64 + shift)) != 0;
            } else {
                lLo = 0;
                sticky = true;
            }
            if (l > 0) {
                sHi += lHi;
                sLo = lLo | (sticky ? 1 : 0);
            } else {
                sHi -= lHi + (lLo != 0 ? 1 : 0);
                sLo = -lLo;
                if (sticky) {
                    // The discarded bits lower the value by less than one unit: one unit less, plus a sticky bit.
                    sHi -= sLo == 0 ? 1 : 0;
                    sLo = (sLo - 1) | 1;
                }
            }
        }
        int exp = BIAS + eh + scale;
        if (sHi >= 0) {
            sHi = sHi << 1 | sLo >>> 63;
            sLo <<= 1;
            exp--;
        }
        math.round(sign, exp, sHi, sLo, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
    }
}
