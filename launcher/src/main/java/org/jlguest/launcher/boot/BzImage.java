package org.jlguest.launcher.boot;

import org.jlguest.mmu.GuestMemory;

/**
 * Loads a bzImage the way lguest's Launcher does (§5.1): everything after the setup sectors goes
 * to Guest-physical 0x100000 and the vCPU starts at {@code code32_start}. The real-mode setup code
 * never runs: the zero page it would have filled in is built by {@link ZeroPage} instead.
 */
final class BzImage {
    private BzImage() {
    }

    static LoadedKernel load(byte[] image, GuestMemory memory, int ramBytes) throws KernelImageException {
        SetupHeader header = SetupHeader.parse(image);
        long end = (long) SetupHeader.LOAD_ADDRESS + header.payloadLength();
        if (end > ramBytes) {
            throw new KernelImageException(String.format(
                    "bzImage payload of %d bytes at %#x ends at %#x, beyond the %d MiB of Guest memory",
                    header.payloadLength(), SetupHeader.LOAD_ADDRESS, end, ramBytes >> 20));
        }
        memory.copyIn(SetupHeader.LOAD_ADDRESS, image, header.payloadOffset(), header.payloadLength());
        return new LoadedKernel(header.code32Start(), SetupHeader.LOAD_ADDRESS, (int) end, header.versionString(),
                KernelFormat.BZIMAGE);
    }
}
