package org.jlguest.launcher.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Runs engines through a {@link Plan} and checks that they agree: every run at a round count
 * must print the same report line (the same checksum) as the first run at that count, whichever
 * engine made it, and every engine that counts instructions must count the same number. The
 * workload is deterministic, so a difference is a bug in an engine, and no timing is reported
 * for it.
 */
public final class Bench {
    private final Plan plan;
    private final Consumer<String> progress;
    private final Map<Integer, Reference> references = new HashMap<>();

    /** The first run seen at a round count, which all later runs must agree with. */
    private record Reference(String engine, String report, OptionalLong instructions) {
    }

    /** {@code progress} hears a line before each run starts. */
    public Bench(Plan plan, Consumer<String> progress) {
        this.plan = plan;
        this.progress = progress;
    }

    public Plan plan() {
        return plan;
    }

    /** Warms up, then measures the plan's repetitions. */
    public Measurement measure(Engine engine) throws BenchException {
        for (int w = 1; w <= plan.warmups(); w++) {
            progress.accept(String.format("%s: warm-up %d/%d, %d rounds", engine.name(), w, plan.warmups(),
                    plan.baseRounds()));
            agree(engine, engine.run(plan.baseRounds()));
        }
        List<Run> base = new ArrayList<>();
        List<Run> high = new ArrayList<>();
        for (int r = 1; r <= plan.runs(); r++) {
            for (int rounds : new int[] {plan.baseRounds(), plan.rounds()}) {
                progress.accept(String.format("%s: run %d/%d, %d rounds", engine.name(), r, plan.runs(), rounds));
                Run run = agree(engine, engine.run(rounds));
                (rounds == plan.rounds() ? high : base).add(run);
            }
        }
        return new Measurement(engine.name(), base, high);
    }

    /**
     * The instructions a run of {@code rounds} rounds retires, as an engine that counts them
     * counted; empty until one has run at that count.
     */
    public OptionalLong instructions(int rounds) {
        Reference reference = references.get(rounds);
        return reference == null ? OptionalLong.empty() : reference.instructions();
    }

    private Run agree(Engine engine, Run run) throws BenchException {
        Reference first = references.get(run.rounds());
        if (first == null) {
            references.put(run.rounds(), new Reference(engine.name(), run.report(), run.instructions()));
            return run;
        }
        if (!first.report().equals(run.report())) {
            throw new BenchException(String.format("%s printed \"%s\" but %s printed \"%s\" for %d rounds",
                    engine.name(), run.report(), first.engine(), first.report(), run.rounds()));
        }
        if (run.instructions().isPresent()) {
            if (first.instructions().isEmpty()) {
                references.put(run.rounds(), new Reference(engine.name(), run.report(), run.instructions()));
            } else if (first.instructions().getAsLong() != run.instructions().getAsLong()) {
                throw new BenchException(String.format("%s retired %d instructions but %s retired %d for %d rounds",
                        engine.name(), run.instructions().getAsLong(), first.engine(),
                        first.instructions().getAsLong(), run.rounds()));
            }
        }
        return run;
    }
}
