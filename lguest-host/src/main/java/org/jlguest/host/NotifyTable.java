package org.jlguest.host;

import java.util.Arrays;

/**
 * NOTIFY address to eventfd bindings (3.x mode and the seed's {@code LHREQ_EVENTFD}).
 *
 * <p>The vCPU thread looks addresses up on every NOTIFY while Launcher threads add bindings, so
 * this is the Java image of the seed's RCU array: an immutable snapshot behind a volatile
 * reference. Readers never block or lock; writers copy, append and publish under a lock, and the
 * old snapshot simply becomes garbage once no reader holds it.
 */
final class NotifyTable {
    private record Binding(int address, EventFd eventFd) { }

    private static final Binding[] EMPTY = new Binding[0];

    private volatile Binding[] bindings = EMPTY;

    /** Binds {@code address}; an address may be bound more than once (the first binding wins). */
    synchronized void add(int address, EventFd eventFd) {
        Binding[] old = bindings;
        Binding[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = new Binding(address, eventFd);
        bindings = next;
    }

    /** The eventfd bound to {@code address}, or null. */
    EventFd lookup(int address) {
        for (Binding b : bindings) {
            if (b.address() == address) {
                return b.eventFd();
            }
        }
        return null;
    }

    int size() {
        return bindings.length;
    }

    /** Drops every binding (the eventfds themselves belong to the Launcher). */
    synchronized void clear() {
        bindings = EMPTY;
    }
}
