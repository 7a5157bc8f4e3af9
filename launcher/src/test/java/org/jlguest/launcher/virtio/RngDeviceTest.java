package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.junit.jupiter.api.Test;

class RngDeviceTest {
    @Test
    void fillsEveryBuffer() throws Exception {
        RngDevice device = new RngDevice();
        DeviceHarness h = new DeviceHarness(device, Features.VERSION_1);
        try {
            int head = h.driver(0).add(List.of(Buffer.writable(0x20000, 100), Buffer.writable(0x21000, 300)));
            assertEquals(new TestDriver.Used(head, 400), h.kickAndWait(0));
            int nonZero = 0;
            for (int i = 0; i < 300; i++) {
                nonZero += h.memory.read8(0x21000 + i) != 0 ? 1 : 0;
            }
            assertTrue(nonZero > 200, "random bytes");
            assertEquals(new DeviceCounters.Snapshot(1, 400, 0), device.counters().snapshot());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (h.interruptCount.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(h.interruptCount.get() >= 1, "interrupted once the queue ran dry");
        } finally {
            device.deactivate();
        }
    }
}
