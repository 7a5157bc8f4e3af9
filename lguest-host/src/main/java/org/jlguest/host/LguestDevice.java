package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import java.nio.charset.StandardCharsets;
import org.jlguest.cpu.Tier;
import org.jlguest.mmu.GuestMemory;

/**
 * {@code /dev/lguest} (lguest_user.c): the Launcher's only door to the Host.
 *
 * <p>The raw ABI is the C one, in 32-bit little-endian words: {@link #write} takes a request word
 * and its arguments and returns the bytes consumed or a negative errno; {@link #read} runs the
 * Guest until the Launcher is needed and returns what it must see (a register, a notify address,
 * a {@code struct lguest_pending}, or why the Guest died); {@link #close} tears everything down.
 * The file offset names the vCPU (only 0 exists). Nothing a Guest or a caller does makes these
 * methods throw.
 *
 * <p>Per file: uninitialized (every request but INITIALIZE is -EINVAL) → initialized (a second
 * INITIALIZE is -EBUSY; only the thread that initialized may read, others get -EPERM) → dead
 * (writes are -ENOENT; reads say why). The device lock (lguest's {@code lguest_lock}) serializes
 * INITIALIZE, EVENTFD and close; it is never held while a Guest runs.
 */
public final class LguestDevice {
    private final Object lock = new Object();
    private final HostClock clock;
    private final Tier tier;

    public LguestDevice() {
        this(HostClock.SYSTEM);
    }

    /** A Host whose Guests' CPUs run in the tier the {@code jlguest.tier} system property names. */
    public LguestDevice(HostClock clock) {
        this(clock, Tier.fromProperty());
    }

    /** A Host whose Guests' CPUs run in {@code tier}. */
    public LguestDevice(HostClock clock, Tier tier) {
        this.clock = clock;
        this.tier = tier;
    }

    /** {@code open("/dev/lguest")} by the process {@code context} describes. */
    public LguestFile open(LauncherContext context) {
        return new LguestFile(context);
    }

    /** {@code pwrite(fd, buffer, length, offset)}. */
    public int write(LguestFile file, long offset, byte[] buffer, int length) {
        if (file.closed) {
            return -EBADF;
        }
        Words in = new Words(buffer, length);
        if (!in.has(1)) {
            return -EFAULT;
        }
        int request = in.get(0);
        Guest g = file.guest;
        if (request != LHREQ_INITIALIZE) {
            if (g == null || offset != 0) {
                return -EINVAL;
            }
            if (g.death.isDead()) {
                return -ENOENT;
            }
        }
        try {
            return switch (request) {
                case LHREQ_INITIALIZE -> initialize(file, in);
                case LHREQ_IRQ -> irq(g, in);
                case LHREQ_EVENTFD -> eventFd(file, g, in);
                case LHREQ_GETREG -> getReg(g, in);
                case LHREQ_SETREG -> setReg(g, in);
                case LHREQ_TRAP -> trap(g, in);
                default -> -EINVAL;
            };
        } catch (RuntimeException e) {
            // A Host bug must not escape into the Launcher: the Guest dies with the reason.
            if (g != null) {
                g.death.kill("jlguest internal error: " + e);
            }
            return -EINVAL;
        }
    }

    /** {@code pread(fd, buffer, length, offset)}. */
    public int read(LguestFile file, long offset, byte[] buffer, int length) {
        if (file.closed) {
            return -EBADF;
        }
        Guest g = file.guest;
        if (g == null || offset != 0) {
            return -EINVAL;
        }
        Vcpu v = g.vcpu;
        if (Thread.currentThread() != v.owner) {
            return -EPERM;
        }
        if (buffer == null) {
            return -EFAULT;
        }
        if (g.death.isDead()) {
            return deathReport(g.death, buffer, length);
        }
        v.notifyPending = false;
        v.trapPending = false;
        if (v.getreg >= 0) {
            // As lguest: the register stays outstanding until a read could take it.
            if (length < 4 || buffer.length < 4) {
                return -EFAULT;
            }
            int value = Registers.get(v.cpu, v.getreg);
            v.getreg = -1;
            for (int i = 0; i < 4; i++) {
                buffer[i] = (byte) (value >>> (8 * i));
            }
            return 4;
        }
        try {
            return RunLoop.run(v, buffer, length);
        } catch (RuntimeException e) {
            g.death.kill("jlguest internal error: " + e);
            return -ENOENT;
        }
    }

    /** {@code close(fd)}: the Guest, its clock and its eventfd bindings go; always 0. */
    public int close(LguestFile file) {
        synchronized (lock) {
            Guest g = file.guest;
            if (g != null) {
                g.vcpu.clockDeadline = -1;
                g.notify.clear();
                file.guest = null;
            }
            file.closed = true;
        }
        return 0;
    }

    /** After death: -ERESTART for a restart, else the reason, NUL included, cut to the buffer. */
    private static int deathReport(Death death, byte[] buffer, int length) {
        if (death.isRestart()) {
            return -ERESTART;
        }
        byte[] text = death.reason().getBytes(StandardCharsets.UTF_8);
        int n = Math.min(Math.min(length, buffer.length), text.length + 1);
        if (n < 0) {
            return -EFAULT;
        }
        System.arraycopy(text, 0, buffer, 0, Math.min(n, text.length));
        if (n > text.length) {
            buffer[text.length] = 0;
        }
        return n;
    }

    /**
     * LHREQ_INITIALIZE: base, pfn_limit, start (three words: the lguest-bus generation) and
     * device_limit (four: virtio-PCI). In Java the memory at {@code base} must be exactly the
     * Guest's RAM ({@code pfn_limit} pages), since nothing past it may be reachable.
     */
    private int initialize(LguestFile file, Words in) {
        synchronized (lock) {
            if (file.guest != null) {
                return -EBUSY;
            }
            Generation generation = in.has(1 + 4) ? Generation.VIRTIO_PCI : Generation.LGUEST_BUS;
            if (!in.has(1 + generation.initializeWords)) {
                return -EFAULT;
            }
            int base = in.get(1);
            int pfnLimit = in.get(2);
            int start = in.get(3);
            int deviceLimit = generation == Generation.VIRTIO_PCI ? in.get(4) : pfnLimit;
            GuestMemory memory = file.context.memoryAt(base);
            if (memory == null) {
                return -EFAULT;
            }
            if (pfnLimit != memory.pfnLimit() || Integer.compareUnsigned(deviceLimit, pfnLimit) < 0) {
                return -EINVAL;
            }
            try {
                file.guest = new Guest(generation, memory, pfnLimit, deviceLimit, start, Thread.currentThread(), clock, tier);
            } catch (OutOfMemoryError e) {
                return -ENOMEM;
            }
            return generation.initializeWords * 4;
        }
    }

    private static int irq(Guest g, Words in) {
        if (!in.has(2)) {
            return -EFAULT;
        }
        int irq = in.get(1);
        if (Integer.compareUnsigned(irq, LGUEST_IRQS) >= 0) {
            return -EINVAL;
        }
        g.vcpu.raise(irq);
        return 0;
    }

    private int eventFd(LguestFile file, Guest g, Words in) {
        if (g.generation != Generation.LGUEST_BUS) {
            return -EINVAL;
        }
        if (!in.has(3)) {
            return -EFAULT;
        }
        int address = in.get(1);
        if (address == 0) {
            return -EINVAL;
        }
        EventFd e = file.context.eventFd(in.get(2));
        if (e == null) {
            return -EBADF;
        }
        synchronized (lock) {
            g.notify.add(address, e);
        }
        return 0;
    }

    private static int getReg(Guest g, Words in) {
        if (!in.has(2)) {
            return -EFAULT;
        }
        int code = Registers.lookup(in.get(1));
        if (code < 0) {
            return -ENOENT;
        }
        g.vcpu.getreg = code;
        return 8;
    }

    private static int setReg(Guest g, Words in) {
        if (!in.has(3)) {
            return -EFAULT;
        }
        int code = Registers.lookup(in.get(1));
        if (!Registers.settable(code)) {
            return -ENOENT;
        }
        Registers.set(g.vcpu.cpu, code, in.get(2));
        return 12;
    }

    /** LHREQ_TRAP: deliver trap n now, as if the Guest had taken it (error code from the last trap). */
    private static int trap(Guest g, Words in) {
        if (g.generation != Generation.VIRTIO_PCI) {
            return -EINVAL;
        }
        if (!in.has(2)) {
            return -EFAULT;
        }
        int n = in.get(1);
        if (Integer.compareUnsigned(n, 256) >= 0) {
            return -EINVAL;
        }
        // As lguest 4.x: lguest_data.cr2 is not rewritten for a re-injected trap 14 (the Host
        // knows the device window's physical address there, not the linear one the Guest used).
        Vcpu v = g.vcpu;
        return Reflector.deliver(v, n, Reflector.hasErrorCode(n), v.lastErrorCode) ? 0 : -EINVAL;
    }

    /** The request's words, read little-endian from the caller's buffer; reading past it (or a null one) is -EFAULT. */
    private record Words(byte[] buffer, int length) {
        boolean has(int count) {
            return buffer != null && count * 4L <= Math.min(length, buffer.length);
        }

        int get(int index) {
            int at = index * 4;
            return (buffer[at] & 0xFF) | (buffer[at + 1] & 0xFF) << 8 | (buffer[at + 2] & 0xFF) << 16
                    | (buffer[at + 3] & 0xFF) << 24;
        }
    }
}
