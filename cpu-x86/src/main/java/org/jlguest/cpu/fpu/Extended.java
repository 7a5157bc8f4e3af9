package org.jlguest.cpu.fpu;

/**
 * The 80-bit double extended format as two Java values, and the 128-bit helpers its arithmetic
 * needs.
 *
 * <p>A value is a sign-and-exponent word {@code se} (bit 15 the sign, bits 0-14 the exponent
 * biased by 16383) and a 64-bit significand {@code sig} whose bit 63 is the explicit integer bit.
 * Keeping the two apart as primitives lets every operation run without allocating.
 *
 * <p>The encodings the 387 and later accept as operands are zero, denormal (exponent 0, integer
 * bit clear), pseudo-denormal (exponent 0, integer bit set: read as exponent 1), normal, infinity
 * and NaN. Unnormals and pseudo-NaNs/pseudo-infinities (a non-zero exponent with the integer bit
 * clear) are the "unsupported" formats: using one is an invalid operation.
 */
public final class Extended {
    public static final int BIAS = 16383;
    public static final int MAX_EXP = 0x7FFF;
    public static final int SIGN = 0x8000;
    public static final long INTEGER_BIT = 0x8000000000000000L;
    public static final long QUIET_BIT = 0x4000000000000000L;
    /** The QNaN "real indefinite" an invalid operation delivers when masked. */
    public static final int INDEFINITE_SE = 0xFFFF;
    public static final long INDEFINITE_SIG = 0xC000000000000000L;

    private Extended() {
    }

    public static int exponent(int se) {
        return se & MAX_EXP;
    }

    public static boolean negative(int se) {
        return (se & SIGN) != 0;
    }

    /** Denormal or pseudo-denormal: exponent 0, significand not zero. */
    public static boolean isDenormal(int se, long sig) {
        return (se & MAX_EXP) == 0 && sig != 0;
    }

    public static boolean isInfinity(int se, long sig) {
        return (se & MAX_EXP) == MAX_EXP && sig == INTEGER_BIT;
    }

    public static boolean isNaN(int se, long sig) {
        return (se & MAX_EXP) == MAX_EXP && sig < 0 && (sig << 1) != 0;
    }

    public static boolean isSignaling(int se, long sig) {
        return isNaN(se, sig) && (sig & QUIET_BIT) == 0;
    }

    /** Unnormal, pseudo-NaN or pseudo-infinity: an invalid operand since the 387. */
    public static boolean isUnsupported(int se, long sig) {
        return (se & MAX_EXP) != 0 && sig >= 0;
    }

    /** Zero, denormal or normal: a number arithmetic can work on. */
    public static boolean isFinite(int se, long sig) {
        int e = se & MAX_EXP;
        return e != MAX_EXP && (e == 0 || sig < 0);
    }

    /** The unbiased exponent a finite non-zero value has once its significand is normalized. */
    public static int normalizedExponent(int se, long sig) {
        int e = se & MAX_EXP;
        return Math.max(e, 1) - Long.numberOfLeadingZeros(sig);
    }

    /** The significand shifted so bit 63 is set (finite non-zero values). */
    public static long normalizedSignificand(long sig) {
        return sig << Long.numberOfLeadingZeros(sig);
    }

    /** The high 64 bits of the unsigned 128-bit product of {@code a} and {@code b}. */
    static long multiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /**
     * The high word of the 128-bit {@code hi:lo} shifted right by {@code n}, any bits shifted out
     * ORed into bit 0 of the low word: {@link #jamLow} gives that low word.
     */
    static long jamHigh(long hi, int n) {
        if (n == 0) {
            return hi;
        }
        return n < 64 ? hi >>> n : 0;
    }

    static long jamLow(long hi, long lo, int n) {
        if (n == 0) {
            return lo;
        }
        if (n < 64) {
            return hi << (64 - n) | lo >>> n | ((lo << (64 - n)) != 0 ? 1 : 0);
        }
        if (n == 64) {
            return hi | (lo != 0 ? 1 : 0);
        }
        if (n < 128) {
            return hi >>> (n - 64) | ((hi << (128 - n)) != 0 || lo != 0 ? 1 : 0);
        }
        return hi != 0 || lo != 0 ? 1 : 0;
    }
}
