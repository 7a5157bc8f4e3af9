package org.jlguest.cpu.fpu;

/**
 * The constants FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 and FLDZ load.
 *
 * <p>The hardware holds them with more bits than the register has and rounds them by the rounding
 * control (not the precision control, and without reporting inexact), so e.g. FLDPI gives
 * ...C235 to nearest or up and ...C234 down or toward zero. Each is kept here as 128 bits of
 * significand, enough to round every one of them correctly.
 */
public final class Constants {
    /** Per constant in D9 E8+i order: sign-exponent, high and low 64 bits of the significand. */
    private static final int[] SE = {0x3FFF, 0x4000, 0x3FFF, 0x4000, 0x3FFD, 0x3FFE, 0};
    private static final long[] HIGH = {
        0x8000000000000000L, 0xD49A784BCD1B8AFEL, 0xB8AA3B295C17F0BBL, 0xC90FDAA22168C234L,
        0x9A209A84FBCFF798L, 0xB17217F7D1CF79ABL, 0};
    private static final long[] LOW = {
        0, 0x492BF6FF4DAFDB4CL, 0xBE87FED0691D3E88L, 0xC4C6628B80DC1CD1L,
        0x8F8959AC0B7C9178L, 0xC9E3B39803F2F6AFL, 0};

    private Constants() {
    }

    /** Leaves constant {@code which} (0 = 1.0 ... 6 = +0.0) in the arithmetic result. */
    public static void load(Arithmetic math, int which) {
        long hi = HIGH[which];
        long lo = LOW[which];
        if (lo != 0 && math.increments(0, (hi & 1) != 0, lo < 0, (lo << 1) != 0)) {
            hi++;
        }
        math.result(SE[which], hi);
    }
}
