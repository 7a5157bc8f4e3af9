package org.jlguest.launcher.boot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jlguest.mmu.GuestMemory;

/**
 * The Guest's {@code struct boot_params} at Guest-physical 0 and its command line at 0x1000 (§5.2),
 * built from zeroes: lguest copies nothing from the kernel file's own setup header.
 *
 * <p>What the kernel needs from it: one e820 entry saying all of RAM is RAM; boot protocol 2.07
 * with {@code hardware_subarch} = 1, which sends the kernel's paravirt entry to
 * {@code lguest_entry}; KEEP_SEGMENTS, because the Guest runs in ring 1 and must not reload its
 * segment registers; and where the command line and the initrd are.
 *
 * @param layout      the Guest's memory
 * @param commandLine the kernel command line
 * @param initrd      where the initrd was put, if there is one
 */
public record ZeroPage(MemoryLayout layout, String commandLine, Optional<InitrdPlacement> initrd) {
    public static final int COMMAND_LINE = 0x1000;
    /** x86 {@code COMMAND_LINE_SIZE}: the Guest copies this many bytes, NUL included. */
    public static final int COMMAND_LINE_SIZE = 2048;

    static final int E820_ENTRIES = 0x1E8;
    static final int E820_MAP = 0x2D0;
    static final int E820_RAM = 1;
    static final int VERSION = 0x206;
    static final int TYPE_OF_LOADER = 0x210;
    static final int LOADFLAGS = 0x211;
    static final int RAMDISK_IMAGE = 0x218;
    static final int RAMDISK_SIZE = 0x21C;
    static final int CMD_LINE_PTR = 0x228;
    static final int KERNEL_ALIGNMENT = 0x230;
    static final int HARDWARE_SUBARCH = 0x23C;

    static final int BOOT_PROTOCOL = 0x0207;
    static final int KEEP_SEGMENTS = 0x40;
    static final int X86_SUBARCH_LGUEST = 1;
    static final int SIXTEEN_MIB = 0x1000000;
    static final int LOADER_UNKNOWN = 0xFF;

    /** Checks the command line fits what the Guest reads. */
    public ZeroPage {
        int length = commandLine.getBytes(StandardCharsets.UTF_8).length;
        if (length >= COMMAND_LINE_SIZE) {
            throw new IllegalArgumentException("command line of " + length + " bytes is longer than the "
                    + (COMMAND_LINE_SIZE - 1) + " the Guest reads");
        }
        if (commandLine.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("command line contains a NUL character");
        }
    }

    /** The zero page for a command line given by a user: its errors are theirs to fix. */
    public static ZeroPage of(MemoryLayout layout, String commandLine, Optional<InitrdPlacement> initrd) throws BootException {
        try {
            return new ZeroPage(layout, commandLine, initrd);
        } catch (IllegalArgumentException e) {
            throw new BootException(e.getMessage());
        }
    }

    /** Writes the zero page and command line into (zero-filled) {@code memory}. */
    public void writeTo(GuestMemory memory) {
        memory.write8(E820_ENTRIES, 1);
        memory.write64(E820_MAP, 0);
        memory.write64(E820_MAP + 8, layout.ram());
        memory.write32(E820_MAP + 16, E820_RAM);
        memory.write16(VERSION, BOOT_PROTOCOL);
        memory.write8(LOADFLAGS, memory.read8(LOADFLAGS) | KEEP_SEGMENTS);
        memory.write32(CMD_LINE_PTR, COMMAND_LINE);
        memory.write32(KERNEL_ALIGNMENT, SIXTEEN_MIB);
        memory.write32(HARDWARE_SUBARCH, X86_SUBARCH_LGUEST);
        initrd.ifPresent(i -> {
            memory.write8(TYPE_OF_LOADER, LOADER_UNKNOWN);
            memory.write32(RAMDISK_IMAGE, i.address());
            memory.write32(RAMDISK_SIZE, i.size());
        });
        byte[] line = (commandLine + "\0").getBytes(StandardCharsets.UTF_8);
        memory.copyIn(COMMAND_LINE, line, 0, line.length);
    }
}
