package org.jlguest.launcher.virtio;

/** The virtio device types jlguest serves, with their virtio device IDs. */
public enum DeviceType {
    BLOCK(2),
    CONSOLE(3),
    RNG(4);

    private final int id;

    DeviceType(int id) {
        this.id = id;
    }

    /** The virtio device ID (PCI device ID 0x1040 + this; the lguest bus descriptor's type byte). */
    public int id() {
        return id;
    }
}
