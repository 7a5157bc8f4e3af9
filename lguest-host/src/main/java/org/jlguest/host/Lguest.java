package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jlguest.mmu.GuestMemory;

/**
 * The device as a Java Launcher uses it: typed requests in, typed results out, errors as
 * {@link LguestException}. Underneath it is exactly the raw word ABI of {@link LguestDevice}.
 */
public final class Lguest implements AutoCloseable {
    private final LguestDevice device;
    private final LauncherContext context;
    private final LguestFile file;
    private final byte[] readBuffer = new byte[1024];

    private Lguest(LguestDevice device, LauncherContext context) {
        this.device = device;
        this.context = context;
        this.file = device.open(context);
    }

    /** Opens the device for a Launcher with its own address space and descriptors. */
    public static Lguest open(LguestDevice device) {
        return new Lguest(device, new LauncherContext());
    }

    /** Maps the Guest's memory and returns the base to pass in INITIALIZE. */
    public int map(GuestMemory memory) {
        return context.map(memory);
    }

    /** Registers an eventfd and returns its descriptor number for {@link Request.BindEventFd}. */
    public int register(EventFd eventFd) {
        return context.addEventFd(eventFd);
    }

    /** Sends a request; returns the device's non-negative answer. */
    public int send(Request request) {
        int[] words = request.words();
        byte[] raw = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int b = 0; b < 4; b++) {
                raw[i * 4 + b] = (byte) (words[i] >>> (8 * b));
            }
        }
        int r = device.write(file, 0, raw, raw.length);
        if (r < 0) {
            throw new LguestException(request.getClass().getSimpleName(), -r);
        }
        return r;
    }

    /** GETREG then the read that returns it. */
    public int getRegister(Request.Register register) {
        send(new Request.GetReg(register));
        int n = device.read(file, 0, readBuffer, 4);
        if (n != 4) {
            throw new LguestException("GETREG read", -n);
        }
        return word(readBuffer, 0);
    }

    public void setRegister(Request.Register register, int value) {
        send(new Request.SetReg(register, value));
    }

    /** Runs the Guest until the Launcher is needed. Must be called from the initializing thread. */
    public RunResult run() {
        int n = device.read(file, 0, readBuffer, readBuffer.length);
        if (n == 4 && file.guest != null && file.guest.generation == Generation.LGUEST_BUS) {
            return new RunResult.Notify(word(readBuffer, 0));
        }
        if (n == PENDING_SIZE) {
            return new RunResult.Pending(readBuffer[0] & 0xFF, Arrays.copyOfRange(readBuffer, 1, 8), word(readBuffer, 8));
        }
        if (n == -ENOENT) {
            return new RunResult.Died(deathReason());
        }
        if (n == -ERESTART) {
            return new RunResult.Restart();
        }
        if (n == -RunLoop.EINTR) {
            return new RunResult.Interrupted();
        }
        throw new LguestException("run", -n);
    }

    /** The reason text a dead Guest's reads return. */
    private String deathReason() {
        int n = device.read(file, 0, readBuffer, readBuffer.length);
        if (n <= 0) {
            return "(no reason)";
        }
        int len = n;
        while (len > 0 && readBuffer[len - 1] == 0) {
            len--;
        }
        return new String(readBuffer, 0, len, StandardCharsets.UTF_8);
    }

    /** The Host's counters for this Guest; all zero before INITIALIZE. */
    public HostCounters counters() {
        Guest g = file.guest;
        return g == null ? new HostCounters(0, 0, 0, 0, 0, 0, 0, 0) : HostCounters.of(g.vcpu);
    }

    private static int word(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    @Override
    public void close() {
        device.close(file);
    }
}
