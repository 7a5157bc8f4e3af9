package org.jlguest.launcher.boot;

import java.util.Optional;

/**
 * A kernel copied into Guest memory.
 *
 * @param entry         the Guest-physical address the vCPU starts at (INITIALIZE's {@code start})
 * @param lowest        the lowest Guest-physical address the image occupies
 * @param highest       the first Guest-physical address above the image
 * @param versionString the kernel's own version string ("4.4.0 (builder@host) #1 ..."), when
 *                      the image carries one (bzImages do from boot protocol 2.00)
 * @param format        what the file was
 */
public record LoadedKernel(int entry, int lowest, int highest, Optional<String> versionString, KernelFormat format) {
    public LoadedKernel {
        if (Integer.compareUnsigned(lowest, highest) > 0) {
            throw new IllegalArgumentException(String.format("image range [%#x, %#x) is reversed", lowest, highest));
        }
    }
}
