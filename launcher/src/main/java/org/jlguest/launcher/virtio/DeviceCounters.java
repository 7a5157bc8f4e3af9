package org.jlguest.launcher.virtio;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a device has done, for metrics: requests (chains completed), bytes moved to or from the
 * Guest, and errors (failed requests and faults that broke the device). Written by the device's
 * service threads, read by anyone.
 */
public final class DeviceCounters {
    /** One reading of the counters. */
    public record Snapshot(long requests, long bytes, long errors) {
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** Counts one completed request that moved {@code byteCount} bytes. */
    public void request(long byteCount) {
        requests.increment();
        bytes.add(byteCount);
    }

    public void error() {
        errors.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), bytes.sum(), errors.sum());
    }
}
