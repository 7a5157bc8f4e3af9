package org.jlguest.launcher.virtio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The virtio console (type 3): queue 0 carries input from {@code in} to the Guest, queue 1 output
 * from the Guest to {@code out}. It offers VIRTIO_CONSOLE_F_EMERG_WRITE, whose {@code emerg_wr}
 * register (config offset 8) prints one byte: that is how a 4.x Guest's early console writes
 * before any driver has run.
 *
 * <p>The input stream is read on a thread of its own for the life of the device, since a read of a
 * terminal cannot be abandoned; chunks wait in a bounded inbox (so a Guest that does not read its
 * console stops the reader rather than filling the heap) and wake the input queue's service.
 */
public final class ConsoleDevice extends VirtioDevice {
    /** VIRTIO_CONSOLE_F_EMERG_WRITE. */
    public static final long F_EMERG_WRITE = 1L << 2;
    public static final int INPUT_QUEUE = 0;
    public static final int OUTPUT_QUEUE = 1;
    /** struct virtio_console_config: cols u16, rows u16, max_nr_ports u32, emerg_wr u32. */
    private static final int CONFIG_SIZE = 12;
    private static final int EMERG_WR = 8;
    private static final int INBOX_CHUNKS = 64;

    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(INBOX_CHUNKS);
    private Thread reader;

    public ConsoleDevice(InputStream in, OutputStream out) {
        super(DeviceType.CONSOLE, "console", 2);
        this.in = in;
        this.out = out;
    }

    @Override
    public long deviceFeatures() {
        return F_EMERG_WRITE;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    /** Every field reads 0: no size, one port, and emerg_wr is write-only. */
    @Override
    public int readConfig(int offset, int size) {
        return 0;
    }

    @Override
    public boolean writeConfig(int offset, int size, int value) {
        if (offset != EMERG_WR || size != 4) {
            return false;
        }
        try {
            synchronized (out) {
                out.write(value & 0xFF);
                out.flush();
            }
            counters().request(1);
        } catch (IOException e) {
            counters().error();
        }
        return true;
    }

    @Override
    protected List<Service> services(Activation activation) {
        startReader();
        ConsoleService service = new ConsoleService(this, activation);
        return List.of(new Service("input", service::input), new Service("output", service::output));
    }

    OutputStream out() {
        return out;
    }

    BlockingQueue<byte[]> inbox() {
        return inbox;
    }

    /** Starts the reader the first time a driver activates the console; it ends at end of input. */
    private synchronized void startReader() {
        if (reader != null) {
            return;
        }
        reader = new Thread(this::readInput, "jlguest-console-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readInput() {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    inbox.put(Arrays.copyOf(buffer, n));
                    kick(INPUT_QUEUE).signal(1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The input is gone; the Guest keeps its console output.
            counters().error();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
