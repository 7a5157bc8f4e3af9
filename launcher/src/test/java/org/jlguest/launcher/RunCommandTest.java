package org.jlguest.launcher;

import static org.jlguest.launcher.JlguestRun.guest;
import static org.jlguest.launcher.JlguestRun.jlguest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jlguest.host.LguestAbi;
import org.jlguest.launcher.boot.TinyKernels;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @Test
    void aTestGuestBootsPrintsAndPowersOff(@TempDir Path dir) throws Exception {
        JlguestRun r = jlguest("run", "--kernel", guest(dir, "hello").toString(), "--mem", "16M");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("hello from a jlguest test guest: 16384 KiB of RAM"), r.out());
        assertTrue(r.out().contains("PASS hello"), r.out());
    }

    @Test
    void withoutAKernelTheDemoGuestBoots() {
        JlguestRun r = jlguest("run", "--mem", "16M", "--rng");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("hello from a jlguest test guest"), r.out());
    }

    @Test
    void theVirtioEarlyConsoleWorksThroughTheCommandLine(@TempDir Path dir) throws Exception {
        JlguestRun r = jlguest("run", "--kernel", guest(dir, "hello").toString(), "--mem", "16M", "--append", "console=virtio", "--trace", "--metrics-port", "0");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("hello from a jlguest test guest"), r.out());
        assertTrue(r.err().contains("trap 13 insn"), r.err());
        assertTrue(r.err().contains("metrics at http://127.0.0.1:"), r.err());
    }

    @Test
    void aKilledGuestExitsOneWithItsReason(@TempDir Path dir) throws Exception {
        JlguestRun r = jlguest("run", "--kernel", guest(dir, "hostile-before-init").toString(), "--mem", "16M");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("before INIT"), r.err());
    }

    @Test
    void aRestartExitsThree(@TempDir Path dir) throws Exception {
        TinyKernels.Program p = new TinyKernels.Program().init().shutdown("", LguestAbi.LGUEST_SHUTDOWN_RESTART);
        Path f = dir.resolve("restart.bzImage");
        Files.write(f, TinyKernels.bzImage(p.payload(), "4.4.0"));
        JlguestRun r = jlguest("run", "--kernel", f.toString(), "--mem", "4M");
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("restart"), r.err());
    }

    @Test
    void aMissingKernelIsAUsageErrorNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.bzImage");
        JlguestRun r = jlguest("run", "--kernel", missing.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    @Test
    void aMalformedKernelIsRefusedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("junk");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        JlguestRun r = jlguest("run", "--kernel", f.toString(), "--mem", "4M");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("junk: kernel image of 5 bytes is neither an ELF vmlinux"), r.err());
        byte[] old = TestGuests.image("hello");
        old[0x206] = 0x06;
        Files.write(f, old);
        r = jlguest("run", "--kernel", f.toString(), "--mem", "4M");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("version 0x0206 is older than 2.07"), r.err());
    }

    @Test
    void badOptionValuesAreUsageErrorsWithTheValue(@TempDir Path dir) throws Exception {
        JlguestRun mem = jlguest("run", "--mem", "1M");
        assertEquals(2, mem.status());
        assertTrue(mem.err().contains("\"1M\""), mem.err());
        JlguestRun gen = jlguest("run", "--generation", "5");
        assertEquals(2, gen.status());
        assertTrue(gen.err().contains("--generation 5"), gen.err());
        JlguestRun disk = jlguest("run", "--mem", "16M", "--block", dir.resolve("absent.img").toString());
        assertEquals(2, disk.status());
        assertTrue(disk.err().contains("absent.img"), disk.err());
    }

    @Test
    void helpListsTheExitStatuses() {
        JlguestRun r = jlguest("run", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("--kernel=FILE"), r.out());
        assertTrue(r.out().contains("3   the Guest asked to be restarted"), r.out());
    }
}
