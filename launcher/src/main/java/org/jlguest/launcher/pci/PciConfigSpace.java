package org.jlguest.launcher.pci;

import java.util.Optional;

/**
 * The 0x98 bytes of one PCI function's configuration space (§12.3) and the write rules the
 * reference Launcher applies to it (§12.2).
 *
 * <p>Virtio functions carry the virtio 1.0 vendor capabilities that point the driver at BAR0:
 * common config (0), notify (56), ISR (58) and device config (60), and the PCI-config-access
 * capability whose window lets the Guest reach BAR0 through config cycles alone. A 4.x Guest's early
 * console uses that window to write {@code emerg_wr} before the PCI core has assigned anything.
 */
final class PciConfigSpace {
    static final int SIZE = 0x98;
    static final int VENDOR_VIRTIO = 0x1AF4;
    static final int DEVICE_VIRTIO_BASE = 0x1040;
    static final int STATUS_CAPABILITIES = 0x0010;
    static final int CAP_VENDOR = 0x09;
    static final int CAP_COMMON = 0x40;
    static final int CAP_NOTIFY = 0x50;
    static final int CAP_ISR = 0x64;
    static final int CAP_DEVICE = 0x74;
    static final int CAP_PCI_CFG = 0x84;
    static final int BAR0 = 0x10;
    static final int WINDOW_BAR = 0x88;
    static final int WINDOW_OFFSET = 0x8C;
    static final int WINDOW_LENGTH = 0x90;
    static final int WINDOW_DATA = 0x94;

    private final byte[] bytes = new byte[SIZE];
    private final int barSize;
    private final Optional<RegisterBlock> registers;

    private PciConfigSpace(int barSize, Optional<RegisterBlock> registers) {
        this.barSize = barSize;
        this.registers = registers;
    }

    /** The dummy host bridge in slot 0: all zero but the class (0x06, bridge / host bridge). */
    static PciConfigSpace hostBridge() {
        PciConfigSpace space = new PciConfigSpace(0, Optional.empty());
        space.put8(0x0B, 0x06);
        return space;
    }

    /**
     * A virtio 1.0 function: device ID 0x1040 + {@code virtioId}, the given class, BAR0 at
     * {@code barAddress} of {@code barSize} bytes (a power of two) served by {@code registers},
     * interrupt line {@code irq}, and a device-config capability only if {@code configSize} > 0.
     */
    static PciConfigSpace virtio(int virtioId, int classCode, int subclass, int barAddress, int barSize, int irq,
                                 int configSize, RegisterBlock registers) {
        PciConfigSpace space = new PciConfigSpace(barSize, Optional.of(registers));
        space.put16(0x00, VENDOR_VIRTIO);
        space.put16(0x02, DEVICE_VIRTIO_BASE + virtioId);
        space.put16(0x06, STATUS_CAPABILITIES);
        space.put8(0x08, 1);
        space.put8(0x0A, subclass);
        space.put8(0x0B, classCode);
        space.put32(BAR0, barAddress);
        space.put16(0x2E, 0x0040);
        space.put8(0x34, CAP_COMMON);
        space.put8(0x3C, irq);
        space.capability(CAP_COMMON, CAP_NOTIFY, 16, 1, VirtioPciDevice.COMMON, VirtioPciDevice.COMMON_SIZE);
        space.capability(CAP_NOTIFY, CAP_ISR, 20, 2, VirtioPciDevice.NOTIFY, 2);
        space.capability(CAP_ISR, CAP_PCI_CFG, 16, 3, VirtioPciDevice.ISR, 1);
        space.capability(CAP_PCI_CFG, configSize > 0 ? CAP_DEVICE : 0, 20, 5, 0, 0);
        if (configSize > 0) {
            space.capability(CAP_DEVICE, 0, 16, 4, VirtioPciDevice.DEVICE_CONFIG, configSize);
        }
        return space;
    }

    private void capability(int at, int next, int length, int cfgType, int offset, int size) {
        put8(at, CAP_VENDOR);
        put8(at + 1, next);
        put8(at + 2, length);
        put8(at + 3, cfgType);
        put8(at + 4, 0);
        put32(at + 8, offset);
        put32(at + 12, size);
    }

    /** Reads {@code size} bytes at {@code offset} (inside the space; the bus checked). */
    int read(int offset, int size) {
        if ((offset & ~3) == WINDOW_DATA && registers.isPresent()) {
            refreshWindow();
        }
        return get(offset, size);
    }

    /** Applies the write rules of §12.2; false if this write is refused. */
    boolean write(int offset, int size, int value) {
        int dword = offset & ~3;
        switch (dword) {
            case BAR0 -> {
                merge(offset, size, value);
                put32(BAR0, barSize == 0 ? 0 : get(BAR0, 4) & -barSize);
                return true;
            }
            case 0x14, 0x18, 0x1C, 0x20, 0x24, 0x30, WINDOW_BAR, WINDOW_OFFSET, WINDOW_LENGTH -> {
                merge(offset, size, value);
                return true;
            }
            case 0x0C -> {
                if (size == 4) {
                    put16(0x0C, value);
                } else {
                    merge(offset, size, value);
                }
                return true;
            }
            case 0x04 -> {
                return size == 2;
            }
            case WINDOW_DATA -> {
                return windowWrite(offset, size, value);
            }
            default -> {
                return false;
            }
        }
    }

    /** The access window: bar 0, a length of 1, 2 or 4, aligned, inside the register block. */
    private boolean windowValid() {
        int bar = get(WINDOW_BAR, 1);
        int offset = get(WINDOW_OFFSET, 4);
        int length = get(WINDOW_LENGTH, 4);
        return registers.isPresent() && bar == 0 && (length == 1 || length == 2 || length == 4)
                && offset >= 0 && offset % length == 0 && offset + length <= registers.get().size();
    }

    private boolean windowWrite(int offset, int size, int value) {
        if (!windowValid()) {
            return false;
        }
        merge(offset, size, value);
        int length = get(WINDOW_LENGTH, 4);
        registers.get().writeRegister(get(WINDOW_OFFSET, 4), length, get(WINDOW_DATA, length));
        return true;
    }

    private void refreshWindow() {
        if (windowValid()) {
            int length = get(WINDOW_LENGTH, 4);
            put32(WINDOW_DATA, registers.get().readRegister(get(WINDOW_OFFSET, 4), length));
        } else {
            put32(WINDOW_DATA, -1);
        }
    }

    private void merge(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            put8(offset + i, value >>> (8 * i));
        }
    }

    private int get(int offset, int size) {
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= (bytes[offset + i] & 0xFF) << (8 * i);
        }
        return value;
    }

    private void put8(int offset, int value) {
        bytes[offset] = (byte) value;
    }

    private void put16(int offset, int value) {
        merge(offset, 2, value);
    }

    private void put32(int offset, int value) {
        merge(offset, 4, value);
    }
}
