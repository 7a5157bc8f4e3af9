package org.jlguest.launcher.linux;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Both ends of a Guest's console for a scripted session: {@link #input} is what the Guest reads
 * (what {@link #type} queues), {@link #output} collects what it prints. Waits look at the
 * transcript with terminal escape sequences (busybox's {@code ESC[6n} cursor query among them)
 * and carriage returns taken out.
 */
public final class GuestConsole {
    private static final Pattern ESCAPES = Pattern.compile("\u001b(\\[[0-9;?]*[ -/]*[@-~]|[@-Z\\\\-_])|\r");
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> typed = new LinkedBlockingQueue<>();
    private final StringBuilder raw = new StringBuilder();
    private final Input input = new Input();
    private final Output output = new Output();
    private int commands;

    public InputStream input() {
        return input;
    }

    public Writer output() {
        return output;
    }

    /** Queues {@code text} for the Guest to read, as one read. */
    public void type(String text) {
        typed.add(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the Guest's input: its next read after what is queued sees end of stream. */
    public void hangUp() {
        typed.add(END);
    }

    /** Everything printed so far, escape sequences and carriage returns removed. */
    public String transcript() {
        synchronized (raw) {
            return strip(raw);
        }
    }

    /** How many characters have been printed; a mark for {@link #awaitAfter}. */
    public int mark() {
        synchronized (raw) {
            return raw.length();
        }
    }

    /** Waits until {@code text} appears in the transcript. */
    public void await(String text, Duration timeout) throws TimeoutException, InterruptedException {
        awaitAfter(0, text, timeout);
    }

    /**
     * Waits until {@code text} appears in the (stripped) output printed after {@code mark};
     * returns that output up to where {@code text} starts.
     */
    public String awaitAfter(int mark, String text, Duration timeout) throws TimeoutException, InterruptedException {
        String since = awaitMatch(mark, Pattern.compile(Pattern.quote(text)), timeout, "\"" + text + "\"");
        return since.substring(0, since.indexOf(text));
    }

    /**
     * Types {@code command} at the shell and waits for it to finish; the result is what it printed
     * and its exit status. Markers echoed before and after the command tell where its output
     * starts and ends; typed as {@code __B""EGIN} and {@code __E""ND}, their echo (even when the
     * shell redraws a long line) cannot match.
     */
    public Result run(String command, Duration timeout) throws TimeoutException, InterruptedException {
        int n = ++commands;
        int mark = mark();
        long start = System.nanoTime();
        type("echo __B\"\"EGIN" + n + "; " + command + "; echo __E\"\"ND" + n + "_$?_\n");
        Pattern output = Pattern.compile("__BEGIN" + n + "\n(.*?)__END" + n + "_(\\d+)_", Pattern.DOTALL);
        String since = awaitMatch(mark, output, timeout, "the end of `" + command + "`");
        long elapsed = System.nanoTime() - start;
        Matcher m = output.matcher(since);
        m.find();
        return new Result(m.group(1), Integer.parseInt(m.group(2)), Duration.ofNanos(elapsed));
    }

    /** Waits for {@code pattern} in the stripped output after {@code mark}; returns all that output. */
    private String awaitMatch(int mark, Pattern pattern, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (raw) {
            for (;;) {
                String since = strip(raw.subSequence(mark, raw.length()));
                if (pattern.matcher(since).find()) {
                    return since;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no " + what + " on the console within " + timeout.toSeconds() + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(raw, left);
            }
        }
    }

    /** What a command printed, its exit status and how long it took as the host saw it. */
    public record Result(String output, int status, Duration elapsed) {
    }

    static String strip(CharSequence s) {
        return ESCAPES.matcher(s).replaceAll("");
    }

    private final class Input extends InputStream {
        private byte[] current = new byte[0];
        private int at;
        private boolean ended;

        @Override
        public int read() throws InterruptedIOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws InterruptedIOException {
            if (len == 0) {
                return 0;
            }
            while (at == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = typed.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("console input interrupted");
                }
                at = 0;
                if (current == END) {
                    ended = true;
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    private final class Output extends Writer {
        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (raw) {
                raw.append(cbuf, off, len);
                raw.notifyAll();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
