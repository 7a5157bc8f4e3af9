package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.junit.jupiter.api.Test;

class ConsoleDeviceTest {
    @Test
    void emergencyWritePrintsOneByte() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleDevice console = new ConsoleDevice(new PipedInputStream(), out);
        assertTrue(console.writeConfig(8, 4, 0x41 | 0xFFFF00));
        assertFalse(console.writeConfig(8, 1, 0x41), "emerg_wr is 32-bit");
        assertFalse(console.writeConfig(0, 2, 80), "cols is read-only");
        assertEquals("A", out.toString(StandardCharsets.US_ASCII));
        assertEquals(0, console.readConfig(4, 4));
    }

    @Test
    void inputLongerThanABufferContinuesInTheNext() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        ConsoleDevice console = new ConsoleDevice(new PipedInputStream(keyboard), new ByteArrayOutputStream());
        DeviceHarness h = new DeviceHarness(console, Features.VERSION_1);
        try {
            keyboard.write("abcdef".getBytes(StandardCharsets.US_ASCII));
            keyboard.flush();
            int first = h.driver(0).add(List.of(Buffer.writable(0x20000, 4)));
            assertEquals(new TestDriver.Used(first, 4), h.kickAndWait(0));
            int second = h.driver(0).add(List.of(Buffer.writable(0x21000, 4)));
            assertEquals(new TestDriver.Used(second, 2), h.kickAndWait(0));
            byte[] got = new byte[2];
            h.memory.copyOut(0x21000, got, 0, 2);
            assertEquals("ef", new String(got, StandardCharsets.US_ASCII));
        } finally {
            console.deactivate();
        }
    }
}
