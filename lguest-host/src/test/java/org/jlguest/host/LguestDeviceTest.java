package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.Test;

class LguestDeviceTest {
    private final LguestDevice device = new LguestDevice();
    private final LauncherContext context = new LauncherContext();
    private final LguestFile file = device.open(context);

    private static byte[] words(int... w) {
        ByteBuffer b = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }

    private int write(int... w) {
        byte[] b = words(w);
        return device.write(file, 0, b, b.length);
    }

    private int initialize4x(GuestMemory memory, int start) {
        return write(LHREQ_INITIALIZE, context.map(memory), memory.pfnLimit(), start, memory.pfnLimit() + 256);
    }

    private int initialize3x(GuestMemory memory, int start) {
        return write(LHREQ_INITIALIZE, context.map(memory), memory.pfnLimit(), start);
    }

    private final byte[] buffer = new byte[256];

    private int read() {
        return device.read(file, 0, buffer, buffer.length);
    }

    private String readText(int n) {
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void everyRequestButInitializeNeedsAGuest() {
        assertEquals(-EINVAL, write(LHREQ_IRQ, 1));
        assertEquals(-EINVAL, write(LHREQ_GETREG, 48));
        assertEquals(-EINVAL, read());
    }

    @Test
    void shortBuffersAreFaults() {
        assertEquals(-EFAULT, device.write(file, 0, new byte[2], 2));
        assertEquals(-EFAULT, write(LHREQ_INITIALIZE, 0, 1));
    }

    @Test
    void aNullBufferIsAFaultAndTheGuestLivesOn() {
        assertEquals(-EFAULT, device.write(file, 0, null, 16), "no request to read");
        TestGuest g = new TestGuest().init().powerOff("Power down").load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-EFAULT, device.write(file, 0, null, 8));
        assertEquals(-EFAULT, device.read(file, 0, null, 256));
        assertEquals(-ENOENT, read(), "the Guest was not killed: it runs to its power-off");
        assertEquals("CRASH: Power down\0", readText(read()));
    }

    @Test
    void initializeTakesThreeOrFourWordsAndOnlyOnce() {
        TestGuest g = new TestGuest();
        assertEquals(-EFAULT, write(LHREQ_INITIALIZE, 0x1234, 64, 0x1000), "an unmapped base");
        assertEquals(16, initialize4x(g.memory, TestGuest.CODE));
        assertEquals(-EBUSY, initialize4x(g.memory, TestGuest.CODE));
        LguestFile other = device.open(context);
        byte[] init3 = words(LHREQ_INITIALIZE, context.map(new GuestMemory(8)), 8, 0);
        assertEquals(12, device.write(other, 0, init3, init3.length));
    }

    @Test
    void pfnLimitMustBeTheMappedMemory() {
        GuestMemory m = new GuestMemory(16);
        assertEquals(-EINVAL, write(LHREQ_INITIALIZE, context.map(m), 32, 0, 64));
    }

    @Test
    void irqLinesAreBounded() {
        initialize4x(new TestGuest().memory, TestGuest.CODE);
        assertEquals(-EINVAL, write(LHREQ_IRQ, LGUEST_IRQS));
        assertEquals(0, write(LHREQ_IRQ, 3));
        assertEquals(-EINVAL, write(99));
    }

    @Test
    void onlyTheInitializingThreadMayRun() throws Exception {
        initialize4x(new TestGuest().memory, TestGuest.CODE);
        AtomicInteger result = new AtomicInteger();
        Thread t = new Thread(() -> result.set(device.read(file, 0, new byte[16], 16)));
        t.start();
        t.join();
        assertEquals(-EPERM, result.get());
        assertEquals(-EINVAL, device.read(file, 1, buffer, buffer.length), "vCPU 1 does not exist");
    }

    @Test
    void getRegReturnsOnTheNextReadAndSetRegIsRestricted() {
        initialize4x(new TestGuest().memory, TestGuest.CODE);
        assertEquals(-ENOENT, write(LHREQ_GETREG, 44), "orig_ax has no register");
        assertEquals(8, write(LHREQ_GETREG, 48));
        assertEquals(4, read());
        assertEquals(TestGuest.CODE, ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals(8, write(LHREQ_GETREG, 52));
        assertEquals(4, read());
        assertEquals(GUEST_CS, buffer[0] & 0xFF);
        assertEquals(-ENOENT, write(LHREQ_SETREG, 52, 0x73), "CS is read-only to the Launcher");
        assertEquals(12, write(LHREQ_SETREG, 24, 0xABCD));
        assertEquals(8, write(LHREQ_GETREG, 24));
        assertEquals(4, read());
        assertEquals(0xABCD, ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void powerOffKillsWithTheGuestsMessage() {
        TestGuest g = new TestGuest().init().powerOff("Power down").load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read(), "the read that sees the death");
        int n = read();
        assertEquals("CRASH: Power down\0", readText(n));
        assertEquals(-ENOENT, write(LHREQ_IRQ, 1), "writes after death");
        assertEquals(5, device.read(file, 0, buffer, 5), "the reason is cut to the buffer");
    }

    @Test
    void restartIsReportedOnEveryRead() {
        TestGuest g = new TestGuest().init().message("reboot")
                .hcall(LHCALL_SHUTDOWN, TestGuest.MESSAGE, LGUEST_SHUTDOWN_RESTART, 0).load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ERESTART, read());
        assertEquals(-ERESTART, read());
    }

    @Test
    void hypercallBeforeInitKills() {
        TestGuest g = new TestGuest().hcall(LHCALL_NEW_PGTABLE, 0x2000, 0, 0).load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("hypercall 4 before INIT", readText(read() - 1));
    }

    @Test
    void badHypercallKillsWithLguestsReason() {
        TestGuest g = new TestGuest().init().hcall(3, 0, 0, 0).load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("Bad hypercall 3\n", readText(read() - 1));
    }

    @Test
    void initTellsTheGuestAboutTheHost() {
        TestGuest g = new TestGuest().init().powerOff("done").load();
        initialize4x(g.memory, TestGuest.CODE);
        read();
        assertEquals(0x400000, g.memory.read32(TestGuest.DATA + LD_RESERVE_MEM));
        assertEquals(Vcpu.TSC_KHZ, g.memory.read32(TestGuest.DATA + LD_TSC_KHZ));
        assertTrue(g.memory.read32(TestGuest.DATA + LD_TIME_SEC) > 1_600_000_000, "wall-clock seconds");
    }

    @Test
    void anUnhandledTrapKills() {
        TestGuest g = new TestGuest().init().bytes(0x0F, 0x0B).load(); // ud2, no IDT entry
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        String reason = readText(read() - 1);
        assertTrue(reason.startsWith("unhandled trap 6 at 0x"), reason);
    }

    @Test
    void touchingMemoryBeyondTheDeviceWindowKills() {
        TestGuest g = new TestGuest().init().mov(3, 0x7FFF0000).bytes(0x8B, 0x03).load(); // mov eax, [ebx]
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("bad page table entry", readText(read() - 1));
    }

    @Test
    void theDeviceWindowIsAnExitToTheLauncher() {
        int window = TestGuest.PAGES * 4096 + 0x10;
        TestGuest g = new TestGuest().init().mov(3, window).bytes(0x89, 0x03).load(); // mov [ebx], eax
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(PENDING_SIZE, read());
        assertEquals(14, buffer[0]);
        assertEquals(0x89, buffer[1] & 0xFF);
        assertEquals(0x03, buffer[2] & 0xFF);
        assertEquals(window, ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
    }

    @Test
    void notifyGoesToItsEventFdOrBackToTheLauncher() throws Exception {
        TestGuest g = new TestGuest().init()
                .hcall(LHCALL_NOTIFY, 0x5000, 0, 0)
                .hcall(LHCALL_NOTIFY, 0x6000, 0, 0)
                .powerOff("bye").load();
        initialize3x(g.memory, TestGuest.CODE);
        EventFd e = new EventFd();
        assertEquals(0, write(LHREQ_EVENTFD, 0x5000, context.addEventFd(e)));
        assertEquals(-EBADF, write(LHREQ_EVENTFD, 0x7000, 999));
        assertEquals(-EINVAL, write(LHREQ_EVENTFD, 0, context.addEventFd(new EventFd())));
        assertEquals(4, read(), "0x6000 has no eventfd: back to the Launcher");
        assertEquals(0x6000, ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals(1, e.peek(), "0x5000 went to its eventfd");
        assertEquals(-ENOENT, read());
    }

    @Test
    void trapAndEventFdBelongToTheirGenerations() {
        initialize3x(new TestGuest().memory, TestGuest.CODE);
        assertEquals(-EINVAL, write(LHREQ_TRAP, 13), "no TRAP for the lguest-bus generation");
        LguestFile other = device.open(context);
        GuestMemory m = new GuestMemory(8);
        byte[] init = words(LHREQ_INITIALIZE, context.map(m), 8, 0, 16);
        device.write(other, 0, init, init.length);
        byte[] eventfd = words(LHREQ_EVENTFD, 0x5000, context.addEventFd(new EventFd()));
        assertEquals(-EINVAL, device.write(other, 0, eventfd, eventfd.length), "no EVENTFD for virtio-PCI");
    }

    @Test
    void closeEndsEverything() {
        initialize4x(new TestGuest().memory, TestGuest.CODE);
        assertEquals(0, device.close(file));
        assertEquals(-EBADF, write(LHREQ_IRQ, 1));
        assertEquals(-EBADF, read());
    }

    @Test
    void aFourMegabytePageInTheGuestsDirectoryKills() {
        TestGuest g = new TestGuest().init().hcall(LHCALL_NEW_PGTABLE, 0x10000, 0, 0).load();
        g.memory.write32(0x10000, 0x00000083); // present, RW, PS: lguest allows no large pages
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("bad page directory entry", readText(read() - 1));
    }

    @Test
    void thePatBitInAPageTableEntryKills() {
        TestGuest g = new TestGuest().init().hcall(LHCALL_NEW_PGTABLE, 0x10000, 0, 0).load();
        g.memory.write32(0x10000, 0x11000 | 0x67);
        g.memory.write32(0x11000 + 4, 0x1000 | 0x80 | 0x3); // the code page, with bit 7
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("bad page table entry", readText(read() - 1));
    }

    @Test
    void theTopOfTheAddressSpaceIsTheHosts() {
        TestGuest g = new TestGuest().init().hcall(LHCALL_SET_PTE, 0x10000, SWITCHER_ADDRESS, 0x1003).load();
        initialize4x(g.memory, TestGuest.CODE);
        assertEquals(-ENOENT, read());
        assertEquals("attempt to set pte into Switcher pages", readText(read() - 1));
    }
}
