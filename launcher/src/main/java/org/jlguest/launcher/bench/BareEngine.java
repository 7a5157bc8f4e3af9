package org.jlguest.launcher.bench;

import java.util.List;
import java.util.OptionalLong;
import org.jlguest.cpu.Tier;
import org.jlguest.cpu.bare.BareConsole;
import org.jlguest.cpu.bare.BareMachine;
import org.jlguest.cpu.bare.BareRun;
import org.jlguest.cpu.bare.ExitKind;
import org.jlguest.cpu.bare.Image;
import org.jlguest.cpu.bare.ImageLayout;

/**
 * The workload's raw image on jlguest's bare machine, in this JVM: a fresh machine per run
 * (4 MiB of RAM, the image at 1 MiB, a flat ring-0 entry there), run until the workload halts.
 * The times include building the machine: wall clock, and this thread's processor time; the
 * instruction count is the interpreter's own.
 */
public final class BareEngine implements Engine {
    private static final long RAM = 4L << 20;
    /** A generous bound: a round retires about ten million instructions. */
    private static final long LIMIT_PER_ROUND = 100_000_000L;

    private final WorkloadImage image;
    private final Tier tier;

    public BareEngine(WorkloadImage image) {
        this(image, Tier.INTERPRETER);
    }

    /** The workload run by this execution tier. */
    public BareEngine(WorkloadImage image, Tier tier) {
        this.image = image;
        this.tier = tier;
    }

    @Override
    public String name() {
        return tier == Tier.COMPILED ? "jlguest compiled" : "jlguest bare";
    }

    @Override
    public String description() {
        return tier == Tier.COMPILED
                ? "jlguest's compiled tier on the bare machine (jlguest bare), in this JVM"
                : "jlguest's interpreter on the bare machine (jlguest bare), in this JVM";
    }

    @Override
    public Run run(int rounds) throws BenchException {
        WorkloadImage patched = image.withRounds(rounds);
        Output output = new Output();
        OptionalLong cpuStart = CpuClock.thread();
        long start = System.nanoTime();
        BareMachine machine = new BareMachine(
                new ImageLayout(RAM, List.of(new Image(patched.name(), Workload.FLAT_ADDRESS, patched.bytes()))), output);
        machine.interpreter().setTier(tier);
        machine.enterFlat(Workload.FLAT_ADDRESS);
        BareRun end = machine.run(LIMIT_PER_ROUND * (rounds + 1));
        long nanos = System.nanoTime() - start;
        OptionalLong cpu = CpuClock.between(cpuStart, CpuClock.thread());
        if (end.exit() != ExitKind.HALTED) {
            throw new BenchException(String.format("%s, %d rounds: %s; console: \"%s\"", name(), rounds, end.summary(),
                    output.text.toString().strip()));
        }
        return Run.checked(name(), rounds, nanos, cpu, output.text.toString(), OptionalLong.of(end.instructions()));
    }

    /** The debug console, kept; POST codes are ignored (the workload writes none). */
    private static final class Output implements BareConsole {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void console(int b) {
            text.append((char) b);
        }

        @Override
        public void post(int port, int value, long instructions) {
        }
    }
}
