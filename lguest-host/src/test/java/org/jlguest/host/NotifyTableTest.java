package org.jlguest.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NOTIFY address table is copy-on-write: lookups on other threads never take a lock and never
 * see a half-built table while a writer appends.
 */
class NotifyTableTest {

    @Test
    void theFirstBindingOfAnAddressWins() {
        NotifyTable t = new NotifyTable();
        EventFd first = new EventFd();
        EventFd second = new EventFd();
        assertNull(t.lookup(0x5000));
        t.add(0x5000, first);
        t.add(0x5000, second);
        t.add(0x6000, second);
        assertSame(first, t.lookup(0x5000));
        assertSame(second, t.lookup(0x6000));
        assertEquals(3, t.size());
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.lookup(0x5000));
    }

    /**
     * Readers check, against every snapshot they see, that all the bindings the writer had
     * published by then are there with their own eventfds: appends come whole and in order.
     */
    @Test
    @Timeout(30)
    void readersSeeWholeTablesWhileAWriterAppends() throws Exception {
        NotifyTable t = new NotifyTable();
        int bindings = 3000;
        EventFd[] fds = new EventFd[bindings];
        for (int i = 0; i < bindings; i++) {
            fds[i] = new EventFd();
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int seed = r;
            Thread reader = new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                int lastSize = 0;
                while (!done.get() && torn.get() == null) {
                    int size = t.size();
                    if (size < lastSize) {
                        torn.set("the table shrank from " + lastSize + " to " + size);
                    }
                    lastSize = size;
                    for (int k = 0; k < 8 && size > 0; k++) {
                        int i = random.nextInt(size);
                        EventFd got = t.lookup(address(i));
                        if (got != fds[i]) {
                            torn.set("binding " + i + " of a table of " + size + " was " + got);
                        }
                    }
                    if (t.lookup(address(bindings + 1)) != null) {
                        torn.set("an address never bound was found");
                    }
                    lookups.incrementAndGet();
                }
            }, "notify-reader-" + r);
            reader.start();
            readers.add(reader);
        }
        for (int i = 0; i < bindings; i++) {
            t.add(address(i), fds[i]);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertNull(torn.get(), torn.get());
        assertTrue(lookups.get() > 0);
        assertEquals(bindings, t.size());
    }

    /** Lookups go on, and see the published table, while the writer's lock is held. */
    @Test
    @Timeout(30)
    void readersNeverWaitForTheWritersLock() throws Exception {
        NotifyTable t = new NotifyTable();
        EventFd e = new EventFd();
        t.add(0x5000, e);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<EventFd> seen = new AtomicReference<>();
        synchronized (t) {
            Thread reader = new Thread(() -> {
                EventFd last = null;
                for (int i = 0; i < 100_000; i++) {
                    last = t.lookup(0x5000);
                    t.size();
                }
                seen.set(last);
                finished.countDown();
            });
            reader.start();
            assertTrue(finished.await(10, TimeUnit.SECONDS), "a lookup blocked on the writer's lock");
            reader.join();
        }
        assertSame(e, seen.get());
    }

    private static int address(int i) {
        return 0x10000 + i * 16;
    }
}
