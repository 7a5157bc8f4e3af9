package org.jlguest.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The eventfd counter: signals add, a wait drains, timed waits give up, close wakes everyone. */
class EventFdTest {

    @Property(tries = 200)
    void aWaitDrainsTheSumOfTheSignals(@ForAll @Size(min = 1, max = 20) List<@LongRange(min = 1, max = 1L << 40) Long> adds)
            throws InterruptedException {
        EventFd e = new EventFd();
        long sum = 0;
        for (long n : adds) {
            assertTrue(e.signal(n));
            sum += n;
            assertEquals(sum, e.peek(), "peek does not consume");
        }
        assertEquals(sum, e.await());
        assertEquals(0, e.peek(), "a wait resets the counter");
        assertEquals(0, e.await(1, TimeUnit.MILLISECONDS), "nothing left: the timed wait times out");
    }

    @Test
    void onlyPositiveIncrements() {
        EventFd e = new EventFd();
        assertThrows(IllegalArgumentException.class, () -> e.signal(0));
        assertThrows(IllegalArgumentException.class, () -> e.signal(-5));
        assertEquals(0, e.peek());
    }

    @Test
    @Timeout(10)
    void aBlockedWaitWakesOnASignalFromAnotherThread() throws Exception {
        EventFd e = new EventFd();
        AtomicLong got = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                got.set(e.await());
            } catch (InterruptedException ignored) {
                got.set(-99);
            }
        });
        waiter.start();
        started.await();
        Thread.sleep(20);
        assertTrue(waiter.isAlive(), "nothing signalled yet: still waiting");
        e.signal(7);
        waiter.join(5000);
        assertFalse(waiter.isAlive());
        assertEquals(7, got.get());
    }

    @Test
    @Timeout(10)
    void timedWaitsTimeOutOrReturnTheCount() throws Exception {
        EventFd e = new EventFd();
        long start = System.nanoTime();
        assertEquals(0, e.await(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "waited the whole timeout");
        Thread signaller = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ignored) {
                return;
            }
            e.signal(3);
        });
        signaller.start();
        assertEquals(3, e.await(5, TimeUnit.SECONDS));
        signaller.join();
        e.signal(2);
        assertEquals(2, e.await(0, TimeUnit.MILLISECONDS), "a count already there needs no waiting");
    }

    @Test
    @Timeout(10)
    void closeWakesEveryWaiterAndRefusesSignals() throws Exception {
        EventFd e = new EventFd();
        int waiters = 4;
        AtomicLong[] got = new AtomicLong[waiters];
        Thread[] threads = new Thread[waiters];
        CountDownLatch started = new CountDownLatch(waiters);
        for (int i = 0; i < waiters; i++) {
            AtomicLong slot = got[i] = new AtomicLong(Long.MIN_VALUE);
            boolean timed = i % 2 == 0;
            threads[i] = new Thread(() -> {
                started.countDown();
                try {
                    slot.set(timed ? e.await(1, TimeUnit.HOURS) : e.await());
                } catch (InterruptedException ignored) {
                    slot.set(-99);
                }
            });
            threads[i].start();
        }
        started.await();
        Thread.sleep(20);
        e.close();
        for (int i = 0; i < waiters; i++) {
            threads[i].join(5000);
            assertFalse(threads[i].isAlive(), "waiter " + i + " woke");
            assertEquals(-1, got[i].get(), "waiter " + i + " sees the close");
        }
        assertTrue(e.isClosed());
        assertFalse(e.signal(1), "a closed eventfd refuses signals");
        assertEquals(-1, e.await(), "and every later wait returns at once");
        assertEquals(-1, e.await(1, TimeUnit.HOURS));
    }

    @Test
    @Timeout(20)
    void concurrentSignalsAreNeverLost() throws Exception {
        EventFd e = new EventFd();
        int threads = 4;
        int each = 20_000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    e.signal(1);
                }
            });
            ts[t].start();
        }
        long drained = 0;
        while (drained < (long) threads * each) {
            long n = e.await(5, TimeUnit.SECONDS);
            assertTrue(n > 0, "signals stopped arriving at " + drained);
            drained += n;
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals((long) threads * each, drained);
        assertEquals(0, e.peek());
    }
}
