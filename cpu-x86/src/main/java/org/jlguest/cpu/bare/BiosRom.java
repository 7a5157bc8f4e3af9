package org.jlguest.cpu.bare;

import java.util.Arrays;
import org.jlguest.mmu.DeviceWindow;
import org.jlguest.mmu.Fault;

/**
 * What a bare machine has beyond its RAM: the 64 KiB BIOS ROM at the top of the 4 GiB space, and
 * nothing else.
 *
 * <p>The ROM reads as loaded (bytes no image filled read 0xFF, as erased flash does) and ignores
 * writes. Any other physical address beyond RAM stops the run with the host's "beyond limit" fault:
 * on a test machine a stray access is a bug worth seeing, not an open bus to read ones from.
 */
final class BiosRom implements DeviceWindow {
    private final byte[] rom = new byte[ImageLayout.ROM_SIZE];
    private final Fault fault;

    BiosRom(Fault fault) {
        this.fault = fault;
        Arrays.fill(rom, (byte) 0xFF);
    }

    void load(int offset, byte[] bytes) {
        System.arraycopy(bytes, 0, rom, offset, bytes.length);
    }

    @Override
    public int read(int physical, int size) {
        int offset = offset(physical, size);
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= (rom[offset + i] & 0xFF) << (8 * i);
        }
        return value;
    }

    @Override
    public void write(int physical, int size, int value) {
        offset(physical, size);
    }

    private int offset(int physical, int size) {
        if (Integer.toUnsignedLong(physical) < ImageLayout.HIGH_ROM
                || Integer.toUnsignedLong(physical) + size > ImageLayout.FOUR_GIB) {
            throw fault.beyondLimit(physical);
        }
        return (int) (Integer.toUnsignedLong(physical) - ImageLayout.HIGH_ROM);
    }
}
