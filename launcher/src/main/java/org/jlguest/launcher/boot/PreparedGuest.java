package org.jlguest.launcher.boot;

import java.util.Optional;
import org.jlguest.host.Generation;
import org.jlguest.mmu.GuestMemory;

/**
 * Guest memory with everything the Launcher puts there before INITIALIZE (§13.2 step 4).
 *
 * @param memory     the Guest's memory: its RAM, plus the lguest bus's pages for that generation
 * @param layout     where RAM ends and the device window starts
 * @param kernel     what was loaded and where it starts
 * @param generation the ABI the Guest will be started with
 * @param initrd     where the initrd went, if there is one
 */
public record PreparedGuest(GuestMemory memory, MemoryLayout layout, LoadedKernel kernel, Generation generation,
                            Optional<InitrdPlacement> initrd) {
}
