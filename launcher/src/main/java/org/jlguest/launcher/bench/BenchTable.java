package org.jlguest.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The text jlguest bench prints: every run, then the side-by-side summary, each time on the wall
 * clock and in processor time ({@link CpuClock}; "-" where it could not be measured). When other
 * work shares the processors the wall clock stretches and processor time does not, so the ratios
 * are taken in processor time when every engine has it.
 *
 * <p>Instruction counts come from the engines that count them (jlguest's interpreter); a process
 * on the host processor or under QEMU runs the same object code, so the table takes jlguest's
 * count for the same rounds and marks it with an asterisk.
 */
public final class BenchTable {
    private static final String RUN_FORMAT = "%-17s %3s %7s %15s %9s %9s  %s";
    private static final String SUMMARY_FORMAT = "%-17s %9s %9s %11s %11s %10s %13s";

    private final Bench bench;

    public BenchTable(Bench bench) {
        this.bench = bench;
    }

    /** The heading of the runs table. */
    public String runsHeading() {
        return String.format(RUN_FORMAT, "engine", "run", "rounds", "instructions", "wall s", "cpu s", "report");
    }

    /** One line per measured run, start-up included in its times. */
    public List<String> runs(Measurement m, boolean counted) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < m.high().size(); i++) {
            for (Run run : List.of(m.base().get(i), m.high().get(i))) {
                OptionalLong instructions = bench.instructions(run.rounds());
                lines.add(String.format(RUN_FORMAT, m.engine(), i + 1, run.rounds(),
                        instructions.isPresent() ? String.format("%,d", instructions.getAsLong()) + (counted ? " " : "*") : "?",
                        seconds(run.nanos()), run.cpuNanos().isPresent() ? seconds(run.cpuNanos().getAsLong()) : "-",
                        run.report()));
            }
        }
        return lines;
    }

    /**
     * The summary: per engine, the median time of the difference between the two round counts
     * (wall and processor), the guest MIPS each gives, how many times longer than on the host
     * processor it took, and the median wall time of a whole run at the full count.
     */
    public List<String> summary(List<Measurement> measurements) {
        Plan plan = bench.plan();
        long instructions = bench.instructions(plan.rounds()).orElseThrow()
                - bench.instructions(plan.baseRounds()).orElseThrow();
        boolean cpuEverywhere = measurements.stream().allMatch(m -> m.medianDifferenceCpuNanos().isPresent());
        Function<Measurement, Long> time = cpuEverywhere
                ? m -> m.medianDifferenceCpuNanos().getAsLong() : Measurement::medianDifferenceNanos;
        Optional<Measurement> nativeRun = measurements.stream().filter(m -> m.engine().equals("native")).findFirst();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%d - %d = %d rounds, %,d instructions; median of %d run%s:", plan.rounds(),
                plan.baseRounds(), plan.measuredRounds(), instructions, plan.runs(), plan.runs() == 1 ? "" : "s"));
        lines.add("");
        lines.add(String.format(SUMMARY_FORMAT, "engine", "wall s", "cpu s", "MIPS wall", "MIPS cpu",
                "vs native", "wall " + plan.rounds() + " r"));
        for (Measurement m : measurements) {
            long wall = m.medianDifferenceNanos();
            OptionalLong cpu = m.medianDifferenceCpuNanos();
            String ratio = nativeRun.map(n -> String.format("%.1fx", (double) time.apply(m) / time.apply(n))).orElse("-");
            lines.add(String.format(SUMMARY_FORMAT, m.engine(), seconds(wall),
                    cpu.isPresent() ? seconds(cpu.getAsLong()) : "-", mips(instructions, wall),
                    cpu.isPresent() ? mips(instructions, cpu.getAsLong()) : "-", ratio, seconds(m.medianHighNanos())));
        }
        lines.add("");
        lines.add("vs native: the measured rounds' " + (cpuEverywhere ? "processor" : "wall-clock")
                + " time relative to this processor's.");
        return lines;
    }

    private static String seconds(long nanos) {
        return String.format("%.3f", nanos / 1e9);
    }

    private static String mips(long instructions, long nanos) {
        return nanos > 0 ? String.format("%.1f", instructions * 1e3 / nanos) : "-";
    }
}
