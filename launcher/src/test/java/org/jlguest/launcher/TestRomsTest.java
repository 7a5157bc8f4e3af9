package org.jlguest.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assembles every test ROM in {@code testdata/roms} with GNU as and ld, runs it through
 * {@code jlguest bare} as its {@code # Run:} line says, and expects its {@code PASS} line and a
 * clean halt. The ROMs check themselves; this only reads their verdict.
 */
class TestRomsTest {
    private static final Pattern LINK = Pattern.compile("^# Link: (0x[0-9A-Fa-f]+)$", Pattern.MULTILINE);
    private static final Pattern RUN = Pattern.compile("^# Run: jlguest (bare .*)$", Pattern.MULTILINE);

    @TempDir
    static Path build;

    @TestFactory
    Stream<DynamicTest> everyRomPasses() throws IOException {
        Path roms = romDirectory();
        List<Path> sources;
        try (Stream<Path> files = Files.list(roms)) {
            sources = files.filter(p -> p.toString().endsWith(".S")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no ROM sources in " + roms);
        return sources.stream().map(source -> DynamicTest.dynamicTest(name(source), () -> runRom(roms, source)));
    }

    private static void runRom(Path roms, Path source) throws Exception {
        assumeTrue(toolWorks("as", "--version") && toolWorks("ld", "-V"),
                "GNU as and ld (binutils) are needed to assemble the test ROMs");
        String text = Files.readString(source);
        Matcher link = LINK.matcher(text);
        Matcher run = RUN.matcher(text);
        assertTrue(link.find() && run.find(), source + " needs '# Link: ADDR' and '# Run: jlguest bare ...' lines");
        String name = name(source);
        Path object = build.resolve(name + ".o");
        Path binary = build.resolve(name + ".bin");
        exec("as", "--32", "-I", roms.toString(), "-o", object.toString(), source.toString());
        exec("ld", "-m", "elf_i386", "-Ttext=" + link.group(1), "--oformat", "binary", "-o", binary.toString(),
                object.toString());

        List<String> args = new ArrayList<>();
        for (String word : run.group(1).split("\\s+")) {
            args.add(word.replace(name + ".bin", binary.toString()));
        }
        JlguestRun r = JlguestRun.jlguest(args.toArray(String[]::new));
        assertFalse(r.out().contains("FAIL"), r.transcript());
        assertTrue(r.out().contains("PASS " + name), r.transcript());
        assertEquals(0, r.status(), r.transcript());
    }

    private static String name(Path source) {
        String file = source.getFileName().toString();
        return file.substring(0, file.length() - 2);
    }

    /** testdata/roms, found from wherever the build runs (the module or the repository root). */
    private static Path romDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path roms = dir.resolve("testdata").resolve("roms");
            if (Files.isDirectory(roms)) {
                return roms;
            }
        }
        throw new IllegalStateException("testdata/roms not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean toolWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + Arrays.toString(command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
