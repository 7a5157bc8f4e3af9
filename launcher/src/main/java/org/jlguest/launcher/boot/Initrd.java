package org.jlguest.launcher.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jlguest.mmu.GuestMemory;

/** Copies an initrd into the top of Guest RAM (§5.3), reporting progress chunk by chunk. */
public final class Initrd {
    /** Bytes copied between progress reports. */
    static final int CHUNK = 4 << 20;

    private Initrd() {
    }

    /**
     * Loads {@code file} so that it ends at the top of RAM; it must not reach down into the kernel,
     * which occupies Guest memory below {@code kernelEnd}.
     */
    public static InitrdPlacement load(Path file, GuestMemory memory, MemoryLayout layout, int kernelEnd,
                                       ProgressListener progress) throws IOException, BootException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            long size = (length + GuestMemory.PAGE_SIZE - 1) & -GuestMemory.PAGE_SIZE;
            long address = layout.ram() - size;
            if (length == 0) {
                throw new BootException("initrd " + file + " is empty");
            }
            if (address < Integer.toUnsignedLong(kernelEnd)) {
                throw new BootException(String.format(
                        "initrd %s of %d bytes would start at %#x, inside the kernel that ends at %#x: give the Guest more memory",
                        file, length, address, kernelEnd));
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, length));
            long done = 0;
            while (done < length) {
                buffer.clear();
                int n = channel.read(buffer, done);
                if (n < 0) {
                    throw new IOException("initrd " + file + " shrank to " + done + " bytes while being read");
                }
                memory.copyIn((int) (address + done), buffer.array(), 0, n);
                done += n;
                progress.progress(done, length);
            }
            return new InitrdPlacement((int) address, (int) size);
        }
    }
}
