package org.jlguest.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jlguest.cpu.Tier;
import org.jlguest.launcher.bench.BareEngine;
import org.jlguest.launcher.bench.Bench;
import org.jlguest.launcher.bench.BenchException;
import org.jlguest.launcher.bench.BenchTable;
import org.jlguest.launcher.bench.Engine;
import org.jlguest.launcher.bench.Measurement;
import org.jlguest.launcher.bench.Plan;
import org.jlguest.launcher.bench.ProcessEngine;
import org.jlguest.launcher.bench.Workload;
import org.jlguest.launcher.bench.WorkloadImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jlguest bench}: times the benchmark workload of {@code testdata/bench} on jlguest's
 * bare machine and, with {@code --compare}, on this processor and under QEMU, and prints guest
 * MIPS and ratios. Progress goes to stderr, results to stdout.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Time the benchmark workload (CRC-32, LZ compression and decompression, quicksort, integer matrix "
                    + "product, SHA-256; about 9.8 million instructions a round) on jlguest's interpreter and print "
                    + "guest MIPS.",
            "%nEach repetition runs the workload for the base and the full round count from a fresh machine; the "
                    + "difference of the two times has no start-up cost in it, and its median over the repetitions, "
                    + "against the difference of the instructions jlguest's interpreter retired, gives the guest MIPS. "
                    + "Warm-up runs at the base count come first and are not measured.",
            "%nWith --compare the same object code also runs as a static i386 Linux executable on this processor, "
                    + "and under qemu-i386 and qemu-system-i386 (TCG) when they are on the PATH. Those do not count "
                    + "instructions: their MIPS use jlguest's count for the same rounds. Every run must print the "
                    + "same checksum for the same rounds, or the command fails.",
            "%nThe prebuilt workload is looked for under " + "testdata/src/main/resources/org/jlguest/testdata/bench "
                    + "above the working directory and above jlguest's jar, unless --workload gives its directory."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:measured",
            "1:a run failed or printed a different checksum",
            "2:bad arguments, or no workload found"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N",
            description = "The full round count (default: the count built into the image, 256, about 2.5 billion "
                    + "instructions).")
    private Integer rounds;

    @Option(names = "--base-rounds", paramLabel = "M",
            description = "The base round count subtracted from the full one (default: a quarter of N, at least 1).")
    private Integer baseRounds;

    @Option(names = "--runs", paramLabel = "K", defaultValue = "3",
            description = "Measured repetitions of both counts per engine; medians are reported (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "1",
            description = "Unmeasured runs at the base count before the repetitions, per engine (default: ${DEFAULT-VALUE}).")
    private int warmups;

    @Option(names = "--compare",
            description = "Also run natively and, when installed, under qemu-i386 and qemu-system-i386.")
    private boolean compare;

    @Option(names = "--tier", paramLabel = "TIER", defaultValue = "both",
            description = "The execution tier jlguest runs the workload with: interpreter, compiled, or both "
                    + "(default: ${DEFAULT-VALUE}).")
    private String tier;

    @Option(names = "--workload", paramLabel = "DIR",
            description = "The directory holding bench.bin and bench-linux-i386 (default: found in the repository).")
    private Path workloadDirectory;

    private List<Tier> tiers() {
        if (tier.trim().equalsIgnoreCase("both")) {
            return List.of(Tier.INTERPRETER, Tier.COMPILED);
        }
        try {
            return List.of(Tier.parse(tier));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tier: interpreter, compiled or both, not " + tier);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Workload workload;
        WorkloadImage flat;
        try {
            workload = Workload.locate(Optional.ofNullable(workloadDirectory));
            flat = workload.flatImage();
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Plan plan = plan(flat.rounds());
        Bench bench = new Bench(plan, line -> err.println("bench: " + line));
        List<Engine> engines = new ArrayList<>();
        try {
            for (Tier t : tiers()) {
                engines.add(new BareEngine(flat, t));
            }
            if (compare) {
                engines.addAll(comparisons(workload, flat, err));
            }
            out.printf("jlguest bench: workload %s, rounds %d and %d, %d run%s after %d warm-up%s%n",
                    workload.directory().toAbsolutePath().normalize(), plan.rounds(), plan.baseRounds(), plan.runs(),
                    plan.runs() == 1 ? "" : "s", plan.warmups(), plan.warmups() == 1 ? "" : "s");
            for (Engine engine : engines) {
                out.printf("  %-17s %s%n", engine.name(), engine.description());
            }
            out.println(load("at the start"));
            BenchTable table = new BenchTable(bench);
            List<Measurement> measurements = new ArrayList<>();
            out.println();
            out.println(table.runsHeading());
            out.flush();
            for (Engine engine : engines) {
                Measurement m = bench.measure(engine);
                measurements.add(m);
                table.runs(m, engine instanceof BareEngine).forEach(out::println);
                out.flush();
            }
            out.println(load("at the end"));
            out.println();
            table.summary(measurements).forEach(out::println);
            if (engines.size() > 1) {
                out.println("* instructions of the other engines are jlguest's count for the same rounds: all run the "
                        + "same object code.");
            }
            return 0;
        } catch (BenchException e) {
            out.flush();
            err.println("bench: " + e.getMessage());
            return 1;
        } finally {
            close(engines, err);
        }
    }

    /** Wall-clock times stretch when other work shares the processors, so say how busy they were. */
    private static String load(String when) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        return String.format("  %d processors, load average %s %s", os.getAvailableProcessors(),
                load < 0 ? "unknown" : String.format("%.2f", load), when);
    }

    private Plan plan(int builtIn) {
        int full = rounds != null ? rounds : builtIn;
        int base = baseRounds != null ? baseRounds : Plan.defaultBase(full);
        try {
            return new Plan(full, base, runs, warmups);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The native executable and whichever QEMUs are installed; a missing one is noted, not fatal. */
    private static List<Engine> comparisons(Workload workload, WorkloadImage flat, PrintWriter err) throws BenchException {
        List<Engine> engines = new ArrayList<>();
        WorkloadImage executable;
        try {
            executable = workload.nativeExecutable();
        } catch (IOException | IllegalArgumentException e) {
            throw new BenchException("--compare needs the native executable: " + e.getMessage(), e);
        }
        try {
            engines.add(ProcessEngine.nativeLinux(executable));
        } catch (BenchException e) {
            err.println("bench: not comparing natively: " + e.getMessage());
        }
        ProcessEngine.qemuUser(executable).ifPresentOrElse(engines::add,
                () -> err.println("bench: qemu-i386 is not on the PATH; not comparing with it"));
        ProcessEngine.qemuSystem(flat).ifPresentOrElse(engines::add,
                () -> err.println("bench: qemu-system-i386 is not on the PATH; not comparing with it"));
        return engines;
    }

    private static void close(List<Engine> engines, PrintWriter err) {
        for (Engine engine : engines) {
            try {
                engine.close();
            } catch (BenchException e) {
                err.println("bench: " + e.getMessage());
            }
        }
    }
}
