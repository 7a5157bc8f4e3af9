package org.jlguest.cpu.vectors;

import java.util.HexFormat;
import java.util.List;

/**
 * The x87 state a case starts from or ends with: the control, status and tag words as FNSAVE
 * stores them, TOP, and the eight data registers in physical order (ST(i) is physical register
 * {@code (top + i) & 7}).
 *
 * @param cw   the control word
 * @param sw   the status word, TOP (bits 11-13) included
 * @param tw   the full 16-bit tag word, two bits per physical register: 00 valid, 01 zero,
 *             10 special, 11 empty
 * @param top  the stack top, 0-7, equal to bits 11-13 of {@code sw}
 * @param regs physical registers R0-R7
 */
public record FpuState(int cw, int sw, int tw, int top, List<Register> regs) {

    public FpuState {
        check(cw, "cw");
        check(sw, "sw");
        check(tw, "tw");
        if (top < 0 || top > 7) throw new IllegalArgumentException("top " + top + " is not 0-7");
        if ((sw >>> 11 & 7) != top) throw new IllegalArgumentException(String.format("sw 0x%04x does not hold top %d", sw, top));
        regs = List.copyOf(regs);
        if (regs.size() != 8) throw new IllegalArgumentException("need 8 registers, got " + regs.size());
    }

    private static void check(int word, String name) {
        if ((word & ~0xFFFF) != 0) throw new IllegalArgumentException(String.format("%s 0x%x is not 16 bits", name, word));
    }

    /** Whether physical register {@code p} is tagged empty. */
    public boolean empty(int p) {
        return (tw >>> (2 * p) & 3) == 3;
    }

    /**
     * An 80-bit register: sign and exponent, and the 64-bit significand with its explicit integer
     * bit. Written as 20 hex digits, most significant first.
     */
    public record Register(int se, long sig) {

        public Register {
            if ((se & ~0xFFFF) != 0) throw new IllegalArgumentException(String.format("sign/exponent 0x%x is not 16 bits", se));
        }

        /** Parses 20 lower-case hex digits. */
        public static Register parse(String hex) {
            if (hex.length() != 20 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("expected 20 lower-case hex digits, got \"" + hex + "\"");
            }
            return new Register(HexFormat.fromHexDigits(hex, 0, 4), HexFormat.fromHexDigitsToLong(hex, 4, 20));
        }

        public String hex() {
            return String.format("%04x%016x", se, sig);
        }

        @Override
        public String toString() {
            return hex();
        }
    }
}
