package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jlguest.mmu.GuestMemory;

/**
 * A device activated directly, without a transport: queue {@code i}'s rings at 0x4000 × (i + 1),
 * a driver for each, and a notifier that records interrupts and breakage. Data buffers go at
 * 0x20000 and above.
 */
final class DeviceHarness implements DriverNotifier {
    final GuestMemory memory = new GuestMemory(128);
    final BlockingQueue<Integer> interrupts = new LinkedBlockingQueue<>();
    final BlockingQueue<String> broken = new LinkedBlockingQueue<>();
    final AtomicInteger interruptCount = new AtomicInteger();
    private final Map<Integer, TestDriver> drivers = new HashMap<>();
    private final VirtioDevice device;

    DeviceHarness(VirtioDevice device, long features) throws VirtqueueException {
        this.device = device;
        Map<Integer, Virtqueue> queues = new HashMap<>();
        for (int i = 0; i < device.queueCount(); i++) {
            int base = 0x4000 * (i + 1);
            QueueLayout layout = new QueueLayout(16, base, base + 0x100, base + 0x1000);
            queues.put(i, Virtqueue.enable(memory, layout, true, false));
            drivers.put(i, new TestDriver(memory, layout));
        }
        device.activate(memory, features, queues, this);
    }

    TestDriver driver(int queue) {
        return drivers.get(queue);
    }

    /** Notifies {@code queue} and waits for its next used entry. */
    TestDriver.Used kickAndWait(int queue) throws InterruptedException {
        device.kick(queue).signal(1);
        TestDriver d = drivers.get(queue);
        for (int i = 0; i < 500; i++) {
            TestDriver.Used used = d.pollUsed();
            if (used != null) {
                return used;
            }
            interrupts.poll(10, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no used entry on queue " + queue + "; broken: " + broken.peek());
    }

    String awaitBroken() throws InterruptedException {
        String reason = broken.poll(5, TimeUnit.SECONDS);
        assertNotNull(reason, "the device did not report breaking");
        return reason;
    }

    @Override
    public void queueUsed(int queue) {
        interruptCount.incrementAndGet();
        interrupts.add(queue);
    }

    @Override
    public void broken(String reason) {
        broken.add(reason);
    }
}
