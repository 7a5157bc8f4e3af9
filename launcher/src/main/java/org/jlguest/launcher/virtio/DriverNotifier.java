package org.jlguest.launcher.virtio;

/**
 * How a device's service threads reach the driver through their transport: an interrupt for used
 * buffers, or the news that the device broke. The PCI transport sets ISR bits and raises the
 * device's line; the lguest bus raises the queue's own line. Safe from any thread.
 */
public interface DriverNotifier {
    /** Queue {@code queue} has used buffers the driver asked to hear about. */
    void queueUsed(int queue);

    /**
     * The device can no longer serve the driver (a malformed queue, a failed backing file): it has
     * stopped, and the transport tells the driver (DEVICE_NEEDS_RESET) and whoever runs the Guest.
     */
    void broken(String reason);
}
