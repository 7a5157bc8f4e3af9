package org.jlguest.launcher.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.jlguest.launcher.bus.PortBus;

/**
 * The debug console on port 0xE9 that Bochs and QEMU offer and jlguest's test guests print
 * through: each byte written goes to the output; a read returns 0xE9, which is how a guest
 * tells the port is there.
 */
public final class TestConsolePort implements PortBus {
    public static final int PORT = 0xE9;

    private final OutputStream out;

    public TestConsolePort(OutputStream out) {
        this.out = out;
    }

    @Override
    public boolean claims(int port) {
        return port == PORT;
    }

    @Override
    public int in(int port, int size) {
        return PORT;
    }

    @Override
    public boolean out(int port, int size, int value) {
        try {
            out.write(value);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("test console output failed", e);
        }
        return true;
    }
}
