package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Arithmetic.DE;
import static org.jlguest.cpu.fpu.Arithmetic.IE;
import static org.jlguest.cpu.fpu.Arithmetic.PE;
import static org.jlguest.cpu.fpu.Extended.BIAS;
import static org.jlguest.cpu.fpu.Extended.INTEGER_BIT;
import static org.jlguest.cpu.fpu.Extended.MAX_EXP;
import static org.jlguest.cpu.fpu.Extended.QUIET_BIT;
import static org.jlguest.cpu.fpu.Extended.SIGN;

/**
 * Between the extended format and the memory formats: single and double reals, 16/32/64-bit
 * integers and 18-digit packed BCD; plus FRNDINT, which is the integer conversion kept in
 * extended form.
 *
 * <p>Loads into the extended format are exact. Stores round by the rounding control (never the
 * precision control) and report through the same {@link Arithmetic} fields as arithmetic does.
 */
public final class Conversions {
    /** A binary interchange format: significand bits (integer bit included) and exponent bias. */
    record RealFormat(int bits, int bias, int exponentBits) {
        int minNormal() {
            return BIAS - bias + 1;
        }

        int maxNormal() {
            return BIAS + bias;
        }
    }

    static final RealFormat SINGLE = new RealFormat(24, 127, 8);
    static final RealFormat DOUBLE = new RealFormat(53, 1023, 11);

    /** The packed BCD indefinite an invalid FBSTP writes: bytes 9..0 FF FF C0 00 00 00 00 00 00 00. */
    static final int BCD_INDEFINITE_HIGH = 0xFFFF;
    static final long BCD_INDEFINITE_LOW = 0xC000000000000000L;
    private static final long BCD_MAX = 999_999_999_999_999_999L;

    private final Arithmetic math;
    /** Bytes 8 (digits 17 and 16) and 9 (the sign) of the last {@link #storeBcd}. */
    public int bcdHigh;

    public Conversions(Arithmetic math) {
        this.math = math;
    }

    // ---- reals ----------------------------------------------------------------------------

    public void loadSingle(int bits) {
        loadReal(bits & 0xFFFFFFFFL, SINGLE);
    }

    public void loadDouble(long bits) {
        loadReal(bits, DOUBLE);
    }

    /** Widens a single or double: exact, with IE for an SNaN (delivered quiet) and DE for a denormal. */
    private void loadReal(long bits, RealFormat f) {
        int fractionBits = f.bits() - 1;
        int sign = (int) (bits >>> (fractionBits + f.exponentBits()) & 1) << 15;
        int exp = (int) (bits >>> fractionBits) & ((1 << f.exponentBits()) - 1);
        long fraction = bits & ((1L << fractionBits) - 1);
        long aligned = fraction << (64 - f.bits());
        if (exp == (1 << f.exponentBits()) - 1) {
            if (fraction != 0 && (aligned & QUIET_BIT) == 0) {
                math.exceptions |= IE;
            }
            math.result(sign | MAX_EXP, INTEGER_BIT | aligned | (fraction != 0 ? QUIET_BIT : 0));
        } else if (exp != 0) {
            math.result(sign | (exp - f.bias() + BIAS), INTEGER_BIT | aligned);
        } else if (fraction == 0) {
            math.result(sign, 0);
        } else {
            math.exceptions |= DE;
            int n = Long.numberOfLeadingZeros(aligned);
            math.result(sign | (f.minNormal() - n), aligned << n);
        }
    }

    public int storeSingle(int se, long sig) {
        return (int) storeReal(se, sig, SINGLE);
    }

    public long storeDouble(int se, long sig) {
        return storeReal(se, sig, DOUBLE);
    }

    /** Narrows to a single or double by the rounding control; the caller writes only if allowed. */
    private long storeReal(int se, long sig, RealFormat f) {
        int fractionBits = f.bits() - 1;
        long signBit = (long) (se >>> 15 & 1) << (fractionBits + f.exponentBits());
        long expAllOnes = ((1L << f.exponentBits()) - 1) << fractionBits;
        if (Extended.isUnsupported(se, sig)) {
            math.exceptions |= IE;
            return expAllOnes | 1L << (fractionBits - 1) | 1L << (fractionBits + f.exponentBits());
        }
        if (Extended.isNaN(se, sig)) {
            if ((sig & QUIET_BIT) == 0) {
                math.exceptions |= IE;
            }
            return signBit | expAllOnes | (sig << 1 >>> (65 - f.bits())) | 1L << (fractionBits - 1);
        }
        if (Extended.isInfinity(se, sig)) {
            return signBit | expAllOnes;
        }
        if (sig == 0) {
            return signBit;
        }
        // A denormal source is not reported (no DE): the rounding reports what matters, UE and PE.
        math.round(se & SIGN, Extended.normalizedExponent(se, sig), Extended.normalizedSignificand(sig), 0,
                f.bits(), f.minNormal(), f.maxNormal());
        int e = math.se & MAX_EXP;
        long fraction = math.sig >>> (64 - f.bits()) & ((1L << fractionBits) - 1);
        if (e == MAX_EXP) {
            return signBit | expAllOnes;
        }
        long field = e == 0 ? 0 : e - BIAS + f.bias();
        return signBit | field << fractionBits | fraction;
    }

    // ---- integers -------------------------------------------------------------------------

    /** Loads a two's complement integer: always exact. */
    public void loadInteger(long value) {
        if (value == 0) {
            math.result(0, 0);
            return;
        }
        int sign = value < 0 ? SIGN : 0;
        long magnitude = value < 0 ? -value : value;
        int n = Long.numberOfLeadingZeros(magnitude);
        math.result(sign | (BIAS + 63 - n), magnitude << n);
    }

    /**
     * Rounds to a {@code bits}-bit two's complement integer. Out of range, NaN, infinity and
     * unsupported values are invalid and give the integer indefinite (the most negative value).
     */
    public long storeInteger(int se, long sig, int bits) {
        long indefinite = -1L << (bits - 1);
        long magnitude = integerMagnitude(se, sig);
        if (magnitude == -1) {
            return indefinite;
        }
        boolean negative = (se & SIGN) != 0;
        long limit = negative ? -indefinite : -indefinite - 1;
        if (Long.compareUnsigned(magnitude, limit) > 0) {
            math.exceptions = (math.exceptions & ~PE) | IE;
            math.roundedUp = false;
            return indefinite;
        }
        return negative ? -magnitude : magnitude;
    }

    /** The magnitude rounded to an integer, or -1 (an unsigned value no result reaches) for IE. */
    private long integerMagnitude(int se, long sig) {
        if (!Extended.isFinite(se, sig)) {
            math.exceptions |= IE;
            return -1;
        }
        if (sig == 0) {
            return 0;
        }
        int e = Extended.normalizedExponent(se, sig) - BIAS;
        long m = Extended.normalizedSignificand(sig);
        if (e > 63 || (e == 63 && m != INTEGER_BIT)) {
            // Beyond 2^63 no format fits (and -1 is not a magnitude but the signal).
            math.exceptions |= IE;
            return -1;
        }
        if (e == 63) {
            return m;
        }
        long integer;
        long rest;
        if (e >= 0) {
            integer = m >>> (63 - e);
            rest = m << (e + 1);
        } else {
            integer = 0;
            rest = e == -1 ? m : 1;
        }
        if (rest != 0) {
            math.exceptions |= PE;
            boolean guard = e >= -1 && rest < 0;
            boolean sticky = e >= -1 ? rest << 1 != 0 : true;
            if (math.increments(se & SIGN, (integer & 1) != 0, guard, sticky)) {
                integer++;
                math.roundedUp = true;
            }
        }
        return integer;
    }

    /** FRNDINT: rounds to an integral value by the rounding control, staying in extended form. */
    public void roundToInteger(int se, long sig) {
        if (math.nanOperand(se, sig)) {
            return;
        }
        if (math.denormal(se, sig)) {
            return;
        }
        if (Extended.isInfinity(se, sig) || sig == 0 || Extended.normalizedExponent(se, sig) - BIAS >= 63) {
            math.result(se, sig);
            return;
        }
        long magnitude = integerMagnitude(se, sig);
        if (magnitude == 0) {
            math.result(se & SIGN, 0);
            return;
        }
        int n = Long.numberOfLeadingZeros(magnitude);
        math.result((se & SIGN) | (BIAS + 63 - n), magnitude << n);
    }

    // ---- packed BCD -----------------------------------------------------------------------

    /** FBLD: 18 digits in the low 9 bytes, the sign in bit 7 of byte 9; exact. */
    public void loadBcd(long low, int high) {
        long value = bcdDigit(high >>> 4) * 10 + bcdDigit(high);
        for (int i = 15; i >= 0; i--) {
            value = value * 10 + bcdDigit((int) (low >>> (4 * i)));
        }
        loadInteger(value);
        if ((high & 0x8000) != 0) {
            math.se |= SIGN;
        }
    }

    private static long bcdDigit(int nibble) {
        return nibble & 0xF;
    }

    /**
     * FBSTP: rounds to an integer and packs 18 digits; beyond 18 digits is invalid. Returns the
     * low 8 bytes; {@link #bcdHigh} holds bytes 8 and 9.
     */
    public long storeBcd(int se, long sig) {
        long magnitude = integerMagnitude(se, sig);
        if (magnitude != -1 && Long.compareUnsigned(magnitude, BCD_MAX) > 0) {
            math.exceptions = (math.exceptions & ~PE) | IE;
            math.roundedUp = false;
            magnitude = -1;
        }
        if (magnitude == -1) {
            bcdHigh = BCD_INDEFINITE_HIGH;
            return BCD_INDEFINITE_LOW;
        }
        long low = 0;
        for (int i = 0; i < 16; i++) {
            low |= (magnitude % 10) << (4 * i);
            magnitude /= 10;
        }
        bcdHigh = (int) (magnitude % 10 | (magnitude / 10) << 4) | ((se & SIGN) != 0 ? 0x8000 : 0);
        return low;
    }

}
