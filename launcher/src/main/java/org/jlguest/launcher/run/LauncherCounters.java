package org.jlguest.launcher.run;

/**
 * What the run loop has done, as plain counters the vCPU thread bumps and metrics read (a read
 * from another thread may lag by an exit or so; nothing here costs the hot path a barrier).
 */
public final class LauncherCounters {
    private final long[] exits = new long[ExitKind.values().length];
    private long reinjected;
    private long portReads;
    private long portWrites;
    private long mmioReads;
    private long mmioWrites;

    void countExit(ExitKind kind) {
        exits[kind.ordinal()]++;
    }

    void countReinjection() {
        reinjected++;
    }

    void countPort(boolean write) {
        if (write) {
            portWrites++;
        } else {
            portReads++;
        }
    }

    void countMmio(boolean write) {
        if (write) {
            mmioWrites++;
        } else {
            mmioReads++;
        }
    }

    /** Exits of one kind so far. */
    public long exits(ExitKind kind) {
        return exits[kind.ordinal()];
    }

    /** Traps handed back to the Guest (LHREQ_TRAP) because the Launcher would not emulate them. */
    public long reinjected() {
        return reinjected;
    }

    public long portReads() {
        return portReads;
    }

    public long portWrites() {
        return portWrites;
    }

    public long mmioReads() {
        return mmioReads;
    }

    public long mmioWrites() {
        return mmioWrites;
    }
}
