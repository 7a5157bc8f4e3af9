package org.jlguest.host;

import java.util.HashMap;
import java.util.Map;
import org.jlguest.mmu.GuestMemory;

/**
 * What the Host sees of the process that opened the device: its address space (where it mapped
 * the guest's memory) and its file descriptors (its eventfds).
 *
 * <p>In C the Launcher passes a pointer ({@code mem_base}) and file descriptor numbers; in Java
 * the Launcher first {@link #map maps} its {@link GuestMemory} and {@link #addEventFd registers}
 * its {@link EventFd}s here, and passes the numbers it got back, so the raw word-based ABI stays
 * exactly the C one.
 */
public final class LauncherContext {
    /** Where the first mapping starts; mappings are page-aligned with a guard page between. */
    private static final long FIRST_BASE = 0x10000000L;

    private final Map<Integer, GuestMemory> mappings = new HashMap<>();
    private final Map<Integer, EventFd> eventFds = new HashMap<>();
    private long nextBase = FIRST_BASE;
    private int nextFd = 3;

    /** Maps {@code memory} and returns its base address (the {@code base} word of INITIALIZE). */
    public synchronized int map(GuestMemory memory) {
        long base = nextBase;
        long end = base + memory.size() + GuestMemory.PAGE_SIZE;
        if (end > 0xFFFFFFFFL) {
            throw new IllegalStateException("the Launcher's 32-bit address space is full");
        }
        nextBase = end;
        mappings.put((int) base, memory);
        return (int) base;
    }

    /** Registers {@code eventFd} and returns its descriptor number. */
    public synchronized int addEventFd(EventFd eventFd) {
        int fd = nextFd++;
        eventFds.put(fd, eventFd);
        return fd;
    }

    synchronized GuestMemory memoryAt(int base) {
        return mappings.get(base);
    }

    synchronized EventFd eventFd(int fd) {
        return eventFds.get(fd);
    }
}
