package org.jlguest.launcher.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jlguest.host.Generation;
import org.jlguest.host.Lguest;
import org.jlguest.host.Request;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.bus.InterruptLine;
import org.jlguest.launcher.bus.PortBus;
import org.jlguest.launcher.lguestbus.LguestBus;
import org.jlguest.launcher.pci.PciBus;
import org.jlguest.launcher.virtio.BlockDevice;
import org.jlguest.launcher.virtio.ConsoleDevice;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.QueueLayout;
import org.jlguest.launcher.virtio.RngDevice;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.jlguest.mmu.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Guest wired up (§13.2 steps 2-3) with a virtio console on the Launcher's input and output,
 * its disks and its entropy source, and the {@link Launcher} that serves them. Closing it stops
 * every device's service threads and closes the disks.
 *
 * <p>The generation decides the transport. A virtio-PCI (4.x) Guest finds the console first, in
 * slot 1, then the disks and the rng, on PCI bus 0 ({@link PciBus}), and the test console on port
 * 0xE9. An lguest-bus (3.x) Guest finds the disks and the rng, then the console last, as
 * descriptors on the page at {@code mem} ({@link LguestBus}, ABI §11), with their rings in the
 * pages above; the Guest must have been prepared with {@link #lguestBusPages} pages there. Its
 * queue notifications go to the devices through eventfds the Host signals, a descriptor's status
 * change reaches the Launcher as a NOTIFY, and any other NOTIFY is early-console text. Its Host
 * emulates port I/O itself.
 */
public final class Machine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);
    /** Virtqueues of the console (input and output), a disk and the rng (ABI §11.4). */
    private static final int CONSOLE_QUEUES = 2;
    private static final int BLOCK_QUEUES = 1;
    private static final int RNG_QUEUES = 1;

    private final Launcher launcher;
    private final GuestImage image;
    private final List<VirtioDevice> devices;
    private final Runnable stopDevices;
    private final List<BlockDevice> disks;

    private Machine(Launcher launcher, GuestImage image, List<VirtioDevice> devices, Runnable stopDevices,
                    List<BlockDevice> disks) {
        this.launcher = launcher;
        this.image = image;
        this.devices = List.copyOf(devices);
        this.stopDevices = stopDevices;
        this.disks = List.copyOf(disks);
    }

    /**
     * Pages above RAM an lguest-bus Guest with these devices needs ({@link LguestBus#devicePages}):
     * what to prepare it with ({@code BootOptions.lguestBusPages}).
     */
    public static int lguestBusPages(DeviceOptions options) {
        int queues = CONSOLE_QUEUES + BLOCK_QUEUES * options.blocks().size() + (options.rng() ? RNG_QUEUES : 0);
        long ringBytes = QueueLayout.legacyBytes(LguestBus.QUEUE_SIZE, QueueLayout.LEGACY_ALIGN);
        int ringPages = (int) ((ringBytes + GuestMemory.PAGE_SIZE - 1) / GuestMemory.PAGE_SIZE);
        return 1 + queues * ringPages;
    }

    /**
     * Builds the devices for {@code guest} and a Launcher driving {@code lguest}; the console
     * reads {@code in} and writes {@code out}, as do the early and test consoles.
     */
    public static Machine build(Lguest lguest, PreparedGuest guest, DeviceOptions options, InputStream in,
                                OutputStream out) throws IOException {
        return build(lguest, guest, options, in, out, null);
    }

    /** As above, with every exit the Launcher serves described to {@code trace} (null: no tracing). */
    public static Machine build(Lguest lguest, PreparedGuest guest, DeviceOptions options, InputStream in,
                                OutputStream out, Consumer<String> trace) throws IOException {
        LauncherHolder holder = new LauncherHolder();
        List<BlockDevice> disks = openDisks(options);
        List<VirtioDevice> devices = new ArrayList<>(disks);
        if (options.rng()) {
            devices.add(new RngDevice());
        }
        ConsoleDevice console = new ConsoleDevice(in, out);
        InterruptLine irq = line -> lguest.send(new Request.Irq(line));
        Launcher launcher;
        GuestImage image;
        Runnable stop;
        try {
            if (guest.generation() == Generation.LGUEST_BUS) {
                devices.add(console);
                LguestBus bus = LguestBus.create(guest.memory(), guest.layout().ram(), devices, irq, holder);
                launcher = new Launcher(lguest, new Devices(List.of(), List.of(), NotifyHandler.of(bus)), out, trace);
                image = new GuestImage(guest.memory(), guest.generation(), guest.memory().pfnLimit(),
                        guest.kernel().entry(), 0);
                stop = bus::stop;
            } else {
                devices.add(0, console);
                PciBus pci = PciBus.create(guest.memory(), devices, irq, holder);
                List<PortBus> ports = List.of(pci, new TestConsolePort(out));
                launcher = new Launcher(lguest, new Devices(ports, List.of(pci.mmio()), NotifyHandler.NONE), out, trace);
                image = new GuestImage(guest.memory(), guest.generation(), guest.layout().pfnLimit(),
                        guest.kernel().entry(), pci.deviceLimit());
                stop = pci::stop;
            }
        } catch (RuntimeException e) {
            closeAll(disks);
            throw e;
        }
        holder.launcher = launcher;
        return new Machine(launcher, image, devices, stop, disks);
    }

    private static List<BlockDevice> openDisks(DeviceOptions options) throws IOException {
        List<BlockDevice> disks = new ArrayList<>();
        try {
            for (BlockSpec spec : options.blocks()) {
                disks.add(BlockDevice.open("vd" + (char) ('a' + disks.size()), spec.file(), spec.readOnly()));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(disks);
            throw e;
        }
        return disks;
    }

    /** Runs the Guest on the calling thread until it is gone. */
    public LauncherExit run() {
        return launcher.run(image);
    }

    public Launcher launcher() {
        return launcher;
    }

    /** The virtio devices in bus order: the console first on PCI, last on the lguest bus. */
    public List<VirtioDevice> devices() {
        return devices;
    }

    @Override
    public void close() throws IOException {
        stopDevices.run();
        closeAll(disks);
    }

    private static void closeAll(List<BlockDevice> disks) throws IOException {
        IOException failure = null;
        for (BlockDevice disk : disks) {
            try {
                disk.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Where device faults go: a broken device is logged, a fatal driver error stops the Guest.
     * Devices start only inside the run loop (when the Guest's driver sets DRIVER_OK or, on the
     * lguest bus, finalises its features), so the Launcher is always there by the time a fault is
     * reported.
     */
    private static final class LauncherHolder implements DeviceFaults {
        private volatile Launcher launcher;

        @Override
        public void broken(String device, String reason) {
            LOG.warn("device {} stopped: {}", device, reason);
        }

        @Override
        public void fatal(String device, String reason) {
            Launcher l = launcher;
            if (l != null) {
                l.stop("bad driver for " + device + ": " + reason);
            }
        }
    }
}
