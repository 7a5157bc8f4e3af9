package org.jlguest.launcher.virtio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jlguest.launcher.virtio.TestDriver.Buffer;
import org.jlguest.mmu.GuestMemory;

/**
 * What a device may rely on whatever the Guest writes: a virtqueue fails only with its own
 * exception, never touches memory outside guest RAM, and never writes when it only pops chains;
 * and what a well-behaved driver relies on: every chain comes back exactly as written, across
 * index wrap-around, direct or indirect.
 */
class VirtqueueProperties {
    private static final int PAGES = 4;

    /** A raw descriptor as a hostile Guest might write it. */
    record RawDescriptor(long address, int length, int flags, int next) {
    }

    /** A hostile ring: its size, layout offsets, avail state and descriptors, all unchecked. */
    record HostileRing(int size, int desc, int avail, int used, int usedFlags, int availIdx, int availFlags,
                       List<Integer> heads, List<RawDescriptor> descriptors, List<RawDescriptor> indirect,
                       boolean negotiateIndirect, boolean eventIdx) {
    }

    @Property(tries = 2000)
    void hostileRingsFailOnlyWithTheirOwnReason(@ForAll("hostileRings") HostileRing ring) {
        GuestMemory memory = new GuestMemory(PAGES);
        lay(memory, ring);
        QueueLayout layout = new QueueLayout(ring.size(), ring.desc(), ring.avail(), ring.used());
        Virtqueue queue;
        try {
            queue = Virtqueue.enable(memory, layout, ring.negotiateIndirect(), ring.eventIdx());
        } catch (VirtqueueException e) {
            assertNotNull(e.getMessage());
            return;
        }
        DescriptorChain chain = new DescriptorChain();
        byte[] before = memory.array().clone();
        try {
            for (int i = 0; i < 2 * ring.size() + 2; i++) {
                if (!queue.next(memory, chain)) {
                    break;
                }
                assertArrayEquals(before, memory.array(), "next() wrote guest memory");
                for (int b = 0; b < chain.readableCount(); b++) {
                    assertTrue(memory.contains(chain.readableAddress(b), chain.readableLength(b)));
                }
                for (int b = 0; b < chain.writableCount(); b++) {
                    assertTrue(memory.contains(chain.writableAddress(b), chain.writableLength(b)));
                }
                queue.addUsed(memory, chain.head(), (int) Math.min(chain.writableBytes(), Integer.MAX_VALUE));
                queue.needsInterrupt(memory);
                queue.enableNotifications(memory);
                queue.disableNotifications(memory);
                before = memory.array().clone();
            }
        } catch (VirtqueueException e) {
            assertNotNull(e.getMessage());
        }
    }

    @Provide
    Arbitrary<HostileRing> hostileRings() {
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.of(1, 2, 4, 8, 16), Arbitraries.integers().between(-1, 70000));
        Arbitrary<Integer> place = Arbitraries.oneOf(
                Arbitraries.integers().between(0, PAGES * 4096 - 1),
                Arbitraries.of(0, 0x400, 0x800, 0x1000, PAGES * 4096 - 2),
                Arbitraries.integers());
        Arbitrary<Long> address = Arbitraries.oneOf(
                Arbitraries.longs().between(0, PAGES * 4096L),
                Arbitraries.longs(),
                Arbitraries.of(0x2000L, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE, PAGES * 4096L - 1));
        Arbitrary<Integer> length = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 64),
                Arbitraries.of(16, 32, 48, 0x80000000, -1, 0x7FFFFFFF),
                Arbitraries.integers());
        Arbitrary<RawDescriptor> descriptor = Combinators.combine(address, length,
                Arbitraries.oneOf(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 0xFFFF)),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 17), Arbitraries.integers().between(0, 0xFFFF)))
                .as(RawDescriptor::new);
        Arbitrary<Integer> index = Arbitraries.oneOf(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 0xFFFF));
        return Combinators.combine(
                Combinators.combine(size, place, place, place, Arbitraries.of(0, 0, 0, 1, 7)).as(List::of),
                index,
                Arbitraries.of(0, 1, 2, 0xFFFF),
                index.list().ofMaxSize(20),
                descriptor.list().ofMaxSize(20),
                descriptor.list().ofMaxSize(8),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false))
                .as((l, availIdx, availFlags, heads, descriptors, indirect, negotiate, eventIdx) -> new HostileRing(
                        l.get(0), l.get(1), l.get(2), l.get(3), l.get(4), availIdx, availFlags, heads, descriptors,
                        indirect, negotiate, eventIdx));
    }

    /** Writes whatever parts of the hostile ring fall inside RAM; the rest is left zero. */
    private static void lay(GuestMemory memory, HostileRing ring) {
        for (int i = 0; i < ring.descriptors().size(); i++) {
            writeRaw(memory, ring.desc() + 16L * i, ring.descriptors().get(i));
        }
        for (int i = 0; i < ring.indirect().size(); i++) {
            writeRaw(memory, 0x2000 + 16L * i, ring.indirect().get(i));
        }
        put16(memory, ring.avail(), ring.availFlags());
        put16(memory, ring.avail() + 2L, ring.availIdx());
        for (int i = 0; i < ring.heads().size(); i++) {
            put16(memory, ring.avail() + 4L + 2L * i, ring.heads().get(i));
        }
        put16(memory, ring.used(), ring.usedFlags());
    }

    private static void writeRaw(GuestMemory memory, long at, RawDescriptor d) {
        if (at >= 0 && at + 16 <= memory.size()) {
            memory.write64((int) at, d.address());
            memory.write32((int) at + 8, d.length());
            memory.write16((int) at + 12, d.flags());
            memory.write16((int) at + 14, d.next());
        }
    }

    private static void put16(GuestMemory memory, long at, int value) {
        if (at >= 0 && at + 2 <= memory.size()) {
            memory.write16((int) at, value);
        }
    }

    /** A chain a driver builds: readable buffer lengths, then writable ones, and whether it goes indirect. */
    record Chain(List<Integer> readable, List<Integer> writable, boolean indirect) {
        int buffers() {
            return readable.size() + writable.size();
        }
    }

    @Property(tries = 300)
    void wellFormedChainsRoundTrip(@ForAll("sizes") int size, @ForAll @IntRange(min = 0, max = 0xFFFF) int start,
                                   @ForAll("chains") List<Chain> chains, @ForAll boolean eventIdx) throws VirtqueueException {
        GuestMemory memory = new GuestMemory(16);
        QueueLayout layout = new QueueLayout(size, 0, 0x1000, 0x2000);
        TestDriver driver = new TestDriver(memory, layout).startingAt(start);
        Virtqueue queue = Virtqueue.enable(memory, layout, true, eventIdx);
        skipTo(queue, memory, start);
        DescriptorChain chain = new DescriptorChain();
        int data = 0x8000;
        int table = 0x3000;
        for (Chain c : chains) {
            if (c.buffers() > size) {
                continue;
            }
            List<Buffer> buffers = new ArrayList<>();
            for (int len : c.readable()) {
                buffers.add(Buffer.readable(data, len));
                data = 0x8000 + (data - 0x8000 + len) % 0x7000;
            }
            for (int len : c.writable()) {
                buffers.add(Buffer.writable(data, len));
                data = 0x8000 + (data - 0x8000 + len) % 0x7000;
            }
            int head = c.indirect() ? driver.addIndirect(buffers, table) : driver.add(buffers);
            assertTrue(queue.hasAvailable(memory));
            assertTrue(queue.next(memory, chain));
            assertEquals(head, chain.head());
            assertEquals(c.readable().size(), chain.readableCount());
            assertEquals(c.writable().size(), chain.writableCount());
            for (int i = 0; i < buffers.size(); i++) {
                Buffer b = buffers.get(i);
                boolean writable = i >= c.readable().size();
                int j = writable ? i - c.readable().size() : i;
                assertEquals(b.address(), writable ? chain.writableAddress(j) : chain.readableAddress(j));
                assertEquals(b.length(), writable ? chain.writableLength(j) : chain.readableLength(j));
            }
            assertTrue(!queue.next(memory, chain));
            queue.addUsed(memory, head, 7 * head);
            assertEquals(new TestDriver.Used(head, 7 * head), driver.pollUsed());
            assertEquals(null, driver.pollUsed());
        }
    }

    /** Brings a fresh queue's indexes to {@code start} by consuming chains a driver never wrote. */
    private static void skipTo(Virtqueue queue, GuestMemory memory, int start) throws VirtqueueException {
        DescriptorChain scratch = new DescriptorChain();
        int availIdx = memory.read16((int) queue.layout().avail() + 2);
        int usedIdx = memory.read16((int) queue.layout().used() + 2);
        int availAt = (int) queue.layout().avail();
        int size = queue.layout().size();
        memory.write16((int) queue.layout().used() + 2, 0);
        for (int i = 0; i < start; i++) {
            memory.write16(availAt + 2, (i + 1) & 0xFFFF);
            memory.write16(availAt + 4 + 2 * (i % size), 0);
            memory.write64((int) queue.layout().desc(), 0x8000);
            memory.write32((int) queue.layout().desc() + 8, 1);
            memory.write16((int) queue.layout().desc() + 12, 0);
            queue.next(memory, scratch);
            queue.addUsed(memory, 0, 0);
        }
        memory.write16(availAt + 2, availIdx);
        assertEquals(usedIdx, memory.read16((int) queue.layout().used() + 2));
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(1, 2, 4, 8, 16, 64);
    }

    @Provide
    Arbitrary<List<Chain>> chains() {
        Arbitrary<List<Integer>> lengths = Arbitraries.integers().between(0, 100).list().ofMaxSize(4);
        return Combinators.combine(lengths, lengths, Arbitraries.of(true, false))
                .filter((r, w, i) -> !r.isEmpty() || !w.isEmpty())
                .as(Chain::new)
                .list().ofMaxSize(40);
    }
}
