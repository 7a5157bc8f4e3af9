package org.jlguest.launcher.bench;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * One engine's measured runs, in pairs: {@code base.get(i)} and {@code high.get(i)} are the
 * i-th repetition at the plan's base and full round counts.
 */
public record Measurement(String engine, List<Run> base, List<Run> high) {
    public Measurement {
        base = List.copyOf(base);
        high = List.copyOf(high);
        if (base.size() != high.size() || base.isEmpty()) {
            throw new IllegalArgumentException(engine + ": runs come in pairs, got " + base.size() + " and " + high.size());
        }
    }

    /** The median over the repetitions of (time at the full count - time at the base count). */
    public long medianDifferenceNanos() {
        long[] differences = new long[base.size()];
        for (int i = 0; i < differences.length; i++) {
            differences[i] = high.get(i).nanos() - base.get(i).nanos();
        }
        return median(differences);
    }

    /** The same median in processor time, when every run measured it. */
    public OptionalLong medianDifferenceCpuNanos() {
        long[] differences = new long[base.size()];
        for (int i = 0; i < differences.length; i++) {
            OptionalLong b = base.get(i).cpuNanos();
            OptionalLong h = high.get(i).cpuNanos();
            if (b.isEmpty() || h.isEmpty()) {
                return OptionalLong.empty();
            }
            differences[i] = h.getAsLong() - b.getAsLong();
        }
        return OptionalLong.of(median(differences));
    }

    /** The median time of a whole run at the full count, start-up included. */
    public long medianHighNanos() {
        return median(high.stream().mapToLong(Run::nanos).toArray());
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
