package org.jlguest.cpu.vectors;

import java.util.Objects;

/**
 * The x87 state the hardware left, and how closely the interpreter must match it.
 *
 * @param state        what FNSAVE reported after the case
 * @param swMask       the status-word bits that are checked: all of them ({@value #ALL_STATUS})
 *                     unless the SDM leaves some undefined after the case's instructions
 * @param ulpTolerance how many units in the last place of the 64-bit significand a register may be
 *                     off by: 0 (exact) except after the transcendental instructions, whose last
 *                     bits Intel and AMD processors do not agree on
 */
public record FpuExpect(FpuState state, int swMask, long ulpTolerance) {

    /** The default status mask: every bit. */
    public static final int ALL_STATUS = 0xFFFF;

    public FpuExpect {
        Objects.requireNonNull(state, "state");
        if ((swMask & ~0xFFFF) != 0) throw new IllegalArgumentException(String.format("sw_mask 0x%x is not 16 bits", swMask));
        if (ulpTolerance < 0) throw new IllegalArgumentException("negative ulp tolerance " + ulpTolerance);
    }

    /** An exact expectation: every status bit and every register bit is checked. */
    public static FpuExpect exact(FpuState state) {
        return new FpuExpect(state, ALL_STATUS, 0);
    }
}
