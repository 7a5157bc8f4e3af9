package org.jlguest.host;

import org.jlguest.mmu.GuestMemory;

/**
 * The Host's own reads and writes of Guest memory (hypercall arguments, {@code lguest_data}, the
 * async ring), each bounds-checked as lguest does: an access {@code [addr, addr+len)} is allowed
 * only if it ends at or below {@code pfn_limit} pages without wrapping (the 4.1 rule; earlier
 * Hosts refused an access ending exactly at the limit, an off-by-one this does not copy). A bad
 * read returns zero and a bad write is dropped, and both kill the Guest with lguest's reason.
 */
final class GuestPhysical {
    private final GuestMemory memory;
    private final long limit;
    private final Death death;

    GuestPhysical(GuestMemory memory, int pfnLimit, Death death) {
        this.memory = memory;
        this.limit = Math.min((long) pfnLimit << GuestMemory.PAGE_SHIFT, memory.size());
        this.death = death;
    }

    GuestMemory memory() {
        return memory;
    }

    /** lguest's {@code lguest_address_ok}. */
    boolean ok(int addr, int len) {
        long start = Integer.toUnsignedLong(addr);
        return start + len <= limit;
    }

    int read32(int addr) {
        if (!ok(addr, 4)) {
            death.kill(String.format("bad read address %#x len %d", addr, 4));
            return 0;
        }
        return memory.read32(addr);
    }

    int read8(int addr) {
        if (!ok(addr, 1)) {
            death.kill(String.format("bad read address %#x len %d", addr, 1));
            return 0;
        }
        return memory.read8(addr);
    }

    void write32(int addr, int value) {
        if (!ok(addr, 4)) {
            death.kill(String.format("bad write address %#x len %d", addr, 4));
            return;
        }
        memory.write32(addr, value);
    }

    void write8(int addr, int value) {
        if (!ok(addr, 1)) {
            death.kill(String.format("bad write address %#x len %d", addr, 1));
            return;
        }
        memory.write8(addr, value);
    }

    /** Copies {@code len} bytes out; on a bad range the Guest dies and the bytes stay zero. */
    byte[] read(int addr, int len) {
        byte[] out = new byte[len];
        if (!ok(addr, len)) {
            death.kill(String.format("bad read address %#x len %d", addr, len));
            return out;
        }
        memory.copyOut(addr, out, 0, len);
        return out;
    }
}
