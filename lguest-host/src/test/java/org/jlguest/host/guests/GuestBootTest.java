package org.jlguest.host.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.jlguest.host.guests.TestLauncher.Generation;
import org.jlguest.host.guests.TestLauncher.Outcome;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Boots the SDK's self-checking guests; each must print "PASS &lt;name&gt;" and power off with "PASS". */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuestBootTest {
    private static Outcome boot(String name) {
        Outcome o = TestLauncher.boot(TestGuests.image(name));
        System.out.print("[" + name + "] " + o.console());
        return o;
    }

    private static void assertPasses(String name, Outcome o) {
        assertEquals("CRASH: PASS", o.death(), () -> name + " console:\n" + o.console() + "log: " + o.log());
        assertTrue(o.console().endsWith("PASS " + name + "\n"), () -> name + " console:\n" + o.console());
    }

    static java.util.List<String> passing() {
        return TestGuests.PASSING;
    }

    @ParameterizedTest
    @MethodSource("passing")
    void passes(String name) {
        assertPasses(name, boot(name));
    }

    @Test
    void helloOnTheTestConsole() {
        Outcome o = boot("hello");
        assertPasses("hello", o);
        assertTrue(o.console().startsWith("hello from a jlguest test guest: 8192 KiB of RAM"), o.console());
    }

    @Test
    void pendingExitsReachTheLauncher() {
        Outcome o = boot("pending");
        assertPasses("pending", o);
        int window = TestLauncher.RAM_PAGES * 4096;
        assertEquals(java.util.List.of(
                "out 0x80 0x42/1", "out 0x1234 0xdeadbeef/4", "out 0x5678 0xcafe/2",
                "in 0xe9/1", "in 0x5678/2", "in 0x1234/4",
                String.format("mmio read %#x", window + 0x10), String.format("mmio read %#x", window + 0x10C),
                String.format("mmio write %#x 0x600df00d", window + 0x20004),
                "reinject #GP for opcode f4"), o.log());
    }

    @Test
    void helloOnTheVirtioEarlyConsole() {
        Outcome o = TestLauncher.boot(TestGuests.image("hello"), Generation.VIRTIO_PCI, "console=virtio");
        assertPasses("hello", o);
        assertTrue(o.console().startsWith("hello from a jlguest test guest"), o.console());
    }

    @Test
    void helloOnTheNotifyConsoleOfTheLguestBusGeneration() {
        Outcome o = TestLauncher.boot(TestGuests.image("hello"), Generation.LGUEST_BUS, "console=notify");
        assertPasses("hello", o);
    }
}
