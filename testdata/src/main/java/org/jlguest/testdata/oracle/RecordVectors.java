package org.jlguest.testdata.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.VectorFiles;
import org.jlguest.cpu.vectors.VectorJson;

/**
 * Regenerates the committed vectors: generates every family's cases, runs them on
 * this machine's CPU through the {@link NativeOracle}, and writes
 * {@code <family>.jsonl.gz}.
 *
 * <p>Each case runs twice, the second time in shuffled order; a case whose two
 * results differ (or that timed out) is left out and reported, so a result that
 * depends on what ran before never becomes a vector.
 *
 * <p>Usage: {@code RecordVectors [--seed N] [--out DIR] [--scale F] [FAMILY...]}.
 */
public final class RecordVectors {

    private RecordVectors() {
    }

    public static void main(String[] args) throws IOException {
        long seed = 1;
        double scale = 1.0;
        Path moduleDir = NativeOracle.moduleDir();
        Path out = moduleDir.resolve("src/main/resources/org/jlguest/testdata/vectors");
        List<CaseGenerator.Family> families = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                default -> families.add(CaseGenerator.Family.valueOf(args[i].toUpperCase(Locale.ROOT).replace('-', '_')));
            }
        }
        if (families.isEmpty()) families.addAll(List.of(CaseGenerator.Family.values()));
        NativeOracle.Availability availability = NativeOracle.build(moduleDir);
        if (!availability.available()) {
            System.err.println("cannot record vectors: " + availability.reason());
            System.exit(2);
        }
        Files.createDirectories(out);
        int total = 0;
        try (NativeOracle oracle = NativeOracle.start(availability.binary().orElseThrow())) {
            for (CaseGenerator.Family family : families) {
                int count = Math.max(1, (int) Math.round(family.committedCount() * scale));
                List<CpuCase> cases = record(oracle, CaseGenerator.generate(family, seed, count), seed);
                VectorFiles.write(out.resolve(family.fileStem() + ".jsonl.gz"), cases);
                total += cases.size();
                System.out.printf("%-12s %6d cases  %s%n", family.fileStem(), cases.size(), outcomes(cases));
            }
        }
        System.out.printf("%d cases written to %s%n", total, out);
    }

    /** Runs the probes twice (in order, then shuffled) and keeps the cases both runs agree on. */
    static List<CpuCase> record(NativeOracle oracle, List<Probe> probes, long seed) {
        List<Observation> first = oracle.run(probes);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        List<Probe> shuffled = new ArrayList<>();
        for (int i : order) shuffled.add(probes.get(i));
        List<Observation> secondShuffled = oracle.run(shuffled);
        Observation[] second = new Observation[probes.size()];
        for (int i = 0; i < order.size(); i++) second[order.get(i)] = secondShuffled.get(i);
        List<CpuCase> cases = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (first.get(i).timedOut()) {
                System.err.println("timed out, left out: " + p);
                continue;
            }
            CpuCase a = p.complete(first.get(i));
            CpuCase b = p.complete(second[i]);
            if (!VectorJson.write(a).equals(VectorJson.write(b))) {
                System.err.println("unstable, left out:\n  " + VectorJson.write(a) + "\n  " + VectorJson.write(b));
                continue;
            }
            cases.add(a);
        }
        return cases;
    }

    private static String outcomes(List<CpuCase> cases) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CpuCase c : cases) {
            String key = c.expect().fault().map(f -> "#" + f.vector()).orElse("done");
            counts.merge(key, 1, Integer::sum);
        }
        return counts.toString();
    }
}
