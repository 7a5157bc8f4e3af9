package org.jlguest.launcher.pci;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jlguest.launcher.bus.InterruptLine;
import org.jlguest.launcher.bus.MmioBus;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.DriverNotifier;
import org.jlguest.launcher.virtio.Features;
import org.jlguest.launcher.virtio.QueueLayout;
import org.jlguest.launcher.virtio.Virtqueue;
import org.jlguest.launcher.virtio.VirtqueueException;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.jlguest.mmu.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtio device as a virtio 1.0 PCI function: its BAR0 register block (§12.4) at a fixed
 * guest-physical address, the status and feature negotiation, queue setup, notifications, the
 * ISR, and device config. Register accesses come from the vCPU thread (MMIO exits and the config
 * access window); the device's service threads only raise interrupts and report breakage.
 *
 * <p>Three kinds of driver mistakes are told apart. An access of the wrong width is logged once
 * and ignored (reads return 0). A rule the reference Launcher calls fatal ("bad driver") is
 * reported to {@link DeviceFaults#fatal} and the write ignored. A device that breaks while running
 * (a malformed queue, or the driver setting FAILED) shows DEVICE_NEEDS_RESET and is reported to
 * {@link DeviceFaults#broken}.
 */
public final class VirtioPciDevice implements MmioBus, RegisterBlock {
    static final int COMMON = 0;
    static final int COMMON_SIZE = 56;
    static final int NOTIFY = 56;
    static final int ISR = 58;
    static final int DEVICE_CONFIG = 60;

    static final int S_ACKNOWLEDGE = 1;
    static final int S_DRIVER = 2;
    static final int S_DRIVER_OK = 4;
    static final int S_FEATURES_OK = 8;
    static final int S_NEEDS_RESET = 0x40;
    static final int S_FAILED = 0x80;
    static final int ISR_QUEUE = 1;
    static final int ISR_CONFIG = 2;
    static final int DEFAULT_QUEUE_SIZE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(VirtioPciDevice.class);

    /** A queue's registers as the driver programs them before enabling it. */
    private static final class QueueRegisters {
        int size = DEFAULT_QUEUE_SIZE;
        boolean enabled;
        long desc;
        long avail;
        long used;
        Virtqueue queue;
    }

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final int barAddress;
    private final int barSize;
    private final int irq;
    private final InterruptLine line;
    private final DeviceFaults faults;
    private final long offered;
    private final QueueRegisters[] queues;
    private final PciConfigSpace config;
    private final AtomicInteger isr = new AtomicInteger();
    private final Set<String> warned = new HashSet<>();
    private final DriverNotifier notifier = new Notifier();
    private volatile boolean needsReset;
    private int status;
    private boolean featuresOkReadBack;
    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private long driverFeatures;
    private int queueSelect;

    VirtioPciDevice(VirtioDevice device, GuestMemory memory, int barAddress, int irq, InterruptLine line, DeviceFaults faults) {
        this.device = device;
        this.memory = memory;
        this.barAddress = barAddress;
        this.barSize = barSize(device);
        this.irq = irq;
        this.line = line;
        this.faults = faults;
        this.offered = device.deviceFeatures() | Features.VERSION_1 | Features.RING;
        this.queues = new QueueRegisters[device.queueCount()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueRegisters();
        }
        int[] classes = pciClass(device);
        this.config = PciConfigSpace.virtio(device.type().id(), classes[0], classes[1], barAddress, barSize, irq,
                device.configSize(), this);
    }

    /** The BAR size a device needs: its register block rounded up to a power of two. */
    static int barSize(VirtioDevice device) {
        return Integer.highestOneBit(DEVICE_CONFIG + device.configSize() - 1) << 1;
    }

    private static int[] pciClass(VirtioDevice device) {
        return switch (device.type()) {
            case CONSOLE -> new int[] {0x07, 0x00};
            case BLOCK -> new int[] {0x01, 0x80};
            case RNG -> new int[] {0xFF, 0x00};
        };
    }

    public VirtioDevice device() {
        return device;
    }

    /** Guest-physical address of BAR0. */
    public int barAddress() {
        return barAddress;
    }

    public int barSizeBytes() {
        return barSize;
    }

    /** The lguest interrupt line (PCI interrupt line register). */
    public int irq() {
        return irq;
    }

    PciConfigSpace configSpace() {
        return config;
    }

    @Override
    public boolean claims(int address) {
        return Integer.compareUnsigned(address - barAddress, barSize) < 0;
    }

    @Override
    public int read(int address, int size) {
        return readRegister(address - barAddress, size);
    }

    @Override
    public void write(int address, int size, int value) {
        writeRegister(address - barAddress, size, value);
    }

    @Override
    public int size() {
        return DEVICE_CONFIG + device.configSize();
    }

    @Override
    public synchronized int readRegister(int offset, int size) {
        if (offset == ISR) {
            return width(offset, size, 1) ? isr.getAndSet(0) : 0;
        }
        if (offset == 20) {
            if (!width(offset, size, 1)) {
                return 0;
            }
            if ((status & S_FEATURES_OK) != 0) {
                featuresOkReadBack = true;
            }
            return status | (needsReset ? S_NEEDS_RESET : 0);
        }
        if (offset == 18) {
            return width(offset, size, 2) ? queues.length : 0;
        }
        if (offset == 21) {
            width(offset, size, 1);
            return 0;
        }
        if (offset == 16 || offset == 59) {
            return fatalRead(offset, "is not readable");
        }
        if (offset < 0 || offset + size > size()) {
            return fatalRead(offset, "is beyond the " + size() + "-byte register block");
        }
        if ((status & S_DRIVER) == 0) {
            return fatalRead(offset, "was read before the driver set DRIVER");
        }
        if (offset >= DEVICE_CONFIG) {
            int at = offset - DEVICE_CONFIG;
            if (size != 1 && size != 2 && size != 4 || at % size != 0 || at + size > device.configSize()) {
                return fatalRead(offset, "is outside the " + device.configSize() + "-byte device config");
            }
            return device.readConfig(at, size);
        }
        QueueRegisters q = selected();
        return switch (offset) {
            case 0 -> width(offset, size, 4) ? deviceFeatureSelect : 0;
            case 4 -> width(offset, size, 4) ? featureWord(offered, deviceFeatureSelect) : 0;
            case 8 -> width(offset, size, 4) ? driverFeatureSelect : 0;
            case 12 -> width(offset, size, 4) ? featureWord(driverFeatures, driverFeatureSelect) : 0;
            case 22 -> width(offset, size, 2) ? queueSelect : 0;
            case 24 -> width(offset, size, 2) ? (q == null ? 0 : q.size) : 0;
            case 26 -> width(offset, size, 2) ? 0xFFFF : 0;
            case 28 -> width(offset, size, 2) ? (q != null && q.enabled ? 1 : 0) : 0;
            case 30, NOTIFY -> {
                width(offset, size, 2);
                yield 0;
            }
            case 32, 40, 48 -> width(offset, size, 4) && q != null ? (int) address(q, offset) : 0;
            case 36, 44, 52 -> width(offset, size, 4) && q != null ? (int) (address(q, offset - 4) >>> 32) : 0;
            default -> misaligned(offset, size);
        };
    }

    @Override
    public synchronized void writeRegister(int offset, int size, int value) {
        if (offset >= DEVICE_CONFIG) {
            int at = offset - DEVICE_CONFIG;
            if (at + size > device.configSize() || !device.writeConfig(at, size, value)) {
                fatal(String.format("write of 0x%x to device config offset %d (%d bytes) is not allowed", value, at, size));
            }
            return;
        }
        QueueRegisters q = selected();
        switch (offset) {
            case 0 -> {
                if (width(offset, size, 4) && featureWriteAllowed("device_feature_select")) {
                    deviceFeatureSelect = value;
                }
            }
            case 8 -> {
                if (width(offset, size, 4) && featureWriteAllowed("driver_feature_select")) {
                    if (value != 0 && value != 1) {
                        fatal("driver_feature_select " + value + " is neither 0 nor 1");
                    } else {
                        driverFeatureSelect = value;
                    }
                }
            }
            case 12 -> {
                if (width(offset, size, 4) && featureWriteAllowed("driver_feature")) {
                    acceptFeatures(value);
                }
            }
            case 20 -> {
                if (width(offset, size, 1)) {
                    writeStatus(value & 0xFF);
                }
            }
            case 22 -> {
                if (width(offset, size, 2)) {
                    queueSelect = value & 0xFFFF;
                }
            }
            case 24 -> {
                if (width(offset, size, 2)) {
                    setQueueSize(q, value & 0xFFFF);
                }
            }
            case 28 -> {
                if (width(offset, size, 2)) {
                    enableQueue(q, value & 0xFFFF);
                }
            }
            case 32, 36, 40, 44, 48, 52 -> {
                if (width(offset, size, 4)) {
                    setQueueAddress(q, offset, value);
                }
            }
            case NOTIFY -> {
                if (width(offset, size, 2)) {
                    notifyQueue(value & 0xFFFF);
                }
            }
            default -> fatal(String.format("register at offset %d is not writable (value 0x%x)", offset, value));
        }
    }

    private QueueRegisters selected() {
        return queueSelect < queues.length ? queues[queueSelect] : null;
    }

    private static long address(QueueRegisters q, int offset) {
        return switch (offset) {
            case 32 -> q.desc;
            case 40 -> q.avail;
            default -> q.used;
        };
    }

    private static int featureWord(long features, int select) {
        return switch (select) {
            case 0 -> (int) features;
            case 1 -> (int) (features >>> 32);
            default -> 0;
        };
    }

    private boolean featureWriteAllowed(String register) {
        if ((status & S_DRIVER) == 0 || (status & S_FEATURES_OK) != 0) {
            fatal(register + " written with status 0x" + Integer.toHexString(status) + " (needs DRIVER and not FEATURES_OK)");
            return false;
        }
        return true;
    }

    private void acceptFeatures(int value) {
        long word = Integer.toUnsignedLong(value) << (32 * driverFeatureSelect);
        long mask = 0xFFFFFFFFL << (32 * driverFeatureSelect);
        if ((word & ~offered) != 0) {
            fatal(String.format("driver accepted features 0x%x that were not offered (0x%x)", word & ~offered, offered));
            return;
        }
        driverFeatures = (driverFeatures & ~mask) | word;
    }

    /** The status byte's ordering rules; a refused transition leaves the status unchanged. */
    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        if ((value & S_FAILED) != 0) {
            device.deactivate();
            broken("the driver set FAILED");
            status |= S_FAILED;
            return;
        }
        int cleared = status & ~value;
        int added = value & ~status;
        if (cleared != 0) {
            fatal(String.format("status write 0x%x clears bits 0x%x of 0x%x", value, cleared, status));
            return;
        }
        if (added == 0) {
            return;
        }
        int expected = nextStatusBit();
        if (added != expected) {
            fatal(String.format("status write 0x%x: expected only bit 0x%x next after 0x%x", value, expected, status));
            return;
        }
        switch (added) {
            case S_FEATURES_OK -> {
                featuresOkReadBack = false;
                if ((driverFeatures & Features.VERSION_1) == 0) {
                    warnOnce("version1", "driver did not accept VIRTIO_F_VERSION_1; FEATURES_OK stays clear");
                    return;
                }
            }
            case S_DRIVER_OK -> {
                if (!featuresOkReadBack) {
                    fatal("DRIVER_OK set before FEATURES_OK was read back");
                    return;
                }
                status |= S_DRIVER_OK;
                start();
                return;
            }
            default -> {
            }
        }
        status |= added;
    }

    private int nextStatusBit() {
        if ((status & S_ACKNOWLEDGE) == 0) {
            return S_ACKNOWLEDGE;
        }
        if ((status & S_DRIVER) == 0) {
            return S_DRIVER;
        }
        if ((status & S_FEATURES_OK) == 0) {
            return S_FEATURES_OK;
        }
        return (status & S_DRIVER_OK) == 0 ? S_DRIVER_OK : 0;
    }

    private void start() {
        Map<Integer, Virtqueue> enabled = new HashMap<>();
        for (int i = 0; i < queues.length; i++) {
            if (queues[i].enabled) {
                enabled.put(i, queues[i].queue);
            }
        }
        device.activate(memory, driverFeatures, enabled, notifier);
    }

    /** Device reset: stop the services, forget the negotiation, and return every queue to its defaults. */
    void reset() {
        device.deactivate();
        status = 0;
        needsReset = false;
        featuresOkReadBack = false;
        driverFeatures = 0;
        deviceFeatureSelect = 0;
        driverFeatureSelect = 0;
        queueSelect = 0;
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueRegisters();
        }
        isr.set(0);
    }

    private void setQueueSize(QueueRegisters q, int size) {
        if (q == null || q.enabled || size == 0 || size > DEFAULT_QUEUE_SIZE || Integer.bitCount(size) != 1) {
            fatal("queue_size " + size + " for queue " + queueSelect + " is refused (a power of two up to "
                    + DEFAULT_QUEUE_SIZE + ", for an existing disabled queue)");
            return;
        }
        q.size = size;
    }

    private void setQueueAddress(QueueRegisters q, int offset, int value) {
        if (q == null || q.enabled || (status & S_FEATURES_OK) == 0 || !featuresOkReadBack) {
            fatal("queue address register " + offset + " written for queue " + queueSelect
                    + " while it is missing, enabled, or before FEATURES_OK was read back");
            return;
        }
        long word = Integer.toUnsignedLong(value);
        boolean high = offset % 8 == 4;
        int base = high ? offset - 4 : offset;
        long current = address(q, base);
        long updated = high ? (current & 0xFFFFFFFFL) | (word << 32) : (current & ~0xFFFFFFFFL) | word;
        switch (base) {
            case 32 -> q.desc = updated;
            case 40 -> q.avail = updated;
            default -> q.used = updated;
        }
    }

    private void enableQueue(QueueRegisters q, int value) {
        if (q == null || value != 1 || (status & S_DRIVER_OK) != 0 || q.enabled) {
            fatal("queue_enable " + value + " for queue " + queueSelect + " is refused");
            return;
        }
        QueueLayout layout = new QueueLayout(q.size, q.desc, q.avail, q.used);
        try {
            q.queue = Virtqueue.enable(memory, layout,
                    (driverFeatures & Features.RING_INDIRECT_DESC) != 0, (driverFeatures & Features.RING_EVENT_IDX) != 0);
            q.enabled = true;
        } catch (VirtqueueException e) {
            fatal("queue " + queueSelect + " cannot be enabled: " + e.getMessage());
        }
    }

    private void notifyQueue(int index) {
        if (index >= queues.length) {
            fatal("notify names queue " + index + " of " + queues.length);
            return;
        }
        if ((status & S_DRIVER_OK) == 0) {
            warnOnce("early-notify", "notify of queue " + index + " before DRIVER_OK ignored");
            return;
        }
        device.kick(index).signal(1);
    }

    /** Natural width: a mismatch is a driver bug, logged once per register and otherwise ignored. */
    private boolean width(int offset, int size, int expected) {
        if (size == expected) {
            return true;
        }
        warnOnce("width@" + offset, size + "-byte access to the " + expected + "-byte register at offset " + offset + " ignored");
        return false;
    }

    private int misaligned(int offset, int size) {
        warnOnce("width@" + offset, size + "-byte access at offset " + offset + " is not at a register start; ignored");
        return 0;
    }

    private int fatalRead(int offset, String why) {
        fatal("read of register offset " + offset + " " + why);
        return 0;
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            LOG.warn("{}: {}", device.name(), message);
        }
    }

    private void fatal(String reason) {
        LOG.warn("{}: bad driver: {}", device.name(), reason);
        faults.fatal(device.name(), reason);
    }

    private void broken(String reason) {
        needsReset = true;
        isr.getAndUpdate(v -> v | ISR_CONFIG);
        line.raise(irq);
        faults.broken(device.name(), reason);
    }

    /** The transport side of the device's service threads; never takes this object's lock. */
    private final class Notifier implements DriverNotifier {
        @Override
        public void queueUsed(int queue) {
            isr.getAndUpdate(v -> v | ISR_QUEUE);
            line.raise(irq);
        }

        @Override
        public void broken(String reason) {
            VirtioPciDevice.this.broken(reason);
        }
    }
}
