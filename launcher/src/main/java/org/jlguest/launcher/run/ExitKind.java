package org.jlguest.launcher.run;

/** Why the Host handed the Guest to the Launcher, as counted for metrics. */
public enum ExitKind {
    /** 4.x trap 13: a #GP(0), port I/O to emulate. */
    PORT_IO,
    /** 4.x trap 14: an access to the device window. */
    MMIO,
    /** 3.x: a NOTIFY of an address no eventfd is bound to. */
    NOTIFY,
    /** 4.x: a pending trap other than 13 or 14 (never sent by a correct Host). */
    OTHER_TRAP,
    /** The vCPU thread was interrupted. */
    INTERRUPTED
}
