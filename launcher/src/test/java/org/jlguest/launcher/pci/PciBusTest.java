package org.jlguest.launcher.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jlguest.launcher.pci.PciDriver.Capability;
import org.jlguest.launcher.virtio.ConsoleDevice;
import org.jlguest.launcher.virtio.Features;
import org.jlguest.launcher.virtio.RngDevice;
import org.jlguest.launcher.virtio.TestDriver;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PciBusTest {
    private static final int MEM = 4 << 20;

    private final GuestMemory memory = new GuestMemory(MEM >>> 12);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PciDriver.Lines lines = new PciDriver.Lines();
    private final PciDriver.Faults faults = new PciDriver.Faults();
    private final ConsoleDevice console = new ConsoleDevice(new ByteArrayInputStream("typed".getBytes(StandardCharsets.US_ASCII)), out);
    private final PciBus bus = PciBus.create(memory, List.of(console, new RngDevice()), lines, faults);
    private final PciDriver driver = new PciDriver(bus);
    private final VirtioPciDevice consoleFn = bus.functions().get(0);

    @AfterEach
    void stop() {
        bus.stop();
    }

    @Test
    void layoutFollowsTheReferenceLauncher() {
        assertEquals(MEM + (1 << 20), consoleFn.barAddress());
        assertEquals(128, consoleFn.barSizeBytes());
        assertEquals(MEM + (1 << 20) + 128, bus.functions().get(1).barAddress());
        assertEquals(64, bus.functions().get(1).barSizeBytes());
        assertEquals((MEM + (1 << 20) + 192 + 4095) / 4096, bus.deviceLimit());
        assertThrows(IllegalArgumentException.class, () -> PciBus.create(memory, List.of(new RngDevice()), lines, faults));
    }

    @Test
    void probesLikeLinux() {
        assertEquals(0, driver.config(0, 0, 2), "host bridge vendor reads 0");
        assertEquals(0x06, driver.config(0, 0x0B, 1), "host bridge class");
        assertEquals(0x10431AF4, driver.config(1, 0, 4));
        assertEquals(0x10441AF4, driver.config(2, 0, 4));
        assertEquals(-1, driver.config(3, 0, 4), "empty slot");
        assertEquals(1, driver.config(1, 0x08, 1), "revision");
        assertEquals(0x0700, driver.config(1, 0x0A, 2));
        assertEquals(0xFF00, driver.config(2, 0x0A, 2));
        assertEquals(0x0040, driver.config(1, 0x2E, 2));
        assertEquals(1, driver.config(1, 0x3C, 1), "console IRQ");
        assertEquals(2, driver.config(2, 0x3C, 1), "rng IRQ");
        assertEquals(consoleFn.barAddress(), driver.config(1, 0x10, 4));
        assertEquals(128, driver.sizeBar0(1));
        assertEquals(64, driver.sizeBar0(2));

        assertEquals(List.of(new Capability(0x40, 1, 0, 0, 56), new Capability(0x50, 2, 0, 56, 2),
                new Capability(0x64, 3, 0, 58, 1), new Capability(0x84, 5, 0, 0, 0), new Capability(0x74, 4, 0, 60, 12)),
                driver.capabilities(1));
        assertEquals(0, driver.config(1, 0x60, 4), "notify_off_multiplier");
        assertEquals(List.of(1, 2, 3, 5), driver.capabilities(2).stream().map(Capability::cfgType).toList());
    }

    @Test
    void mechanismOneRules() {
        bus.out(0xCF8, 4, 0x8000_0800);
        assertEquals(0x8000_0800, bus.in(0xCF8, 4));
        bus.out(0xCFB, 1, 0x01);
        assertEquals(0x0100_0800, bus.in(0xCF8, 4), "byte writes merge into the address");
        assertEquals(-1, bus.in(0xCFC, 4), "enable bit clear");
        assertFalse(bus.out(0xCFC, 4, 0));
        assertEquals(-1, driver.config(1, 0x98, 4), "beyond the config block");
        bus.out(0xCF8, 4, 0x8001_0800);
        assertEquals(-1, bus.in(0xCFC, 4), "bus 1");
        assertEquals(0x1AF4, driver.config(1, 0, 2));
        assertEquals(0x1043, driver.config(1, 2, 2));
        assertFalse(driver.configWrite(1, 0, 2, 0x1234), "vendor is read-only");
        assertTrue(driver.configWrite(1, 0x04, 2, 7), "16-bit command writes are ignored");
        assertFalse(driver.configWrite(1, 0x04, 4, 7));
        assertEquals(0, driver.config(1, 0x04, 2));
        assertTrue(driver.configWrite(1, 0x0C, 4, 0xFFFF_FFFF));
        assertEquals(0xFFFF, driver.config(1, 0x0C, 4), "a dword write to 0x0C keeps the header type");
    }

    @Test
    void earlyConsoleWritesThroughTheConfigWindow() {
        for (char c : "early".toCharArray()) {
            assertTrue(driver.configWrite(1, 0x84 + 4, 1, 0));
            assertTrue(driver.configWrite(1, 0x84 + 12, 4, 4));
            assertTrue(driver.configWrite(1, 0x84 + 8, 4, 60 + 8));
            assertTrue(driver.configWrite(1, 0x84 + 16, 4, c));
        }
        assertEquals("early", out.toString(StandardCharsets.US_ASCII));
        assertTrue(driver.configWrite(1, 0x84 + 12, 4, 3));
        assertFalse(driver.configWrite(1, 0x84 + 16, 4, 'x'), "window length 3");
        assertEquals(List.of(), faults.fatal);
    }

    @Test
    void statusNegotiation() {
        int bar = consoleFn.barAddress();
        long features = PciDriver.negotiate(consoleFn, PciDriver.ACCEPT);
        assertEquals(Features.VERSION_1 | Features.RING_INDIRECT_DESC | ConsoleDevice.F_EMERG_WRITE, features);
        assertEquals(List.of(), faults.fatal);

        assertEquals(-1, PciDriver.negotiate(consoleFn, ~Features.VERSION_1), "FEATURES_OK refused without VERSION_1");
        assertEquals(3, consoleFn.read(bar + 20, 1));

        consoleFn.write(bar + 20, 1, 0);
        consoleFn.write(bar + 20, 1, 1);
        consoleFn.write(bar + 20, 1, 1 | 8);
        assertEquals(1, consoleFn.read(bar + 20, 1));
        assertTrue(faults.fatal.get(0).contains("expected only bit 0x2"), faults.fatal.toString());

        consoleFn.write(bar + 20, 1, 3);
        consoleFn.write(bar + 8, 4, 1);
        consoleFn.write(bar + 12, 4, 2);
        assertTrue(faults.fatal.get(1).contains("not offered"), faults.fatal.toString());
        consoleFn.write(bar + 20, 1, 1);
        assertTrue(faults.fatal.get(2).contains("clears bits 0x2"), faults.fatal.toString());

        consoleFn.write(bar + 20, 1, 0);
        consoleFn.write(bar + 20, 1, 1);
        consoleFn.write(bar + 20, 1, 3);
        consoleFn.write(bar + 8, 4, 1);
        consoleFn.write(bar + 12, 4, 1);
        consoleFn.write(bar + 20, 1, 0xB);
        consoleFn.write(bar + 20, 1, 0xF);
        assertTrue(faults.fatal.get(3).contains("before FEATURES_OK was read back"), faults.fatal.toString());

        assertEquals(0, consoleFn.read(bar + 4, 2), "a 16-bit read of a 32-bit register reads 0");
        consoleFn.write(bar + 20, 2, 0);
        assertEquals(0xB, consoleFn.read(bar + 20, 1), "a 16-bit status write is ignored");
        assertEquals(4, faults.fatal.size(), "width mistakes are not fatal");
        assertEquals(2, consoleFn.read(bar + 18, 2), "num_queues");
    }

    @Test
    void consoleRoundTripThroughBar0() throws InterruptedException {
        PciDriver.negotiate(consoleFn, PciDriver.ACCEPT);
        TestDriver input = PciDriver.queueAt(memory, 0x10000, 16);
        TestDriver output = PciDriver.queueAt(memory, 0x20000, 16);
        PciDriver.setupQueue(consoleFn, 0, input.layout());
        PciDriver.setupQueue(consoleFn, 1, output.layout());
        PciDriver.driverOk(consoleFn);
        assertEquals(0xF, consoleFn.read(consoleFn.barAddress() + 20, 1));

        memory.copyIn(0x30000, "hello, hvc0\n".getBytes(StandardCharsets.US_ASCII), 0, 12);
        int head = output.add(List.of(Buffer.readable(0x30000, 5), Buffer.readable(0x30005, 7)));
        PciDriver.notify(consoleFn, 1);
        assertEquals(1, lines.raised.poll(5, TimeUnit.SECONDS));
        assertEquals(new TestDriver.Used(head, 0), output.pollUsed());
        assertEquals("hello, hvc0\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals(1, consoleFn.read(consoleFn.barAddress() + 58, 1) & 1, "ISR bit 0");
        assertEquals(0, consoleFn.read(consoleFn.barAddress() + 58, 1), "ISR clears on read");

        head = input.add(List.of(Buffer.writable(0x31000, 64)));
        PciDriver.notify(consoleFn, 0);
        TestDriver.Used used = null;
        for (int i = 0; i < 500 && used == null; i++) {
            lines.raised.poll(10, TimeUnit.MILLISECONDS);
            used = input.pollUsed();
        }
        assertEquals(new TestDriver.Used(head, 5), used);
        byte[] typed = new byte[5];
        memory.copyOut(0x31000, typed, 0, 5);
        assertEquals("typed", new String(typed, StandardCharsets.US_ASCII));
        assertTrue(console.counters().snapshot().requests() >= 2);

        consoleFn.write(consoleFn.barAddress() + 20, 1, 0);
        assertFalse(console.active(), "reset stops the service threads");
    }

    @Test
    void aHostileQueueBreaksTheDeviceWithAReason() throws InterruptedException {
        PciDriver.negotiate(consoleFn, PciDriver.ACCEPT);
        TestDriver output = PciDriver.queueAt(memory, 0x20000, 4);
        PciDriver.setupQueue(consoleFn, 1, output.layout());
        PciDriver.driverOk(consoleFn);
        int d = 0x20000;
        memory.write64(d, 0x30000);
        memory.write32(d + 8, 4);
        memory.write16(d + 12, 1);
        memory.write16(d + 14, 0);
        memory.write16((int) output.layout().avail() + 4, 0);
        memory.write16Release((int) output.layout().avail() + 2, 1);
        PciDriver.notify(consoleFn, 1);
        String reason = faults.broken.poll(5, TimeUnit.SECONDS);
        assertNotNull(reason);
        assertTrue(reason.startsWith("console: output: ") && reason.contains("loop"), reason);
        assertEquals(0x40, consoleFn.read(consoleFn.barAddress() + 20, 1) & 0x40, "DEVICE_NEEDS_RESET");
        assertEquals(2, consoleFn.read(consoleFn.barAddress() + 58, 1) & 2, "config-change ISR bit");
        assertEquals(1, console.counters().snapshot().errors());
    }

    @Test
    void queueEnableValidatesTheLayout() {
        PciDriver.negotiate(consoleFn, PciDriver.ACCEPT);
        PciDriver.setupQueue(consoleFn, 1, new org.jlguest.launcher.virtio.QueueLayout(16, 0x20008, 0x21000, 0x22000));
        assertTrue(faults.fatal.get(0).contains("not 16-byte aligned"), faults.fatal.toString());
        assertEquals(0, consoleFn.read(consoleFn.barAddress() + 28, 2));
    }
}
