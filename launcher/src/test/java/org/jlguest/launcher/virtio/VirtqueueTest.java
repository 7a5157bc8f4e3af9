package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.jlguest.mmu.GuestMemory;
import org.junit.jupiter.api.Test;

class VirtqueueTest {
    private final GuestMemory memory = new GuestMemory(16);
    private final QueueLayout layout = new QueueLayout(8, 0, 0x1000, 0x2000);
    private final TestDriver driver = new TestDriver(memory, layout);
    private final DescriptorChain chain = new DescriptorChain();

    private Virtqueue queue(boolean indirect, boolean eventIdx) throws VirtqueueException {
        return Virtqueue.enable(memory, layout, indirect, eventIdx);
    }

    private void descriptor(int table, int index, long address, int length, int flags, int next) {
        int d = table + 16 * index;
        memory.write64(d, address);
        memory.write32(d + 8, length);
        memory.write16(d + 12, flags);
        memory.write16(d + 14, next);
    }

    private void publish(int head) {
        int idx = memory.read16(0x1002);
        memory.write16(0x1004 + 2 * (idx % 8), head);
        memory.write16(0x1002, idx + 1);
    }

    private String failure(Virtqueue queue) {
        return assertThrows(VirtqueueException.class, () -> queue.next(memory, chain)).getMessage();
    }

    @Test
    void validationNamesTheRule() {
        GuestMemory small = new GuestMemory(1);
        assertTrue(message(small, new QueueLayout(3, 0, 0x100, 0x200)).contains("power of two"));
        assertTrue(message(small, new QueueLayout(65536, 0, 0x100, 0x200)).contains("power of two"));
        assertTrue(message(small, new QueueLayout(4, 8, 0x100, 0x200)).contains("descriptor table at 0x8 is not 16-byte aligned"));
        assertTrue(message(small, new QueueLayout(4, 0, 0x101, 0x200)).contains("avail ring"));
        assertTrue(message(small, new QueueLayout(4, 0, 0x100, 0x202)).contains("used ring at 0x202 is not 4-byte aligned"));
        assertTrue(message(small, new QueueLayout(4, 0, 0x100, 0xFF0)).contains("outside guest RAM"));
        assertTrue(message(small, new QueueLayout(4, 0x1_0000_0000L, 0x100, 0x200)).contains("outside guest RAM"));
        small.write16(0x200, 1);
        assertTrue(message(small, new QueueLayout(4, 0, 0x100, 0x200)).contains("flags 0x1"));
    }

    private static String message(GuestMemory memory, QueueLayout layout) {
        return assertThrows(VirtqueueException.class, () -> Virtqueue.enable(memory, layout, false, false)).getMessage();
    }

    @Test
    void legacyLayoutPutsTheUsedRingOnTheNextPage() {
        QueueLayout legacy = QueueLayout.legacy(0x10000, 256, QueueLayout.LEGACY_ALIGN);
        assertEquals(0x11000, legacy.avail());
        assertEquals(0x12000, legacy.used());
        assertEquals(3 * 4096, (QueueLayout.legacyBytes(256, QueueLayout.LEGACY_ALIGN) + 4095) & -4096);
    }

    @Test
    void popsReadableThenWritableAndReturnsUsed() throws VirtqueueException {
        Virtqueue queue = queue(false, false);
        assertFalse(queue.next(memory, chain));
        int head = driver.add(List.of(Buffer.readable(0x4000, 16), Buffer.readable(0x4010, 4), Buffer.writable(0x5000, 100)));
        assertTrue(queue.next(memory, chain));
        assertEquals(head, chain.head());
        assertEquals(20, chain.readableBytes());
        assertEquals(100, chain.writableBytes());
        memory.copyIn(0x4000, "0123456789abcdefWXYZ".getBytes(), 0, 20);
        byte[] got = new byte[8];
        assertEquals(8, chain.read(memory, 12, got, 0, 8));
        assertEquals("cdefWXYZ", new String(got));
        assertEquals(2, chain.write(memory, 98, "abc".getBytes(), 0, 3), "only two bytes fit");
        assertEquals('b', memory.read8(0x5063));
        queue.addUsed(memory, head, 100);
        assertEquals(new TestDriver.Used(head, 100), driver.pollUsed());
    }

    @Test
    void rejectsLoopsAndBadLinks() throws VirtqueueException {
        descriptor(0, 0, 0x4000, 4, Virtqueue.DESC_F_NEXT, 1);
        descriptor(0, 1, 0x4000, 4, Virtqueue.DESC_F_NEXT, 0);
        publish(0);
        assertTrue(failure(queue(false, false)).contains("loop"));

        memory.write16(0x1002, 0);
        descriptor(0, 1, 0x4000, 4, Virtqueue.DESC_F_NEXT, 9);
        publish(0);
        assertTrue(failure(queue(false, false)).contains("next 9 is outside"));

        memory.write16(0x1002, 0);
        descriptor(0, 0, 0x4000, 4, Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 1);
        descriptor(0, 1, 0x4000, 4, 0, 0);
        publish(0);
        assertTrue(failure(queue(false, false)).contains("readable buffer follows a device-writable"));

        memory.write16(0x1002, 0);
        descriptor(0, 0, 0xFFFF0, 0x20, 0, 0);
        publish(0);
        assertTrue(failure(queue(false, false)).contains("buffer 0xffff0+32 is outside guest RAM"));
    }

    @Test
    void rejectsBadAvailState() throws VirtqueueException {
        memory.write16(0x1002, 9);
        assertTrue(failure(queue(false, false)).contains("more than the queue size"));
        memory.write16(0x1002, 1);
        memory.write16(0x1004, 8);
        assertTrue(failure(queue(false, false)).contains("head 8"));
    }

    @Test
    void indirectRules() throws VirtqueueException {
        descriptor(0, 0, 0x3000, 32, Virtqueue.DESC_F_INDIRECT, 0);
        publish(0);
        assertTrue(failure(queue(false, false)).contains("not negotiated"));

        memory.write16(0x1002, 0);
        descriptor(0, 0, 0x3000, 32, Virtqueue.DESC_F_INDIRECT | Virtqueue.DESC_F_NEXT, 1);
        publish(0);
        assertTrue(failure(queue(true, false)).contains("also has VRING_DESC_F_NEXT"));

        for (int bad : new int[] {0, 24, 16 * 9}) {
            memory.write16(0x1002, 0);
            descriptor(0, 0, 0x3000, bad, Virtqueue.DESC_F_INDIRECT, 0);
            publish(0);
            assertTrue(failure(queue(true, false)).contains("table length " + bad));
        }

        memory.write16(0x1002, 0);
        descriptor(0, 0, 0x3000, 32, Virtqueue.DESC_F_INDIRECT, 0);
        descriptor(0x3000, 0, 0x3000, 16, Virtqueue.DESC_F_INDIRECT, 0);
        publish(0);
        assertTrue(failure(queue(true, false)).contains("inside an indirect table"));

        memory.write16(0x1002, 0);
        descriptor(0x3000, 0, 0x4000, 8, Virtqueue.DESC_F_NEXT, 1);
        descriptor(0x3000, 1, 0x4000, 8, Virtqueue.DESC_F_NEXT, 0);
        publish(0);
        assertTrue(failure(queue(true, false)).contains("longer than its 2-entry table"));
    }

    @Test
    void indexesWrapAround() throws VirtqueueException {
        Virtqueue queue = queue(false, false);
        for (int i = 0; i < 0x10000 + 20; i++) {
            int head = driver.add(List.of(Buffer.writable(0x4000, 1)));
            assertTrue(queue.next(memory, chain));
            queue.addUsed(memory, head, i & 0xFF);
            assertEquals(new TestDriver.Used(head, i & 0xFF), driver.pollUsed());
        }
        assertEquals(20, queue.lastAvail());
        assertEquals(20, queue.nextUsed());
    }

    @Test
    void interruptSuppressionWithoutEventIdx() throws VirtqueueException {
        Virtqueue queue = queue(false, false);
        assertFalse(queue.needsInterrupt(memory), "nothing used yet");
        int head = driver.add(List.of(Buffer.writable(0x4000, 1)));
        queue.next(memory, chain);
        queue.addUsed(memory, head, 1);
        driver.setAvailFlags(Virtqueue.AVAIL_F_NO_INTERRUPT);
        assertFalse(queue.needsInterrupt(memory));
        head = driver.add(List.of(Buffer.writable(0x4000, 1)));
        queue.next(memory, chain);
        queue.addUsed(memory, head, 1);
        driver.setAvailFlags(0);
        assertTrue(queue.needsInterrupt(memory));
        assertFalse(queue.needsInterrupt(memory), "already signalled");
        driver.setAvailFlags(2);
        queue.addUsed(memory, head, 1);
        assertThrows(VirtqueueException.class, () -> queue.needsInterrupt(memory));
    }

    @Test
    void notifySuppressionWithoutEventIdx() throws VirtqueueException {
        Virtqueue queue = queue(false, false);
        queue.disableNotifications(memory);
        assertEquals(Virtqueue.USED_F_NO_NOTIFY, driver.usedFlags());
        queue.enableNotifications(memory);
        assertEquals(0, driver.usedFlags());
    }

    @Test
    void eventIdxInterruptsWhenUsedCrossesUsedEvent() throws VirtqueueException {
        Virtqueue queue = queue(false, true);
        int usedEvent = 0x1004 + 2 * 8;
        memory.write16(usedEvent, 1);
        for (int i = 0; i < 2; i++) {
            int head = driver.add(List.of(Buffer.writable(0x4000, 1)));
            queue.next(memory, chain);
            queue.addUsed(memory, head, 1);
        }
        assertTrue(queue.needsInterrupt(memory), "used went 0 -> 2, crossing used_event 1");
        int head = driver.add(List.of(Buffer.writable(0x4000, 1)));
        queue.next(memory, chain);
        queue.addUsed(memory, head, 1);
        assertFalse(queue.needsInterrupt(memory), "used went 2 -> 3, used_event still 1");
        queue.enableNotifications(memory);
        assertEquals(3, memory.read16(0x2004 + 8 * 8), "avail_event is the next index we take");
    }
}
