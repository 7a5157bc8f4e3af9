package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SE;
import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SIG;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.QUIET_BIT;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * IEEE 754 arithmetic on double extended values, rounded exactly as the x87 rounds.
 *
 * <p>Every operation takes its operands as {@code (se, sig)} pairs and leaves its result in
 * {@link #se} and {@link #sig}, the exceptions it detected ORed into {@link #exceptions} and
 * whether rounding increased the magnitude (the x87's C1) in {@link #roundedUp}. The fields are
 * scratch owned by one FPU, so no operation allocates. The result is always the masked response;
 * whoever delivers it decides, from the unmasked exceptions, whether it may be stored.
 *
 * <p>Finite results go through {@link #round}, which works on a 128-bit significand: the 64 bits
 * that can survive plus 64 more whose lowest bit is "sticky" (ORed with every bit shifted away).
 * Precision control rounds to 24 or 53 bits but keeps the full 15-bit exponent range; tininess is
 * detected after rounding, as the x87 does.
 */
public final class Arithmetic {
    public static final int IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20;
    /** How far an unmasked overflow or underflow moves the exponent of a register result. */
    static final int WRAP = 24576;
    /** Normal exponent range of the extended format. */
    static final int MIN_NORMAL = 1, MAX_NORMAL = 0x7FFE;

    /** Relations, numbered as the compare instructions encode them in C3, C2, C0. */
    public static final int GREATER = 0, LESS = 1, EQUAL = 2, UNORDERED = 3;

    public static final int ROUND_NEAREST = 0, ROUND_DOWN = 1, ROUND_UP = 2, ROUND_ZERO = 3;

    int rounding;
    int precision = 64;
    int masks = 0x3F;

    public int exceptions;
    public boolean roundedUp;
    public int se;
    public long sig;

    /** Takes rounding control, precision control and the exception masks from a control word. */
    public void control(int controlWord) {
        masks = controlWord & 0x3F;
        rounding = (controlWord >>> 10) & 3;
        precision = switch ((controlWord >>> 8) & 3) {
            case 0 -> 24;
            case 2 -> 53;
            default -> 64;
        };
    }

    /** Clears the per-instruction outputs. */
    public void begin() {
        exceptions = 0;
        roundedUp = false;
    }

    /** The exceptions raised so far that the control word does not mask. */
    public int unmasked() {
        return exceptions & ~masks & 0x3F;
    }

    public int rounding() {
        return rounding;
    }

    void result(int resultSe, long resultSig) {
        se = resultSe;
        sig = resultSig;
    }

    /** An invalid operation: IE, and the real indefinite as the masked response. */
    public void invalid() {
        exceptions |= IE;
        result(INDEFINITE_SE, INDEFINITE_SIG);
    }

    /** Flags a denormal operand; true when DE is unmasked, which stops the operation. */
    boolean denormal(int aSe, long aSig) {
        if (Extended.isDenormal(aSe, aSig)) {
            exceptions |= DE;
            return (masks & DE) == 0;
        }
        return false;
    }

    /**
     * Settles an operation with a NaN or unsupported operand; false when both are numbers.
     * A QNaN wins over an SNaN; between two of a kind the larger significand wins, the positive
     * one on a tie; the winner is delivered quiet.
     */
    boolean nanOperands(int aSe, long aSig, int bSe, long bSig) {
        if (Extended.isUnsupported(aSe, aSig) || Extended.isUnsupported(bSe, bSig)) {
            invalid();
            return true;
        }
        boolean aNaN = Extended.isNaN(aSe, aSig);
        boolean bNaN = Extended.isNaN(bSe, bSig);
        if (!aNaN && !bNaN) {
            return false;
        }
        boolean aSignaling = aNaN && (aSig & QUIET_BIT) == 0;
        boolean bSignaling = bNaN && (bSig & QUIET_BIT) == 0;
        if (aSignaling || bSignaling) {
            exceptions |= IE;
        }
        boolean takeA;
        if (aNaN && bNaN) {
            if (aSignaling != bSignaling) {
                takeA = bSignaling;
            } else {
                int c = Long.compareUnsigned(aSig, bSig);
                takeA = c > 0 || (c == 0 && (aSe & SIGN) == 0);
            }
        } else {
            takeA = aNaN;
        }
        result(takeA ? aSe : bSe, (takeA ? aSig : bSig) | QUIET_BIT);
        return true;
    }

    /** The masked response to a single NaN or unsupported operand; false for numbers. */
    boolean nanOperand(int aSe, long aSig) {
        if (Extended.isUnsupported(aSe, aSig)) {
            invalid();
            return true;
        }
        if (Extended.isNaN(aSe, aSig)) {
            if ((aSig & QUIET_BIT) == 0) {
                exceptions |= IE;
            }
            result(aSe, aSig | QUIET_BIT);
            return true;
        }
        return false;
    }

    // ---- rounding -------------------------------------------------------------------------

    /** Whether rounding mode, sign and the discarded bits call for an increment. */
    boolean increments(int sign, boolean lsb, boolean guard, boolean sticky) {
        return switch (rounding) {
            case ROUND_NEAREST -> guard && (sticky || lsb);
            case ROUND_DOWN -> sign != 0 && (guard || sticky);
            case ROUND_UP -> sign == 0 && (guard || sticky);
            default -> false;
        };
    }

    private boolean increments(int sign, long hi, long lo, int k) {
        if (k == 0) {
            return increments(sign, (hi & 1) != 0, lo < 0, (lo << 1) != 0);
        }
        long below = -1L >>> (65 - k);
        return increments(sign, (hi >>> k & 1) != 0, (hi >>> (k - 1) & 1) != 0, (hi & below) != 0 || lo != 0);
    }

    /**
     * Rounds {@code hi:lo × 2^(exp - BIAS - 63)}, {@code hi} normalized, to {@code bits} of
     * significand with normal exponents {@code eMin..eMax} (extended bias), into {@link #se} and
     * {@link #sig}. Narrower formats give their range in extended bias and pack the result
     * themselves: an exponent of 0 then means denormal or zero, 0x7FFF infinity.
     */
    void round(int sign, int exp, long hi, long lo, int bits, int eMin, int eMax) {
        int k = 64 - bits;
        long mask = k == 0 ? 0 : -1L >>> (64 - k);
        int wrap = 0;
        if (exp < eMin) {
            // Tiny: below the normal range even once rounded (with the exponent unbounded).
            boolean tiny = exp < eMin - 1 || !(increments(sign, hi, lo, k) && (hi | mask) == -1L);
            if ((masks & UE) == 0) {
                if (tiny) {
                    exceptions |= UE;
                    wrap = WRAP;
                }
            } else {
                int shift = eMin - exp;
                lo = Extended.jamLow(hi, lo, shift);
                hi = Extended.jamHigh(hi, shift);
                exp = eMin;
                if (tiny && ((hi & mask) != 0 || lo != 0)) {
                    exceptions |= UE;
                }
            }
        }
        if ((hi & mask) != 0 || lo != 0) {
            exceptions |= PE;
            if (increments(sign, hi, lo, k)) {
                roundedUp = true;
                hi = (hi & ~mask) + mask + 1;
                if (hi == 0) {
                    hi = INTEGER_BIT;
                    exp++;
                }
            } else {
                hi &= ~mask;
            }
        }
        if (exp > eMax) {
            exceptions |= OE;
            if ((masks & OE) == 0) {
                wrap = -WRAP;
            } else {
                overflow(sign, eMax, mask);
                return;
            }
        }
        if (wrap != 0 && (exp + wrap < eMin || exp + wrap > eMax)) {
            wrappedOutOfRange(sign, wrap > 0);
            return;
        }
        result(sign | (hi < 0 ? exp + wrap : 0), hi);
    }

    /**
     * An unmasked underflow or overflow so far out (only FSCALE gets there) that the wrapped
     * exponent is still out of range: the hardware delivers a zero or an infinity of the right
     * sign, inexact, whatever the rounding control says.
     */
    private void wrappedOutOfRange(int sign, boolean underflow) {
        exceptions |= PE;
        roundedUp = !underflow;
        result(underflow ? sign : sign | MAX_EXP, underflow ? 0 : INTEGER_BIT);
    }

    /** The masked overflow response: infinity or the largest finite value, by rounding mode. */
    private void overflow(int sign, int eMax, long mask) {
        exceptions |= PE;
        boolean toInfinity = switch (rounding) {
            case ROUND_NEAREST -> true;
            case ROUND_DOWN -> sign != 0;
            case ROUND_UP -> sign == 0;
            default -> false;
        };
        roundedUp = toInfinity;
        if (toInfinity) {
            result(sign | MAX_EXP, INTEGER_BIT);
        } else {
            result(sign | eMax, ~mask);
        }
    }

    /** Rounds a finite non-zero value to the precision control's significand. */
    void roundToPrecision(int aSe, long aSig) {
        round(aSe & SIGN, Extended.normalizedExponent(aSe, aSig), Extended.normalizedSignificand(aSig), 0,
                precision, MIN_NORMAL, MAX_NORMAL);
    }

    // ---- the basic operations -------------------------------------------------------------

    /** a + b; subtraction is addition of {@code bSe ^ SIGN} once NaNs are out of the way. */
    public void add(int aSe, long aSig, int bSe, long bSig, boolean subtract) {
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        if (subtract) {
            bSe ^= SIGN;
        }
        boolean aInf = Extended.isInfinity(aSe, aSig);
        boolean bInf = Extended.isInfinity(bSe, bSig);
        if (aInf && bInf && ((aSe ^ bSe) & SIGN) != 0) {
            invalid();
            return;
        }
        if (denormal(aSe, aSig) | denormal(bSe, bSig)) {
            return;
        }
        if (aInf || bInf) {
            result(aInf ? aSe : bSe, INTEGER_BIT);
            return;
        }
        if (aSig == 0 || bSig == 0) {
            addZero(aSe, aSig, bSe, bSig);
            return;
        }
        int ea = Extended.normalizedExponent(aSe, aSig);
        int eb = Extended.normalizedExponent(bSe, bSig);
        long ma = Extended.normalizedSignificand(aSig);
        long mb = Extended.normalizedSignificand(bSig);
        int sa = aSe & SIGN;
        int sb = bSe & SIGN;
        if (ea < eb || (ea == eb && Long.compareUnsigned(ma, mb) < 0)) {
            int t = ea;
            ea = eb;
            eb = t;
            long m = ma;
            ma = mb;
            mb = m;
            t = sa;
            sa = sb;
            sb = t;
        }
        int d = ea - eb;
        long bh = Extended.jamHigh(mb, d);
        long bl = Extended.jamLow(mb, 0, d);
        long hi;
        long lo;
        if (sa == sb) {
            hi = ma + bh;
            lo = bl;
            if (Long.compareUnsigned(hi, ma) < 0) {
                lo = hi << 63 | lo >>> 1 | (lo & 1);
                hi = hi >>> 1 | INTEGER_BIT;
                ea++;
            }
        } else {
            lo = -bl;
            hi = ma - bh - (bl != 0 ? 1 : 0);
            if (hi == 0 && lo == 0) {
                result(rounding == ROUND_DOWN ? SIGN : 0, 0);
                return;
            }
            int n = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
            if (n >= 64) {
                hi = lo << (n - 64);
                lo = 0;
            } else if (n > 0) {
                hi = hi << n | lo >>> (64 - n);
                lo <<= n;
            }
            ea -= n;
        }
        round(sa, ea, hi, lo, precision, MIN_NORMAL, MAX_NORMAL);
    }

    /** A sum with a zero term: the other term, still rounded to the precision control. */
    private void addZero(int aSe, long aSig, int bSe, long bSig) {
        if (aSig == 0 && bSig == 0) {
            boolean sameSign = ((aSe ^ bSe) & SIGN) == 0;
            result(sameSign ? aSe & SIGN : rounding == ROUND_DOWN ? SIGN : 0, 0);
        } else if (aSig == 0) {
            roundToPrecision(bSe, bSig);
        } else {
            roundToPrecision(aSe, aSig);
        }
    }

    public void multiply(int aSe, long aSig, int bSe, long bSig) {
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        int sign = (aSe ^ bSe) & SIGN;
        boolean aInf = Extended.isInfinity(aSe, aSig);
        boolean bInf = Extended.isInfinity(bSe, bSig);
        if ((aInf && bSig == 0) || (bInf && aSig == 0)) {
            invalid();
            return;
        }
        if (denormal(aSe, aSig) | denormal(bSe, bSig)) {
            return;
        }
        if (aInf || bInf) {
            result(sign | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (aSig == 0 || bSig == 0) {
            result(sign, 0);
            return;
        }
        long ma = Extended.normalizedSignificand(aSig);
        long mb = Extended.normalizedSignificand(bSig);
        int exp = Extended.normalizedExponent(aSe, aSig) + Extended.normalizedExponent(bSe, bSig) - Extended.BIAS + 1;
        long hi = Extended.multiplyHigh(ma, mb);
        long lo = ma * mb;
        if (hi >= 0) {
            hi = hi << 1 | lo >>> 63;
            lo <<= 1;
            exp--;
        }
        round(sign, exp, hi, lo, precision, MIN_NORMAL, MAX_NORMAL);
    }

    public void divide(int aSe, long aSig, int bSe, long bSig) {
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        int sign = (aSe ^ bSe) & SIGN;
        boolean aInf = Extended.isInfinity(aSe, aSig);
        boolean bInf = Extended.isInfinity(bSe, bSig);
        if ((aInf && bInf) || (aSig == 0 && bSig == 0)) {
            invalid();
            return;
        }
        if (bSig == 0 && !aInf) {
            // Division by zero takes precedence over a denormal dividend (no DE is reported).
            exceptions |= ZE;
            result(sign | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (denormal(aSe, aSig) | denormal(bSe, bSig)) {
            return;
        }
        if (aInf) {
            result(sign | MAX_EXP, INTEGER_BIT);
            return;
        }
        if (bInf || aSig == 0) {
            result(sign, 0);
            return;
        }
        long ma = Extended.normalizedSignificand(aSig);
        long mb = Extended.normalizedSignificand(bSig);
        int exp = Extended.normalizedExponent(aSe, aSig) - Extended.normalizedExponent(bSe, bSig) + Extended.BIAS;
        // Restoring division, one quotient bit per step; {@code carry} is the remainder's 65th bit.
        long r = ma;
        boolean carry = false;
        if (Long.compareUnsigned(ma, mb) < 0) {
            exp--;
            carry = r < 0;
            r <<= 1;
        }
        long q = 0;
        for (int i = 0; i < 64; i++) {
            q <<= 1;
            if (carry || Long.compareUnsigned(r, mb) >= 0) {
                r -= mb;
                q |= 1;
            }
            carry = r < 0;
            r <<= 1;
        }
        long lo = 0;
        if (carry || Long.compareUnsigned(r, mb) >= 0) {
            r -= mb;
            lo = INTEGER_BIT;
        }
        if (r != 0) {
            lo |= 1;
        }
        round(sign, exp, q, lo, precision, MIN_NORMAL, MAX_NORMAL);
    }

    public void sqrt(int aSe, long aSig) {
        if (nanOperand(aSe, aSig)) {
            return;
        }
        if (aSig == 0) {
            result(aSe, 0);
            return;
        }
        if ((aSe & SIGN) != 0) {
            invalid();
            return;
        }
        if (denormal(aSe, aSig)) {
            return;
        }
        if (Extended.isInfinity(aSe, aSig)) {
            result(aSe, aSig);
            return;
        }
        int e = Extended.normalizedExponent(aSe, aSig) - Extended.BIAS;
        long m = Extended.normalizedSignificand(aSig);
        // The radicand m·2^63 or m·2^64 (even exponent left over) has a 64-bit root with bit 63 set.
        long nHi = (e & 1) == 0 ? m >>> 1 : m;
        long nLo = (e & 1) == 0 ? m << 63 : 0;
        long root = 0;
        for (int bit = 63; bit >= 0; bit--) {
            long t = root | 1L << bit;
            long th = Extended.multiplyHigh(t, t);
            long tl = t * t;
            if (Long.compareUnsigned(th, nHi) < 0 || (th == nHi && Long.compareUnsigned(tl, nLo) <= 0)) {
                root = t;
            }
        }
        long sl = root * root;
        long remLo = nLo - sl;
        long remHi = nHi - Extended.multiplyHigh(root, root) - (Long.compareUnsigned(nLo, sl) < 0 ? 1 : 0);
        // The root's next bit is one when the remainder exceeds the root; the rest then can't be zero.
        boolean guard = remHi != 0 || Long.compareUnsigned(remLo, root) > 0;
        long lo = (guard ? INTEGER_BIT : 0) | (remHi != 0 || remLo != 0 ? 1 : 0);
        round(0, Extended.BIAS + (e >> 1), root, lo, precision, MIN_NORMAL, MAX_NORMAL);
    }

    /** Orders a and b; {@code quiet} (FUCOM) raises IE only for SNaNs, otherwise for any NaN. */
    public int compare(int aSe, long aSig, int bSe, long bSig, boolean quiet) {
        if (Extended.isUnsupported(aSe, aSig) || Extended.isUnsupported(bSe, bSig)) {
            exceptions |= IE;
            return UNORDERED;
        }
        if (Extended.isNaN(aSe, aSig) || Extended.isNaN(bSe, bSig)) {
            if (!quiet || Extended.isSignaling(aSe, aSig) || Extended.isSignaling(bSe, bSig)) {
                exceptions |= IE;
            }
            return UNORDERED;
        }
        denormal(aSe, aSig);
        denormal(bSe, bSig);
        if (aSig == 0 && bSig == 0) {
            return EQUAL;
        }
        boolean aNeg = (aSe & SIGN) != 0 && aSig != 0;
        boolean bNeg = (bSe & SIGN) != 0 && bSig != 0;
        if (aNeg != bNeg) {
            return aNeg ? LESS : GREATER;
        }
        // Magnitudes order as (exponent, significand) once exponent 0 reads as 1.
        int c = Integer.compare(Math.max(aSe & MAX_EXP, 1), Math.max(bSe & MAX_EXP, 1));
        if (c == 0) {
            c = Long.compareUnsigned(aSig, bSig);
        }
        if (c == 0) {
            return EQUAL;
        }
        return (c > 0) != aNeg ? GREATER : LESS;
    }
}
