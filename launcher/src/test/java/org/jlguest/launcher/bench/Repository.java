package org.jlguest.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** The repository the tests run in, and the tools they may find on this machine. */
final class Repository {
    private Repository() {
    }

    /** The repository root, found above the working directory (the module or the root itself). */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata").resolve("bench"))) {
                return dir;
            }
        }
        throw new IllegalStateException("testdata/bench not found above " + Path.of("").toAbsolutePath());
    }

    /** The committed workload builds. */
    static Path workload() {
        return root().resolve(Workload.RELATIVE);
    }

    /** How a command ended: its exit status (-1 if it could not start) and its stdout and stderr. */
    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    static Result run(Path directory, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + Arrays.toString(command));
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + Arrays.toString(command), e);
        }
    }
}
