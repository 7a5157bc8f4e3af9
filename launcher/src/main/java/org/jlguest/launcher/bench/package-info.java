/**
 * {@code jlguest bench}: the benchmark workload of {@code testdata/bench} run on jlguest's bare
 * machine and, for comparison, on the host processor and on QEMU, timed, with start-up cost
 * cancelled by running two round counts and taking the difference.
 *
 * <p>{@link org.jlguest.launcher.bench.Workload} finds the prebuilt images,
 * {@link org.jlguest.launcher.bench.WorkloadImage} sets their round count, the
 * {@link org.jlguest.launcher.bench.Engine}s run them, {@link org.jlguest.launcher.bench.Bench}
 * repeats and takes medians, and {@link org.jlguest.launcher.bench.BenchTable} lays out the
 * results.
 */
package org.jlguest.launcher.bench;
