package org.jlguest.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jlguest.host.Generation;
import org.jlguest.host.LguestAbi;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.boot.TinyKernels;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;

/** The run loop against the real Host, with hand-built and prebuilt test guests. */
class LauncherTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private LauncherExit boot(byte[] kernel, String commandLine, Optional<Generation> generation) throws Exception {
        BootOptions options = new BootOptions(MemoryLayout.parse("8M"), commandLine, Optional.empty(), generation, 0);
        PreparedGuest guest = Bootloader.prepare(kernel, options, ProgressListener.SILENT);
        try (Lguest lguest = Lguest.open(new LguestDevice())) {
            Launcher launcher = new Launcher(lguest, new Devices(List.of(new TestConsolePort(console)), List.of(), NotifyHandler.NONE), console);
            GuestImage image = new GuestImage(guest.memory(), guest.generation(), guest.memory().pfnLimit(),
                    guest.kernel().entry(), guest.layout().pfnLimit() + 256);
            return launcher.run(image);
        }
    }

    private String output() {
        return console.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theHelloGuestPrintsOnTheTestConsoleAndPowersOff() throws Exception {
        LauncherExit exit = boot(TestGuests.image("hello"), "", Optional.empty());
        assertEquals(new LauncherExit.PowerOff("PASS"), exit, output());
        assertTrue(output().contains("hello from a jlguest test guest: 8192 KiB of RAM"), output());
        assertTrue(output().contains("PASS hello"), output());
    }

    @Test
    void portIoOfEveryFormAndAGuestPowerOff() throws Exception {
        TinyKernels.Program p = new TinyKernels.Program().init()
                .print(0xE9, "hi")
                .bytes(0xE4, 0x64)                     // in al, 0x64: 1
                .bytes(0x04, 0x40)                     // add al, 0x40: 'A'
                .bytes(0xE6, 0xE9)                     // out 0xe9, al
                .bytes(0x66, 0xBA, 0x99, 0x01, 0x66, 0xED) // mov dx, 0x199; in ax, dx: all ones
                .bytes(0x3C, 0xFF, 0x75, 0x04)         // cmp al, 0xff; jne +4
                .bytes(0xB0, '!', 0xE6, 0xE9)          // out '!'
                .bytes(0xFA)                           // cli: skipped
                .powerOff();
        LauncherExit exit = boot(TinyKernels.bzImage(p.payload(), "4.13.0 (t@j) #1"), "", Optional.empty());
        assertEquals(new LauncherExit.PowerOff("Power down"), exit, output());
        assertEquals("hiA!", output());
    }

    @Test
    void aGpFromAnInstructionTheLauncherDoesNotEmulateGoesBackToTheGuest() throws Exception {
        TinyKernels.Program p = new TinyKernels.Program().init().bytes(0xF4); // hlt, and no IDT to take the #GP
        LauncherExit exit = boot(TinyKernels.bzImage(p.payload(), null), "", Optional.empty());
        LauncherExit.Killed killed = assertInstanceOf(LauncherExit.Killed.class, exit);
        assertTrue(killed.reason().startsWith("reinjecting trap 13 for the fault at 0x100011 failed"), killed.reason());
    }

    @Test
    void anLguestBusGuestPrintsThroughNotifyAndRestarts() throws Exception {
        TinyKernels.Program p = new TinyKernels.Program().init();
        int text = p.string("early ");
        p.hcall(LguestAbi.LHCALL_NOTIFY, text, 0).shutdown("", LguestAbi.LGUEST_SHUTDOWN_RESTART);
        LauncherExit exit = boot(TinyKernels.bzImage(p.payload(), "3.11.10 (t@j) #1"), "", Optional.empty());
        assertEquals(new LauncherExit.Restart(), exit, output());
        assertEquals("early ", output());
    }

    @Test
    void stopFromAnotherThreadEndsTheRun() throws Exception {
        TinyKernels.Program p = new TinyKernels.Program().init().bytes(0xEB, 0xFE); // jmp $
        BootOptions options = new BootOptions(MemoryLayout.parse("4M"), "", Optional.empty(), Optional.empty(), 0);
        PreparedGuest guest = Bootloader.prepare(TinyKernels.bzImage(p.payload(), null), options, ProgressListener.SILENT);
        try (Lguest lguest = Lguest.open(new LguestDevice())) {
            Launcher launcher = new Launcher(lguest, new Devices(List.of(), List.of(), NotifyHandler.NONE), console);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                launcher.stop("enough");
            });
            stopper.start();
            LauncherExit exit = launcher.run(new GuestImage(guest.memory(), Generation.VIRTIO_PCI, guest.memory().pfnLimit(),
                    guest.kernel().entry(), guest.memory().pfnLimit() + 256));
            stopper.join();
            assertEquals(new LauncherExit.Killed("enough"), exit);
            assertEquals(1, launcher.counters().exits(ExitKind.INTERRUPTED));
        }
    }
}
