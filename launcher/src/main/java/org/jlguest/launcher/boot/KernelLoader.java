package org.jlguest.launcher.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlguest.mmu.GuestMemory;

/**
 * Puts a kernel into Guest memory, telling an ELF {@code vmlinux} from a bzImage by its magic
 * ({@code \x7fELF} at 0, else "HdrS" at 0x202), as lguest's Launcher does.
 */
public final class KernelLoader {
    private final GuestMemory memory;
    private final int ramBytes;

    /** A loader into {@code memory}, whose first {@code ramBytes} bytes are the Guest's RAM. */
    public KernelLoader(GuestMemory memory, int ramBytes) {
        if (ramBytes <= 0 || ramBytes > memory.size()) {
            throw new IllegalArgumentException("RAM of " + ramBytes + " bytes does not fit in " + memory.size() + " bytes of Guest memory");
        }
        this.memory = memory;
        this.ramBytes = ramBytes;
    }

    /** Loads the kernel file {@code file}; a file larger than the Guest's RAM is refused unread. */
    public LoadedKernel load(Path file) throws IOException, KernelImageException {
        return load(read(file, ramBytes));
    }

    /** Reads the kernel file {@code file}, refusing it unread if it is larger than {@code ramBytes}. */
    public static byte[] read(Path file, int ramBytes) throws IOException, KernelImageException {
        long size = Files.size(file);
        if (size > ramBytes) {
            throw new KernelImageException(String.format(
                    "kernel image of %d bytes is larger than the %d MiB of Guest memory", size, ramBytes >> 20));
        }
        return Files.readAllBytes(file);
    }

    public LoadedKernel load(byte[] image) throws KernelImageException {
        if (image.length == 0) {
            throw new KernelImageException("kernel image is empty");
        }
        if (ElfKernel.hasMagic(image)) {
            return ElfKernel.load(image, memory, ramBytes);
        }
        if (SetupHeader.hasMagic(image)) {
            return BzImage.load(image, memory, ramBytes);
        }
        throw new KernelImageException(String.format(
                "kernel image of %d bytes is neither an ELF vmlinux (no \\x7fELF at 0) nor a bzImage (no \"HdrS\" at 0x202)",
                image.length));
    }
}
