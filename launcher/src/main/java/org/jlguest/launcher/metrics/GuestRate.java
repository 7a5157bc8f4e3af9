package org.jlguest.launcher.metrics;

import java.util.function.LongSupplier;

/**
 * Guest MIPS: instructions retired per microsecond since the previous reading (the first reading
 * measures from when this was made). Prometheus scrapes it every few seconds, so it is a recent
 * rate, not a lifetime average. Readings come from the scrape thread one at a time.
 */
final class GuestRate {
    private final LongSupplier instructions;
    private final LongSupplier clock;
    private long lastInstructions;
    private long lastNanos;

    GuestRate(LongSupplier instructions, LongSupplier clock) {
        this.instructions = instructions;
        this.clock = clock;
        this.lastInstructions = instructions.getAsLong();
        this.lastNanos = clock.getAsLong();
    }

    /** Millions of instructions per second since the last call; 0 if no time has passed. */
    synchronized double mips() {
        long now = clock.getAsLong();
        long count = instructions.getAsLong();
        long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            return 0;
        }
        double mips = (count - lastInstructions) * 1000.0 / elapsed;
        lastInstructions = count;
        lastNanos = now;
        return mips;
    }
}
