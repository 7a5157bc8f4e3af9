package org.jlguest.launcher.bench;

/** Something that runs the workload for a number of rounds: jlguest, the host processor, QEMU. */
public interface Engine extends AutoCloseable {
    /** Short name for tables: {@code jlguest bare}, {@code native}, {@code qemu-i386}. */
    String name();

    /** What runs, in a few words, for the table's legend. */
    String description();

    /** Runs the workload once, from a fresh machine or process, and checks its report line. */
    Run run(int rounds) throws BenchException;

    /** Releases what the engine holds (temporary files); the default holds nothing. */
    @Override
    default void close() throws BenchException {
    }
}
