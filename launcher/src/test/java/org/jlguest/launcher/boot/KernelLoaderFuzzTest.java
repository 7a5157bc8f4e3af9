package org.jlguest.launcher.boot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jlguest.mmu.GuestMemory;

/**
 * Whatever bytes it is given, the loader either loads them or throws {@link KernelImageException}:
 * no index, arithmetic or argument exception escapes, and nothing is written outside RAM.
 */
class KernelLoaderFuzzTest {
    private static final int RAM = 4 << 20;

    /** One corruption: {@code value} written at {@code offset} (modulo the image length). */
    record Poke(int offset, byte value) { }

    private static void loadOrRefuse(byte[] image) {
        GuestMemory memory = new GuestMemory(RAM / GuestMemory.PAGE_SIZE + 1);
        try {
            new KernelLoader(memory, RAM).load(image);
        } catch (KernelImageException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a message", e);
            }
        }
        for (int i = RAM; i < memory.size(); i++) {
            if (memory.read8(i) != 0) {
                throw new AssertionError("the loader wrote beyond RAM at " + Integer.toHexString(i));
            }
        }
    }

    private static byte[] realLookingBzImage() {
        return TinyKernels.bzImage(new byte[0x3000], "4.13.0 (tester@jlguest) #1 SMP");
    }

    private static byte[] realLookingElf() {
        return TinyKernels.elf("vmlinux".getBytes(StandardCharsets.US_ASCII), 0x100000, 0x5000);
    }

    @Property(tries = 300)
    void truncatedImages(@ForAll boolean elf, @ForAll @IntRange(min = 0, max = 0x3400) int length) {
        byte[] full = elf ? realLookingElf() : realLookingBzImage();
        byte[] cut = new byte[Math.min(length, full.length)];
        System.arraycopy(full, 0, cut, 0, cut.length);
        loadOrRefuse(cut);
    }

    @Property(tries = 1000)
    void corruptedHeaders(@ForAll boolean elf, @ForAll("pokes") List<Poke> pokes) {
        byte[] image = elf ? realLookingElf() : realLookingBzImage();
        int header = elf ? 52 + 32 : 0x280;
        for (Poke p : pokes) {
            image[Math.floorMod(p.offset(), Math.min(header, image.length))] = p.value();
        }
        loadOrRefuse(image);
    }

    @Property(tries = 300)
    void randomBytes(@ForAll @Size(max = 0x1200) byte[] image, @ForAll boolean withMagic) {
        if (withMagic && image.length >= 0x206) {
            image[0x202] = 'H';
            image[0x203] = 'd';
            image[0x204] = 'r';
            image[0x205] = 'S';
        } else if (withMagic && image.length >= 4) {
            image[0] = 0x7F;
            image[1] = 'E';
            image[2] = 'L';
            image[3] = 'F';
        }
        loadOrRefuse(image);
    }

    @Provide
    Arbitrary<List<Poke>> pokes() {
        Arbitrary<Integer> offsets = Arbitraries.integers().between(0, 0x280);
        Arbitrary<Byte> values = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of((byte) 0, (byte) 0xFF, (byte) 0x80, (byte) 1));
        return Combinators.combine(offsets, values).as(Poke::new).list().ofMinSize(1).ofMaxSize(6);
    }
}
