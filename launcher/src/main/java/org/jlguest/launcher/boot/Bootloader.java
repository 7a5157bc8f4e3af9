package org.jlguest.launcher.boot;

import java.io.IOException;
import java.util.Optional;
import org.jlguest.host.Generation;
import org.jlguest.mmu.GuestMemory;

/**
 * The Launcher's loading steps in order: pick the generation (it decides how much Guest memory
 * there is), load the kernel, put the initrd at the top of RAM, write the zero page.
 */
public final class Bootloader {
    private Bootloader() {
    }

    public static PreparedGuest prepare(byte[] kernelImage, BootOptions options, ProgressListener progress)
            throws IOException, KernelImageException, BootException {
        MemoryLayout layout = options.layout();
        Generation generation = KernelVersion.choose(options.generation(), versionString(kernelImage));
        int pages = layout.pfnLimit() + (generation == Generation.LGUEST_BUS ? options.lguestBusPages() : 0);
        GuestMemory memory = new GuestMemory(pages);
        LoadedKernel kernel = new KernelLoader(memory, layout.ram()).load(kernelImage);
        Optional<InitrdPlacement> initrd = Optional.empty();
        if (options.initrd().isPresent()) {
            initrd = Optional.of(Initrd.load(options.initrd().get(), memory, layout, kernel.highest(), progress));
        }
        ZeroPage.of(layout, options.commandLine(), initrd).writeTo(memory);
        return new PreparedGuest(memory, layout, kernel, generation, initrd);
    }

    /** A bzImage's version string, read before there is memory to load it into. */
    private static Optional<String> versionString(byte[] image) throws KernelImageException {
        return !ElfKernel.hasMagic(image) && SetupHeader.hasMagic(image) ? SetupHeader.parse(image).versionString() : Optional.empty();
    }
}
