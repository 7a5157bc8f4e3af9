package org.jlguest.cpu.vectors;

import java.util.ArrayList;
import java.util.List;

/**
 * The 108-byte memory image of FNSAVE and FRSTOR in 32-bit protected mode, which is how both the
 * native oracle and {@link CaseRunner} move an {@link FpuState} into and out of an x87.
 *
 * <pre>
 *   0  control word       4  status word        8  tag word          (each in the low 16 bits of 32)
 *  12  instruction pointer, selector and opcode, operand pointer and selector (20 bytes, zero here)
 *  28  ST(0) ... ST(7), 10 bytes each: significand (8 bytes, little-endian), then sign and exponent
 * </pre>
 *
 * The registers are in stack order; {@link FpuState} keeps them in physical order, so ST(i) is
 * physical register {@code (top + i) & 7}.
 */
public final class FpuImage {

    /** The size of the image. */
    public static final int SIZE = 108;
    private static final int REGISTERS = 28;

    private FpuImage() {
    }

    /** The image FRSTOR loads {@code state} from; the pointers are zero. */
    public static byte[] encode(FpuState state) {
        byte[] image = new byte[SIZE];
        put(image, 0, 2, state.cw());
        put(image, 4, 2, state.sw());
        put(image, 8, 2, state.tw());
        for (int i = 0; i < 8; i++) {
            FpuState.Register r = state.regs().get((state.top() + i) & 7);
            put(image, REGISTERS + 10 * i, 8, r.sig());
            put(image, REGISTERS + 10 * i + 8, 2, r.se());
        }
        return image;
    }

    /** The state an FNSAVE image holds, registers rotated into physical order by its TOP. */
    public static FpuState decode(byte[] image) {
        if (image.length < SIZE) throw new IllegalArgumentException("an FNSAVE image has " + SIZE + " bytes, not " + image.length);
        int sw = (int) get(image, 4, 2);
        int top = sw >>> 11 & 7;
        FpuState.Register[] physical = new FpuState.Register[8];
        for (int i = 0; i < 8; i++) {
            physical[(top + i) & 7] = new FpuState.Register((int) get(image, REGISTERS + 10 * i + 8, 2),
                    get(image, REGISTERS + 10 * i, 8));
        }
        return new FpuState((int) get(image, 0, 2), sw, (int) get(image, 8, 2), top, new ArrayList<>(List.of(physical)));
    }

    private static void put(byte[] b, int at, int size, long value) {
        for (int i = 0; i < size; i++) b[at + i] = (byte) (value >>> (8 * i));
    }

    private static long get(byte[] b, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }
}
