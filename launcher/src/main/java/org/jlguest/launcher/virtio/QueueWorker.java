package org.jlguest.launcher.virtio;

import org.jlguest.host.EventFd;
import org.jlguest.mmu.GuestMemory;

/**
 * The device side of one running queue, as its service thread sees it: the {@link Virtqueue}, the
 * guest memory it lives in, the eventfd the driver's notifications arrive on, and the transport to
 * interrupt. It implements the wait protocol of the reference Launcher (§13.3): before sleeping,
 * send any owed interrupt, re-enable notifications, fence, and look again, so a chain published
 * between the last look and the sleep is never missed.
 */
public final class QueueWorker {
    private final int index;
    private final GuestMemory memory;
    private final Virtqueue queue;
    private final EventFd kick;
    private final DriverNotifier notifier;
    private final Activation activation;

    QueueWorker(int index, GuestMemory memory, Virtqueue queue, EventFd kick, DriverNotifier notifier, Activation activation) {
        this.index = index;
        this.memory = memory;
        this.queue = queue;
        this.kick = kick;
        this.notifier = notifier;
        this.activation = activation;
    }

    public int index() {
        return index;
    }

    public GuestMemory memory() {
        return memory;
    }

    /** Whether the device is still active: a service loop ends when this turns false. */
    public boolean running() {
        return activation.running();
    }

    /**
     * Fills {@code chain} with the next available chain, sleeping on the queue's eventfd while
     * there is none; false once the device is stopped.
     */
    public boolean awaitChain(DescriptorChain chain) throws VirtqueueException, InterruptedException {
        while (activation.running()) {
            if (queue.next(memory, chain)) {
                return true;
            }
            interruptIfOwed();
            queue.enableNotifications(memory);
            if (!queue.hasAvailable(memory) && activation.running()) {
                kick.await();
            }
            queue.disableNotifications(memory);
        }
        return false;
    }

    /** Sleeps until the queue's eventfd is signalled (a notification, or the device stopping). */
    public void sleep() throws InterruptedException {
        if (activation.running()) {
            kick.await();
        }
    }

    /** Gives {@code chain} back to the driver with {@code written} bytes written into it. */
    public void complete(DescriptorChain chain, int written) {
        queue.addUsed(memory, chain.head(), written);
    }

    /** Interrupts the driver now if it wants to hear about the chains completed so far. */
    public void interruptIfOwed() throws VirtqueueException {
        if (queue.needsInterrupt(memory)) {
            notifier.queueUsed(index);
        }
    }
}
