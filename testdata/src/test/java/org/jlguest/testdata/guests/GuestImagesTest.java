package org.jlguest.testdata.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed guest images: well-formed bzImages, and exactly what their sources build to. */
class GuestImagesTest {
    private static final Path SOURCES = Path.of("guests");

    @Test
    void everyImageIsABzImageForThe4xGeneration() {
        for (String name : TestGuests.all()) {
            byte[] file = TestGuests.image(name);
            BzImage image = BzImage.parse(file);
            assertEquals(1, image.setupSects(), name);
            assertEquals(0x0207, image.protocolVersion(), name);
            assertEquals(0x100000, image.code32Start(), name);
            assertEquals(0x01, image.loadFlags(), name);
            assertEquals(0x1000, image.kernelAlignment(), name);
            assertEquals("4.4.0-jlguest-test (" + name + ") lguest", image.kernelVersion());
            assertEquals(404, image.release());
            assertEquals(file.length - 1024, image.payload().length, name);
            assertEquals((image.payload().length + 15) / 16, image.sysSize(), name);
            // entry.S starts with "movl $boot_stack_top, %esp".
            assertEquals((byte) 0xBC, image.payload()[0], name);
            assertTrue(file.length < 16 * 1024, name + " is " + file.length + " bytes");
        }
    }

    @Test
    void theImagesRebuildByteForByte(@TempDir Path out) throws Exception {
        for (String tool : new String[] {"make", "gcc", "as", "ld", "objcopy"}) {
            assumeTrue(onPath(tool), tool + " is not installed: cannot rebuild the test guests");
        }
        Process make = new ProcessBuilder("make", "-C", SOURCES.toString(), "OUT=" + out, "BUILD=" + out.resolve("build"))
                .redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(make.waitFor(120, TimeUnit.SECONDS), "make did not finish");
        assertEquals(0, make.exitValue(), output);
        String committed = resource("toolchain.txt");
        String here = Files.readString(out.resolve("toolchain.txt"));
        if (!committed.equals(here)) {
            abort("the committed images were built with\n" + committed + "but this machine has\n" + here
                    + "so the bytes may differ; the rebuild itself succeeded");
        }
        for (String name : TestGuests.all()) {
            assertArrayEquals(TestGuests.image(name), Files.readAllBytes(out.resolve(name + ".bzImage")),
                    name + ".bzImage differs from its rebuild: run make in testdata/guests and commit the images");
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestGuests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
