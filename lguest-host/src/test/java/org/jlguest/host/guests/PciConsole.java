package org.jlguest.host.guests;

/**
 * Just enough of the 4.x Launcher's PCI bus for Linux's early console: a virtio console at
 * 00:01.0 whose configuration space has the layout of the ABI notes (§12.3), reached by type-1
 * configuration cycles on ports 0xCF8 (address) and 0xCFC-0xCFF (data). A write of the
 * PCI-config-access window's data register aimed at the console's {@code emerg_wr} prints a byte.
 */
final class PciConsole {
    static final int ADDRESS_PORT = 0xCF8;
    static final int DATA_PORT = 0xCFC;
    private static final int SLOT = 1;
    private static final int DEVICE_CONFIG_OFFSET = 60;
    private static final int EMERG_WR = DEVICE_CONFIG_OFFSET + 8;
    private static final int WINDOW_BAR = 0x88, WINDOW_OFFSET = 0x8C, WINDOW_LENGTH = 0x90, WINDOW_DATA = 0x94;

    private final byte[] config = new byte[0x98];
    private final StringBuilder out;
    private int address;

    PciConsole(StringBuilder out) {
        this.out = out;
        put(0x00, 4, 0x10431AF4);
        put(0x06, 2, 0x0010);
        put(0x08, 1, 1);
        put(0x0B, 1, 0x07);
        put(0x34, 1, 0x40);
        put(0x3C, 1, 1);
        capability(0x40, 0x50, 16, 1, 0, 56);
        capability(0x50, 0x64, 20, 2, 56, 2);
        capability(0x64, 0x84, 16, 3, 58, 1);
        capability(0x74, 0, 16, 4, DEVICE_CONFIG_OFFSET, 12);
        capability(0x84, 0x74, 20, 5, 0, 0);
    }

    private void capability(int at, int next, int length, int type, int offset, int size) {
        put(at, 1, 0x09);
        put(at + 1, 1, next);
        put(at + 2, 1, length);
        put(at + 3, 1, type);
        put(at + 8, 4, offset);
        put(at + 12, 4, size);
    }

    static boolean owns(int port) {
        return port == ADDRESS_PORT || (port >= DATA_PORT && port < DATA_PORT + 4);
    }

    int in(int port, int width) {
        if (port == ADDRESS_PORT) {
            return address;
        }
        int reg = register(port);
        return reg < 0 ? -1 : get(reg, width);
    }

    void out(int port, int width, int value) {
        if (port == ADDRESS_PORT) {
            address = value;
            return;
        }
        int reg = register(port);
        if (reg == WINDOW_BAR && width == 1 || reg >= WINDOW_OFFSET && reg <= WINDOW_DATA && width == 4) {
            put(reg, width, value);
        }
        if (reg == WINDOW_DATA && config[WINDOW_BAR] == 0 && get(WINDOW_LENGTH, 4) == 4
                && get(WINDOW_OFFSET, 4) == EMERG_WR) {
            out.append((char) (value & 0xFF));
        }
    }

    /** The configuration-space offset a data-port access reaches, or -1 if no device answers. */
    private int register(int port) {
        boolean enabled = address < 0;
        int bus = (address >>> 16) & 0xFF, slot = (address >>> 11) & 0x1F, function = (address >>> 8) & 7;
        int reg = (address & 0xFC) + (port - DATA_PORT);
        return enabled && bus == 0 && slot == SLOT && function == 0 && reg < config.length ? reg : -1;
    }

    private int get(int at, int width) {
        int v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (config[at + i] & 0xFF);
        }
        return v;
    }

    private void put(int at, int width, int value) {
        for (int i = 0; i < width; i++) {
            config[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
