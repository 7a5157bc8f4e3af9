package org.jlguest.launcher.run;

/** 3.x: a device model that may own a NOTIFY address (a device descriptor or a virtqueue). */
@FunctionalInterface
public interface NotifyHandler {
    /** No devices: every NOTIFY is early-console output. */
    NotifyHandler NONE = address -> false;

    /** Handles a NOTIFY of {@code address}; false if no device owns it. */
    boolean notify(int address);
}
