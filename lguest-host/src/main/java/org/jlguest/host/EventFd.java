package org.jlguest.host;

import java.util.concurrent.TimeUnit;

/**
 * The Java analogue of Linux's eventfd: a 64-bit counter that writers add to and a reader drains.
 *
 * <p>It is how the Host wakes a Launcher device thread without a trip through {@code read()}:
 * in 3.x mode the Guest's NOTIFY of a virtqueue address signals the eventfd registered for that
 * address, and the device thread blocked in {@link #await} services the queue. A closed eventfd
 * wakes its waiters and refuses further use.
 */
public final class EventFd implements AutoCloseable {
    private long counter;
    private boolean closed;

    /** Adds {@code n} (> 0) to the counter and wakes a waiter; false if closed. */
    public synchronized boolean signal(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("eventfd increment must be positive, was " + n);
        }
        if (closed) {
            return false;
        }
        counter += n;
        notifyAll();
        return true;
    }

    /** Waits until the counter is non-zero, then returns it and resets it to zero; -1 once closed. */
    public synchronized long await() throws InterruptedException {
        while (counter == 0 && !closed) {
            wait();
        }
        return drain();
    }

    /** As {@link #await()}, giving up after {@code timeout}: 0 means it timed out. */
    public synchronized long await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (counter == 0 && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return drain();
    }

    /** The counter without consuming it. */
    public synchronized long peek() {
        return counter;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private long drain() {
        if (counter == 0) {
            return -1;
        }
        long value = counter;
        counter = 0;
        return value;
    }
}
