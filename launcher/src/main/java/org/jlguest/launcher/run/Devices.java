package org.jlguest.launcher.run;

import java.util.List;
import org.jlguest.launcher.bus.MmioBus;
import org.jlguest.launcher.bus.PortBus;

/**
 * What the run loop dispatches exits to.
 *
 * @param ports  I/O port buses, asked in order (4.x trap 13)
 * @param mmio   device-window buses, asked in order (4.x trap 14)
 * @param lguestBus the lguest bus (3.x NOTIFY)
 */
public record Devices(List<PortBus> ports, List<MmioBus> mmio, NotifyHandler lguestBus) {
    public Devices {
        ports = List.copyOf(ports);
        mmio = List.copyOf(mmio);
    }
}
