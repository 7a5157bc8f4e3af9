package org.jlguest.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jlguest.launcher.JlguestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jlguest run} end to end: test guests that drive the virtio devices through the SDK's
 * own virtio-PCI driver check themselves and end with "PASS name"; the host checks what it can
 * see (the console, the disk file, the exit status).
 */
class RunEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aLineTypedOnStdinIsEchoedBackThroughTheVirtioConsole() throws Exception {
        JlguestRun r = JlguestRun.run("hello through the console\n",
                "run", "--kernel", JlguestRun.guest(dir, "virtio-console").toString(), "--mem", "16M");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("echo: hello through the console\n"), r.transcript());
        assertTrue(r.out().contains("PASS virtio-console"), r.transcript());
    }

    @Test
    void blockWritesFlushedByTheGuestAreInTheHostFileAndReadBack() throws Exception {
        Path disk = TestDisk.create(dir);
        JlguestRun r = JlguestRun.jlguest(
                "run", "--kernel", JlguestRun.guest(dir, "virtio-blk").toString(), "--mem", "16M",
                "--block", disk.toString());
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("vda: " + TestDisk.SECTORS + " sectors"), r.transcript());
        assertTrue(r.out().contains("read the host's marker: " + TestDisk.MARKER), r.transcript());
        assertTrue(r.out().contains("flushed"), r.transcript());
        assertTrue(r.out().contains("PASS virtio-blk"), r.transcript());
        assertEquals(-1, TestDisk.firstWrongSector(Files.readAllBytes(disk)), "first wrong sector in the host file");
    }

    @Test
    void manyBlockRequestsInFlightCompleteByInterrupt() throws Exception {
        JlguestRun r = JlguestRun.jlguest(
                "run", "--kernel", JlguestRun.guest(dir, "virtio-blk").toString(), "--mem", "16M",
                "--block", TestDisk.create(dir).toString(), "--rng");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("wrote " + TestDisk.WRITTEN + " sectors from " + TestDisk.FIRST_WRITTEN
                + ", all in flight"), r.transcript());
        assertTrue(r.out().contains("read back " + TestDisk.WRITTEN + " sectors"), r.transcript());
    }

    @Test
    void aReadOnlyDiskRefusesTheGuestsWrites() throws Exception {
        Path disk = TestDisk.create(dir);
        byte[] before = Files.readAllBytes(disk);
        JlguestRun r = JlguestRun.jlguest(
                "run", "--kernel", JlguestRun.guest(dir, "virtio-blk").toString(), "--mem", "16M",
                "--block", disk + ",ro");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("FAIL virtio-blk a request failed"), r.transcript());
        assertTrue(r.err().contains("the Guest powered off: FAIL virtio-blk: a request failed"), r.transcript());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(disk)), "a read-only disk changed");
    }

    @Test
    void rngBytesReachTheGuest() throws Exception {
        JlguestRun r = JlguestRun.jlguest(
                "run", "--kernel", JlguestRun.guest(dir, "virtio-rng").toString(), "--mem", "16M", "--rng");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("rng: 2056 bytes in 16 buffers"), r.transcript());
        assertTrue(r.out().contains("PASS virtio-rng"), r.transcript());
    }

    @Test
    void aGuestWithoutTheDeviceItNeedsFailsAndStillPowersOff() throws Exception {
        JlguestRun r = JlguestRun.jlguest(
                "run", "--kernel", JlguestRun.guest(dir, "virtio-rng").toString(), "--mem", "16M");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().contains("FAIL virtio-rng no virtio entropy device"), r.transcript());
    }

    @Test
    void powerOffExitsZeroAndRestartExitsThree() throws Exception {
        JlguestRun off = JlguestRun.jlguest("run", "--kernel", JlguestRun.guest(dir, "hello").toString(), "--mem", "16M");
        assertEquals(0, off.status(), off.transcript());
        JlguestRun restart = JlguestRun.jlguest("run", "--kernel", JlguestRun.guest(dir, "restart").toString(), "--mem", "16M");
        assertEquals(3, restart.status(), restart.transcript());
        assertTrue(restart.out().contains("asking the Host to restart us"), restart.transcript());
        assertTrue(restart.err().contains("the Guest asked to restart"), restart.transcript());
    }
}
