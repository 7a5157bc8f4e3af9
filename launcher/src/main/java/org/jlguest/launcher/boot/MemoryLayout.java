package org.jlguest.launcher.boot;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlguest.mmu.GuestMemory;

/**
 * The Guest's RAM (§3.1): Guest-physical [0, {@code ram}), which the e820 map reports. What
 * lies above it is the device model's: the lguest bus's descriptor page and virtqueues (3.x), or
 * an unused MiB and then the PCI BARs (4.x, laid out by {@code pci.PciBus}).
 *
 * @param ram bytes of Guest RAM, a whole number of pages
 */
public record MemoryLayout(int ram) {
    public static final int MIB = 1 << 20;
    /** The smallest Guest: the kernel loads at 1 MiB and needs some room above it. */
    public static final int MINIMUM = 2 * MIB;
    /** The largest: Guest memory is one Java array. */
    public static final int MAXIMUM = 2047 * MIB;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})([kmg]?)(i?b)?");

    public MemoryLayout {
        if (ram < MINIMUM || ram > MAXIMUM || ram % GuestMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM of " + ram + " bytes is not a whole number of pages in 2 MiB..2047 MiB");
        }
    }

    /**
     * Parses a memory size: a number with an optional K, M or G suffix (binary units; "M",
     * "MiB" and "MB" alike), a bare number being MiB as in lguest's {@code <mem-in-MiB>}.
     */
    public static MemoryLayout parse(String text) throws BootException {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BootException("memory size \"" + text + "\" is not a number with an optional K, M or G suffix");
        }
        long shift = switch (m.group(2)) {
            case "k" -> 10;
            case "g" -> 30;
            default -> 20;
        };
        long bytes = Long.parseLong(m.group(1)) << shift;
        if (bytes < MINIMUM || bytes > MAXIMUM) {
            throw new BootException("memory size \"" + text + "\" is outside 2M..2047M");
        }
        if (bytes % GuestMemory.PAGE_SIZE != 0) {
            throw new BootException("memory size \"" + text + "\" is not a whole number of 4 KiB pages");
        }
        return new MemoryLayout((int) bytes);
    }

    /** INITIALIZE's {@code pfnlimit} for the virtio-PCI generation: RAM pages. */
    public int pfnLimit() {
        return ram / GuestMemory.PAGE_SIZE;
    }
}
