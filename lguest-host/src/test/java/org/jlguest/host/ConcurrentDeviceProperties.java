package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jlguest.host.DeviceKit.Asm;
import org.jlguest.host.DeviceKit.Image;
import org.jlguest.host.HostileGuestTest.Watchdog;

/**
 * The device under several Launcher threads: while the owner runs a Guest that halts and answers
 * each interrupt with a NOTIFY, other threads raise interrupt lines and send GETREG, SETREG and
 * EVENTFD writes. Nothing throws, every write gets the answer the rules give it, a halted Guest
 * with an unmasked line raised always wakes (no wake-up is lost), a masked line never wakes it.
 */
class ConcurrentDeviceProperties {
    /** Lines 24..31 are blocked in lguest_data.blocked_interrupts. */
    private static final int BLOCKED = 0xFF000000;
    private static final long LOST = 5_000_000_000L;

    /** 3.x Guest: gates for every line, a halt loop (optionally arming the clock first), a handler that NOTIFYs. */
    static Image haltingGuest(int clockNanos) {
        Image image = new Image(16);
        image.memory.write32(DeviceKit.DATA + LD_BLOCKED_INTERRUPTS, BLOCKED);
        new Asm(image.memory, DeviceKit.HANDLER)
                .hcall(LHCALL_NOTIFY, DeviceKit.NOTIFY_ADDRESS, 0, 0)
                .bytes(0xCF); // iret
        Asm a = image.code.mov(4, DeviceKit.STACK).hcall(LHCALL_LGUEST_INIT, DeviceKit.DATA, 0, 0);
        for (int line = 0; line < LGUEST_IRQS; line++) {
            a.idtGate(FIRST_EXTERNAL_VECTOR + line, DeviceKit.HANDLER);
        }
        int loop = a.pc();
        if (clockNanos > 0) {
            a.hcall(LHCALL_SET_CLOCKEVENT, clockNanos, 0, 0);
        }
        a.hcall(LHCALL_HALT, 0, 0, 0).jmp(loop);
        return image;
    }

    /** Threads that keep sending harmless writes and check each answer. */
    static final class Noise implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> wrong = new AtomicReference<>();
        final AtomicLong writes = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        Noise(LguestDevice device, LauncherContext context, LguestFile file, int count, long seed, boolean getRegs) {
            for (int t = 0; t < count; t++) {
                Random r = new Random(seed + t);
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        int[] w;
                        int expected;
                        switch (r.nextInt(getRegs ? 4 : 3)) {
                            case 0 -> {
                                // ESI, EDI or EBP: registers the Guest never reads; never the notify address
                                w = new int[] {LHREQ_SETREG, 12 + 4 * r.nextInt(3), r.nextInt() | 0x80000000};
                                expected = 12;
                            }
                            case 1 -> {
                                w = new int[] {LHREQ_IRQ, 24 + r.nextInt(8)};
                                expected = 0;
                            }
                            case 2 -> {
                                int address = 0x10000 + r.nextInt(0x1000) * 16;
                                w = new int[] {LHREQ_EVENTFD, address, context.addEventFd(new EventFd())};
                                expected = 0;
                            }
                            default -> {
                                w = new int[] {LHREQ_GETREG, new int[] {12, 16, 20, 52}[r.nextInt(4)]};
                                expected = 8;
                            }
                        }
                        try {
                            int got = DeviceKit.write(device, file, w);
                            if (got != expected) {
                                wrong.compareAndSet(null, "request " + w[0] + " answered " + got);
                            }
                        } catch (RuntimeException e) {
                            wrong.compareAndSet(null, "request " + w[0] + " threw " + e);
                        }
                        writes.incrementAndGet();
                        if (r.nextInt(16) == 0) {
                            Thread.yield();
                        }
                    }
                }, "noise-" + t);
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() {
            stop.set(true);
            threads.forEach(DeviceKit::joinQuietly);
        }
    }

    /**
     * Rounds of 1..3 sender threads, each raising a distinct unmasked line after a random delay
     * while the owner reads: the owner must see exactly one NOTIFY per line, each within 5 s, then
     * nothing more (masked lines raised by the noise never wake the Guest).
     */
    @Property(tries = 80)
    void noWakeUpIsLost(@ForAll long seed, @ForAll @IntRange(min = 5, max = 40) int rounds, @ForAll boolean noisy)
            throws Exception {
        Random random = new Random(seed);
        LguestDevice device = new LguestDevice();
        LauncherContext context = new LauncherContext();
        LguestFile file = device.open(context);
        Image image = haltingGuest(0);
        assertEquals(12, DeviceKit.write(device, file, image.initialize(context, false)));
        byte[] buffer = new byte[64];
        try (Watchdog watchdog = new Watchdog(Thread.currentThread());
                Noise noise = new Noise(device, context, file, noisy ? 2 : 0, seed, random.nextBoolean())) {
            for (int round = 0; round < rounds; round++) {
                int senders = 1 + random.nextInt(3);
                List<Integer> lines = new ArrayList<>();
                while (lines.size() < senders) {
                    int line = random.nextInt(24);
                    if (!lines.contains(line)) {
                        lines.add(line);
                    }
                }
                List<Thread> threads = new ArrayList<>();
                AtomicReference<String> wrong = new AtomicReference<>();
                for (int line : lines) {
                    long delayMicros = random.nextInt(4) == 0 ? 0 : random.nextInt(4) == 0 ? random.nextInt(1500) : random.nextInt(200);
                    Thread sender = new Thread(() -> {
                        long until = System.nanoTime() + delayMicros * 1000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        int got = DeviceKit.write(device, file, LHREQ_IRQ, line);
                        if (got != 0) {
                            wrong.compareAndSet(null, "IRQ " + line + " answered " + got);
                        }
                    }, "irq-" + line);
                    threads.add(sender);
                    sender.start();
                }
                int notifies = 0;
                while (notifies < senders) {
                    int n = watchdog.read(device, file, buffer, System.nanoTime() + LOST);
                    Thread.interrupted();
                    if (n == -RunLoop.EINTR) {
                        fail("round " + round + ": lines " + lines + " raised, " + notifies + " delivered, the Guest sleeps on");
                    }
                    assertEquals(4, n, "round " + round);
                    if (DeviceKit.le32(buffer, 0) == DeviceKit.NOTIFY_ADDRESS) {
                        notifies++;
                    }
                }
                threads.forEach(DeviceKit::joinQuietly);
                assertNull(wrong.get(), wrong.get());
            }
            noise.close();
            assertNull(noise.wrong.get(), noise.wrong.get());
            // Nothing unmasked is pending: the Guest sleeps until the watchdog ends the read.
            for (int extra = 0; ; extra++) {
                int n = watchdog.read(device, file, buffer, System.nanoTime() + 30_000_000);
                Thread.interrupted();
                if (n == -RunLoop.EINTR) {
                    break;
                }
                assertEquals(4, n);
                assertTrue(DeviceKit.le32(buffer, 0) != DeviceKit.NOTIFY_ADDRESS && extra == 0,
                        "only one outstanding GETREG may answer, never a wake-up from a masked line");
            }
        } finally {
            device.close(file);
            Thread.interrupted();
        }
    }

    /**
     * A Guest that arms its clock before every halt wakes for every read, whatever IRQs, GETREGs,
     * SETREGs and EVENTFDs other threads send meanwhile.
     */
    @Property(tries = 15)
    void theClockAlwaysWakesAHaltedGuest(@ForAll long seed, @ForAll @IntRange(min = 20_000, max = 1_000_000) int clockNanos)
            throws Exception {
        Random random = new Random(seed);
        LguestDevice device = new LguestDevice();
        LauncherContext context = new LauncherContext();
        LguestFile file = device.open(context);
        assertEquals(12, DeviceKit.write(device, file, haltingGuest(clockNanos).initialize(context, false)));
        byte[] buffer = new byte[64];
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread irqs = new Thread(() -> {
            Random r = new Random(seed ^ 1);
            while (!stop.get()) {
                int line = r.nextInt(LGUEST_IRQS);
                int got = DeviceKit.write(device, file, LHREQ_IRQ, line);
                if (got != 0) {
                    wrong.compareAndSet(null, "IRQ " + line + " answered " + got);
                }
                long until = System.nanoTime() + r.nextInt(200_000);
                while (System.nanoTime() < until && !stop.get()) {
                    Thread.onSpinWait();
                }
            }
        }, "irq-sender");
        boolean withIrqs = random.nextBoolean();
        if (withIrqs) {
            irqs.start();
        }
        try (Watchdog watchdog = new Watchdog(Thread.currentThread());
                Noise noise = new Noise(device, context, file, 1, seed, false)) {
            int notifies = 0;
            while (notifies < 40) {
                int n = watchdog.read(device, file, buffer, System.nanoTime() + LOST);
                Thread.interrupted();
                if (n == -RunLoop.EINTR) {
                    fail("the clock was armed (" + clockNanos + " ns) but the Guest slept on after " + notifies + " wake-ups");
                }
                assertEquals(4, n);
                assertEquals(DeviceKit.NOTIFY_ADDRESS, DeviceKit.le32(buffer, 0));
                notifies++;
            }
            noise.close();
            assertNull(noise.wrong.get(), noise.wrong.get());
        } finally {
            stop.set(true);
            if (withIrqs) {
                DeviceKit.joinQuietly(irqs);
            }
            device.close(file);
            Thread.interrupted();
        }
        assertNull(wrong.get(), wrong.get());
    }
}
