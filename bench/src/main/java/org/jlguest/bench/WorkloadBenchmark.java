package org.jlguest.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.Tier;
import org.jlguest.cpu.bare.BareConsole;
import org.jlguest.cpu.bare.BareMachine;
import org.jlguest.cpu.bare.BareRun;
import org.jlguest.cpu.bare.ExitKind;
import org.jlguest.cpu.bare.Image;
import org.jlguest.cpu.bare.ImageLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest MIPS on the benchmark workload ({@code testdata/bench}: CRC-32, LZ compression, quicksort,
 * matrix product, SHA-256) run by the interpreter on the bare machine, ring 0, paging off: the
 * mix of a compiled C program rather than a hand-written loop.
 *
 * <p>Each invocation continues the same machine for {@link #SLICE} instructions (a block may
 * overshoot the budget by a few instructions, far below the noise); the built-in 256 rounds are
 * about 2.5 billion instructions, so the program does not halt within a benchmark run, and a
 * fresh machine is started if it does.
 *
 * <p>{@code tier} picks the execution tier ({@link Tier}): the interpreter, or compiled blocks at
 * the default threshold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WorkloadBenchmark {
    private static final String IMAGE = "/org/jlguest/testdata/bench/bench.bin";
    private static final int ADDRESS = 0x100000;
    private static final long RAM = 4L << 20;
    private static final int SLICE = 2_000_000;

    @Param({"interpreter", "compiled"})
    public String tier;

    private byte[] image;
    private BareMachine machine;

    @Setup
    public void setUp() {
        try (InputStream s = WorkloadBenchmark.class.getResourceAsStream(IMAGE)) {
            if (s == null) {
                throw new IllegalStateException(IMAGE + " is not on the class path");
            }
            image = s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    private void start() {
        System.setProperty(Tier.PROPERTY, Tier.parse(tier).name());
        machine = new BareMachine(new ImageLayout(RAM, List.of(new Image("bench.bin", ADDRESS, image))),
                new BareConsole() {
                    @Override
                    public void console(int b) {
                    }

                    @Override
                    public void post(int port, int value, long instructions) {
                    }
                });
        machine.enterFlat(ADDRESS);
    }

    @Benchmark
    @OperationsPerInvocation(SLICE)
    public BareRun workload() {
        BareRun run = machine.run(SLICE);
        if (run.exit() != ExitKind.INSTRUCTION_LIMIT) {
            if (run.exit() != ExitKind.HALTED) {
                throw new IllegalStateException("workload stopped: " + run.summary());
            }
            start();
        }
        return run;
    }
}
