package org.jlguest.launcher.lguestbus;

/** What a NOTIFY address that reached the Launcher meant to the lguest bus. */
public sealed interface NotifyResult {
    /** A device descriptor's status changed and the device was started, reset or stopped. */
    record StatusChanged(String device, int status) implements NotifyResult {
    }

    /** Not a device address: in 3.x that is the early console's NUL-terminated string. */
    record NotDevice() implements NotifyResult {
    }

    /** What the reference Launcher exits on (a ring notified before its device started). */
    record Fatal(String reason) implements NotifyResult {
    }
}
