package org.jlguest.cpu.bare;

import java.util.ArrayList;
import java.util.List;
import org.jlguest.mmu.GuestMemory;

/**
 * Where raw images go in a bare machine's physical address space, checked before anything is
 * copied.
 *
 * <p>As on a PC, the 64 KiB BIOS ROM answers at two places: the top of the 4 GiB space
 * ({@code 0xFFFF0000..0xFFFFFFFF}, where the CPU's reset vector {@code 0xFFFFFFF0} lies) and
 * {@code 0xF0000..0xFFFFF}, the last 64 KiB of real mode's first megabyte. An image that lies
 * wholly inside either window is a <em>ROM image</em>: its bytes go to ROM offset
 * {@code address & 0xFFFF}, which appears at {@code 0xFFFF0000 + offset} (read-only, see
 * {@link BiosRom}) and at {@code 0xF0000 + offset} in RAM (a writable copy, as a BIOS shadows itself).
 * So {@code bios.bin@0xFFFF0000} and {@code bios.bin@0xF0000} load the same machine. Every other
 * image must lie wholly in RAM. No two images may claim the same byte of RAM, the low copies of ROM
 * images included.
 */
public final class ImageLayout {
    static final long FOUR_GIB = 1L << 32;
    public static final int ROM_SIZE = 0x10000;
    public static final long HIGH_ROM = FOUR_GIB - ROM_SIZE;
    public static final int LOW_ROM = 0xF0000;
    /** Where a reset CPU fetches its first instruction: F000:FFF0 with CS base 0xFFFF0000. */
    public static final long RESET_VECTOR = FOUR_GIB - 16;
    /** The largest RAM a Java array holds, in whole pages. */
    public static final long MAX_RAM = (long) (Integer.MAX_VALUE >>> GuestMemory.PAGE_SHIFT) << GuestMemory.PAGE_SHIFT;

    private final long ramSize;
    private final List<Image> images;

    /** Checks that every image has a place; throws naming the first image that has none. */
    public ImageLayout(long ramSize, List<Image> images) {
        if (ramSize < GuestMemory.PAGE_SIZE || ramSize % GuestMemory.PAGE_SIZE != 0 || ramSize > MAX_RAM) {
            throw new IllegalArgumentException(String.format(
                    "memory size 0x%X is not a whole number of 4K pages between 4K and 0x%X", ramSize, MAX_RAM));
        }
        this.ramSize = ramSize;
        this.images = List.copyOf(images);
        List<Image> placed = new ArrayList<>();
        for (Image image : this.images) {
            if (isRom(image)) {
                if (ramSize < LOW_ROM + ROM_SIZE) {
                    throw new IllegalArgumentException(String.format(
                            "ROM image %s needs at least 1M of RAM for its copy at 0x%X, but memory is 0x%X bytes",
                            image.label(), LOW_ROM + romOffset(image), ramSize));
                }
            } else if (image.end() > ramSize) {
                throw new IllegalArgumentException(String.format(
                        "image %s ends at 0x%X, beyond RAM end 0x%X, and is not inside a BIOS ROM window "
                                + "(0x%X..0xFFFFFFFF or 0x%X..0x%X)",
                        image.label(), image.end(), ramSize, HIGH_ROM, LOW_ROM, LOW_ROM + ROM_SIZE - 1));
            }
            for (Image other : placed) {
                long start = Math.max(ramStart(image), ramStart(other));
                long end = Math.min(ramStart(image) + image.bytes().length, ramStart(other) + other.bytes().length);
                if (start < end) {
                    throw new IllegalArgumentException(String.format(
                            "image %s overlaps image %s in RAM at 0x%X..0x%X", image.label(), other.label(), start, end - 1));
                }
            }
            placed.add(image);
        }
    }

    public List<Image> images() {
        return images;
    }

    public long ramSize() {
        return ramSize;
    }

    /** Whether a ROM image holds the reset vector, so a reset CPU has something to run. */
    public boolean coversResetVector() {
        int vector = (int) (RESET_VECTOR - HIGH_ROM);
        return images.stream().anyMatch(i -> isRom(i)
                && romOffset(i) <= vector && vector < romOffset(i) + i.bytes().length);
    }

    /** Whether the image lies wholly inside one of the two BIOS ROM windows. */
    public static boolean isRom(Image image) {
        return image.address() >= HIGH_ROM
                || (image.address() >= LOW_ROM && image.end() <= LOW_ROM + ROM_SIZE);
    }

    /** A ROM image's offset inside the 64 KiB ROM. */
    public static int romOffset(Image image) {
        return (int) (image.address() & (ROM_SIZE - 1));
    }

    /** The RAM address the image's bytes are copied to: its own, or the low ROM copy's. */
    public static long ramStart(Image image) {
        return isRom(image) ? LOW_ROM + romOffset(image) : image.address();
    }
}
