package org.jlguest.launcher.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the controlling terminal into raw mode while a Guest owns the console, as lguest's
 * Launcher does, so keys reach the Guest one by one and unechoed, and puts it back when closed
 * or when the JVM exits some other way (a shutdown hook). Pure Java has no termios, so this runs
 * {@code stty} on {@code /dev/tty}; when stdin is not a terminal nothing changes.
 */
public final class TerminalMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalMode.class);
    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread restorer;
    private boolean restored;

    private TerminalMode(String saved) {
        this.saved = saved;
        this.restorer = saved == null ? null : new Thread(this::restore, "terminal-restore");
        if (restorer != null) {
            Runtime.getRuntime().addShutdownHook(restorer);
        }
    }

    /** Raw mode if stdin and stdout are a terminal and stty works; otherwise a no-op. */
    public static TerminalMode rawIfTerminal() {
        if (System.console() == null || !TTY.canRead()) {
            return new TerminalMode(null);
        }
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new TerminalMode(saved);
        } catch (IOException e) {
            LOG.warn("terminal left in its mode: {}", e.getMessage());
            return new TerminalMode(null);
        }
    }

    @Override
    public void close() {
        if (saved == null) {
            return;
        }
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restorer);
        } catch (IllegalStateException shuttingDown) {
            LOG.debug("JVM already shutting down; the hook restores the terminal");
        }
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            stty(saved);
        } catch (IOException e) {
            LOG.warn("could not restore the terminal (run \"stty sane\"): {}", e.getMessage());
        }
    }

    private static String stty(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add("stty");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(TTY).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException("stty " + String.join(" ", args) + " exited " + status + ": " + output.trim());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for stty", e);
        }
    }
}
