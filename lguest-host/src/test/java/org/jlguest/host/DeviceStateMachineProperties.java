package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.jlguest.host.DeviceKit.Image;
import org.jlguest.host.DeviceKit.Program;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code /dev/lguest} (ABI spec §2) as a state machine: random sequences of open,
 * write (every request number 0..9, valid and random arguments, short buffers, offsets 0 and 1,
 * from the owner or another thread), read and close over several files, each result checked
 * against a small model of the rules: the order of the common checks, the per-request checks and
 * byte counts, -EBUSY, -EPERM, the death protocol and -EBADF after close.
 */
class DeviceStateMachineProperties {

    /** Register offsets with their GETREG/SETREG status (§2.7); 44 (orig_ax) has none. */
    private static final int[] OFFSETS = {0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64};

    static boolean gettable(int offset) {
        return offset >= 0 && offset <= 64 && offset % 4 == 0 && offset != 44;
    }

    static boolean settable(int offset) {
        return (offset >= 0 && offset <= 24 && offset % 4 == 0) || offset == 48 || offset == 60;
    }

    @Property(tries = 300)
    void theDeviceFollowsItsRules(@ForAll("chains") ActionChain<World> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.<World>startWith(World::new)
                .withAction(2, new Open())
                .withAction(10, new Write())
                .withAction(6, new Read())
                .withAction(1, new Close())
                .withMaxTransformations(60);
    }

    // ---------------------------------------------------------------- the model

    /** One open file as the model sees it. */
    static final class FileModel {
        final LguestFile file;
        boolean closed;
        boolean guest;
        boolean pci;
        boolean ownerIsMain;
        Program program;
        int loop;
        int window;
        boolean hasRun;
        boolean dead;
        boolean restart;
        String reason;
        /** An outstanding GETREG's offset, or -1. */
        int getreg = -1;
        /** Register values the model knows (cleared by a run, but for those no program changes). */
        final Map<Integer, Integer> known = new HashMap<>();

        FileModel(LguestFile file) {
            this.file = file;
        }

        /** An EIP a Launcher may set without changing what the program does next. */
        int safeEip() {
            if (program == Program.SPIN) {
                return loop;
            }
            return hasRun ? loop : DeviceKit.CODE;
        }

        void forgetVolatileRegisters() {
            known.keySet().removeIf(o -> !(o >= 28 && o <= 40 || o == 52 || o == 64));
        }

        void die(String why) {
            dead = true;
            reason = why;
        }

        @Override
        public String toString() {
            return (closed ? "closed" : !guest ? "fresh" : (pci ? "4.x " : "3.x ") + program + (dead ? " dead" : ""));
        }
    }

    /** The device, the Launcher's context and the files, real and modelled. */
    static final class World {
        final LguestDevice device = new LguestDevice();
        final LauncherContext context = new LauncherContext();
        final List<FileModel> files = new ArrayList<>();

        World() {
            files.add(new FileModel(device.open(context)));
        }

        @Override
        public String toString() {
            return "World" + files;
        }
    }

    // ---------------------------------------------------------------- actions

    static final class Open implements Action.Independent<World> {
        @Override
        public boolean precondition(World w) {
            return w.files.size() < 6;
        }

        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("open", w -> w.files.add(new FileModel(w.device.open(w.context)))));
        }
    }

    static final class Close implements Action.Dependent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer(World state) {
            return Arbitraries.integers().between(0, state.files.size() - 1).map(i -> Transformer.mutate("close " + i, w -> {
                FileModel f = w.files.get(i);
                assertEquals(0, w.device.close(f.file), "close always returns 0");
                f.closed = true;
            }));
        }
    }

    /** Mostly a file with a live Guest, then one still open: closed ones only answer -EBADF. */
    static Arbitrary<Integer> fileIndex(World state) {
        List<Integer> open = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < state.files.size(); i++) {
            FileModel f = state.files.get(i);
            if (!f.closed) {
                open.add(i);
                if (f.guest && !f.dead) {
                    live.add(i);
                }
            }
        }
        List<net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<Integer>>> choices = new ArrayList<>();
        choices.add(Tuple2.of(1, Arbitraries.integers().between(0, state.files.size() - 1)));
        if (!open.isEmpty()) {
            choices.add(Tuple2.of(3, Arbitraries.of(open)));
        }
        if (!live.isEmpty()) {
            choices.add(Tuple2.of(5, Arbitraries.of(live)));
        }
        return Arbitraries.frequencyOf(choices);
    }

    /** The raw material of one write; turned into words against the state when it runs. */
    record WriteSpec(int file, int request, int variant, int a, int b, Program program, int cut, int extra,
            boolean longer, int offset, boolean otherThread) {
    }

    static final class Write implements Action.Dependent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer(World state) {
            Arbitrary<Integer> file = fileIndex(state);
            Arbitrary<Integer> request = Arbitraries.frequency(
                    Tuple2.of(4, 0), Tuple2.of(1, 1), Tuple2.of(3, 2), Tuple2.of(1, 3), Tuple2.of(2, 4),
                    Tuple2.of(3, 5), Tuple2.of(3, 6), Tuple2.of(2, 7), Tuple2.of(1, 8), Tuple2.of(1, 9));
            Arbitrary<Integer> variant = Arbitraries.integers().between(0, 9);
            Arbitrary<Integer> word = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(0, 70),
                    Arbitraries.of(0, 1, 31, 32, 44, 64, 255, 256, -1, Integer.MIN_VALUE));
            Arbitrary<Program> program = Arbitraries.of(Program.class);
            Arbitrary<Integer> cut = Arbitraries.frequency(Tuple2.of(6, -1), Tuple2.of(1, 0), Tuple2.of(1, 3),
                    Tuple2.of(1, 5), Tuple2.of(1, 9), Tuple2.of(1, 13), Tuple2.of(1, 17));
            Arbitrary<Integer> extra = Arbitraries.frequency(Tuple2.of(6, 0), Tuple2.of(1, 4), Tuple2.of(1, 3));
            Arbitrary<Boolean> longer = Arbitraries.of(false, false, false, true);
            Arbitrary<Integer> offset = Arbitraries.frequency(Tuple2.of(6, 0), Tuple2.of(1, 1));
            Arbitrary<Boolean> other = Arbitraries.of(false, false, false, false, true);
            return Combinators.combine(List.of(file.asGeneric(), request.asGeneric(), variant.asGeneric(), word.asGeneric(),
                    word.asGeneric(), program.asGeneric(), cut.asGeneric(), extra.asGeneric(), longer.asGeneric(),
                    offset.asGeneric(), other.asGeneric()))
                    .as(v -> new WriteSpec((Integer) v.get(0), (Integer) v.get(1), (Integer) v.get(2), (Integer) v.get(3),
                            (Integer) v.get(4), (Program) v.get(5), (Integer) v.get(6), (Integer) v.get(7),
                            (Boolean) v.get(8), (Integer) v.get(9), (Boolean) v.get(10)))
                    .map(spec -> Transformer.mutate("write " + spec, w -> write(w, spec)));
        }
    }

    record ReadSpec(int file, int offset, int size, boolean otherThread, boolean preInterrupt) {
    }

    static final class Read implements Action.Dependent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer(World state) {
            Arbitrary<Integer> file = fileIndex(state);
            Arbitrary<Integer> offset = Arbitraries.frequency(Tuple2.of(8, 0), Tuple2.of(1, 1));
            Arbitrary<Integer> size = Arbitraries.frequency(Tuple2.of(8, 64), Tuple2.of(1, 12), Tuple2.of(1, 4),
                    Tuple2.of(1, 5), Tuple2.of(1, 0), Tuple2.of(1, 11));
            Arbitrary<Boolean> other = Arbitraries.of(false, false, false, false, false, true);
            Arbitrary<Boolean> interrupt = Arbitraries.of(false, false, false, true);
            return Combinators.combine(file, offset, size, other, interrupt).as(ReadSpec::new)
                    .map(spec -> Transformer.mutate("read " + spec, w -> read(w, spec)));
        }
    }

    // ---------------------------------------------------------------- writes against the model

    static void write(World w, WriteSpec s) {
        FileModel f = w.files.get(s.file());
        Concrete concrete = wordsFor(w, f, s);
        int[] words = concrete.words();
        byte[] full = DeviceKit.words(words);
        byte[] buffer = java.util.Arrays.copyOf(full, full.length + s.extra());
        for (int i = full.length; i < buffer.length; i++) {
            buffer[i] = (byte) (s.b() >>> (8 * (i % 4)));
        }
        int length = s.cut() >= 0 ? Math.min(s.cut(), full.length) : s.longer() ? buffer.length + 9 : buffer.length;
        int effective = Math.min(length, buffer.length);
        int expected = expectedWrite(w, f, s, buffer, effective);
        boolean initByOther = s.request() == LHREQ_INITIALIZE && s.otherThread();
        int actual = s.otherThread() ? DeviceKit.writeFromAnotherThread(w.device, f.file, s.offset(), buffer, length)
                : w.device.write(f.file, s.offset(), buffer, length);
        assertEquals(expected, actual, () -> "write " + java.util.Arrays.toString(words) + " length " + length
                + " offset " + s.offset() + " on " + f);
        Statistics.label("writes").collect("request " + s.request(), expected >= 0 ? "ok" : "errno " + -expected);
        if (expected >= 0) {
            apply(f, s, concrete, buffer, effective, initByOther);
        }
    }

    /** A write's words and, for INITIALIZE, the image it maps and its program's loop address. */
    record Concrete(int[] words, Image image, int loop) {
        Concrete(int... words) {
            this(words, null, 0);
        }
    }

    /** The words the spec asks for, made concrete against this world (mappings, eventfds, safe EIPs). */
    static Concrete wordsFor(World w, FileModel f, WriteSpec s) {
        int a = s.a();
        int b = s.b();
        return switch (s.request()) {
            case LHREQ_INITIALIZE -> {
                Image image = new Image(16);
                int loop = s.program().build(image);
                int v = s.variant();
                int kind = v < 4 ? 0 : v < 7 ? 1 : v - 5; // 0: 4.x, 1: 3.x, 2..4: broken
                int[] init = image.initialize(w.context, kind != 1);
                switch (kind) {
                    case 2 -> init[1] = 0x1234; // nothing is mapped there
                    case 3 -> init[2] = 15; // not the mapped memory's size
                    case 4 -> init[4] = 3; // the device window below RAM's end
                    default -> {
                    }
                }
                yield new Concrete(init, image, loop);
            }
            case LHREQ_IRQ -> new Concrete(LHREQ_IRQ, s.variant() < 7 ? Math.floorMod(a, LGUEST_IRQS) : a);
            case LHREQ_EVENTFD -> {
                int address = s.variant() == 0 ? 0 : (a == 0 || a == DeviceKit.NOTIFY_ADDRESS) ? 0x7000 : a;
                int fd = s.variant() % 3 == 2 ? 99_999 : w.context.addEventFd(new EventFd());
                yield new Concrete(LHREQ_EVENTFD, address, fd);
            }
            case LHREQ_GETREG -> new Concrete(LHREQ_GETREG, s.variant() < 7 ? OFFSETS[Math.floorMod(a, OFFSETS.length)] : a);
            case LHREQ_SETREG -> {
                int offset = s.variant() < 7 ? OFFSETS[Math.floorMod(a, OFFSETS.length)] : a;
                yield new Concrete(LHREQ_SETREG, offset, offset == 48 ? f.safeEip() : b);
            }
            case LHREQ_TRAP -> new Concrete(LHREQ_TRAP, s.variant() < 7 ? a & 0xFF : a);
            default -> new Concrete(s.request(), a, b);
        };
    }

    static int expectedWrite(World w, FileModel f, WriteSpec s, byte[] buffer, int effective) {
        if (f.closed) {
            return -EBADF;
        }
        if (effective < 4) {
            return -EFAULT;
        }
        int request = DeviceKit.le32(buffer, 0);
        if (request != LHREQ_INITIALIZE) {
            if (!f.guest || s.offset() != 0) {
                return -EINVAL;
            }
            if (f.dead) {
                return -ENOENT;
            }
        }
        return switch (request) {
            case LHREQ_INITIALIZE -> {
                if (f.guest) {
                    yield -EBUSY;
                }
                if (effective < 16) {
                    yield -EFAULT;
                }
                boolean pci = effective >= 20;
                int base = DeviceKit.le32(buffer, 4);
                int pfn = DeviceKit.le32(buffer, 8);
                int deviceLimit = pci ? DeviceKit.le32(buffer, 16) : pfn;
                if (base == 0x1234) {
                    yield -EFAULT;
                }
                if (pfn != 16 || Integer.compareUnsigned(deviceLimit, pfn) < 0) {
                    yield -EINVAL;
                }
                yield pci ? 16 : 12;
            }
            case LHREQ_IRQ -> effective < 8 ? -EFAULT
                    : Integer.compareUnsigned(DeviceKit.le32(buffer, 4), LGUEST_IRQS) >= 0 ? -EINVAL : 0;
            case LHREQ_EVENTFD -> {
                if (f.pci) {
                    yield -EINVAL;
                }
                if (effective < 12) {
                    yield -EFAULT;
                }
                if (DeviceKit.le32(buffer, 4) == 0) {
                    yield -EINVAL;
                }
                yield DeviceKit.le32(buffer, 8) == 99_999 ? -EBADF : 0;
            }
            case LHREQ_GETREG -> effective < 8 ? -EFAULT : gettable(DeviceKit.le32(buffer, 4)) ? 8 : -ENOENT;
            case LHREQ_SETREG -> effective < 12 ? -EFAULT : settable(DeviceKit.le32(buffer, 4)) ? 12 : -ENOENT;
            case LHREQ_TRAP -> !f.pci ? -EINVAL : effective < 8 ? -EFAULT : -EINVAL; // no IDT gate is ever present
            default -> -EINVAL;
        };
    }

    static void apply(FileModel f, WriteSpec s, Concrete concrete, byte[] buffer, int effective, boolean initByOther) {
        int request = DeviceKit.le32(buffer, 0);
        switch (request) {
            case LHREQ_INITIALIZE -> {
                f.guest = true;
                f.pci = effective >= 20;
                f.ownerIsMain = !initByOther;
                f.program = s.program();
                f.loop = concrete.loop();
                f.window = Program.windowAddress(concrete.image());
                f.known.clear();
                for (int offset : OFFSETS) {
                    if (offset != 44) {
                        f.known.put(offset, 0);
                    }
                }
                f.known.put(48, DeviceKit.CODE);
                f.known.put(56, 0x202);
                f.known.put(52, GUEST_CS);
                f.known.put(28, GUEST_DS);
                f.known.put(32, GUEST_DS);
                f.known.put(64, GUEST_DS);
            }
            case LHREQ_GETREG -> f.getreg = DeviceKit.le32(buffer, 4);
            case LHREQ_SETREG -> f.known.put(DeviceKit.le32(buffer, 4), DeviceKit.le32(buffer, 8));
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- reads against the model

    static void read(World w, ReadSpec s) {
        FileModel f = w.files.get(s.file());
        byte[] buffer = new byte[s.size()];
        boolean owner = !s.otherThread() && f.ownerIsMain;
        boolean runs = !f.closed && f.guest && s.offset() == 0 && owner && !f.dead && f.getreg < 0;
        // A run whose getreg would be lost to a short buffer is left to its own test below.
        if (!f.closed && f.guest && f.getreg >= 0 && s.size() < 4) {
            buffer = new byte[4];
        }
        int size = buffer.length;
        int actual;
        if (s.otherThread()) {
            actual = DeviceKit.readFromAnotherThread(w.device, f.file, s.offset());
        } else if (runs && !s.preInterrupt() && f.program == Program.SPIN) {
            actual = readInterruptedAfter(w, f, buffer, 2);
        } else {
            if (s.preInterrupt()) {
                Thread.currentThread().interrupt();
            }
            actual = w.device.read(f.file, s.offset(), buffer, size);
            Thread.interrupted();
        }
        final byte[] out = buffer;
        Statistics.label("reads").collect(actual >= 0 ? (f.program == null ? "?" : f.program.name()) + " ok" : "errno " + -actual);
        String where = "read size " + size + " offset " + s.offset() + (s.otherThread() ? " (other thread)" : "") + " on " + f;
        if (f.closed) {
            assertEquals(-EBADF, actual, where);
        } else if (!f.guest || s.offset() != 0) {
            assertEquals(-EINVAL, actual, where);
        } else if (s.otherThread() || !f.ownerIsMain) {
            assertEquals(-EPERM, actual, where);
        } else if (f.dead) {
            expectDeathReport(f, out, size, actual, where);
        } else if (f.getreg >= 0) {
            assertEquals(4, actual, where);
            Integer known = f.known.get(f.getreg);
            if (known != null) {
                assertEquals(known.intValue(), DeviceKit.le32(out, 0), where + ": GETREG " + f.getreg);
            }
            f.getreg = -1;
        } else if (s.preInterrupt()) {
            assertEquals(-RunLoop.EINTR, actual, where + ": an interrupted owner");
        } else {
            try {
                expectRun(f, out, size, actual, where);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + unexpectedDeath(w, f, actual), e);
            }
        }
    }

    /**
     * For a failed run that read as a death: the Host's reason for it (read once more, as a
     * Launcher would), so the failure says why.
     */
    static String unexpectedDeath(World w, FileModel f, int actual) {
        if (actual != -ENOENT) {
            return "";
        }
        byte[] reason = new byte[256];
        int n = w.device.read(f.file, 0, reason, reason.length);
        return " (the Guest died: " + DeviceKit.text(reason, Math.max(n, 0)) + ")";
    }

    /** read() on the owner with another thread interrupting it after {@code millis} (a spinning Guest). */
    static int readInterruptedAfter(World w, FileModel f, byte[] buffer, long millis) {
        Thread owner = Thread.currentThread();
        AtomicInteger armed = new AtomicInteger(1);
        Thread alarm = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (armed) {
                if (armed.get() == 1) {
                    owner.interrupt();
                }
            }
        }, "alarm");
        alarm.start();
        int result = w.device.read(f.file, 0, buffer, buffer.length);
        synchronized (armed) {
            armed.set(0);
        }
        alarm.interrupt();
        DeviceKit.joinQuietly(alarm);
        Thread.interrupted();
        return result;
    }

    static void expectDeathReport(FileModel f, byte[] out, int size, int actual, String where) {
        if (f.restart) {
            assertEquals(-ERESTART, actual, where);
            return;
        }
        int n = Math.min(size, f.reason.length() + 1);
        assertEquals(n, actual, where + ": the reason, NUL included, cut to the buffer");
        String expected = (f.reason + "\0").substring(0, n);
        assertEquals(expected, new String(out, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1), where);
    }

    /** What a run of each program does, by generation. */
    static void expectRun(FileModel f, byte[] out, int size, int actual, String where) {
        f.hasRun = true;
        f.forgetVolatileRegisters();
        switch (f.program) {
            case POWER_OFF -> {
                assertEquals(-ENOENT, actual, where + ": the read that notices the death");
                f.die("CRASH: " + Program.MESSAGE_TEXT);
            }
            case RESTART -> {
                assertEquals(-ERESTART, actual, where);
                f.dead = true;
                f.restart = true;
            }
            case NOTIFY_LOOP -> {
                if (f.pci) {
                    assertEquals(-ENOENT, actual, where + ": NOTIFY is no 4.x hypercall");
                    f.die("Bad hypercall 17\n");
                } else if (size < 4) {
                    assertEquals(-EFAULT, actual, where);
                } else {
                    assertEquals(4, actual, where);
                    assertEquals(DeviceKit.NOTIFY_ADDRESS, DeviceKit.le32(out, 0), where);
                }
            }
            case MMIO_LOOP -> {
                if (!f.pci) {
                    assertEquals(-ENOENT, actual, where + ": no device window in 3.x");
                    f.die("bad page table entry");
                } else if (size < PENDING_SIZE) {
                    assertEquals(-EFAULT, actual, where);
                } else {
                    assertEquals(PENDING_SIZE, actual, where);
                    assertEquals(14, out[0], where);
                    assertEquals(0xA3, out[1] & 0xFF, where);
                    assertEquals(f.window, DeviceKit.le32(out, 2), where + ": the instruction bytes");
                    assertEquals(f.window, DeviceKit.le32(out, 8), where);
                }
            }
            case SPIN -> assertEquals(-RunLoop.EINTR, actual, where + ": an interrupted owner");
            default -> throw new AssertionError(f.program);
        }
        assertFalse(Thread.currentThread().isInterrupted(), "no interrupt is left behind");
    }

    // ---------------------------------------------------------------- found by the model

    /**
     * A read whose buffer cannot take the 4-byte value of an outstanding GETREG fails with
     * -EFAULT; lguest leaves {@code reg_read} set (it clears it only after {@code put_user}
     * succeeded), so the next read still returns the register instead of running the Guest.
     */
    @Test
    void aFailedGetRegReadKeepsTheRegisterOutstanding() {
        LguestDevice device = new LguestDevice();
        LauncherContext context = new LauncherContext();
        LguestFile file = device.open(context);
        Image image = new Image(16);
        Program.POWER_OFF.build(image);
        byte[] init = DeviceKit.words(image.initialize(context, true));
        assertEquals(16, device.write(file, 0, init, init.length));
        assertEquals(8, DeviceKit.write(device, file, LHREQ_GETREG, 48));
        assertEquals(-EFAULT, device.read(file, 0, new byte[2], 2));
        byte[] out = new byte[64];
        assertEquals(4, device.read(file, 0, out, out.length), "the GETREG is still outstanding");
        assertEquals(DeviceKit.CODE, DeviceKit.le32(out, 0));
    }

    /** Shorthand for jqwik's frequency pairs. */
    private static final class Tuple2 {
        static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> of(int weight, T value) {
            return net.jqwik.api.Tuple.of(weight, value);
        }
    }
}
