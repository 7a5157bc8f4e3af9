package org.jlguest.launcher.virtio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jlguest.host.EventFd;
import org.jlguest.mmu.GuestMemory;

/**
 * A virtio device, independent of the transport that presents it to the Guest (virtio-PCI in 4.x,
 * the lguest bus in 3.x): its type, feature bits, device-specific config, one eventfd per queue
 * that the transport signals on a notification, and the service threads that run while a driver
 * has the device active.
 *
 * <p>The transport calls {@link #activate} when the driver sets DRIVER_OK and {@link #deactivate}
 * on reset; each service thread ends by itself when the device is deactivated. A service that
 * meets a malformed queue, or fails in any other way, stops and reports through
 * {@link DriverNotifier#broken}: nothing the Guest writes ends the Launcher.
 */
public abstract sealed class VirtioDevice permits ConsoleDevice, BlockDevice, RngDevice {
    /** How long {@link #deactivate} waits for a service thread blocked outside our control. */
    private static final long STOP_WAIT_MILLIS = 2000;

    /** A named loop that services one or more of the device's queues until deactivation. */
    protected record Service(String name, Body body) {
    }

    /** The body of a service thread. */
    @FunctionalInterface
    protected interface Body {
        void run() throws VirtqueueException, InterruptedException, IOException;
    }

    private final DeviceType type;
    private final String name;
    private final List<EventFd> kicks;
    private final DeviceCounters counters = new DeviceCounters();
    private Activation activation;
    private List<Thread> threads = List.of();

    protected VirtioDevice(DeviceType type, String name, int queueCount) {
        this.type = type;
        this.name = name;
        List<EventFd> fds = new ArrayList<>();
        for (int i = 0; i < queueCount; i++) {
            fds.add(new EventFd());
        }
        this.kicks = List.copyOf(fds);
    }

    public final DeviceType type() {
        return type;
    }

    /** A short name for logs, metrics and thread names ("console", "block0", "rng"). */
    public final String name() {
        return name;
    }

    public final int queueCount() {
        return kicks.size();
    }

    public final DeviceCounters counters() {
        return counters;
    }

    /** The eventfd that wakes queue {@code queue}'s service: the transport signals it on a notification. */
    public final EventFd kick(int queue) {
        return kicks.get(queue);
    }

    /** The device-specific feature bits offered; transports add {@link Features#VERSION_1} and {@link Features#RING}. */
    public abstract long deviceFeatures();

    /** Bytes of device-specific config. */
    public abstract int configSize();

    /** Reads {@code size} (1, 2 or 4) bytes of config at {@code offset}, which the transport checked. */
    public abstract int readConfig(int offset, int size);

    /**
     * Writes config; false if that field is not writable (the transport reports the driver).
     * Device config is read-only unless a device says otherwise.
     */
    public boolean writeConfig(int offset, int size, int value) {
        return false;
    }

    /** The service loops for one activation. */
    protected abstract List<Service> services(Activation activation);

    /**
     * Starts the service threads for the queues the driver enabled, with the features it accepted.
     * A device already active is deactivated first.
     */
    public final synchronized void activate(GuestMemory memory, long features, Map<Integer, Virtqueue> queues,
                                            DriverNotifier notifier) {
        deactivate();
        Activation next = new Activation(features, memory, queues, this, notifier);
        List<Thread> started = new ArrayList<>();
        for (Service service : services(next)) {
            Thread thread = new Thread(() -> runService(service, notifier), "jlguest-" + name + "-" + service.name());
            thread.setDaemon(true);
            started.add(thread);
        }
        activation = next;
        threads = List.copyOf(started);
        threads.forEach(Thread::start);
    }

    /** Stops the service threads and waits for them; the queues' state is discarded. */
    public final synchronized void deactivate() {
        if (activation == null) {
            return;
        }
        activation.stop();
        kicks.forEach(kick -> kick.signal(1));
        for (Thread thread : threads) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (EventFd kick : kicks) {
            try {
                kick.await(0, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        activation = null;
        threads = List.of();
    }

    /** Whether a driver has the device active. */
    public final synchronized boolean active() {
        return activation != null;
    }

    private void runService(Service service, DriverNotifier notifier) {
        try {
            service.body().run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VirtqueueException e) {
            counters.error();
            notifier.broken(service.name() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            counters.error();
            notifier.broken(service.name() + " failed: " + e);
        }
    }
}
