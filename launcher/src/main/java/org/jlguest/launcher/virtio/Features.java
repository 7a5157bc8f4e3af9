package org.jlguest.launcher.virtio;

/** Virtio feature bits used by more than one device or transport. */
public final class Features {
    /** The ring may use indirect descriptor tables. */
    public static final long RING_INDIRECT_DESC = 1L << 28;
    /** used_event / avail_event replace the flag-based notification suppression. */
    public static final long RING_EVENT_IDX = 1L << 29;
    /** Virtio 1.0: the modern PCI transport refuses a driver that does not accept it. */
    public static final long VERSION_1 = 1L << 32;
    /** What every device offers on top of its own bits. */
    public static final long RING = RING_INDIRECT_DESC | RING_EVENT_IDX;

    private Features() {
    }
}
