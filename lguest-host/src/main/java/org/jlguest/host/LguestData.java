package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

/**
 * The Guest's {@code struct lguest_data}, the page the Guest and Host share: virtual interrupt
 * flag, blocked lines, cr2, wall-clock time, the async hypercall ring, and the Guest's answers
 * about itself (where its {@code iret} is, its kernel address, its syscall vector).
 *
 * <p>Two layouts exist (see {@link LguestAbi}): the 4.x one ends with {@code noirq_iret},
 * {@code kernel_address}, {@code syscall_vec}; the 3.x one with a {@code noirq_start/noirq_end}
 * range. {@link #locate} tells them apart by where the syscall vector (always 0x80) sits.
 */
final class LguestData {
    private final GuestPhysical mem;
    private final int base;
    private final boolean fourX;

    private LguestData(GuestPhysical mem, int base, boolean fourX) {
        this.mem = mem;
        this.base = base;
        this.fourX = fourX;
    }

    /**
     * LHCALL_LGUEST_INIT's checks, in lguest's order: the whole struct inside Guest memory, then
     * the syscall vector. Returns null (with the Guest killed) if either fails.
     */
    static LguestData locate(GuestPhysical mem, int base, Death death) {
        if (!mem.ok(base, LD3_SIZE) && !mem.ok(base, LD4_SIZE)) {
            death.kill(String.format("bad guest page %#x", base));
            return null;
        }
        boolean fourX = mem.ok(base, LD4_SIZE) && mem.read32(base + LD4_SYSCALL_VEC) == SYSCALL_VECTOR;
        if (!fourX && (!mem.ok(base, LD3_SIZE) || mem.read32(base + LD3_SYSCALL_VEC) != SYSCALL_VECTOR)) {
            death.kill("bad syscall vector");
            return null;
        }
        return new LguestData(mem, base, fourX);
    }

    boolean isFourX() {
        return fourX;
    }

    int irqEnabled() {
        return mem.read32(base + LD_IRQ_ENABLED);
    }

    void setIrqEnabled(int value) {
        mem.write32(base + LD_IRQ_ENABLED, value);
    }

    int blockedInterrupts() {
        return mem.read32(base + LD_BLOCKED_INTERRUPTS);
    }

    void setCr2(int value) {
        mem.write32(base + LD_CR2, value);
    }

    void setIrqPending(int value) {
        mem.write32(base + LD_IRQ_PENDING, value);
    }

    /** Writes the wall clock as {@code struct timespec}. */
    void setTime(long epochNanos) {
        mem.write32(base + LD_TIME_SEC, (int) (epochNanos / 1_000_000_000L));
        mem.write32(base + LD_TIME_NSEC, (int) (epochNanos % 1_000_000_000L));
    }

    void setReserveMem(int bytes) {
        mem.write32(base + LD_RESERVE_MEM, bytes);
    }

    void setTscKhz(int khz) {
        mem.write32(base + LD_TSC_KHZ, khz);
    }

    int kernelAddress() {
        return mem.read32(base + (fourX ? LD4_KERNEL_ADDRESS : LD3_KERNEL_ADDRESS));
    }

    /** 4.x: the address of the Guest's single {@code iret}. */
    int noirqIret() {
        return fourX ? mem.read32(base + LD4_NOIRQ_IRET) : 0;
    }

    /** 3.x: whether {@code eip} lies in the range where interrupts must not be delivered. */
    boolean inNoirqRange(int eip) {
        if (fourX) {
            return false;
        }
        int start = mem.read32(base + LD3_NOIRQ_START);
        int end = mem.read32(base + LD3_NOIRQ_END);
        return Integer.compareUnsigned(eip, start) >= 0 && Integer.compareUnsigned(eip, end) < 0;
    }

    int hcallStatus(int slot) {
        return mem.read8(base + LD_HCALL_STATUS + slot);
    }

    void setHcallStatus(int slot, int value) {
        mem.write8(base + LD_HCALL_STATUS + slot, value);
    }

    /** Word {@code word} (0 = call number, 1-4 = arguments) of async slot {@code slot}. */
    int hcallWord(int slot, int word) {
        return mem.read32(base + LD_HCALLS + slot * 20 + word * 4);
    }
}
