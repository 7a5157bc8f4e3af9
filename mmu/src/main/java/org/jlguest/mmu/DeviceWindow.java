package org.jlguest.mmu;

/**
 * What lies at physical addresses that are not RAM (at or beyond {@code pfn_limit}).
 *
 * <p>A bare machine answers reads with all ones; an lguest Host hands the access to the Launcher
 * (device MMIO) or kills the guest. Accesses here never go through the TLB fast path.
 */
public interface DeviceWindow {
    /** Reads {@code size} (1, 2 or 4) bytes at {@code physical}. May throw the CPU's {@link Fault}. */
    int read(int physical, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code physical}. May throw the CPU's {@link Fault}. */
    void write(int physical, int size, int value);
}
