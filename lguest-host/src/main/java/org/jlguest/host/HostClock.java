package org.jlguest.host;

/**
 * The Host's time: wall-clock for {@code lguest_data.time}, monotonic for the clock event and the
 * TSC. Tests substitute a virtual clock.
 */
public interface HostClock {
    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    long realtimeNanos();

    /** Nanoseconds from an arbitrary origin, never going back (CLOCK_MONOTONIC). */
    long monotonicNanos();

    HostClock SYSTEM = new HostClock() {
        @Override
        public long realtimeNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    };
}
