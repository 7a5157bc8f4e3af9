package org.jlguest.launcher;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlguest.launcher.cli.Main;
import org.jlguest.testdata.guests.TestGuests;
import picocli.CommandLine;

/**
 * One {@code jlguest ...} command line run in this JVM through {@link Main#commandLine}, as a user
 * runs it, with its stdin given and its stdout and stderr captured.
 */
public record JlguestRun(int status, String out, String err) {

    /** Runs {@code args} with empty standard input. */
    public static JlguestRun jlguest(String... args) {
        return run("", args);
    }

    /** Runs {@code args} with {@code stdin} as standard input (the Guest's console input). */
    public static JlguestRun run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        InputStream previous = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int status = cli.execute(args);
            return new JlguestRun(status, out.toString(), err.toString());
        } finally {
            System.setIn(previous);
        }
    }

    /** Writes test guest {@code name}'s bzImage into {@code dir}. */
    public static Path guest(Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".bzImage");
        Files.write(file, TestGuests.image(name));
        return file;
    }

    /** Everything the run printed, for assertion messages. */
    public String transcript() {
        return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
