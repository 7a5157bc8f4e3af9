package org.jlguest.launcher.virtio;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jlguest.mmu.GuestMemory;

/**
 * One period during which a driver has a device running (DRIVER_OK until reset): the features it
 * accepted, the queues it enabled, and the flag that tells service loops to end.
 */
public final class Activation {
    private final long features;
    private final Map<Integer, QueueWorker> workers;
    private volatile boolean running = true;

    Activation(long features, GuestMemory memory, Map<Integer, Virtqueue> queues, VirtioDevice device, DriverNotifier notifier) {
        this.features = features;
        this.workers = Map.copyOf(queues.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey,
                e -> new QueueWorker(e.getKey(), memory, e.getValue(), device.kick(e.getKey()), notifier, this))));
    }

    /** The features the driver accepted. */
    public long features() {
        return features;
    }

    /** The worker of queue {@code index}, if the driver enabled that queue. */
    public Optional<QueueWorker> queue(int index) {
        return Optional.ofNullable(workers.get(index));
    }

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }
}
