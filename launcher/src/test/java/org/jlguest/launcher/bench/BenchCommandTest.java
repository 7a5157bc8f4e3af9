package org.jlguest.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlguest.launcher.JlguestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jlguest bench}: its arguments, and a run of a few rounds checked against the host processor. */
class BenchCommandTest {
    private static JlguestRun bench(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "bench";
        System.arraycopy(args, 0, line, 1, args.length);
        return JlguestRun.jlguest(line);
    }

    private static String workload() {
        return Repository.workload().toString();
    }

    @Test
    void helpNamesEveryOption() {
        JlguestRun o = bench("--help");
        assertEquals(0, o.status());
        for (String option : new String[] {"--rounds", "--base-rounds", "--runs", "--warmup", "--compare", "--workload"}) {
            assertTrue(o.out().contains(option), option + " missing from\n" + o.out());
        }
    }

    @Test
    void theBaseMustBeBelowTheRounds() {
        JlguestRun o = bench("--workload", workload(), "--rounds", "4", "--base-rounds", "4");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("base rounds 4 and rounds 4"), o.err());
    }

    @Test
    void oneRoundLeavesNoRoomForABase() {
        JlguestRun o = bench("--workload", workload(), "--rounds", "1");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("1 <= base rounds < rounds"), o.err());
    }

    @Test
    void runsMustBePositive() {
        JlguestRun o = bench("--workload", workload(), "--rounds", "4", "--runs", "0");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("runs 0 must be at least 1"), o.err());
    }

    @Test
    void countsMustBeNumbers() {
        assertEquals(2, bench("--rounds", "many").status());
    }

    @Test
    void aDirectoryWithoutTheWorkloadIsABadArgument(@TempDir Path empty) {
        JlguestRun o = bench("--workload", empty.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("has no bench.bin"), o.err());
    }

    @Test
    void anImageWithoutARoundCountIsABadArgument(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(Workload.FLAT), new byte[] {(byte) 0xF4});
        JlguestRun o = bench("--workload", dir.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("bench.bin has no round count"), o.err());
    }

    private static final Pattern JLGUEST_TWO_ROUNDS =
            Pattern.compile("^jlguest bare +1 +2 .*(jlguest-bench rounds=2 checksum=[0-9a-f]{8})$", Pattern.MULTILINE);

    /**
     * Two rounds on the bare machine print the checksum the static executable prints on this
     * processor for two rounds. The executable is run directly here, not through the command,
     * so a fault in the command's own comparison cannot hide a wrong checksum.
     */
    @Test
    void jlguestPrintsTheChecksumThisProcessorPrints(@TempDir Path scratch) throws Exception {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        assumeTrue(os.equals("Linux") && (arch.equals("amd64") || arch.matches("i[3-6]86|x86")),
                "the native workload is an i386 Linux executable; this is " + os + " on " + arch);
        Path executable = scratch.resolve("bench-2-rounds");
        Files.write(executable, new Workload(Repository.workload()).nativeExecutable().withRounds(2).bytes());
        assumeTrue(executable.toFile().setExecutable(true), "cannot make " + executable + " executable");
        Repository.Result native2 = Repository.run(scratch, executable.toString());
        assumeTrue(native2.ok(), "this kernel does not run i386 executables: " + native2.output());

        JlguestRun o = bench("--workload", workload(), "--rounds", "2", "--base-rounds", "1", "--runs", "1", "--warmup", "0");
        assertEquals(0, o.status(), o.out() + o.err());
        Matcher m = JLGUEST_TWO_ROUNDS.matcher(o.out());
        assertTrue(m.find(), o.out());
        assertEquals(native2.output().strip(), m.group(1));
        assertTrue(o.err().contains("bench: jlguest bare: run 1/1, 2 rounds"), o.err());
    }
}
