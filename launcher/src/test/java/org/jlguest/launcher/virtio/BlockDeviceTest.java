package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDeviceTest {
    private static final int HEADER = 0x20000;
    private static final int DATA = 0x21000;
    private static final int STATUS = 0x22000;

    @TempDir
    Path dir;
    private BlockDevice device;

    @AfterEach
    void close() throws IOException {
        if (device != null) {
            device.close();
        }
    }

    private Path image(int sectors) throws IOException {
        byte[] bytes = new byte[sectors * 512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i / 512 + 1);
        }
        Path file = dir.resolve("disk.img");
        Files.write(file, bytes);
        return file;
    }

    private DeviceHarness open(Path file, boolean readOnly) throws Exception {
        device = BlockDevice.open("disk0", file, readOnly);
        return new DeviceHarness(device, device.deviceFeatures() | Features.VERSION_1);
    }

    private static void header(DeviceHarness h, int type, long sector) {
        h.memory.write32(HEADER, type);
        h.memory.write32(HEADER + 4, 0);
        h.memory.write64(HEADER + 8, sector);
        h.memory.write8(STATUS, 0xAA);
    }

    @Test
    void configAndFeatures() throws Exception {
        device = BlockDevice.open("disk0", image(8), false);
        assertEquals(8, device.readConfig(0, 4));
        assertEquals(0, device.readConfig(4, 4));
        assertEquals(254, device.readConfig(12, 4));
        assertEquals(BlockDevice.F_SEG_MAX | BlockDevice.F_FLUSH, device.deviceFeatures());
        device.close();
        device = BlockDevice.open("disk0", image(8), true);
        assertEquals(BlockDevice.F_RO, device.deviceFeatures() & BlockDevice.F_RO);
    }

    @Test
    void readsSectors() throws Exception {
        DeviceHarness h = open(image(8), false);
        header(h, 0, 2);
        int head = h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.writable(DATA, 1024), Buffer.writable(STATUS, 1)));
        assertEquals(new TestDriver.Used(head, 1025), h.kickAndWait(0));
        assertEquals(0, h.memory.read8(STATUS));
        assertEquals(3, h.memory.read8(DATA));
        assertEquals(4, h.memory.read8(DATA + 1023));
        assertEquals(1, device.counters().snapshot().requests());
    }

    @Test
    void writesAreOnDiskAfterFlush() throws Exception {
        Path file = image(8);
        DeviceHarness h = open(file, false);
        byte[] payload = new byte[512];
        Arrays.fill(payload, (byte) 0x5A);
        h.memory.copyIn(DATA, payload, 0, 512);
        header(h, 1, 7);
        int head = h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.readable(DATA, 512), Buffer.writable(STATUS, 1)));
        assertEquals(new TestDriver.Used(head, 1), h.kickAndWait(0));
        assertEquals(0, h.memory.read8(STATUS));
        header(h, 4, 0);
        head = h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.writable(STATUS, 1)));
        assertEquals(new TestDriver.Used(head, 1), h.kickAndWait(0));
        assertEquals(0, h.memory.read8(STATUS));
        byte[] onDisk = Files.readAllBytes(file);
        assertArrayEquals(payload, Arrays.copyOfRange(onDisk, 7 * 512, 8 * 512));
        assertEquals(1, onDisk[0]);
    }

    @Test
    void requestsPastTheEndFailWithoutGrowingTheFile() throws Exception {
        Path file = image(8);
        DeviceHarness h = open(file, false);
        header(h, 1, 7);
        h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.readable(DATA, 1024), Buffer.writable(STATUS, 1)));
        assertEquals(1, h.kickAndWait(0).length());
        assertEquals(1, h.memory.read8(STATUS), "IOERR");
        header(h, 0, -1L);
        h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.writable(DATA, 512), Buffer.writable(STATUS, 1)));
        assertEquals(1, h.kickAndWait(0).length());
        assertEquals(1, h.memory.read8(STATUS), "IOERR for a huge sector");
        assertEquals(8 * 512, Files.size(file));
        assertEquals(2, device.counters().snapshot().errors());
    }

    @Test
    void readOnlyRefusesWrites() throws Exception {
        Path file = image(8);
        byte[] before = Files.readAllBytes(file);
        DeviceHarness h = open(file, true);
        header(h, 1, 0);
        h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.readable(DATA, 512), Buffer.writable(STATUS, 1)));
        h.kickAndWait(0);
        assertEquals(1, h.memory.read8(STATUS));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void getIdAnswersTheSerialNotSectorData() throws Exception {
        DeviceHarness h = open(image(8), false);
        header(h, 8, 0);
        int head = h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.writable(DATA, 20), Buffer.writable(STATUS, 1)));
        assertEquals(new TestDriver.Used(head, 21), h.kickAndWait(0));
        byte[] id = new byte[20];
        h.memory.copyOut(DATA, id, 0, 20);
        assertEquals("disk0", new String(id, StandardCharsets.US_ASCII).replace("\0", ""));
        assertEquals(0, id[5]);
        assertEquals(0, h.memory.read8(STATUS));
    }

    @Test
    void unknownTypesAreUnsupported() throws Exception {
        DeviceHarness h = open(image(8), false);
        header(h, 99, 0);
        h.driver(0).add(List.of(Buffer.readable(HEADER, 16), Buffer.writable(STATUS, 1)));
        h.kickAndWait(0);
        assertEquals(2, h.memory.read8(STATUS));
    }

    @Test
    void aShortHeaderBreaksTheDevice() throws Exception {
        DeviceHarness h = open(image(8), false);
        h.driver(0).add(List.of(Buffer.readable(HEADER, 8), Buffer.writable(STATUS, 1)));
        device.kick(0).signal(1);
        String reason = h.awaitBroken();
        assertTrue(reason.contains("header is 8 bytes"), reason);
    }
}
