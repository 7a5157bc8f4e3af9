package org.jlguest.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LguestTest {
    @Test
    void aTypedRunFromInitializeToPowerOff() {
        TestGuest g = new TestGuest().init().powerOff("Power down").load();
        try (Lguest lg = Lguest.open(new LguestDevice())) {
            int base = lg.map(g.memory);
            lg.send(new Request.InitializePci(base, TestGuest.PAGES, TestGuest.CODE, TestGuest.PAGES + 256));
            assertEquals(TestGuest.CODE, lg.getRegister(Request.Register.EIP));
            RunResult r = lg.run();
            assertEquals(new RunResult.Died("CRASH: Power down"), r);
            HostCounters c = lg.counters();
            assertEquals(2, c.hypercalls(), "INIT and SHUTDOWN");
            assertEquals(10, c.instructions(), "four movs and an int per hypercall");
        }
    }

    @Test
    void refusedRequestsCarryTheirErrno() {
        try (Lguest lg = Lguest.open(new LguestDevice())) {
            LguestException e = assertThrows(LguestException.class, () -> lg.send(new Request.Irq(1)));
            assertEquals(LguestAbi.EINVAL, e.errno());
        }
    }

    @Test
    void pendingTrapsComeBackAsRecords() {
        int window = TestGuest.PAGES * 4096 + 0x38;
        TestGuest g = new TestGuest().init().mov(3, window).bytes(0x8B, 0x03).load(); // mov eax, [ebx]
        try (Lguest lg = Lguest.open(new LguestDevice())) {
            lg.send(new Request.InitializePci(lg.map(g.memory), TestGuest.PAGES, TestGuest.CODE, TestGuest.PAGES + 256));
            RunResult.Pending p = assertInstanceOf(RunResult.Pending.class, lg.run());
            assertEquals(14, p.trap());
            assertEquals(window, p.address());
            assertArrayEquals(new byte[] {(byte) 0x8B, 0x03, 0, 0, 0, 0, 0}, p.instruction());
            // The Launcher emulates the load and steps over the instruction.
            lg.setRegister(Request.Register.EAX, 0x1234);
            lg.setRegister(Request.Register.EIP, lg.getRegister(Request.Register.EIP) + 2);
            assertEquals(0x1234, lg.getRegister(Request.Register.EAX));
        }
    }
}
