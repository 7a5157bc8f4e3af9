package org.jlguest.launcher.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jlguest.launcher.bus.InterruptLine;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.Features;
import org.jlguest.launcher.virtio.QueueLayout;
import org.jlguest.launcher.virtio.TestDriver;
import org.jlguest.mmu.GuestMemory;

/**
 * What a Guest's PCI core and virtio_pci_modern driver do, through the bus's ports and MMIO, for
 * tests: config cycles, BAR sizing, the capability walk, status negotiation and queue setup.
 */
final class PciDriver {
    /** Interrupts raised, by line. */
    static final class Lines implements InterruptLine {
        final BlockingQueue<Integer> raised = new LinkedBlockingQueue<>();

        @Override
        public void raise(int line) {
            raised.add(line);
        }
    }

    /** Faults reported, as "device: reason" lines. */
    static final class Faults implements DeviceFaults {
        final BlockingQueue<String> broken = new LinkedBlockingQueue<>();
        final List<String> fatal = new ArrayList<>();

        @Override
        public void broken(String device, String reason) {
            broken.add(device + ": " + reason);
        }

        @Override
        public synchronized void fatal(String device, String reason) {
            fatal.add(device + ": " + reason);
        }
    }

    /** A virtio capability as the driver finds it in config space. */
    record Capability(int at, int cfgType, int bar, int offset, int length) {
    }

    private final PciBus bus;

    PciDriver(PciBus bus) {
        this.bus = bus;
    }

    static int address(int slot, int register) {
        return 0x8000_0000 | slot << 11 | register & 0xFC;
    }

    int config(int slot, int offset, int size) {
        bus.out(0xCF8, 4, address(slot, offset));
        return bus.in(0xCFC + (offset & 3), size);
    }

    boolean configWrite(int slot, int offset, int size, int value) {
        bus.out(0xCF8, 4, address(slot, offset));
        return bus.out(0xCFC + (offset & 3), size, value);
    }

    /** Sizes BAR0 as pci_read_bases does; returns the size and leaves the BAR as it was. */
    int sizeBar0(int slot) {
        int original = config(slot, 0x10, 4);
        configWrite(slot, 0x10, 4, -1);
        int mask = config(slot, 0x10, 4);
        configWrite(slot, 0x10, 4, original);
        assertEquals(original, config(slot, 0x10, 4));
        return ~(mask & ~0xF) + 1;
    }

    /** Walks the capability list as virtio_pci_find_capability does. */
    List<Capability> capabilities(int slot) {
        List<Capability> found = new ArrayList<>();
        assertTrue((config(slot, 0x06, 2) & 0x10) != 0, "capability list bit");
        int at = config(slot, 0x34, 1);
        for (int guard = 0; at != 0 && guard < 48; guard++) {
            assertEquals(0x09, config(slot, at, 1), "vendor capability at 0x" + Integer.toHexString(at));
            found.add(new Capability(at, config(slot, at + 3, 1), config(slot, at + 4, 1), config(slot, at + 8, 4),
                    config(slot, at + 12, 4)));
            at = config(slot, at + 1, 1);
        }
        return found;
    }

    /** The negotiation virtio_dev_probe does: reset, ACK, DRIVER, features, FEATURES_OK and its read-back. */
    static long negotiate(VirtioPciDevice dev, long accept) {
        int bar = dev.barAddress();
        dev.write(bar + 20, 1, 0);
        dev.write(bar + 20, 1, 1);
        dev.write(bar + 20, 1, 3);
        dev.write(bar + 0, 4, 0);
        long offered = Integer.toUnsignedLong(dev.read(bar + 4, 4));
        dev.write(bar + 0, 4, 1);
        offered |= Integer.toUnsignedLong(dev.read(bar + 4, 4)) << 32;
        long features = offered & accept;
        dev.write(bar + 8, 4, 0);
        dev.write(bar + 12, 4, (int) features);
        dev.write(bar + 8, 4, 1);
        dev.write(bar + 12, 4, (int) (features >>> 32));
        dev.write(bar + 20, 1, 0xB);
        return dev.read(bar + 20, 1) == 0xB ? features : -1;
    }

    /** Sets up queue {@code index} at {@code layout} as vp_modern's setup_vq does. */
    static void setupQueue(VirtioPciDevice dev, int index, QueueLayout layout) {
        int bar = dev.barAddress();
        dev.write(bar + 22, 2, index);
        assertTrue(dev.read(bar + 24, 2) >= layout.size());
        dev.write(bar + 24, 2, layout.size());
        dev.write(bar + 32, 4, (int) layout.desc());
        dev.write(bar + 36, 4, 0);
        dev.write(bar + 40, 4, (int) layout.avail());
        dev.write(bar + 44, 4, 0);
        dev.write(bar + 48, 4, (int) layout.used());
        dev.write(bar + 52, 4, 0);
        dev.write(bar + 28, 2, 1);
    }

    static void driverOk(VirtioPciDevice dev) {
        dev.write(dev.barAddress() + 20, 1, 0xF);
    }

    static void notify(VirtioPciDevice dev, int queue) {
        dev.write(dev.barAddress() + 56, 2, queue);
    }

    /** The default driver features: everything but EVENT_IDX, as a fresh layout needs. */
    static final long ACCEPT = ~Features.RING_EVENT_IDX;

    static TestDriver queueAt(GuestMemory memory, int base, int size) {
        return new TestDriver(memory, new QueueLayout(size, base, base + 16L * size, base + 0x1000));
    }
}
