package org.jlguest.launcher.boot;

import java.nio.file.Path;
import java.util.Optional;
import org.jlguest.host.Generation;

/**
 * What a Guest boots with besides its kernel.
 *
 * @param layout         its RAM
 * @param commandLine    the kernel command line
 * @param initrd         an initrd file, if any
 * @param generation     the ABI generation to use, when not the kernel's own (by its version)
 * @param lguestBusPages for the lguest-bus generation: pages above RAM the device descriptors
 *                       and virtqueues take (they are Guest memory below {@code pfn_limit}, but
 *                       not in the e820 map); {@code run.Machine.lguestBusPages} counts them
 */
public record BootOptions(MemoryLayout layout, String commandLine, Optional<Path> initrd,
                          Optional<Generation> generation, int lguestBusPages) {
    public BootOptions {
        if (lguestBusPages < 0) {
            throw new IllegalArgumentException("lguest bus pages " + lguestBusPages + " is negative");
        }
    }
}
