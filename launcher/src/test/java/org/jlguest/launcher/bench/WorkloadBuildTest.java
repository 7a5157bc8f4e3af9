package org.jlguest.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed workload builds are what testdata/bench's sources build: rebuilt with its
 * Makefile into a temporary directory, every file must match byte for byte. The bytes depend on
 * the compiler and linker, so the test runs only with the toolchain named in the committed
 * toolchain.txt.
 */
class WorkloadBuildTest {
    private static final List<String> BUILDS = List.of(Workload.FLAT, Workload.NATIVE, "bench.bzImage", "toolchain.txt");

    @TempDir
    Path out;

    @Test
    void committedBuildsMatchARebuild() throws IOException {
        Path sources = Repository.root().resolve("testdata").resolve("bench");
        Path committed = Repository.workload();
        Repository.Result toolchain = Repository.run(sources, "sh", "-c",
                "gcc --version | head -1 && ld --version | head -1");
        assumeTrue(toolchain.ok() && Repository.run(sources, "make", "--version").ok(),
                "gcc, ld and make are needed to rebuild the workload");
        String recorded = Files.readString(committed.resolve("toolchain.txt"));
        assumeTrue(recorded.equals(toolchain.output()), "the committed builds were made with\n" + recorded
                + "and this machine has\n" + toolchain.output() + "so their bytes may differ");

        Repository.Result make = Repository.run(sources, "make", "OUT=" + out, "BUILD=" + out.resolve("build"));
        assertTrue(make.ok(), "make failed in " + sources + ":\n" + make.output());
        for (String file : BUILDS) {
            assertArrayEquals(Files.readAllBytes(committed.resolve(file)), Files.readAllBytes(out.resolve(file)),
                    file + " differs from a rebuild: run make in testdata/bench and commit the result");
        }
    }
}
