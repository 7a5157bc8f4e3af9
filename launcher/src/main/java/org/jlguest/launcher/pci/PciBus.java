package org.jlguest.launcher.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jlguest.launcher.bus.InterruptLine;
import org.jlguest.launcher.bus.MmioBus;
import org.jlguest.launcher.bus.PortBus;
import org.jlguest.launcher.virtio.ConsoleDevice;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.jlguest.mmu.GuestMemory;

/**
 * PCI bus 0 of a 4.x Guest, reached through configuration mechanism #1 on ports 0xCF8 (address)
 * and 0xCFC-0xCFF (data) (§12.2), with a dummy host bridge in slot 0 and one virtio function per
 * device from slot 1 on, the console first (its early console looks for it at 00:01.0).
 *
 * <p>The bus also fixes the device window layout (§3.1): BAR0s start 1 MiB above the end of RAM,
 * each as large as its register block rounded up to a power of two and aligned to its size, in
 * slot order; interrupt lines are 1, 2, 3 ... in the same order. {@link #mmio} routes the Guest's
 * MMIO exits to the function whose BAR0 contains the address.
 */
public final class PciBus implements PortBus {
    public static final int ADDRESS_PORT = 0xCF8;
    public static final int DATA_PORT = 0xCFC;
    /** The unused megabyte ("DEVICE_PAGES") between RAM and the first BAR. */
    public static final int DEVICE_GAP = 1 << 20;
    private static final int MAX_SLOTS = 32;

    private final List<PciConfigSpace> slots;
    private final List<VirtioPciDevice> functions;
    private final int deviceLimit;
    private final MmioBus mmio;
    private int address;

    private PciBus(List<PciConfigSpace> slots, List<VirtioPciDevice> functions, int deviceLimit) {
        this.slots = slots;
        this.functions = functions;
        this.deviceLimit = deviceLimit;
        this.mmio = new Window(functions);
    }

    /**
     * Builds the bus for {@code devices} (the console first, then the rest in command-line order)
     * above {@code memory}, whose size is the Guest's RAM size {@code mem}. Interrupts go out on
     * {@code line}; driver faults are reported to {@code faults}.
     */
    public static PciBus create(GuestMemory memory, List<VirtioDevice> devices, InterruptLine line, DeviceFaults faults) {
        if (devices.isEmpty() || !(devices.get(0) instanceof ConsoleDevice)) {
            throw new IllegalArgumentException("the console must be the first device (slot 1)");
        }
        if (devices.size() > MAX_SLOTS - 1) {
            throw new IllegalArgumentException(devices.size() + " devices do not fit in " + (MAX_SLOTS - 1) + " slots");
        }
        List<PciConfigSpace> slots = new ArrayList<>();
        slots.add(PciConfigSpace.hostBridge());
        List<VirtioPciDevice> functions = new ArrayList<>();
        long next = (long) memory.size() + DEVICE_GAP;
        for (int i = 0; i < devices.size(); i++) {
            VirtioDevice device = devices.get(i);
            int size = VirtioPciDevice.barSize(device);
            long bar = (next + size - 1) & -(long) size;
            if (bar + size > 0xFFFF_F000L) {
                throw new IllegalArgumentException("no room below 4 GiB for the BAR of " + device.name());
            }
            VirtioPciDevice function = new VirtioPciDevice(device, memory, (int) bar, i + 1, line, faults);
            functions.add(function);
            slots.add(function.configSpace());
            next = bar + size;
        }
        int limit = (int) ((next + GuestMemory.PAGE_SIZE - 1) >>> GuestMemory.PAGE_SHIFT);
        return new PciBus(List.copyOf(slots), List.copyOf(functions), limit);
    }

    /** {@code device_limit} for INITIALIZE: the first page frame above the last BAR. */
    public int deviceLimit() {
        return deviceLimit;
    }

    /** The virtio functions in slot order (slot = index + 1). */
    public List<VirtioPciDevice> functions() {
        return functions;
    }

    /** The MMIO side: every function's BAR0. */
    public MmioBus mmio() {
        return mmio;
    }

    /** Resets every function, stopping all service threads (Launcher exit or reboot). */
    public void stop() {
        for (VirtioPciDevice function : functions) {
            synchronized (function) {
                function.reset();
            }
        }
    }

    @Override
    public boolean claims(int port) {
        return port >= ADDRESS_PORT && port <= DATA_PORT + 3;
    }

    @Override
    public synchronized int in(int port, int size) {
        int offset = port & 3;
        if (offset + size > 4) {
            return ones(size);
        }
        if (port < DATA_PORT) {
            return (address >>> (8 * offset)) & ones(size);
        }
        Optional<PciConfigSpace> target = target(offset, size);
        return target.isPresent() ? target.get().read(register() + offset, size) : ones(size);
    }

    @Override
    public synchronized boolean out(int port, int size, int value) {
        int offset = port & 3;
        if (offset + size > 4) {
            return false;
        }
        if (port < DATA_PORT) {
            int mask = ones(size) << (8 * offset);
            address = ((address & ~mask) | ((value << (8 * offset)) & mask)) & ~3;
            return true;
        }
        Optional<PciConfigSpace> target = target(offset, size);
        return target.isPresent() && target.get().write(register() + offset, size, value);
    }

    private int register() {
        return address & 0xFC;
    }

    /** The function the address register selects, if it is enabled, bus 0, function 0, in range and populated. */
    private Optional<PciConfigSpace> target(int offset, int size) {
        boolean enabled = address < 0;
        int bus = (address >>> 16) & 0xFF;
        int function = (address >>> 8) & 7;
        int slot = (address >>> 11) & 0x1F;
        if (!enabled || bus != 0 || function != 0 || register() + offset + size > PciConfigSpace.SIZE || slot >= slots.size()) {
            return Optional.empty();
        }
        return Optional.of(slots.get(slot));
    }

    private static int ones(int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    /** Routes guest-physical MMIO to the function whose BAR0 holds it. */
    private record Window(List<VirtioPciDevice> functions) implements MmioBus {
        @Override
        public boolean claims(int address) {
            return find(address) != null;
        }

        @Override
        public int read(int address, int size) {
            VirtioPciDevice function = find(address);
            return function == null ? ones(size) : function.read(address, size);
        }

        @Override
        public void write(int address, int size, int value) {
            VirtioPciDevice function = find(address);
            if (function != null) {
                function.write(address, size, value);
            }
        }

        private VirtioPciDevice find(int address) {
            for (VirtioPciDevice function : functions) {
                if (function.claims(address)) {
                    return function;
                }
            }
            return null;
        }
    }
}
