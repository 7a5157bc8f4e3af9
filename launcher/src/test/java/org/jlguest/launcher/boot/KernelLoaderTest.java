package org.jlguest.launcher.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLoaderTest {
    private static final int RAM = 4 << 20;
    private final GuestMemory memory = new GuestMemory(RAM / GuestMemory.PAGE_SIZE);
    private final KernelLoader loader = new KernelLoader(memory, RAM);

    private static byte[] payload() {
        byte[] p = new byte[0x3000];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + 1);
        }
        return p;
    }

    private static byte[] bzImage(Consumer<ByteBuffer> edit) {
        byte[] image = TinyKernels.bzImage(payload(), "4.4.0 (tester@jlguest) #1");
        edit.accept(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN));
        return image;
    }

    private String refusal(byte[] image) {
        return assertThrows(KernelImageException.class, () -> loader.load(image)).getMessage();
    }

    private byte[] guest(int at, int length) {
        byte[] out = new byte[length];
        memory.copyOut(at, out, 0, length);
        return out;
    }

    @Test
    void aBzImagePayloadGoesTo1MiBAndStartsAtCode32Start() throws Exception {
        LoadedKernel k = loader.load(bzImage(b -> { }));
        assertEquals(new LoadedKernel(0x100000, 0x100000, 0x103000, Optional.of("4.4.0 (tester@jlguest) #1"), KernelFormat.BZIMAGE), k);
        assertArrayEquals(payload(), guest(0x100000, 0x3000));
        assertEquals(0, memory.read32(0x103000));
    }

    @Test
    void setupSectsZeroMeansFour() throws Exception {
        byte[] plain = TinyKernels.bzImage(payload(), null);
        byte[] image = new byte[plain.length + 3 * 512];
        System.arraycopy(plain, 0, image, 0, 1024);
        System.arraycopy(plain, 1024, image, 5 * 512, plain.length - 1024);
        image[0x1F1] = 0;
        LoadedKernel k = loader.load(image);
        assertEquals(Optional.empty(), k.versionString());
        assertArrayEquals(payload(), guest(0x100000, 0x3000));
    }

    @Test
    void eachHeaderFieldIsCheckedAndNamedWithItsValue() {
        assertTrue(refusal(bzImage(b -> b.putShort(0x206, (short) 0x0206)))
                .contains("bzImage setup header version 0x0206 is older than 2.07"));
        assertTrue(refusal(bzImage(b -> b.put(0x211, (byte) 0))).contains("loadflags 0x00"));
        assertTrue(refusal(bzImage(b -> b.put(0x1F1, (byte) 40))).contains("setup_sects 40"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x1F4, 0x302))).contains("syssize 0x302"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x1F4, 0))).contains("syssize 0x0"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x214, 0x7C00))).contains("code32_start 0x7c00"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x214, 0x103000))).contains("code32_start 0x103000"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x230, 0x3000))).contains("kernel_alignment 0x3000"));
        assertTrue(refusal(bzImage(b -> b.putShort(0x20E, (short) 0x7000))).contains("kernel_version 0x7000"));
    }

    @Test
    void somethingElseEntirelyIsNamedAsNeitherFormat() {
        assertTrue(refusal(new byte[] {1, 2, 3}).contains("neither an ELF vmlinux"));
        assertTrue(refusal(new byte[0]).contains("empty"));
        assertTrue(refusal(bzImage(b -> b.putInt(0x202, 0x53726449))).contains("neither"));
    }

    @Test
    void aPayloadBeyondRamIsRefused() {
        GuestMemory small = new GuestMemory(MemoryLayout.MINIMUM / GuestMemory.PAGE_SIZE);
        byte[] big = TinyKernels.bzImage(new byte[MemoryLayout.MINIMUM], null);
        String m = assertThrows(KernelImageException.class,
                () -> new KernelLoader(small, MemoryLayout.MINIMUM).load(big)).getMessage();
        assertTrue(m.contains("beyond the 2 MiB of Guest memory"), m);
    }

    @Test
    void anElfSegmentGoesToItsPhysicalAddress() throws Exception {
        LoadedKernel k = loader.load(TinyKernels.elf(payload(), 0x200000, 0x1000));
        assertEquals(new LoadedKernel(0x200000, 0x200000, 0x204000, Optional.empty(), KernelFormat.ELF), k);
        assertArrayEquals(payload(), guest(0x200000, 0x3000));
    }

    @Test
    void elfFieldsAreCheckedAndNamed() {
        byte[] good = TinyKernels.elf(payload(), 0x200000, 0);
        assertTrue(refusal(edit(good, b -> b.putShort(18, (short) 62))).contains("e_machine 62"));
        assertTrue(refusal(edit(good, b -> b.putShort(16, (short) 3))).contains("e_type 3"));
        assertTrue(refusal(edit(good, b -> b.put(4, (byte) 2))).contains("ELF class 2"));
        assertTrue(refusal(edit(good, b -> b.putShort(42, (short) 56))).contains("e_phentsize 56"));
        assertTrue(refusal(edit(good, b -> b.putShort(44, (short) 0))).contains("e_phnum 0"));
        assertTrue(refusal(edit(good, b -> b.putShort(44, (short) 2049))).contains("e_phnum 2049"));
        assertTrue(refusal(edit(good, b -> b.putInt(52 + 12, 0x3FF000))).contains("p_paddr 0x3ff000"));
        assertTrue(refusal(edit(good, b -> b.putInt(52 + 16, 0x10000))).contains("p_filesz 0x10000"));
        assertTrue(refusal(edit(good, b -> b.putInt(52, 4))).contains("no PT_LOAD"));
        assertTrue(refusal(edit(good, b -> b.putInt(24, 0x100000))).contains("e_entry 0x100000"));
    }

    @Test
    void aFileLargerThanRamIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge");
        Files.write(f, new byte[RAM + 1]);
        String m = assertThrows(KernelImageException.class, () -> loader.load(f)).getMessage();
        assertTrue(m.contains(String.valueOf(RAM + 1)), m);
    }

    static byte[] edit(byte[] image, Consumer<ByteBuffer> change) {
        byte[] copy = image.clone();
        change.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
        return copy;
    }
}
