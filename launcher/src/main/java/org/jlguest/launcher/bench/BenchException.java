package org.jlguest.launcher.bench;

/** A run that could not be made or did not end as the workload should: no numbers come from it. */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
