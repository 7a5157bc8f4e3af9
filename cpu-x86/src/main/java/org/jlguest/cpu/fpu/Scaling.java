package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Arithmetic.ZE;
import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * The instructions that work on exponents: FSCALE, FXTRACT, and the partial remainders FPREM
 * (quotient truncated) and FPREM1 (quotient rounded to nearest, the IEEE remainder).
 */
public final class Scaling {
    /** Beyond this |scale| every finite result has over- or underflowed already. */
    private static final int SCALE_LIMIT = 1 << 17;

    private final Arithmetic math;

    /** FXTRACT's exponent result (the significand is in the arithmetic result). */
    public int exponentSe;
    public long exponentSig;
    /** FPREM/FPREM1: the low three quotient bits, and whether the reduction is incomplete. */
    public int quotient;
    public boolean partial;

    public Scaling(Arithmetic math) {
        this.math = math;
    }

    /** FSCALE: a × 2^n with n = b truncated toward zero. */
    public void scale(int aSe, long aSig, int bSe, long bSig) {
        if (math.nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        boolean aInf = Extended.isInfinity(aSe, aSig);
        if (Extended.isInfinity(bSe, bSig)) {
            boolean down = (bSe & SIGN) != 0;
            if ((aSig == 0 && !down) || (aInf && down)) {
                math.invalid();
                return;
            }
            if (math.denormal(aSe, aSig)) {
                return;
            }
            if (aSig == 0 || aInf) {
                math.result(aSe, aSig);
            } else {
                math.result(down ? aSe & SIGN : aSe & SIGN | MAX_EXP, down ? 0 : INTEGER_BIT);
            }
            return;
        }
        if (math.denormal(aSe, aSig) | math.denormal(bSe, bSig)) {
            return;
        }
        if (aInf || aSig == 0) {
            math.result(aSe, aSig);
            return;
        }
        int n = 0;
        int eb = bSig == 0 ? -1 : Extended.normalizedExponent(bSe, bSig) - BIAS;
        if (eb > 16) {
            n = SCALE_LIMIT;
        } else if (eb >= 0) {
            n = (int) (Extended.normalizedSignificand(bSig) >>> (63 - eb));
        }
        if ((bSe & SIGN) != 0) {
            n = -n;
        }
        math.round(aSe & SIGN, Extended.normalizedExponent(aSe, aSig) + n, Extended.normalizedSignificand(aSig), 0,
                64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
    }

    /** FXTRACT: splits a into its unbiased exponent and its significand scaled to [1, 2). */
    public void extract(int aSe, long aSig) {
        if (math.nanOperand(aSe, aSig)) {
            exponentSe = math.se;
            exponentSig = math.sig;
            return;
        }
        if (aSig == 0) {
            math.exceptions |= ZE;
            exponentSe = SIGN | MAX_EXP;
            exponentSig = INTEGER_BIT;
            math.result(aSe, 0);
            return;
        }
        if (Extended.isInfinity(aSe, aSig)) {
            exponentSe = MAX_EXP;
            exponentSig = INTEGER_BIT;
            math.result(aSe, aSig);
            return;
        }
        if (math.denormal(aSe, aSig)) {
            return;
        }
        int e = Extended.normalizedExponent(aSe, aSig) - BIAS;
        if (e == 0) {
            exponentSe = 0;
            exponentSig = 0;
        } else {
            int magnitude = Math.abs(e);
            int n = Long.numberOfLeadingZeros(magnitude);
            exponentSe = (e < 0 ? SIGN : 0) | (BIAS + 63 - n);
            exponentSig = (long) magnitude << n;
        }
        math.result(aSe & SIGN | BIAS, Extended.normalizedSignificand(aSig));
    }

    /**
     * FPREM ({@code nearest} false) and FPREM1: a − q·b. When the exponents differ by 64 or more
     * only a part is done, as the hardware does: 32 + (difference mod 32) quotient bits, the
     * quotient truncated, {@link #partial} set so the guest loops.
     */
    public void remainder(int aSe, long aSig, int bSe, long bSig, boolean nearest) {
        quotient = 0;
        partial = false;
        if (math.nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        if (Extended.isInfinity(aSe, aSig) || bSig == 0) {
            math.invalid();
            return;
        }
        if (math.denormal(aSe, aSig) | math.denormal(bSe, bSig)) {
            return;
        }
        if (aSig == 0 || Extended.isInfinity(bSe, bSig)) {
            unchanged(aSe, aSig);
            return;
        }
        int ea = Extended.normalizedExponent(aSe, aSig);
        int eb = Extended.normalizedExponent(bSe, bSig);
        long ma = Extended.normalizedSignificand(aSig);
        long mb = Extended.normalizedSignificand(bSig);
        int sign = aSe & SIGN;
        int d = ea - eb;
        if (d < 0) {
            if (nearest && d == -1 && Long.compareUnsigned(ma, mb) > 0) {
                // |a| > |b|/2: the nearest quotient is 1; 2·mb − ma is the remainder in a's units.
                quotient = 1;
                deliver(sign ^ SIGN, ea, mb - ma + mb);
            } else {
                unchanged(aSe, aSig);
            }
            return;
        }
        int steps = d;
        int exp = eb;
        if (d >= 64) {
            partial = true;
            steps = 32 + d % 32;
            exp = eb + d - steps;
        }
        long r = ma;
        long q = 0;
        boolean carry = false;
        for (int i = steps; i >= 0; i--) {
            q <<= 1;
            if (carry || Long.compareUnsigned(r, mb) >= 0) {
                r -= mb;
                q |= 1;
            }
            if (i > 0) {
                carry = r < 0;
                r <<= 1;
            }
        }
        if (nearest && !partial) {
            long rest = mb - r;
            int c = Long.compareUnsigned(r, rest);
            if (c > 0 || (c == 0 && (q & 1) != 0)) {
                r = rest;
                q++;
                sign ^= SIGN;
            }
        }
        quotient = (int) q & 7;
        deliver(sign, exp, r);
    }

    /**
     * The dividend as the remainder, delivered like any other: a pseudo-denormal comes back in its
     * normal encoding (exponent 1), a denormal with an unmasked underflow as a wrapped normal.
     */
    private void unchanged(int aSe, long aSig) {
        if (aSig == 0) {
            math.result(aSe, aSig);
            return;
        }
        math.round(aSe & SIGN, Extended.normalizedExponent(aSe, aSig), Extended.normalizedSignificand(aSig), 0, 64,
                Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
    }

    /** The exact remainder {@code r × 2^(exp − BIAS − 63)}; rounding only matters if it is tiny. */
    private void deliver(int sign, int exp, long r) {
        if (r == 0) {
            math.result(sign, 0);
            return;
        }
        int n = Long.numberOfLeadingZeros(r);
        math.round(sign, exp - n, r << n, 0, 64, Arithmetic.MIN_NORMAL, Arithmetic.MAX_NORMAL);
    }
}
