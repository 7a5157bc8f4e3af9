package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * The trigonometric instructions' argument reduction, done as the x87 does it: by multiples of
 * π/2 rounded to 66 bits, 0xC90FDAA22168C234C × 2^-67 (the x87's own constant; a more precise
 * π/2 gives visibly different results near its multiples, where programs see the hardware's).
 * The remainder is exact: x and the constant are both integers in units of 2^-67, and the
 * division is long division in 128 bits.
 */
final class PiReduction {
    /** The x87's π/2 in units of 2^-67: its top 4 bits and low 64. */
    private static final long HALF_PI_HIGH = 0xC, HALF_PI_LOW = 0x90FDAA22168C234CL;

    /** k mod 4 for the last reduction, the quadrant the angle was in. */
    int quadrant;

    /**
     * Reduces x (|x| < 2^63) by the multiple k·C of the x87's π/2 nearest to it: x − k·C, at
     * most C/2 in magnitude, into {@code r}, and k mod 4 into {@link #quadrant}. In units of 2^-67, C is the 68-bit integer
     * HALF_PI_HIGH:HALF_PI_LOW and |x| = m·2^(e+4); long division of one by the other leaves the
     * remainder exact in 68 bits. Only 67 bits of x can be below C, so the division starts there.
     */
    void reduce(int se, long sig, DoubleDouble r) {
        int e = Extended.normalizedExponent(se, sig) - BIAS;
        long m = Extended.normalizedSignificand(sig);
        boolean negative = (se & SIGN) != 0;
        if (e < -1) {
            r.setSignificand(m).scale(e);
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
            fixedToDoubleDouble(rHi, rLo, -67, r);
            if (past) {
                r.negate();
            }
            quadrant = (int) q & 3;
        }
        if (negative) {
            // sin and tan are odd, cos even: −x reduces to −r in quadrant −k.
            r.negate();
            quadrant = -quadrant & 3;
        }
    }

    /** The (at most 68-bit) integer hi:lo × 2^scale into {@code r}, exactly. */
    private static void fixedToDoubleDouble(long hi, long lo, int scale, DoubleDouble r) {
        if (hi == 0 && lo == 0) {
            r.set(0, 0);
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
        r.setSignificand(top).scale(topExponent).add(Math.scalb((double) (rest >>> 11), topExponent - 63 - 53), 0);
    }
}
