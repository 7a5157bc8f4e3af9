package org.jlguest.launcher.bench;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the workload: its round count, the wall-clock time from starting the machine or
 * process to its end, the processor time it took when that can be measured (see
 * {@link CpuClock}), the report line it printed, and the instructions it retired when the
 * engine counts them (jlguest's interpreter does; a process on the host processor does not).
 */
public record Run(int rounds, long nanos, OptionalLong cpuNanos, String report, OptionalLong instructions) {
    private static final Pattern REPORT = Pattern.compile("jlguest-bench rounds=(\\d+) checksum=([0-9a-f]{8})");

    /** The run, if its output is the report line for {@code rounds}; else throws with what it printed. */
    static Run checked(String engine, int rounds, long nanos, OptionalLong cpuNanos, String output,
            OptionalLong instructions) throws BenchException {
        String report = output.strip();
        Matcher m = REPORT.matcher(report);
        if (!m.matches() || Integer.parseInt(m.group(1)) != rounds) {
            throw new BenchException(String.format("%s, %d rounds: expected a line \"jlguest-bench rounds=%d "
                    + "checksum=...\", got \"%s\"", engine, rounds, rounds, report));
        }
        return new Run(rounds, nanos, cpuNanos, report, instructions);
    }

    /** The eight hex digits of the checksum. */
    public String checksum() {
        return report.substring(report.lastIndexOf('=') + 1);
    }

    public double seconds() {
        return nanos / 1e9;
    }
}
