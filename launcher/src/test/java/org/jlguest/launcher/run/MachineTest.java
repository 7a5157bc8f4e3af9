package org.jlguest.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.virtio.DeviceType;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {
    @Test
    void theHelloGuestFindsTheConsoleOnPciAndPrintsThroughItsEarlyConsole(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[64 * 1024]);
        BootOptions options = new BootOptions(MemoryLayout.parse("8M"), "console=virtio", Optional.empty(), Optional.empty(), 0);
        PreparedGuest guest = Bootloader.prepare(TestGuests.image("hello"), options, ProgressListener.SILENT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeviceOptions devices = new DeviceOptions(List.of(new BlockSpec(disk, true)), true);
        try (Lguest lguest = Lguest.open(new LguestDevice());
             Machine machine = Machine.build(lguest, guest, devices, new ByteArrayInputStream(new byte[0]), out)) {
            assertEquals(List.of(DeviceType.CONSOLE, DeviceType.BLOCK, DeviceType.RNG),
                    machine.devices().stream().map(d -> d.type()).toList());
            LauncherExit exit = machine.run();
            String text = out.toString(StandardCharsets.ISO_8859_1);
            assertEquals(new LauncherExit.PowerOff("PASS"), exit, text);
            assertTrue(text.contains("hello from a jlguest test guest"), text);
            assertTrue(machine.launcher().counters().exits(ExitKind.PORT_IO) > 0);
        }
    }

    @Test
    void blockSpecsNameAFileAndMaybeReadOnly() {
        assertEquals(new BlockSpec(Path.of("disk.img"), true), BlockSpec.parse("disk.img,ro"));
        assertEquals(new BlockSpec(Path.of("disk.img"), false), BlockSpec.parse("disk.img"));
        for (String bad : new String[] {"", ",ro", "disk.img,", "disk.img,,ro"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockSpec.parse(bad));
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }
}
