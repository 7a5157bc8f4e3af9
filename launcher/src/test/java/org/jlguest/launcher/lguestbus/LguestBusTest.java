package org.jlguest.launcher.lguestbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jlguest.launcher.virtio.ConsoleDevice;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.Features;
import org.jlguest.launcher.virtio.QueueLayout;
import org.jlguest.launcher.virtio.RngDevice;
import org.jlguest.launcher.virtio.TestDriver;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LguestBusTest {
    private static final int MEM = 1 << 20;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RngDevice rng = new RngDevice();
    private final ConsoleDevice console = new ConsoleDevice(new PipedInputStream(), out);
    private final List<VirtioDevice> devices = List.of(rng, console);
    private final GuestMemory memory = new GuestMemory(MEM / 4096 + LguestBus.devicePages(devices));
    private final BlockingQueue<Integer> irqs = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> faults = new LinkedBlockingQueue<>();
    private final LguestBus bus = LguestBus.create(memory, MEM, devices, irqs::add, new DeviceFaults() {
        @Override
        public void broken(String device, String reason) {
            faults.add(device + ": " + reason);
        }

        @Override
        public void fatal(String device, String reason) {
            faults.add("fatal " + device + ": " + reason);
        }
    });

    @AfterEach
    void stop() {
        bus.stop();
    }

    @Test
    void descriptorsAsTheGuestWalksThem() {
        assertEquals(1 + 3 + 6, LguestBus.devicePages(devices));
        int d = MEM;
        assertEquals(4, memory.read8(d));
        assertEquals(1, memory.read8(d + 1));
        assertEquals(4, memory.read8(d + 2));
        assertEquals(0, memory.read8(d + 3));
        assertEquals(256, memory.read16(d + 5));
        assertEquals(1, memory.read16(d + 7), "rng's queue IRQ");
        assertEquals((MEM + 4096) / 4096, memory.read32(d + 9));
        int consoleDescriptor = d + 5 + 8 + 8;
        assertEquals(3, memory.read8(consoleDescriptor));
        assertEquals(2, memory.read8(consoleDescriptor + 1));
        assertEquals(2, memory.read16(consoleDescriptor + 5 + 2));
        assertEquals(3, memory.read16(consoleDescriptor + 5 + 8 + 2));
        assertEquals(0, memory.read8(consoleDescriptor + 5 + 16 + 8 + 12), "terminator");
        assertEquals(List.of(MEM + 4096, MEM + 4 * 4096, MEM + 7 * 4096),
                bus.bindings().stream().map(LguestBus.Binding::address).toList());
        assertEquals(console.kick(1), bus.bindings().get(2).eventFd());
    }

    @Test
    void statusProtocolAndConsoleOutput() throws InterruptedException {
        int consoleDescriptor = MEM + 5 + 8 + 8;
        int features = consoleDescriptor + 5 + 16;
        assertEquals(ConsoleDevice.F_EMERG_WRITE | Features.RING, Integer.toUnsignedLong(memory.read32(features)));
        assertInstanceOf(NotifyResult.Fatal.class, bus.notify(MEM + 7 * 4096), "ring before setup");
        memory.write32(features + 4, (int) Features.RING_INDIRECT_DESC);
        memory.write8(consoleDescriptor + 4, 7);
        assertEquals(new NotifyResult.StatusChanged("console", 7), bus.notify(consoleDescriptor));
        assertTrue(console.active());
        assertInstanceOf(NotifyResult.Fatal.class, bus.notify(consoleDescriptor), "finalised twice");

        TestDriver output = new TestDriver(memory, QueueLayout.legacy(MEM + 7 * 4096, 256, 4096));
        memory.copyIn(0x1000, "3.x hvc0\n".getBytes(StandardCharsets.US_ASCII), 0, 9);
        int head = output.add(List.of(Buffer.readable(0x1000, 9)));
        console.kick(1).signal(1);
        assertEquals(3, irqs.poll(5, TimeUnit.SECONDS), "the output queue's own line");
        assertEquals(new TestDriver.Used(head, 0), output.pollUsed());
        assertEquals("3.x hvc0\n", out.toString(StandardCharsets.US_ASCII));

        memory.write8(consoleDescriptor + 4, 0);
        bus.notify(consoleDescriptor);
        assertFalse(console.active());
        assertEquals(0, memory.read32(features + 4), "acked features cleared");
        assertEquals(0, memory.read16(MEM + 7 * 4096 + 16 * 256 + 2), "rings zeroed");
        assertInstanceOf(NotifyResult.NotDevice.class, bus.notify(0x1000));
    }
}
