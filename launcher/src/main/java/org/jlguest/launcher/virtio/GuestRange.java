package org.jlguest.launcher.virtio;

import org.jlguest.mmu.GuestMemory;

/** The one bounds rule for device accesses: unsigned, overflow-free, entirely inside guest RAM. */
final class GuestRange {
    private GuestRange() {
    }

    /**
     * True if [{@code address}, {@code address + length}) lies in RAM. Both operands come from the
     * Guest as unsigned 64- and 32-bit values; the comparison is arranged so it cannot overflow.
     */
    static boolean inRam(GuestMemory memory, long address, long length) {
        return address >= 0 && length >= 0 && address <= memory.size() && length <= memory.size() - address;
    }
}
