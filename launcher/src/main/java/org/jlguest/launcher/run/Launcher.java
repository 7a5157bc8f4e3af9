package org.jlguest.launcher.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jlguest.host.Generation;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestException;
import org.jlguest.host.Request;
import org.jlguest.host.RunResult;
import org.jlguest.launcher.lguestbus.LguestBus;
import org.jlguest.launcher.lguestbus.NotifyResult;
import org.jlguest.mmu.GuestMemory;

/**
 * The Launcher's run loop (lguest.c's {@code run_guest}, §13.2): INITIALIZE the Guest, then run
 * it and serve whatever it comes back for, until it powers off, is killed or asks to restart.
 *
 * <p>Threads: {@link #run} is the vCPU thread, because the Host only lets the thread that sent
 * INITIALIZE run the Guest. Device service threads never call in here; they only raise
 * interrupts, which the Host takes from any thread.
 */
public final class Launcher {
    /** The longest early-console string printed from one NOTIFY (the Guest sends at most 16). */
    static final int MAX_NOTIFY_STRING = 4096;

    private final Lguest lguest;
    private final Devices devices;
    private final OutputStream console;
    /** Where exits are described, one line each; null when nobody traces, so nothing is formatted. */
    private final Consumer<String> trace;
    private final LauncherCounters counters = new LauncherCounters();
    private final TrapEmulator emulator;
    private final GuestRegisters registers;
    /** Why {@link #stop} was called; null while nobody has asked the Guest to stop. */
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    /** The thread in {@link #run}, else null; guarded by {@code this}, so {@link #stop} never interrupts one that left. */
    private Thread vcpu;

    /** A Launcher driving {@code lguest}; early-console text (3.x NOTIFY strings) goes to {@code console}. */
    public Launcher(Lguest lguest, Devices devices, OutputStream console) {
        this(lguest, devices, console, null);
    }

    /** As above, describing every exit it serves, one line each, to {@code trace} (null: no tracing). */
    public Launcher(Lguest lguest, Devices devices, OutputStream console, Consumer<String> trace) {
        this.lguest = lguest;
        this.devices = devices;
        this.console = console;
        this.trace = trace;
        this.emulator = new TrapEmulator(new Ports(devices.ports()), devices.mmio(), counters);
        this.registers = new GuestRegisters() {
            @Override
            public int get(Request.Register register) {
                return lguest.getRegister(register);
            }

            @Override
            public void set(Request.Register register, int value) {
                lguest.setRegister(register, value);
            }
        };
    }

    public LauncherCounters counters() {
        return counters;
    }

    /**
     * Stops the Guest from any thread (a device driver broke a fatal rule, the user asked): the
     * run loop returns {@link LauncherExit.Killed} with {@code reason}. The first reason wins.
     */
    public void stop(String reason) {
        stopReason.compareAndSet(null, reason);
        synchronized (this) {
            if (vcpu != null) {
                vcpu.interrupt();
            }
        }
    }

    /** Starts {@code image} and serves it on the calling thread until it is gone. */
    public LauncherExit run(GuestImage image) {
        synchronized (this) {
            vcpu = Thread.currentThread();
        }
        try {
            return serve(image);
        } finally {
            synchronized (this) {
                vcpu = null;
            }
            // Any stop() that saw this thread has interrupted it by now: the caller leaves uninterrupted.
            Thread.interrupted();
        }
    }

    private LauncherExit serve(GuestImage image) {
        int base = lguest.map(image.memory());
        if (image.generation() == Generation.VIRTIO_PCI) {
            lguest.send(new Request.InitializePci(base, image.pfnLimit(), image.entry(), image.deviceLimit()));
        } else {
            lguest.send(new Request.InitializeBus(base, image.pfnLimit(), image.entry()));
            for (LguestBus.Binding binding : devices.lguestBus().bindings()) {
                lguest.send(new Request.BindEventFd(binding.address(), lguest.register(binding.eventFd())));
            }
        }
        for (;;) {
            String reason = stopReason.get();
            if (reason != null) {
                return new LauncherExit.Killed(reason);
            }
            RunResult result = lguest.run();
            if (trace != null) {
                trace.accept(describe(result));
            }
            if (result instanceof RunResult.Pending p) {
                LauncherExit exit = pending(p);
                if (exit != null) {
                    return exit;
                }
            } else if (result instanceof RunResult.Notify n) {
                counters.countExit(ExitKind.NOTIFY);
                LauncherExit exit = notify(image.memory(), n.address());
                if (exit != null) {
                    return exit;
                }
            } else if (result instanceof RunResult.Died d) {
                return LauncherExit.ofDeath(d.reason());
            } else if (result instanceof RunResult.Restart) {
                return new LauncherExit.Restart();
            } else {
                counters.countExit(ExitKind.INTERRUPTED);
                if (stopReason.get() == null) {
                    return new LauncherExit.Killed("stopped: the vCPU thread was interrupted");
                }
            }
        }
    }

    private static String describe(RunResult result) {
        if (result instanceof RunResult.Pending p) {
            StringBuilder b = new StringBuilder("trap ").append(p.trap()).append(" insn");
            for (byte x : p.instruction()) {
                b.append(String.format(" %02x", x & 0xFF));
            }
            return b.append(String.format(" address %#x", p.address())).toString();
        }
        if (result instanceof RunResult.Notify n) {
            return String.format("notify %#x", n.address());
        }
        return result.toString();
    }

    /** A 4.x pending trap: emulate it or give it back; null to keep running. */
    private LauncherExit pending(RunResult.Pending p) {
        byte[] insn = p.instruction();
        boolean done;
        switch (p.trap()) {
            case 13 -> {
                counters.countExit(ExitKind.PORT_IO);
                done = emulator.portIo(insn, registers);
            }
            case 14 -> {
                counters.countExit(ExitKind.MMIO);
                done = emulator.mmio(insn, p.address(), registers);
            }
            default -> {
                counters.countExit(ExitKind.OTHER_TRAP);
                return new LauncherExit.Killed("the Host handed over trap " + p.trap() + "; only 13 and 14 are the Launcher's");
            }
        }
        if (!done) {
            counters.countReinjection();
            try {
                lguest.send(new Request.Trap(p.trap()));
            } catch (LguestException e) {
                return new LauncherExit.Killed(String.format(
                        "reinjecting trap %d for the fault at %#x failed (%s): the Guest has no handler for it",
                        p.trap(), lguest.getRegister(Request.Register.EIP), e.getMessage()));
            }
        }
        return null;
    }

    /**
     * A 3.x NOTIFY no eventfd took (§13.2): a device descriptor's status change, a ring notified
     * before its device started (fatal, as in lguest.c), or else the early console; null to keep
     * running.
     */
    private LauncherExit notify(GuestMemory memory, int address) {
        NotifyResult result = devices.lguestBus().notify(address);
        if (result instanceof NotifyResult.StatusChanged s) {
            if (trace != null) {
                trace.accept(String.format("%s status %#x", s.device(), s.status()));
            }
            return null;
        }
        if (result instanceof NotifyResult.Fatal f) {
            return new LauncherExit.Killed("bad driver: " + f.reason());
        }
        if (!earlyConsole(memory, address)) {
            return new LauncherExit.Killed(String.format(
                    "NOTIFY of %#x, which is neither a device nor a string in Guest memory", address));
        }
        return null;
    }

    /** 3.x early console: prints the NUL-terminated string at {@code address}; false if it is not in memory. */
    private boolean earlyConsole(GuestMemory memory, int address) {
        if (!memory.contains(Integer.toUnsignedLong(address), 1)) {
            return false;
        }
        int end = address;
        while (end < memory.size() && end - address < MAX_NOTIFY_STRING && memory.read8(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - address];
        memory.copyOut(address, text, 0, text.length);
        try {
            console.write(text);
            console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("early console output failed", e);
        }
        return true;
    }
}
