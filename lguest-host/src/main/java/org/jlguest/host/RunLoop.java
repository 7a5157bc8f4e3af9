package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.ExitReason;
import org.jlguest.mmu.Fault;

/**
 * {@code read()}'s "run the Guest until something happens" (lguest's {@code run_guest}), in the
 * observable order of the real Host: finish a pending hypercall, hand a pending exit to the
 * Launcher, fire the clock, deliver an interrupt, sleep if halted, run a slice, handle the exit.
 */
final class RunLoop {
    /** errno for "interrupted": Java has no signals, an interrupted owner thread stands in. */
    static final int EINTR = 4;

    private RunLoop() {
    }

    /** Runs until the Launcher is needed; returns bytes written to {@code out} or a negative errno. */
    static int run(Vcpu v, byte[] out, int length) {
        Guest g = v.guest;
        while (!g.death.isDead()) {
            if (v.hcallPending) {
                Hypercalls.processPending(v);
            }
            if (v.notifyPending) {
                EventFd e = g.notify.lookup(v.notifyAddress);
                v.notifyPending = false;
                if (e == null) {
                    v.launcherExits++;
                    return copy(out, length, littleEndian(v.notifyAddress), 4);
                }
                e.signal(1);
            }
            if (v.trapPending) {
                v.launcherExits++;
                return copy(out, length, v.pendingRecord, PENDING_SIZE);
            }
            if (Thread.interrupted()) {
                return -EINTR;
            }
            fireClock(v);
            Interrupts.deliverPending(v);
            if (g.death.isDead()) {
                break;
            }
            if (v.halted) {
                if (!sleep(v)) {
                    return -EINTR;
                }
                continue;
            }
            ExitReason exit = v.interpreter.run(Vcpu.SLICE);
            if (exit == ExitReason.FAULT) {
                Traps.handle(v, v.mmu.fault());
            }
        }
        return g.death.isRestart() ? -ERESTART : -ENOENT;
    }

    /** The one-shot clock event: when due, line 0 goes pending. */
    private static void fireClock(Vcpu v) {
        long deadline = v.clockDeadline;
        if (deadline >= 0 && v.guest.clock.monotonicNanos() - deadline >= 0) {
            v.clockDeadline = -1;
            v.raise(0);
        }
    }

    /** Sleeps a halted vCPU until an IRQ arrives or its clock event is due; false if interrupted. */
    private static boolean sleep(Vcpu v) {
        long deadline = v.clockDeadline;
        long wait = deadline < 0 ? 0 : Math.max(1, deadline - v.guest.clock.monotonicNanos());
        try {
            v.sleepUnless(() -> Interrupts.anyDeliverable(v), wait);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static byte[] littleEndian(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    /**
     * lguest copies its 4 or 12 bytes whatever size the caller passed; a buffer too small here
     * is -EFAULT rather than a write past its end.
     */
    private static int copy(byte[] out, int length, byte[] record, int size) {
        if (length < size || out.length < size) {
            return -EFAULT;
        }
        System.arraycopy(record, 0, out, 0, size);
        return size;
    }

    /** Reads the Guest's instruction bytes at EIP through its page tables; missing bytes are zero. */
    static void fetchInstruction(Vcpu v, byte[] into, int offset, int count) {
        int eip = v.cpu.getSegmentBase(Cpu.CS) + v.cpu.getEip();
        for (int i = 0; i < count; i++) {
            try {
                into[offset + i] = (byte) v.mmu.fetch8(eip + i);
            } catch (Fault f) {
                for (int j = i; j < count; j++) {
                    into[offset + j] = 0;
                }
                return;
            }
        }
    }
}
