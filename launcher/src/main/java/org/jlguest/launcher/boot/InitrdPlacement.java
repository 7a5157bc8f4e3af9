package org.jlguest.launcher.boot;

import org.jlguest.mmu.GuestMemory;

/**
 * Where an initrd sits in Guest memory: ending at the top of RAM (§5.3).
 *
 * @param address the Guest-physical start ({@code ramdisk_image}), page-aligned
 * @param size    the length rounded up to whole pages ({@code ramdisk_size}, as lguest's Launcher
 *                reports it; the padding is zeroes, which initramfs unpacking skips)
 */
public record InitrdPlacement(int address, int size) {
    public InitrdPlacement {
        if (address % GuestMemory.PAGE_SIZE != 0 || size % GuestMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException(String.format("initrd at %#x of %#x bytes is not page-aligned", address, size));
        }
    }
}
