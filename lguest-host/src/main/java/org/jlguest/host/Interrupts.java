package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

/**
 * Virtual interrupt delivery (interrupts_and_traps.c: {@code interrupt_pending},
 * {@code try_deliver_interrupt}). Line n arrives at IDT vector 32 + n when the Guest's virtual IF
 * ({@code lguest_data.irq_enabled}) allows it and the line is not in {@code blocked_interrupts}.
 */
final class Interrupts {
    private Interrupts() {
    }

    /** The lowest line that is pending and not blocked, or -1. Nothing is deliverable before INIT. */
    static int nextDeliverable(Vcpu v) {
        if (v.data == null) {
            return -1;
        }
        int ready = v.pendingIrqs.get() & ~v.data.blockedInterrupts();
        return ready == 0 ? -1 : Integer.numberOfTrailingZeros(ready);
    }

    static boolean anyDeliverable(Vcpu v) {
        return nextDeliverable(v) >= 0;
    }

    /** One delivery attempt for the lowest deliverable line. */
    static void deliverPending(Vcpu v) {
        int irq = nextDeliverable(v);
        if (irq < 0) {
            return;
        }
        LguestData d = v.data;
        int eip = v.cpu.getEip();
        if (d.inNoirqRange(eip)) {
            return;
        }
        if (v.halted) {
            // The Guest halts with virtual interrupts off and expects them on when woken.
            d.setIrqEnabled(X86_EFLAGS_IF);
            v.halted = false;
        } else if ((d.irqEnabled() & X86_EFLAGS_IF) == 0) {
            d.setIrqPending(X86_EFLAGS_IF);
            return;
        }
        int vector = FIRST_EXTERNAL_VECTOR + irq;
        if (!v.guest.tables.gatePresent(vector)) {
            return;
        }
        v.pendingIrqs.getAndUpdate(bits -> bits & ~(1 << irq));
        if (d.isFourX() && eip == d.noirqIret()) {
            Reflector.deliverOnIretFrame(v, vector);
        } else {
            Reflector.deliver(v, vector, false, 0);
        }
        v.interruptsDelivered++;
        d.setTime(v.guest.clock.realtimeNanos());
        if (!anyDeliverable(v)) {
            d.setIrqPending(0);
        }
    }
}
