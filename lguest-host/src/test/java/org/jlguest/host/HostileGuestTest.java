package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jlguest.host.DeviceKit.Asm;
import org.jlguest.host.DeviceKit.Image;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guests that do their worst: pages of random bytes, hypercalls with wild arguments, garbage in
 * their own lguest_data and async ring, interrupt storms from another thread. Each runs through
 * the device like a Launcher would run it, within a budget of reads and time; whatever it does,
 * the device answers with results the ABI knows, every death has a reason, no exception escapes,
 * and the next Guest runs as if nothing happened.
 */
class HostileGuestTest {
    private static final int RANDOM_GUESTS = 10_000;
    /** Per Guest: at most this many reads, and this much time (a spinning Guest is interrupted). */
    private static final int MAX_READS = 32;
    private static final long BUDGET_NANOS = 2_000_000;
    private static final int RANDOM_SOURCE = 0xA000;

    private final LguestDevice device = new LguestDevice();
    private Watchdog watchdog;

    @BeforeEach
    void startWatchdog() {
        watchdog = new Watchdog(Thread.currentThread());
    }

    @AfterEach
    void stopWatchdog() {
        watchdog.close();
    }

    enum End { DIED, RESTARTED, LAUNCHER_GAVE_UP, SURVIVED }

    record Outcome(End end, String reason, int reads, int launcherExits) {
    }

    /** What happened to a batch of Guests. */
    static final class Tally {
        final Map<End, Integer> ends = new TreeMap<>();
        final Map<String, Integer> reasons = new TreeMap<>();
        long exits;

        void add(Outcome o) {
            ends.merge(o.end(), 1, Integer::sum);
            exits += o.launcherExits();
            if (o.reason() != null) {
                String kind = o.reason().replaceAll("0x[0-9a-f]+", "#").replaceAll("-?\\d+", "#").trim();
                reasons.merge(kind, 1, Integer::sum);
            }
        }

        @Override
        public String toString() {
            return ends + ", launcher exits " + exits + ", reasons " + reasons;
        }
    }

    /**
     * Runs one Guest as a Launcher would: NOTIFYs are acknowledged, a #GP or MMIO record is
     * reflected back with LHREQ_TRAP (the 4.x Launcher's answer to what it cannot emulate) and
     * the Launcher gives up when the Guest cannot take it.
     */
    Outcome run(Image image, boolean pci, int maxReads, long budgetNanos) {
        LauncherContext context = new LauncherContext();
        LguestFile file = device.open(context);
        try {
            int[] init = image.initialize(context, pci);
            assertEquals(pci ? 16 : 12, DeviceKit.write(device, file, init));
            byte[] buffer = new byte[256];
            long deadline = System.nanoTime() + budgetNanos;
            int exits = 0;
            for (int reads = 1; reads <= maxReads; reads++) {
                int n = watchdog.read(device, file, buffer, deadline);
                if (n == -ENOENT) {
                    int m = device.read(file, 0, buffer, buffer.length);
                    assertTrue(m > 1, "a dead Guest's reason is non-empty: " + m);
                    assertEquals(0, buffer[m - 1], "the reason ends with its NUL");
                    String reason = DeviceKit.text(buffer, m);
                    assertFalse(reason.isBlank(), "an empty reason");
                    assertEquals(-ENOENT, DeviceKit.write(device, file, LHREQ_IRQ, 1), "writes after death");
                    return new Outcome(End.DIED, reason, reads, exits);
                }
                if (n == -ERESTART) {
                    assertEquals(-ERESTART, device.read(file, 0, buffer, buffer.length), "a restart stays a restart");
                    return new Outcome(End.RESTARTED, null, reads, exits);
                }
                if (n == -RunLoop.EINTR) {
                    return new Outcome(End.SURVIVED, null, reads, exits);
                }
                exits++;
                if (n == 4 && !pci) {
                    continue; // a NOTIFY nobody listens to
                }
                if (n == PENDING_SIZE && pci && (buffer[0] == 13 || buffer[0] == 14)) {
                    int r = DeviceKit.write(device, file, LHREQ_TRAP, buffer[0]);
                    if (r == 0) {
                        continue;
                    }
                    assertTrue(r == -EINVAL || r == -ENOENT, "TRAP answered " + r);
                    return new Outcome(End.LAUNCHER_GAVE_UP, null, reads, exits);
                }
                fail("read() returned " + n + " (" + (pci ? "4.x" : "3.x") + ")");
            }
            return new Outcome(End.SURVIVED, null, maxReads, exits);
        } finally {
            assertEquals(0, device.close(file));
            Thread.interrupted();
        }
    }

    /** The valid start every hostile program shares: a stack and LHCALL_LGUEST_INIT. */
    static Asm prologue(Image image) {
        return image.code.mov(4, DeviceKit.STACK).hcall(LHCALL_LGUEST_INIT, DeviceKit.DATA, 0, 0);
    }

    @Test
    @Timeout(300)
    void tenThousandGuestsOfRandomBytes() {
        Random random = new Random(0x5EED_1A6EL);
        Tally tally = new Tally();
        byte[] page = new byte[4096];
        long start = System.nanoTime();
        for (int i = 0; i < RANDOM_GUESTS; i++) {
            Image image = new Image(16);
            random.nextBytes(page);
            prologue(image).bytes(page);
            boolean pci = random.nextBoolean();
            Outcome o = run(image, pci, MAX_READS, BUDGET_NANOS);
            if (o.reason() != null) {
                assertFalse(o.reason().startsWith("jlguest internal error"), "guest " + i + ": " + o.reason());
            }
            tally.add(o);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%d random guests in %d ms: %s%n", RANDOM_GUESTS, millis, tally);
        int total = tally.ends.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(RANDOM_GUESTS, total);
        assertTrue(tally.ends.getOrDefault(End.DIED, 0) > RANDOM_GUESTS / 2, "most random guests die: " + tally);
    }

    /** Every call number 0..31 with random arguments, ten times each, in both generations. */
    @Test
    @Timeout(120)
    void hypercallsWithWildArguments() {
        Random random = new Random(31);
        Tally tally = new Tally();
        for (int call = 0; call < 32; call++) {
            for (int k = 0; k < 20; k++) {
                boolean pci = k % 2 == 0;
                Image image = new Image(16).message("still here");
                int a1 = wild(random);
                prologue(image).hcall(call, a1, wild(random), wild(random), wild(random))
                        .hcall(LHCALL_SHUTDOWN, DeviceKit.MESSAGE, LGUEST_SHUTDOWN_POWEROFF, 0);
                Outcome o = run(image, pci, 8, 50_000_000);
                tally.add(o);
                String where = "call " + call + " args " + Integer.toHexString(a1);
                switch (call) {
                    case 3, 11, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 ->
                            assertEquals("Bad hypercall " + call + "\n", o.reason(), where);
                    case LHCALL_LGUEST_INIT -> assertEquals("already have lguest_data", o.reason(), where);
                    case LHCALL_NOTIFY -> {
                        if (pci) {
                            assertEquals("Bad hypercall 17\n", o.reason(), where);
                        }
                    }
                    default -> {
                    }
                }
                if (o.end() == End.DIED) {
                    assertFalse(o.reason().startsWith("jlguest internal error"), where + ": " + o.reason());
                }
            }
        }
        System.out.println("wild hypercalls: " + tally);
    }

    /** The Guest overwrites its async ring (or all of lguest_data) with garbage, then exits to the Host. */
    @Test
    @Timeout(120)
    void garbageInTheGuestsOwnLguestData() {
        Random random = new Random(1388);
        Tally tally = new Tally();
        for (int k = 0; k < 400; k++) {
            Image image = new Image(16).message("still here");
            byte[] garbage = new byte[LD4_SIZE];
            random.nextBytes(garbage);
            for (int slot = 0; slot < LHCALL_RING_SIZE; slot++) {
                if (random.nextInt(3) > 0) {
                    // Mostly real call numbers, so the ring runs them rather than dying at once.
                    int at = LD_HCALLS + slot * 20;
                    int call = random.nextInt(32);
                    garbage[at] = (byte) call;
                    garbage[at + 1] = garbage[at + 2] = garbage[at + 3] = 0;
                }
            }
            image.memory.copyIn(RANDOM_SOURCE, garbage, 0, garbage.length);
            boolean wholeStruct = k % 4 == 3;
            int from = wholeStruct ? 0 : LD_HCALL_STATUS;
            int to = wholeStruct ? LD4_SIZE : LD_RESERVE_MEM;
            prologue(image)
                    .mov(6, RANDOM_SOURCE + from).mov(7, DeviceKit.DATA + from).mov(1, (to - from) / 4)
                    .bytes(0xF3, 0xA5) // rep movsd: the Guest writes the garbage itself, after INIT
                    .hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0)
                    .hcall(LHCALL_SEND_INTERRUPTS, 0, 0, 0)
                    .hcall(LHCALL_SHUTDOWN, DeviceKit.MESSAGE, LGUEST_SHUTDOWN_POWEROFF, 0);
            Outcome o = run(image, k % 2 == 0, 16, 50_000_000);
            tally.add(o);
            if (o.end() == End.DIED) {
                assertFalse(o.reason().startsWith("jlguest internal error"), "guest " + k + ": " + o.reason());
            }
        }
        System.out.println("garbage lguest_data: " + tally);
    }

    /** Another thread raises interrupt lines (and bad ones) as fast as it can while random Guests run. */
    @Test
    @Timeout(120)
    void anInterruptStormFromAnotherThread() throws Exception {
        Random random = new Random(77);
        AtomicReference<LguestFile> current = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        Thread storm = new Thread(() -> {
            Random r = new Random(78);
            while (!stop.get()) {
                LguestFile f = current.get();
                if (f == null) {
                    continue;
                }
                int line = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(LGUEST_IRQS);
                byte[] b = DeviceKit.words(LHREQ_IRQ, line);
                int result;
                try {
                    result = device.write(f, 0, b, b.length);
                } catch (RuntimeException e) {
                    wrong.compareAndSet(null, "IRQ write threw " + e);
                    return;
                }
                boolean good = Integer.compareUnsigned(line, LGUEST_IRQS) < 0;
                if (!(result == 0 && good || result == -EINVAL || result == -ENOENT || result == -EBADF)) {
                    wrong.compareAndSet(null, "IRQ " + line + " answered " + result);
                }
                sent.incrementAndGet();
            }
        }, "irq-storm");
        storm.start();
        Tally tally = new Tally();
        byte[] page = new byte[4096];
        try {
            for (int i = 0; i < 300; i++) {
                Image image = new Image(16);
                Asm a = prologue(image);
                if (i % 3 == 0) {
                    // Gates for every line, a handler that returns, and a Guest that halts in a loop.
                    int handler = DeviceKit.HANDLER;
                    new Asm(image.memory, handler).bytes(0xCF); // iret
                    for (int line = 0; line < LGUEST_IRQS; line++) {
                        a.idtGate(FIRST_EXTERNAL_VECTOR + line, handler);
                    }
                    int loop = a.pc();
                    a.hcall(LHCALL_HALT, 0, 0, 0).jmp(loop);
                } else {
                    random.nextBytes(page);
                    a.bytes(page);
                }
                LauncherContext context = new LauncherContext();
                Outcome o = runUnderStorm(image, i % 2 == 0, current, context);
                tally.add(o);
                if (o.end() == End.DIED) {
                    assertFalse(o.reason().startsWith("jlguest internal error"), "guest " + i + ": " + o.reason());
                }
            }
        } finally {
            stop.set(true);
            storm.join();
        }
        assertEquals(null, wrong.get());
        assertTrue(sent.get() > 0);
        System.out.println("irq storm: " + sent.get() + " IRQ writes; " + tally);
    }

    private Outcome runUnderStorm(Image image, boolean pci, AtomicReference<LguestFile> current, LauncherContext context) {
        LguestFile file = device.open(context);
        current.set(file);
        try {
            assertEquals(pci ? 16 : 12, DeviceKit.write(device, file, image.initialize(context, pci)));
            byte[] buffer = new byte[256];
            long deadline = System.nanoTime() + 5_000_000;
            for (int reads = 1; reads <= MAX_READS; reads++) {
                int n = watchdog.read(device, file, buffer, deadline);
                if (n == -ENOENT) {
                    int m = device.read(file, 0, buffer, buffer.length);
                    assertTrue(m > 1, "a dead Guest's reason is non-empty: " + m);
                    return new Outcome(End.DIED, DeviceKit.text(buffer, m), reads, 0);
                }
                if (n == -ERESTART) {
                    return new Outcome(End.RESTARTED, null, reads, 0);
                }
                if (n == -RunLoop.EINTR) {
                    return new Outcome(End.SURVIVED, null, reads, 0);
                }
                if (n == PENDING_SIZE && pci) {
                    if (DeviceKit.write(device, file, LHREQ_TRAP, buffer[0]) != 0) {
                        return new Outcome(End.LAUNCHER_GAVE_UP, null, reads, 0);
                    }
                    continue;
                }
                assertTrue(n == 4 && !pci, "read() returned " + n);
            }
            return new Outcome(End.SURVIVED, null, MAX_READS, 0);
        } finally {
            current.set(null);
            assertEquals(0, device.close(file));
            Thread.interrupted();
        }
    }

    private static int wild(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt();
            case 1 -> random.nextInt(0x10000);
            case 2 -> DeviceKit.DATA + random.nextInt(0x2000) - 0x1000;
            case 3 -> 0xFFFFF000 | random.nextInt(0x1000);
            default -> random.nextInt(300) - 20;
        };
    }

    /**
     * Interrupts the owner thread once its deadline passes: the run loop then returns -EINTR.
     * Disarming happens under the same lock, so no interrupt lands after a read came back.
     */
    static final class Watchdog implements AutoCloseable {
        private final Thread owner;
        private final Thread thread;
        private long deadline;
        private boolean armed;
        private boolean closed;

        Watchdog(Thread owner) {
            this.owner = owner;
            this.thread = new Thread(this::watch, "read-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void arm(long deadlineNanos) {
            deadline = deadlineNanos;
            armed = true;
            notifyAll();
        }

        synchronized void disarm() {
            armed = false;
        }

        /** One {@code read()} of the device, interrupted if it runs past {@code deadlineNanos}. */
        int read(LguestDevice device, LguestFile file, byte[] buffer, long deadlineNanos) {
            arm(deadlineNanos);
            try {
                return device.read(file, 0, buffer, buffer.length);
            } finally {
                disarm();
            }
        }

        private synchronized void watch() {
            while (!closed) {
                try {
                    if (!armed) {
                        wait();
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        owner.interrupt();
                        armed = false;
                        continue;
                    }
                    wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
}
