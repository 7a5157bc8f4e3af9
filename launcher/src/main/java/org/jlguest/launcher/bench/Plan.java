package org.jlguest.launcher.bench;

/**
 * How to measure: each of {@code runs} repetitions runs the workload for {@code baseRounds} and
 * for {@code rounds} rounds, after {@code warmups} runs of {@code baseRounds} that are not
 * measured (they let the JVM compile the interpreter and warm the page cache). Starting a
 * machine or a process costs the same at either count, so the difference of the two times is
 * the time of {@code rounds - baseRounds} rounds with no start-up in it.
 */
public record Plan(int rounds, int baseRounds, int runs, int warmups) {
    public Plan {
        if (baseRounds < 1 || rounds <= baseRounds) {
            throw new IllegalArgumentException(String.format(
                    "need 1 <= base rounds < rounds, got base rounds %d and rounds %d", baseRounds, rounds));
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs " + runs + " must be at least 1");
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-up runs " + warmups + " must not be negative");
        }
    }

    /** The base count when none is given: a quarter of the rounds, at least one. */
    public static int defaultBase(int rounds) {
        return Math.max(1, rounds / 4);
    }

    /** The rounds the difference measures. */
    public int measuredRounds() {
        return rounds - baseRounds;
    }
}
