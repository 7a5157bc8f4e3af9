package org.jlguest.launcher.bus;

/**
 * I/O ports the Launcher emulates for a virtio-PCI Guest, reached from #GP(0) exits (the Guest
 * kernel runs with IOPL 0, so every {@code in}/{@code out} traps to the Host and then here).
 */
public interface PortBus {
    /** Whether this bus answers {@code port}. */
    boolean claims(int port);

    /** Reads {@code size} bytes (1, 2 or 4) at {@code port}. */
    int in(int port, int size);

    /** Writes {@code size} bytes; false if the device refused the write (the Guest then gets #GP). */
    boolean out(int port, int size, int value);
}
