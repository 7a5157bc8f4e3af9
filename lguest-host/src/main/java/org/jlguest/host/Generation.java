package org.jlguest.host;

/**
 * The two shapes of the lguest ABI a Guest may expect, chosen by the Launcher's INITIALIZE:
 * three words for the lguest-bus generation (Linux 2.6.3x-4.0 and the 4.1-development seed),
 * four (with {@code device_limit}) for the virtio-PCI generation (Linux 4.1-4.13).
 */
public enum Generation {
    /** NOTIFY hypercalls, eventfds, in-Host emulation of port I/O; read() returns a 4-byte address. */
    LGUEST_BUS(3),
    /** #GP(0) and device-window faults go to the Launcher as a 12-byte {@code lguest_pending}. */
    VIRTIO_PCI(4);

    /** Words INITIALIZE takes after the request word. */
    final int initializeWords;

    Generation(int initializeWords) {
        this.initializeWords = initializeWords;
    }
}
