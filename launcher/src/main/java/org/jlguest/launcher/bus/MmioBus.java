package org.jlguest.launcher.bus;

/** Device registers in the Guest's device window (4.x), reached from trap-14 exits. */
public interface MmioBus {
    /** Whether this bus answers guest-physical address {@code address}. */
    boolean claims(int address);

    /** Reads {@code size} bytes (1, 2 or 4) at {@code address}. */
    int read(int address, int size);

    /** Writes {@code size} bytes at {@code address}. */
    void write(int address, int size, int value);
}
