package org.jlguest.launcher.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jlguest.host.Generation;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroPageTest {
    private final MemoryLayout layout = new MemoryLayout(32 << 20);
    private final GuestMemory memory = new GuestMemory(layout.pfnLimit());

    @Test
    void theFieldsOfSection52() throws Exception {
        ZeroPage.of(layout, "console=hvc0 root=/dev/vda", Optional.empty()).writeTo(memory);
        assertEquals(1, memory.read8(0x1E8));
        assertEquals(0L, memory.read64(0x2D0));
        assertEquals(32L << 20, memory.read64(0x2D8));
        assertEquals(1, memory.read32(0x2E0));
        assertEquals(0x0207, memory.read16(0x206));
        assertEquals(0x40, memory.read8(0x211));
        assertEquals(0x1000, memory.read32(0x228));
        assertEquals(0x1000000, memory.read32(0x230));
        assertEquals(1, memory.read32(0x23C));
        assertEquals(0, memory.read8(0x210));
        assertEquals(0, memory.read32(0x218));
        byte[] line = new byte[27];
        memory.copyOut(0x1000, line, 0, line.length);
        assertEquals("console=hvc0 root=/dev/vda\0", new String(line, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void anInitrdEndsAtTheTopOfRamPageAligned(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("initrd");
        byte[] content = new byte[Initrd.CHUNK + 5000];
        content[0] = 0x30;
        content[content.length - 1] = 0x31;
        Files.write(f, content);
        List<Long> reports = new ArrayList<>();
        InitrdPlacement p = Initrd.load(f, memory, layout, 0x200000, (done, total) -> reports.add(done));
        int size = (content.length + 4095) & -4096;
        assertEquals(new InitrdPlacement((32 << 20) - size, size), p);
        assertEquals(List.of((long) Initrd.CHUNK, (long) content.length), reports);
        assertEquals(0x30, memory.read8(p.address()));
        assertEquals(0x31, memory.read8(p.address() + content.length - 1));
        ZeroPage.of(layout, "", Optional.of(p)).writeTo(memory);
        assertEquals(0xFF, memory.read8(0x210));
        assertEquals(p.address(), memory.read32(0x218));
        assertEquals(size, memory.read32(0x21C));
    }

    @Test
    void anInitrdThatWouldOverlapTheKernelIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("initrd");
        Files.write(f, new byte[31 << 20]);
        String m = assertThrows(BootException.class,
                () -> Initrd.load(f, memory, layout, 0x200000, ProgressListener.SILENT)).getMessage();
        assertTrue(m.contains("inside the kernel that ends at 0x200000"), m);
    }

    @Test
    void aCommandLineTheGuestCannotReadIsRefused() {
        String m = assertThrows(BootException.class, () -> ZeroPage.of(layout, "x".repeat(2048), Optional.empty())).getMessage();
        assertTrue(m.contains("2048 bytes"), m);
    }

    @Test
    void memorySizes() throws Exception {
        assertEquals(64 << 20, MemoryLayout.parse("64").ram());
        assertEquals(64 << 20, MemoryLayout.parse("64M").ram());
        assertEquals(1 << 30, MemoryLayout.parse("1g").ram());
        assertEquals(4 << 20, MemoryLayout.parse("4096K").ram());
        assertTrue(assertThrows(BootException.class, () -> MemoryLayout.parse("1M")).getMessage().contains("\"1M\""));
        assertTrue(assertThrows(BootException.class, () -> MemoryLayout.parse("lots")).getMessage().contains("\"lots\""));
        assertTrue(assertThrows(BootException.class, () -> MemoryLayout.parse("3G")).getMessage().contains("\"3G\""));
        assertEquals(16384, MemoryLayout.parse("64M").pfnLimit());
    }

    @Test
    void theGenerationFollowsTheKernelRelease() {
        assertEquals(Optional.of(new KernelVersion(4, 13)), KernelVersion.parse("4.13.0-rc1 (a@b) #2"));
        assertEquals(Generation.VIRTIO_PCI, KernelVersion.choose(Optional.empty(), Optional.of("4.1.0 (a@b)")));
        assertEquals(Generation.LGUEST_BUS, KernelVersion.choose(Optional.empty(), Optional.of("4.0.9 (a@b)")));
        assertEquals(Generation.LGUEST_BUS, KernelVersion.choose(Optional.empty(), Optional.of("3.11.10")));
        assertEquals(Generation.LGUEST_BUS, KernelVersion.choose(Optional.empty(), Optional.of("2.6.32")));
        assertEquals(Generation.VIRTIO_PCI, KernelVersion.choose(Optional.empty(), Optional.of("jlguest test")));
        assertEquals(Generation.VIRTIO_PCI, KernelVersion.choose(Optional.empty(), Optional.empty()));
        assertEquals(Generation.LGUEST_BUS, KernelVersion.choose(Optional.of(Generation.LGUEST_BUS), Optional.of("4.4")));
    }
}
