package org.jlguest.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jlguest.launcher.JlguestRun;
import org.jlguest.launcher.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the Guest flushed (VIRTIO_BLK_T_FLUSH, which the block device answers only after
 * {@code FileChannel.force}) is in the host file even if the JVM running {@code jlguest} is killed
 * the moment the flush completes: nothing is left in a buffer of the Launcher's.
 */
class FlushDurabilityTest {
    /** Only a guard against a guest that never reports its flush; no duration is asserted. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aFlushedWriteSurvivesKillingTheJvm(@TempDir Path dir) throws Exception {
        Path disk = TestDisk.create(dir);
        Path kernel = JlguestRun.guest(dir, "virtio-blk");
        Path log = dir.resolve("stderr.txt");
        Process jlguest = new ProcessBuilder(List.of(java(), "-cp", classPath(), Main.class.getName(), "run",
                "--kernel", kernel.toString(), "--mem", "16M", "--append", "hold", "--block", disk.toString()))
                .redirectError(log.toFile())
                .start();
        StringBuilder console = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jlguest.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("flushed")) {
                console.append(line).append('\n');
            }
            assertEquals("flushed", line, "the guest never reported its flush:\n" + console + Files.readString(log));
            jlguest.destroyForcibly();
            assertTrue(jlguest.waitFor(1, TimeUnit.MINUTES), "the killed JVM did not end");
        } finally {
            jlguest.destroyForcibly();
        }
        assertFalse(console.toString().contains("PASS"), "the guest was to hold after the flush:\n" + console);
        assertEquals(-1, TestDisk.firstWrongSector(Files.readAllBytes(disk)), "first wrong sector in the host file");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path: under Surefire, the test class path it reports, else java.class.path. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
