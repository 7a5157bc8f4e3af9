package org.jlguest.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterruptKeysTest {
    /** Hands out one queued chunk per read, as a raw terminal does per keystroke. */
    private static final class Keystrokes extends InputStream {
        final Deque<byte[]> chunks = new ArrayDeque<>();

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            byte[] c = chunks.poll();
            if (c == null) {
                return -1;
            }
            System.arraycopy(c, 0, b, off, c.length);
            return c.length;
        }
    }

    private final Keystrokes keys = new Keystrokes();
    private final AtomicInteger interrupts = new AtomicInteger();
    private final long[] now = {0};
    private final InterruptKeys in = new InterruptKeys(keys, interrupts::incrementAndGet, () -> now[0]);

    private void press(long atMillis, int... bytes) throws IOException {
        byte[] chunk = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chunk[i] = (byte) bytes[i];
        }
        keys.chunks.add(chunk);
        now[0] = atMillis * 1_000_000;
        in.read(new byte[16], 0, 16);
    }

    @Test
    void threeCtrlCWithinASecondInterrupt() throws IOException {
        press(0, 3);
        press(400, 3);
        assertEquals(0, interrupts.get());
        press(900, 3);
        assertEquals(1, interrupts.get());
    }

    @Test
    void slowOrInterruptedPressesDoNot() throws IOException {
        press(0, 3);
        press(600, 3);
        press(1200, 3);
        assertEquals(0, interrupts.get());
        press(1300, 'x');
        press(1400, 3);
        press(1500, 3, 3);
        press(1600, 3);
        assertEquals(0, interrupts.get());
    }
}
