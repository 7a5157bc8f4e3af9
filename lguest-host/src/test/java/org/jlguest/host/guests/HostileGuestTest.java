package org.jlguest.host.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.jlguest.host.guests.TestLauncher.Outcome;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guests that misbehave on purpose: each must die of the reason lguest gives, and the Host must
 * stay healthy (the next Guest on a fresh device still boots and passes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileGuestTest {
    private static Outcome boot(String name) {
        Outcome o = TestLauncher.boot(TestGuests.image(name));
        System.out.print("[" + name + "] " + o.console());
        System.out.println("[" + name + "] died: " + o.death());
        return o;
    }

    private static void assertHostHealthy() {
        assertEquals("CRASH: PASS", TestLauncher.boot(TestGuests.image("hello")).death());
    }

    @Test
    void aHypercallBeforeInitKills() {
        Outcome o = boot("hostile-before-init");
        assertEquals("hypercall 4 before INIT", o.death());
        assertHostHealthy();
    }

    @Test
    void anUnknownHypercallKills() {
        Outcome o = boot("hostile-bad-hypercall");
        assertEquals("Bad hypercall 99\n", o.death());
        assertHostHealthy();
    }

    @Test
    void garbageCodeDiesOfAnUnhandledTrap() {
        Outcome o = boot("hostile-garbage");
        assertTrue(o.death().startsWith("unhandled trap "), o.death());
        assertHostHealthy();
    }

    @Test
    void aPteIntoTheSwitcherKills() {
        Outcome o = boot("hostile-switcher-pte");
        assertEquals("attempt to set pte into Switcher pages", o.death());
        assertHostHealthy();
    }

    @Test
    void aPteBeyondPfnLimitKillsWhenUsed() {
        Outcome o = boot("hostile-pte-limit");
        assertEquals("bad page table entry", o.death());
        assertHostHealthy();
    }

    @Test
    void aPteBeyondPfnLimitWithAccessedAndDirtyKillsAtSetPte() {
        Outcome o = boot("hostile-pte-limit");
        assertEquals("bad page table entry", o.death());
        assertTrue(o.console().endsWith("SET_PTE to frame f000\n"), o.console());
    }
}
