package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import org.jlguest.cpu.Cpu;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;

/**
 * Delivers a trap or interrupt into the Guest through the IDT entries it loaded, building the
 * frame on the Guest's stack exactly as lguest's {@code push_guest_interrupt_stack} and
 * {@code guest_run_interrupt} do (interrupts_and_traps.c).
 */
final class Reflector {
    /** EFLAGS bits 4.x clears on delivery: TF, NT, RF, VM. */
    private static final int CLEARED_FLAGS = 0x100 | 0x4000 | 0x10000 | 0x20000;

    private Reflector() {
    }

    /** Vectors whose delivery pushes an error code. */
    static boolean hasErrorCode(int vector) {
        return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
    }

    /**
     * Pushes the frame and jumps to the handler of {@code vector}. Returns false if the Guest has
     * no present gate for it. A stack the Host cannot write kills the Guest.
     */
    static boolean deliver(Vcpu v, int vector, boolean pushError, int errorCode) {
        GuestTables t = v.guest.tables;
        if (vector < 0 || vector > 255 || !t.gatePresent(vector)) {
            return false;
        }
        Cpu cpu = v.cpu;
        int ss = cpu.getSegmentSelector(Cpu.SS);
        int esp = cpu.getReg(Cpu.ESP);
        int cs = cpu.getSegmentSelector(Cpu.CS);
        int eflags = cpu.getEflags();
        int eip = cpu.getEip();
        boolean fromUser = (ss & 3) != 1;
        if (v.data != null && (v.data.irqEnabled() & X86_EFLAGS_IF) == 0) {
            eflags &= ~X86_EFLAGS_IF;
        }
        int newSs = fromUser ? v.ss1 : ss;
        int sp = fromUser ? v.esp1 : esp;
        // The Guest kernel's view of memory (supervisor) is where its stack lives.
        cpu.loadSegmentForHost(Cpu.CS, GUEST_CS);
        Mmu mmu = v.mmu;
        try {
            if (fromUser) {
                sp = push(mmu, sp, ss);
                sp = push(mmu, sp, esp);
            }
            sp = push(mmu, sp, eflags);
            sp = push(mmu, sp, cs);
            sp = push(mmu, sp, eip);
            if (pushError) {
                sp = push(mmu, sp, errorCode);
            }
        } catch (Fault f) {
            v.guest.death.kill(String.format("Bad address %#x", f.cr2()));
            return true;
        }
        if (fromUser) {
            cpu.loadSegmentForHost(Cpu.SS, newSs);
        }
        cpu.setReg(Cpu.ESP, sp);
        enterHandler(v, vector, eflags);
        return true;
    }

    /**
     * 4.x's noirq trick: the Guest is sitting on its {@code iret} with the frame already pushed;
     * instead of stacking a second frame, take the EFLAGS it is about to restore and enter the
     * handler as if that {@code iret} had happened and the interrupt arrived just after.
     */
    static boolean deliverOnIretFrame(Vcpu v, int vector) {
        if (!v.guest.tables.gatePresent(vector)) {
            return false;
        }
        int eflags;
        try {
            eflags = v.mmu.read32(v.cpu.getSegmentBase(Cpu.SS) + v.cpu.getReg(Cpu.ESP) + 8);
        } catch (Fault f) {
            v.guest.death.kill(String.format("Bad address %#x", f.cr2()));
            return true;
        }
        enterHandler(v, vector, eflags);
        return true;
    }

    private static void enterHandler(Vcpu v, int vector, int eflags) {
        Cpu cpu = v.cpu;
        cpu.loadSegmentForHost(Cpu.CS, GUEST_CS);
        cpu.setEip(v.guest.tables.gateHandler(vector));
        cpu.setEflags((eflags & ~CLEARED_FLAGS) | X86_EFLAGS_IF);
        if (v.guest.tables.isInterruptGate(vector) && v.data != null) {
            v.data.setIrqEnabled(0);
        }
        v.trapsReflected++;
    }

    private static int push(Mmu mmu, int sp, int value) {
        int next = sp - 4;
        mmu.write32(next, value);
        return next;
    }
}
