package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever a Guest puts in a running device's queue, the device either completes every chain or
 * stops with a reason naming the rule broken; no service thread dies of an unexpected exception.
 */
class HostileQueueProperties {
    record Raw(long address, int length, int flags, int next) {
    }

    record Hostile(int availIdx, List<Integer> heads, List<Raw> descriptors, List<Integer> words) {
    }

    private Path image;

    @BeforeProperty
    void createImage() throws Exception {
        image = Files.createTempFile("hostile", ".img");
        Files.write(image, new byte[16 * 512]);
    }

    @AfterProperty
    void deleteImage() throws Exception {
        Files.deleteIfExists(image);
    }

    @Property(tries = 150)
    void blockDeviceSurvives(@ForAll("hostile") Hostile hostile) throws Exception {
        try (BlockDevice device = BlockDevice.open("hostile", image, false)) {
            check(device, hostile);
        }
    }

    @Property(tries = 100)
    void rngDeviceSurvives(@ForAll("hostile") Hostile hostile) throws Exception {
        RngDevice device = new RngDevice();
        try {
            check(device, hostile);
        } finally {
            device.deactivate();
        }
    }

    private static void check(VirtioDevice device, Hostile hostile) throws Exception {
        DeviceHarness h = new DeviceHarness(device, Features.VERSION_1 | Features.RING_INDIRECT_DESC);
        QueueLayout layout = h.driver(0).layout();
        for (int i = 0; i < hostile.descriptors().size(); i++) {
            Raw d = hostile.descriptors().get(i);
            int at = (int) layout.desc() + 16 * i;
            h.memory.write64(at, d.address());
            h.memory.write32(at + 8, d.length());
            h.memory.write16(at + 12, d.flags());
            h.memory.write16(at + 14, d.next());
        }
        for (int i = 0; i < hostile.words().size(); i++) {
            h.memory.write32(0x20000 + 4 * i, hostile.words().get(i));
        }
        for (int i = 0; i < hostile.heads().size(); i++) {
            h.memory.write16((int) layout.avail() + 4 + 2 * i, hostile.heads().get(i));
        }
        h.memory.write16Release((int) layout.avail() + 2, hostile.availIdx());
        device.kick(0).signal(1);
        String reason = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            reason = h.broken.poll(5, TimeUnit.MILLISECONDS);
            if (reason != null || h.memory.read16Acquire((int) layout.used() + 2) == hostile.availIdx()) {
                break;
            }
        }
        if (reason != null) {
            assertFalse(reason.contains("failed:"), reason);
            assertFalse(reason.isBlank());
        } else {
            assertTrue(h.memory.read16Acquire((int) layout.used() + 2) == hostile.availIdx(), "neither finished nor broken");
        }
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        Arbitrary<Long> address = Arbitraries.oneOf(
                Arbitraries.longs().between(0x20000, 0x20100), Arbitraries.longs().between(0, 128 * 4096 + 16),
                Arbitraries.longs(), Arbitraries.of(0x20000L, 128 * 4096L - 1));
        Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(0, 600),
                Arbitraries.of(16, 17, 512, 513, -1, 0x7FFFFFFF), Arbitraries.integers());
        Arbitrary<Raw> raw = Combinators.combine(address, length,
                Arbitraries.oneOf(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 0xFFFF)),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 17), Arbitraries.integers().between(0, 0xFFFF)))
                .as(Raw::new);
        Arbitrary<Integer> word = Arbitraries.oneOf(Arbitraries.integers().between(0, 9), Arbitraries.integers());
        return Combinators.combine(
                Arbitraries.oneOf(Arbitraries.integers().between(0, 17), Arbitraries.integers().between(0, 0xFFFF)),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 17), Arbitraries.integers().between(0, 0xFFFF)).list().ofMaxSize(16),
                raw.list().ofMaxSize(16),
                word.list().ofMaxSize(16))
                .as(Hostile::new);
    }
}
