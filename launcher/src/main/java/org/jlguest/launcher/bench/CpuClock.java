package org.jlguest.launcher.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Processor time, which unlike wall-clock time does not stretch when other work shares the
 * processors: the current thread's (for the interpreter running in it), and the total of the
 * child processes this JVM has waited for (for native and QEMU runs), from the cutime and cstime
 * fields of Linux's {@code /proc/self/stat}. Those count in USER_HZ ticks, 100 a second on x86
 * Linux, so a child's time is good to 10 ms.
 */
final class CpuClock {
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** cutime and cstime: fields 16 and 17 of /proc/PID/stat, counted from the state field (3) after the ')'. */
    private static final int CUTIME = 16 - 3;

    private CpuClock() {
    }

    /** This thread's processor time, if the JVM measures it. */
    static OptionalLong thread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return OptionalLong.empty();
        }
        long nanos = threads.getCurrentThreadCpuTime();
        return nanos < 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** User and system time of the children waited for so far, on Linux. */
    static OptionalLong children() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of((Long.parseLong(fields[CUTIME]) + Long.parseLong(fields[CUTIME + 1])) * NANOS_PER_TICK);
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code after - before} when both were measured. */
    static OptionalLong between(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent()
                ? OptionalLong.of(after.getAsLong() - before.getAsLong()) : OptionalLong.empty();
    }
}
