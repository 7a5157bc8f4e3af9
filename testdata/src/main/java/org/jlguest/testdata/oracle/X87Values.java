package org.jlguest.testdata.oracle;

import java.util.Random;
import org.jlguest.cpu.vectors.FpuState.Register;

/**
 * Operand values for x87 cases, in every format the x87 reads, biased towards the values where
 * implementations go wrong: zeros, denormals, the 80-bit encodings only the x87 has
 * (pseudo-denormals, unnormals, pseudo-NaNs), infinities, quiet and signalling NaNs, exponents at
 * the edges of each format, and significands on the rounding boundaries of each precision.
 */
final class X87Values {

    static final int BIAS = 0x3FFF;
    static final long INTEGER_BIT = Long.MIN_VALUE;
    static final Register ONE = new Register(BIAS, INTEGER_BIT);

    private final Random rnd;

    X87Values(Random rnd) {
        this.rnd = rnd;
    }

    private int sign() {
        return rnd.nextBoolean() ? 0x8000 : 0;
    }

    /** A fraction (the 63 bits below the integer bit), shaped to sit on or near a rounding boundary. */
    long fraction() {
        long random = rnd.nextLong() & Long.MAX_VALUE;
        int keep = new int[] {23, 52, 63, 10, 0}[rnd.nextInt(5)];
        return switch (rnd.nextInt(6)) {
            case 0 -> random;
            case 1 -> random & ~((1L << (63 - keep)) - 1); // exactly representable in a shorter format
            case 2 -> random & ~((1L << (63 - keep)) - 1) | (1L << (62 - keep)); // halfway
            case 3 -> random | ((1L << (63 - keep)) - 1); // just below the next value
            case 4 -> (random & ~((1L << (63 - keep)) - 1)) | (1L << (62 - keep)) | 1; // just above halfway
            default -> rnd.nextBoolean() ? 0 : Long.MAX_VALUE;
        };
    }

    /** A normal number: exponent near 1.0 mostly, else at the edges of the single, double and extended ranges. */
    Register normal() {
        int e = switch (rnd.nextInt(8)) {
            case 0, 1, 2, 3 -> BIAS + rnd.nextInt(130) - 65;
            case 4 -> BIAS + (rnd.nextBoolean() ? 1 : -1) * (new int[] {126, 127, 128, 149, 150, 1022, 1023, 1024, 1074, 1075}[rnd.nextInt(10)])
                    + rnd.nextInt(3) - 1;
            case 5 -> rnd.nextBoolean() ? 1 + rnd.nextInt(3) : 0x7FFE - rnd.nextInt(3);
            case 6 -> BIAS + rnd.nextInt(64);
            default -> 1 + rnd.nextInt(0x7FFE);
        };
        return new Register(sign() | e, INTEGER_BIT | fraction());
    }

    /** Any 80-bit register value, about half of them special. */
    Register any() {
        return switch (rnd.nextInt(20)) {
            case 0 -> new Register(sign(), 0);
            case 1 -> new Register(sign(), rnd.nextBoolean() ? 1 + (rnd.nextLong() >>> (1 + rnd.nextInt(63))) : fraction() | 1);
            case 2 -> new Register(sign(), INTEGER_BIT | fraction()); // pseudo-denormal
            case 3 -> new Register(sign() | 1 + rnd.nextInt(0x7FFE), fraction()); // unnormal
            case 4 -> new Register(sign() | 0x7FFF, INTEGER_BIT);
            case 5 -> new Register(sign() | 0x7FFF, INTEGER_BIT | 1L << 62 | (rnd.nextBoolean() ? 0 : fraction()));
            case 6 -> new Register(sign() | 0x7FFF, INTEGER_BIT | Math.max(1, fraction() & ~(1L << 62))); // signalling
            case 7 -> rnd.nextInt(4) == 0 ? new Register(sign() | 0x7FFF, fraction()) // pseudo-NaN or pseudo-infinity
                    : new Register(0xFFFF, INTEGER_BIT | 1L << 62); // the real indefinite
            case 8, 9 -> integral();
            default -> normal();
        };
    }

    /** A finite value: normal mostly, with zeros and denormals. */
    Register finite() {
        return switch (rnd.nextInt(10)) {
            case 0 -> new Register(sign(), 0);
            case 1 -> new Register(sign(), 1 + (rnd.nextLong() >>> (1 + rnd.nextInt(63))));
            case 2, 3 -> integral();
            default -> normal();
        };
    }

    /** An integer or a near-integer (halves and quarters), up to 2^70 in magnitude. */
    Register integral() {
        int bits = rnd.nextInt(4) == 0 ? 60 + rnd.nextInt(11) : 1 + rnd.nextInt(20);
        long sig = INTEGER_BIT | (rnd.nextLong() >>> 1 & ~((1L << Math.max(0, 63 - bits - 2)) - 1));
        return new Register(sign() | BIAS + bits - 1, sig);
    }

    /** A single-precision bit pattern. */
    int single() {
        int s = rnd.nextBoolean() ? 0x8000_0000 : 0;
        int fraction = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0x7F_FFFF;
            default -> rnd.nextInt() & 0x7F_FFFF;
        };
        int e = switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 0xFF;
            case 2 -> rnd.nextBoolean() ? 1 : 0xFE;
            default -> 127 + rnd.nextInt(60) - 30;
        };
        if (e == 0xFF && rnd.nextBoolean()) fraction |= 0x40_0000;
        return s | e << 23 | fraction;
    }

    /** A double-precision bit pattern. */
    long dbl() {
        long s = rnd.nextBoolean() ? Long.MIN_VALUE : 0;
        long fraction = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xF_FFFF_FFFF_FFFFL;
            default -> rnd.nextLong() & 0xF_FFFF_FFFF_FFFFL;
        };
        long e = switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 0x7FF;
            case 2 -> rnd.nextBoolean() ? 1 : 0x7FE;
            default -> 1023 + rnd.nextInt(140) - 70;
        };
        if (e == 0x7FF && rnd.nextBoolean()) fraction |= 1L << 51;
        return s | e << 52 | fraction;
    }

    /** A two's-complement integer of {@code bytes} bytes (2, 4 or 8), biased to the extremes. */
    long integer(int bytes) {
        int bits = 8 * bytes;
        long v = switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt(33) - 16;
            case 1 -> (1L << (bits - 1)) - 1 - rnd.nextInt(3);
            case 2 -> -(1L << (bits - 1)) + rnd.nextInt(3);
            case 3 -> rnd.nextLong() >> rnd.nextInt(bits);
            default -> rnd.nextLong();
        };
        return bits == 64 ? v : v << (64 - bits) >> (64 - bits);
    }

    /** Ten bytes of packed BCD: 18 valid digits (sometimes few), then the sign byte. */
    byte[] bcd() {
        byte[] b = new byte[10];
        int digits = rnd.nextInt(3) == 0 ? rnd.nextInt(6) : 18;
        for (int i = 0; i < 18 && i < digits; i++) {
            int d = rnd.nextInt(4) == 0 ? 9 : rnd.nextInt(10);
            b[i / 2] |= (byte) (d << (4 * (i % 2)));
        }
        b[9] = (byte) (rnd.nextBoolean() ? 0x80 : 0);
        return b;
    }

    /** An 80-bit value as the ten bytes memory holds. */
    static byte[] bytes(Register r) {
        byte[] b = CaseBuilder.bytes(10, r.sig());
        b[8] = (byte) r.se();
        b[9] = (byte) (r.se() >>> 8);
        return b;
    }
}
