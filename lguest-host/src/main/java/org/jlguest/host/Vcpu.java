package org.jlguest.host;

import java.util.concurrent.atomic.AtomicInteger;
import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.CpuFeatures;
import org.jlguest.cpu.Interpreter;
import org.jlguest.cpu.Tier;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;

/**
 * The Host's state for the Guest's one virtual CPU (lguest's {@code struct lg_cpu}): the
 * interpreter that runs it, the interrupt lines waiting for it, and whatever the last exit left
 * for the run loop or the Launcher to finish (a hypercall, a notify, a trap record, a GETREG).
 *
 * <p>Only the owner thread (the one that sent INITIALIZE) runs it. Other threads touch only
 * {@link #pendingIrqs} and call {@link #wake}, the Java image of lguest's {@code set_interrupt}.
 */
final class Vcpu {
    /** Instructions per run-loop pass: bounds how long an LHREQ_IRQ or the clock waits. */
    static final long SLICE = 200_000;
    /** The TSC ticks at 1 GHz of Host monotonic time, so {@code tsc_khz} is exact. */
    static final int TSC_KHZ = 1_000_000;

    final Guest guest;
    final Thread owner;
    final Cpu cpu;
    final Interpreter interpreter;
    final Mmu mmu;

    /** Bit n: interrupt line n is waiting. */
    final AtomicInteger pendingIrqs = new AtomicInteger();
    private final Object sleeper = new Object();
    volatile boolean halted;

    /** A register named by LHREQ_GETREG, returned by the next read(); -1 when none. */
    int getreg = -1;

    /** A hypercall the Guest made, processed on the next pass of the run loop. */
    boolean hcallPending;
    final int[] hcallArgs = new int[5];
    /** The Host's cursor in the async hypercall ring. */
    int nextHcall;

    /** 3.x: a NOTIFY address no eventfd claimed, for read() to return. */
    boolean notifyPending;
    int notifyAddress;
    /** 4.x: the {@code struct lguest_pending} record for read() to return. */
    boolean trapPending;
    final byte[] pendingRecord = new byte[LguestAbi.PENDING_SIZE];

    /** The clock event's deadline in Host monotonic nanoseconds; -1 when not armed. */
    volatile long clockDeadline = -1;

    /** LHCALL_SET_STACK: the ring-1 stack for traps from user mode. */
    int ss1;
    int esp1;
    int stackPages;
    /** The error code of the last trap, which LHREQ_TRAP pushes for vectors that have one. */
    int lastErrorCode;
    /** LHCALL_TS: the Guest's CR0.TS. */
    boolean guestTs;

    /** Set by LHCALL_LGUEST_INIT; null before. */
    LguestData data;
    /** Until the first NEW_PGTABLE the Guest runs with virtual = physical. */
    boolean linearMode = true;

    /** Counters, read by metrics. */
    long hypercalls;
    long trapsReflected;
    long interruptsDelivered;
    long launcherExits;

    Vcpu(Guest guest, Thread owner, int start, HostClock clock, Tier tier) {
        this.guest = guest;
        this.owner = owner;
        this.mmu = new Mmu(guest.physical.memory(), new Fault());
        this.cpu = new Cpu(mmu, CpuFeatures.i686(), clock::monotonicNanos);
        this.interpreter = new Interpreter(cpu);
        interpreter.setTier(tier);
        mmu.setDeviceWindow(new DeviceSpace(mmu.fault()));
        mmu.setReservedTop(LguestAbi.SWITCHER_ADDRESS);
        mmu.setEntryCheck(new PageTableRules(guest, mmu.fault()));
        cpu.setControlRegisters(0x00000033, 0, 0);
        cpu.setHostGdt(guest.tables);
        cpu.loadSegmentForHost(Cpu.CS, LguestAbi.GUEST_CS);
        cpu.loadSegmentForHost(Cpu.DS, LguestAbi.GUEST_DS);
        cpu.loadSegmentForHost(Cpu.ES, LguestAbi.GUEST_DS);
        cpu.loadSegmentForHost(Cpu.SS, LguestAbi.GUEST_DS);
        cpu.loadSegmentForHost(Cpu.FS, 0);
        cpu.loadSegmentForHost(Cpu.GS, 0);
        cpu.setEflags(0x202);
        cpu.setEip(start);
    }

    /** lguest's {@code set_interrupt}: mark line {@code irq} and wake the vCPU if it sleeps. */
    void raise(int irq) {
        pendingIrqs.getAndUpdate(bits -> bits | (1 << irq));
        wake();
    }

    void wake() {
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /**
     * Sleeps until woken or {@code nanos} pass (0: until woken), unless {@code ready} already
     * holds. Checking under the same lock {@link #wake} takes means no wake-up is lost.
     */
    void sleepUnless(java.util.function.BooleanSupplier ready, long nanos) throws InterruptedException {
        synchronized (sleeper) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (nanos > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(sleeper, nanos);
            } else {
                sleeper.wait();
            }
        }
    }

    /**
     * Physical addresses beyond RAM: every access stops the instruction with
     * {@link Fault#HOST_BEYOND_LIMIT}; the run loop decides between an MMIO exit (4.x device
     * window) and death.
     */
    private record DeviceSpace(Fault fault) implements org.jlguest.mmu.DeviceWindow {
        @Override
        public int read(int physical, int size) {
            throw fault.beyondLimit(physical);
        }

        @Override
        public void write(int physical, int size, int value) {
            throw fault.beyondLimit(physical);
        }
    }
}
