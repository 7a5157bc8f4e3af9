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
import org.jlguest.launcher.bus.PortBus;
import org.jlguest.launcher.pci.PciBus;
import org.jlguest.launcher.virtio.BlockDevice;
import org.jlguest.launcher.virtio.ConsoleDevice;
import org.jlguest.launcher.virtio.DeviceFaults;
import org.jlguest.launcher.virtio.RngDevice;
import org.jlguest.launcher.virtio.VirtioDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Guest wired up (§13.2 steps 2-3): the console first, then the disks and the entropy source,
 * on PCI bus 0 for a virtio-PCI Guest; the test console on port 0xE9; and the {@link Launcher}
 * that serves them. Closing it stops every device's service threads and closes the disks.
 *
 * <p>An lguest-bus (3.x) Guest gets no virtio devices yet: it prints through its early console
 * (NOTIFY strings), and its Host emulates port I/O itself.
 */
public final class Machine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);

    private final Launcher launcher;
    private final GuestImage image;
    private final List<VirtioDevice> devices;
    private final PciBus pci;
    private final List<BlockDevice> disks;

    private Machine(Launcher launcher, GuestImage image, List<VirtioDevice> devices, PciBus pci, List<BlockDevice> disks) {
        this.launcher = launcher;
        this.image = image;
        this.devices = List.copyOf(devices);
        this.pci = pci;
        this.disks = List.copyOf(disks);
    }

    /**
     * Builds the devices for {@code guest} and a Launcher driving {@code lguest}; the console
     * reads {@code in} and writes {@code out}, as do the early and test consoles.
     */
    public static Machine build(Lguest lguest, PreparedGuest guest, DeviceOptions options, InputStream in,
                                OutputStream out) throws IOException {
        return build(lguest, guest, options, in, out, line -> { });
    }

    /** As above, with every exit the Launcher serves described to {@code trace}. */
    public static Machine build(Lguest lguest, PreparedGuest guest, DeviceOptions options, InputStream in,
                                OutputStream out, Consumer<String> trace) throws IOException {
        List<PortBus> ports = new ArrayList<>();
        ports.add(new TestConsolePort(out));
        LauncherHolder holder = new LauncherHolder();
        if (guest.generation() == Generation.LGUEST_BUS) {
            Launcher launcher = new Launcher(lguest, new Devices(ports, List.of(), NotifyHandler.NONE), out, trace);
            GuestImage image = new GuestImage(guest.memory(), guest.generation(), guest.memory().pfnLimit(),
                    guest.kernel().entry(), 0);
            return new Machine(launcher, image, List.of(), null, List.of());
        }
        List<VirtioDevice> devices = new ArrayList<>();
        List<BlockDevice> disks = new ArrayList<>();
        devices.add(new ConsoleDevice(in, out));
        try {
            for (BlockSpec spec : options.blocks()) {
                BlockDevice disk = BlockDevice.open("vd" + (char) ('a' + disks.size()), spec.file(), spec.readOnly());
                disks.add(disk);
                devices.add(disk);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(disks);
            throw e;
        }
        if (options.rng()) {
            devices.add(new RngDevice());
        }
        PciBus pci = PciBus.create(guest.memory(), devices, line -> lguest.send(new Request.Irq(line)), holder);
        ports.add(0, pci);
        Launcher launcher = new Launcher(lguest, new Devices(ports, List.of(pci.mmio()), NotifyHandler.NONE), out, trace);
        holder.launcher = launcher;
        GuestImage image = new GuestImage(guest.memory(), guest.generation(), guest.layout().pfnLimit(),
                guest.kernel().entry(), pci.deviceLimit());
        return new Machine(launcher, image, devices, pci, disks);
    }

    /** Runs the Guest on the calling thread until it is gone. */
    public LauncherExit run() {
        return launcher.run(image);
    }

    public Launcher launcher() {
        return launcher;
    }

    /** The virtio devices, console first. */
    public List<VirtioDevice> devices() {
        return devices;
    }

    @Override
    public void close() throws IOException {
        if (pci != null) {
            pci.stop();
        }
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
     * Devices start only when the Guest's driver sets DRIVER_OK, inside the run loop, so the
     * Launcher is always there by the time a fault is reported.
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
