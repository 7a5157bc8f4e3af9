package org.jlguest.cpu;

/**
 * How the {@link Interpreter} runs decoded blocks: one instruction at a time through
 * {@link Executor#run}, or, for a block that has run often enough, through a JVM method compiled
 * from the block ({@link BlockCompiler}). Both give the same architectural results.
 */
public enum Tier {
    INTERPRETER,
    COMPILED;

    /** The system property that chooses the tier: {@code interpreter} (the default) or {@code compiled}. */
    public static final String PROPERTY = "jlguest.tier";
    /**
     * The system property that sets at which whole run a block is compiled (default its
     * 10,000th: compiling costs the JIT far more than interpreting a block a few thousand times,
     * which matters in short runs such as a kernel boot).
     */
    public static final String THRESHOLD_PROPERTY = "jlguest.tier.threshold";
    public static final int DEFAULT_THRESHOLD = 10_000;

    /** The tier the system property asks for, or {@link #INTERPRETER}. */
    public static Tier fromProperty() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? INTERPRETER : parse(v);
    }

    /** {@code interpreter} or {@code compiled}, in any case. */
    public static Tier parse(String name) {
        return Tier.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** The compile threshold the system property asks for, or {@link #DEFAULT_THRESHOLD}. */
    public static int thresholdFromProperty() {
        String v = System.getProperty(THRESHOLD_PROPERTY);
        return v == null || v.isBlank() ? DEFAULT_THRESHOLD : Integer.parseInt(v.trim());
    }
}
