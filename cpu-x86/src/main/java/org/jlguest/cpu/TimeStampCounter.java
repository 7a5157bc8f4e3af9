package org.jlguest.cpu;

/** Where RDTSC reads time from: the host's clock for a guest, instruction counts for tests. */
@FunctionalInterface
public interface TimeStampCounter {
    long read();
}
