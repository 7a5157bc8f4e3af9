package org.jlguest.launcher.run;

import java.util.List;
import org.jlguest.launcher.bus.PortBus;

/**
 * The Guest's I/O port space as the 4.x Launcher emulates it (§10.2): the registered buses, the
 * PS/2 status port answering 1 (so the i8042 probe gives up quickly), and every other port
 * reading all ones and ignoring writes, as an empty ISA bus does.
 */
final class Ports {
    static final int PS2_STATUS = 0x64;

    private final List<PortBus> buses;

    Ports(List<PortBus> buses) {
        this.buses = List.copyOf(buses);
    }

    /** Reads {@code size} bytes at {@code port}. */
    int in(int port, int size) {
        for (PortBus bus : buses) {
            if (bus.claims(port)) {
                return bus.in(port, size);
            }
        }
        if (port == PS2_STATUS) {
            return 1;
        }
        return -1;
    }

    /** Writes {@code size} bytes at {@code port}; false if a device refused the write. */
    boolean out(int port, int size, int value) {
        for (PortBus bus : buses) {
            if (bus.claims(port)) {
                return bus.out(port, size, value);
            }
        }
        return true;
    }
}
