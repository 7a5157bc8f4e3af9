package org.jlguest.launcher.run;

import org.jlguest.host.Generation;
import org.jlguest.mmu.GuestMemory;

/**
 * A Guest ready to start: memory with the kernel, zero page and initrd in place, and the words
 * of its INITIALIZE.
 *
 * @param memory      Guest-physical memory from address 0 ({@code pfnLimit} pages of it)
 * @param generation  which ABI the kernel speaks: three-word or four-word INITIALIZE
 * @param pfnLimit    INITIALIZE's {@code pfnlimit}
 * @param entry       INITIALIZE's {@code start}
 * @param deviceLimit 4.x INITIALIZE's {@code device_limit} (unused for the lguest bus)
 */
public record GuestImage(GuestMemory memory, Generation generation, int pfnLimit, int entry, int deviceLimit) {
}
