package org.jlguest.cpu.bare;

import java.util.function.LongSupplier;
import org.jlguest.cpu.IoPorts;

/**
 * A bare machine's I/O ports: Bochs' and QEMU's debug console at 0xE9, the POST-code ports 0x80
 * (the PC's diagnostic port) and 0x190 (QEMU's and coreboot's), and an unclaimed bus everywhere
 * else (reads return all ones, writes vanish).
 */
final class BarePorts implements IoPorts {
    static final int CONSOLE = 0xE9;
    static final int POST = 0x80;
    static final int POST_ALT = 0x190;

    private final BareConsole console;
    private final LongSupplier instructions;

    BarePorts(BareConsole console, LongSupplier instructions) {
        this.console = console;
        this.instructions = instructions;
    }

    @Override
    public int in(int port, int size) {
        return NONE.in(port, size);
    }

    @Override
    public void out(int port, int size, int value) {
        switch (port & 0xFFFF) {
            case CONSOLE -> console.console(value & 0xFF);
            case POST, POST_ALT -> console.post(port & 0xFFFF, size == 0 ? value & 0xFF : size == 1 ? value & 0xFFFF : value,
                    instructions.getAsLong());
            default -> { }
        }
    }
}
