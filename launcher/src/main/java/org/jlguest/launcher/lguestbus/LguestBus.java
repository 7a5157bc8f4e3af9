package org.jlguest.launcher.lguestbus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jlguest.host.EventFd;
import org.jlguest.launcher.bus.InterruptLine;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.DriverNotifier;
import org.jlguest.launcher.virtio.Features;
import org.jlguest.launcher.virtio.QueueLayout;
import org.jlguest.launcher.virtio.Virtqueue;
import org.jlguest.launcher.virtio.VirtqueueException;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.jlguest.mmu.GuestMemory;

/**
 * The lguest bus of 3.x Guests (ABI §11): a page of device descriptors at gpa {@code mem}, just
 * above the Guest's e820 RAM, followed by each queue's legacy ring (256 entries, 3 pages), all
 * below {@code pfn_limit} so the Guest maps them as memory.
 *
 * <p>A queue's notification is its ring address; the Launcher binds it to the queue's eventfd
 * ({@link #bindings}), so the Host wakes the service thread without an exit. A notification of a
 * descriptor address (the Guest finalising features, or resetting) does reach the Launcher, which
 * hands it to {@link #notify}. Each queue has its own interrupt line, 1, 2, 3 ... in order.
 */
public final class LguestBus {
    public static final int QUEUE_SIZE = 256;
    private static final int DESCRIPTOR_HEADER = 5;
    private static final int FEATURE_BYTES = 4;
    private static final int STATUS_FAILED = 0x80;
    private static final int PAGE = GuestMemory.PAGE_SIZE;

    /** A ring address the Host should turn into a signal of {@code eventFd}. */
    public record Binding(int address, EventFd eventFd) {
    }

    /** One device's place on the bus. */
    private record Slot(VirtioDevice device, int descriptor, int features, int firstIrq, List<Integer> rings) {
        int status(GuestMemory memory) {
            return memory.read8(descriptor + 4);
        }

        int ackedFeatures(GuestMemory memory) {
            return memory.read32(features + FEATURE_BYTES);
        }
    }

    private final GuestMemory memory;
    private final List<Slot> slots;
    private final InterruptLine line;
    private final DeviceFaults faults;

    private LguestBus(GuestMemory memory, List<Slot> slots, InterruptLine line, DeviceFaults faults) {
        this.memory = memory;
        this.slots = slots;
        this.line = line;
        this.faults = faults;
    }

    /** Pages the bus needs above {@code mem}: the descriptor page and three per queue. */
    public static int devicePages(List<VirtioDevice> devices) {
        int pages = 1;
        for (VirtioDevice device : devices) {
            pages += device.queueCount() * ringPages();
        }
        return pages;
    }

    private static int ringPages() {
        return (int) ((QueueLayout.legacyBytes(QUEUE_SIZE, QueueLayout.LEGACY_ALIGN) + PAGE - 1) / PAGE);
    }

    /**
     * Writes the descriptors of {@code devices} (in 3.x order: disks and rng, the console last) at
     * {@code mem}; {@code memory} must hold {@link #devicePages} pages above it.
     */
    public static LguestBus create(GuestMemory memory, int mem, List<VirtioDevice> devices, InterruptLine line,
                                   DeviceFaults faults) {
        if (mem % PAGE != 0 || (long) mem + (long) devicePages(devices) * PAGE > memory.size()) {
            throw new IllegalArgumentException("guest memory of " + memory.size() + " bytes has no room for "
                    + devicePages(devices) + " device pages at 0x" + Integer.toHexString(mem));
        }
        List<Slot> slots = new ArrayList<>();
        int at = mem;
        int ring = mem + PAGE;
        int irq = 1;
        for (VirtioDevice device : devices) {
            int size = DESCRIPTOR_HEADER + 8 * device.queueCount() + 2 * FEATURE_BYTES + device.configSize();
            if (at + size > mem + PAGE - 1) {
                throw new IllegalArgumentException("device descriptors do not fit in one page");
            }
            memory.write8(at, device.type().id());
            memory.write8(at + 1, device.queueCount());
            memory.write8(at + 2, FEATURE_BYTES);
            memory.write8(at + 3, device.configSize());
            memory.write8(at + 4, 0);
            List<Integer> rings = new ArrayList<>();
            for (int q = 0; q < device.queueCount(); q++) {
                int vq = at + DESCRIPTOR_HEADER + 8 * q;
                memory.write16(vq, QUEUE_SIZE);
                memory.write16(vq + 2, irq + q);
                memory.write32(vq + 4, ring / PAGE);
                rings.add(ring);
                ring += ringPages() * PAGE;
            }
            int features = at + DESCRIPTOR_HEADER + 8 * device.queueCount();
            memory.write32(features, (int) (device.deviceFeatures() | Features.RING));
            memory.write32(features + FEATURE_BYTES, 0);
            for (int i = 0; i < device.configSize(); i++) {
                memory.write8(features + 2 * FEATURE_BYTES + i, device.readConfig(i, 1));
            }
            slots.add(new Slot(device, at, features, irq, List.copyOf(rings)));
            irq += device.queueCount();
            at += size;
        }
        return new LguestBus(memory, List.copyOf(slots), line, faults);
    }

    /** Every queue's ring address with the eventfd its notifications should signal. */
    public List<Binding> bindings() {
        List<Binding> bindings = new ArrayList<>();
        for (Slot slot : slots) {
            for (int q = 0; q < slot.rings().size(); q++) {
                bindings.add(new Binding(slot.rings().get(q), slot.device().kick(q)));
            }
        }
        return List.copyOf(bindings);
    }

    /** Handles a NOTIFY address the Host passed to the Launcher (§11.3, §13.2). */
    public NotifyResult notify(int address) {
        for (Slot slot : slots) {
            if (address == slot.descriptor()) {
                return statusChanged(slot);
            }
            if (slot.rings().contains(address)) {
                return new NotifyResult.Fatal(slot.device().name() + ": notification before setup of ring 0x"
                        + Integer.toHexString(address));
            }
        }
        return new NotifyResult.NotDevice();
    }

    /** Stops every device (Launcher exit or reboot). */
    public void stop() {
        slots.forEach(slot -> slot.device().deactivate());
    }

    private NotifyResult statusChanged(Slot slot) {
        int status = slot.status(memory);
        VirtioDevice device = slot.device();
        if (status == 0 || (status & STATUS_FAILED) != 0) {
            if (status != 0) {
                faults.broken(device.name(), "the driver set FAILED (status 0x" + Integer.toHexString(status) + ")");
            }
            reset(slot);
            return new NotifyResult.StatusChanged(device.name(), status);
        }
        if (device.active()) {
            return new NotifyResult.Fatal(device.name() + ": features finalised again while running");
        }
        long acked = Integer.toUnsignedLong(slot.ackedFeatures(memory));
        Map<Integer, Virtqueue> queues = new HashMap<>();
        try {
            for (int q = 0; q < slot.rings().size(); q++) {
                QueueLayout layout = QueueLayout.legacy(slot.rings().get(q), QUEUE_SIZE, QueueLayout.LEGACY_ALIGN);
                queues.put(q, Virtqueue.enable(memory, layout,
                        (acked & Features.RING_INDIRECT_DESC) != 0, (acked & Features.RING_EVENT_IDX) != 0));
            }
        } catch (VirtqueueException e) {
            return new NotifyResult.Fatal(device.name() + ": " + e.getMessage());
        }
        device.activate(memory, acked, queues, new Notifier(slot));
        return new NotifyResult.StatusChanged(device.name(), status);
    }

    /** Stops the device, zeroes its rings and forgets the acked features. */
    private void reset(Slot slot) {
        slot.device().deactivate();
        byte[] zeros = new byte[ringPages() * PAGE];
        for (int ring : slot.rings()) {
            memory.copyIn(ring, zeros, 0, zeros.length);
        }
        memory.write32(slot.features() + FEATURE_BYTES, 0);
    }

    /** Interrupts on the queue's own line; breakage goes to the Launcher's faults. */
    private final class Notifier implements DriverNotifier {
        private final Slot slot;

        Notifier(Slot slot) {
            this.slot = slot;
        }

        @Override
        public void queueUsed(int queue) {
            line.raise(slot.firstIrq() + queue);
        }

        @Override
        public void broken(String reason) {
            faults.broken(slot.device().name(), reason);
        }
    }
}
