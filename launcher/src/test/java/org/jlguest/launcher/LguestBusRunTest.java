package org.jlguest.launcher;

import static org.jlguest.launcher.JlguestRun.jlguest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jlguest.host.Generation;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.lguestbus.LguestBus;
import org.jlguest.launcher.lguestbus.NotifyResult;
import org.jlguest.launcher.run.Devices;
import org.jlguest.launcher.run.GuestImage;
import org.jlguest.launcher.run.Launcher;
import org.jlguest.launcher.run.LauncherExit;
import org.jlguest.launcher.run.NotifyHandler;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jlguest run --generation 3}: the lguestbus test guest finds its devices on the lguest
 * bus, starts them through their descriptors and talks to them through their rings.
 */
class LguestBusRunTest {
    private static String guest(Path dir) throws Exception {
        Path f = dir.resolve("lguestbus.bzImage");
        Files.write(f, TestGuests.image("lguestbus"));
        return f.toString();
    }

    /** FNV-1a, 32 bits, as the guest computes it. */
    private static int fnv1a(byte[] data, int length) {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++) {
            h ^= data[i] & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }

    @Test
    void theGuestWritesThroughTheConsoleOnTheLguestBus(@TempDir Path dir) throws Exception {
        JlguestRun r = jlguest("run", "--generation", "3", "--kernel", guest(dir), "--mem", "16M", "--append", "console=notify");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("lguestbus: console at 1000000, output ring at 1004000\n"), r.out());
        assertTrue(r.out().contains("lguestbus: hello through the console's output ring\n"), r.out());
        assertTrue(r.out().endsWith("PASS lguestbus\n"), r.out());
    }

    @Test
    void theConsoleComesAfterTheDisksAndTheRngAndTheGuestReadsTheDisk(@TempDir Path dir) throws Exception {
        byte[] disk = new byte[64 * 1024];
        for (int i = 0; i < disk.length; i++) {
            disk[i] = (byte) (i * 7 + 3);
        }
        Path image = dir.resolve("disk.img");
        Files.write(image, disk);
        JlguestRun r = jlguest("run", "--generation", "3", "--kernel", guest(dir), "--mem", "16M", "--append", "console=notify",
                "--block", image + ",ro", "--rng", "--trace");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains(String.format("lguestbus: disk of 128 sectors, sector 0 checksum %08x\n",
                fnv1a(disk, 512))), r.out());
        assertTrue(r.out().endsWith("PASS lguestbus\n"), r.out());
        assertTrue(r.err().contains("vda status 0x3"), r.err());
        assertTrue(r.err().contains("console status 0x3"), r.err());
    }

    @Test
    void aFatalNotifyEndsTheRunWithItsReason() throws Exception {
        BootOptions options = new BootOptions(MemoryLayout.parse("8M"), "console=notify", Optional.empty(),
                Optional.of(Generation.LGUEST_BUS), 0);
        PreparedGuest guest = Bootloader.prepare(TestGuests.image("hello"), options, ProgressListener.SILENT);
        NotifyHandler ringBeforeSetup = new NotifyHandler() {
            @Override
            public List<LguestBus.Binding> bindings() {
                return List.of();
            }

            @Override
            public NotifyResult notify(int address) {
                return new NotifyResult.Fatal(String.format("console: notification before setup of ring %#x", address));
            }
        };
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Lguest lguest = Lguest.open(new LguestDevice())) {
            Launcher launcher = new Launcher(lguest, new Devices(List.of(), List.of(), ringBeforeSetup), console);
            LauncherExit exit = launcher.run(new GuestImage(guest.memory(), guest.generation(),
                    guest.memory().pfnLimit(), guest.kernel().entry(), 0));
            assertTrue(exit instanceof LauncherExit.Killed k
                    && k.reason().startsWith("bad driver: console: notification before setup of ring 0x"), exit.toString());
            assertEquals(0, console.size());
        }
    }
}
