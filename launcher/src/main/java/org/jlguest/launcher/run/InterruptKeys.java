package org.jlguest.launcher.run;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Console input that watches for the user's way out: in raw mode ^C goes to the Guest, so, as in
 * lguest's Launcher, three reads that are each just ^C within a second call {@code onInterrupt}.
 */
public final class InterruptKeys extends FilterInputStream {
    static final int CTRL_C = 0x03;
    static final long WINDOW_NANOS = 1_000_000_000L;

    private final Runnable onInterrupt;
    private final LongSupplier clock;
    private final long[] presses = new long[3];
    private int count;

    public InterruptKeys(InputStream in, Runnable onInterrupt) {
        this(in, onInterrupt, System::nanoTime);
    }

    InterruptKeys(InputStream in, Runnable onInterrupt, LongSupplier clock) {
        super(in);
        this.onInterrupt = onInterrupt;
        this.clock = clock;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n == 1 && b[off] == CTRL_C) {
            presses[count++ % presses.length] = clock.getAsLong();
            if (count >= presses.length && clock.getAsLong() - presses[count % presses.length] <= WINDOW_NANOS) {
                onInterrupt.run();
            }
        } else if (n > 0) {
            count = 0;
        }
        return n;
    }
}
