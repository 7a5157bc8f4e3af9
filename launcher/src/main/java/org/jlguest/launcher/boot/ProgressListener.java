package org.jlguest.launcher.boot;

/** Hears how far a long copy into Guest memory has got (an initrd of hundreds of MiB takes a while). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener SILENT = (done, total) -> { };

    /** {@code done} of {@code total} bytes are in place; called last with {@code done == total}. */
    void progress(long done, long total);
}
