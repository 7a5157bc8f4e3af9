package org.jlguest.launcher.boot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The fields of a bzImage's real-mode setup header ({@code struct setup_header}, at 0x1F1 in the
 * file) that decide how the Launcher loads it, already checked against the x86 boot protocol.
 *
 * <p>The Launcher copies nothing from this header into the Guest's zero page (that is built from
 * scratch, §5.2); it only needs to know where the protected-mode payload starts, how long it is,
 * where to enter it, and which kernel it is.
 *
 * @param setupSectors    512-byte sectors of real-mode setup code after the boot sector (a
 *                        stored 0 already read as 4, as the boot protocol says)
 * @param payloadLength   bytes of protected-mode code after the setup sectors (to the file's end;
 *                        {@code syssize} counts them in 16-byte units, rounded up)
 * @param version         the boot protocol version, e.g. 0x020A for 2.10
 * @param code32Start     the 32-bit entry point
 * @param loadFlags       the {@code loadflags} byte
 * @param kernelAlignment the physical alignment the kernel wants
 * @param versionString   the NUL-terminated string {@code kernel_version} points at, if any
 */
public record SetupHeader(int setupSectors, int payloadLength, int version, int code32Start, int loadFlags,
                          int kernelAlignment, Optional<String> versionString) {
    /** "HdrS", little-endian, at 0x202. */
    public static final int MAGIC = 0x53726448;
    /** 2.07 added {@code hardware_subarch}, which routes the kernel's paravirt entry to lguest. */
    public static final int MINIMUM_VERSION = 0x0207;
    /** Where the protected-mode payload goes in Guest memory. */
    public static final int LOAD_ADDRESS = 0x100000;
    /** {@code loadflags} bit 0: the protected-mode code loads at 0x100000 (a bzImage, not a zImage). */
    public static final int LOADED_HIGH = 0x01;

    static final int SETUP_SECTS = 0x1F1;
    static final int SYSSIZE = 0x1F4;
    static final int HEADER = 0x202;
    static final int VERSION = 0x206;
    static final int KERNEL_VERSION = 0x20E;
    static final int CODE32_START = 0x214;
    static final int LOADFLAGS = 0x211;
    static final int KERNEL_ALIGNMENT = 0x230;
    /** The longest version string read; real ones are under 200 characters. */
    static final int MAX_VERSION_STRING = 512;

    /** Whether {@code image} carries the setup header magic (the file is meant as a bzImage). */
    public static boolean hasMagic(byte[] image) {
        return image.length >= HEADER + 4
                && (image[HEADER] & 0xFF | (image[HEADER + 1] & 0xFF) << 8
                | (image[HEADER + 2] & 0xFF) << 16 | (image[HEADER + 3] & 0xFF) << 24) == MAGIC;
    }

    /** Reads and checks the header of the bzImage {@code image}. */
    public static SetupHeader parse(byte[] image) throws KernelImageException {
        ImageBytes b = new ImageBytes(image, "bzImage");
        long magic = b.u32(HEADER, "header magic");
        if (magic != MAGIC) {
            throw new KernelImageException(String.format(
                    "bzImage header magic at 0x202 is %#010x, not \"HdrS\" (0x53726448)", magic));
        }
        int version = b.u16(VERSION, "version");
        if (version < MINIMUM_VERSION) {
            throw new KernelImageException(String.format(
                    "bzImage setup header version %#06x is older than 2.07, which lguest needs for hardware_subarch", version));
        }
        int loadFlags = b.u8(LOADFLAGS, "loadflags");
        if ((loadFlags & LOADED_HIGH) == 0) {
            throw new KernelImageException(String.format(
                    "bzImage loadflags %#04x lack LOADED_HIGH (0x01): a zImage loads below 1 MiB, which lguest does not do", loadFlags));
        }
        int stored = b.u8(SETUP_SECTS, "setup_sects");
        int setupSectors = stored == 0 ? 4 : stored;
        long payloadStart = (setupSectors + 1L) * 512;
        if (payloadStart >= image.length) {
            throw new KernelImageException(String.format(
                    "bzImage setup_sects %d puts the payload at %#x, at or past the end of the %d-byte file",
                    stored, payloadStart, image.length));
        }
        int payloadLength = (int) (image.length - payloadStart);
        long syssize = b.u32(SYSSIZE, "syssize");
        if (syssize == 0 || syssize * 16 > payloadLength + 15L) {
            throw new KernelImageException(String.format(
                    "bzImage syssize %#x (%d bytes, rounded up to 16) does not fit the %d-byte payload after the setup sectors",
                    syssize, syssize * 16, payloadLength));
        }
        long code32Start = b.u32(CODE32_START, "code32_start");
        if (code32Start < LOAD_ADDRESS || code32Start >= (long) LOAD_ADDRESS + payloadLength) {
            throw new KernelImageException(String.format(
                    "bzImage code32_start %#x is outside the payload loaded at [%#x, %#x)",
                    code32Start, LOAD_ADDRESS, LOAD_ADDRESS + payloadLength));
        }
        long alignment = b.u32(KERNEL_ALIGNMENT, "kernel_alignment");
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
            throw new KernelImageException(String.format(
                    "bzImage kernel_alignment %#x is not a power of two", alignment));
        }
        Optional<String> versionString = versionString(b, b.u16(KERNEL_VERSION, "kernel_version"), payloadStart);
        return new SetupHeader(setupSectors, payloadLength, version, (int) code32Start, loadFlags, (int) alignment,
                versionString);
    }

    /** Where the payload starts in the file. */
    public int payloadOffset() {
        return (setupSectors + 1) * 512;
    }

    /** The string {@code kernel_version} points at (offset + 0x200, inside the setup code); none for 0. */
    private static Optional<String> versionString(ImageBytes b, int pointer, long setupEnd) throws KernelImageException {
        if (pointer == 0) {
            return Optional.empty();
        }
        int start = pointer + 0x200;
        if (start >= setupEnd) {
            throw new KernelImageException(String.format(
                    "bzImage kernel_version %#x points at %#x, outside the setup code that ends at %#x",
                    pointer, start, setupEnd));
        }
        byte[] bytes = b.array();
        int end = start;
        while (end < setupEnd && bytes[end] != 0 && end - start < MAX_VERSION_STRING) {
            end++;
        }
        return Optional.of(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
    }
}
