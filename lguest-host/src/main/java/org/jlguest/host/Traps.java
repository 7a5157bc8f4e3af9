package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import org.jlguest.mmu.Fault;

/**
 * What the Host does when the Guest stops on an exception (lguest's {@code lguest_arch_handle_trap}):
 * a hypercall, a #GP(0) to emulate (in the Host for the lguest-bus generation, by the Launcher
 * for virtio-PCI), a device-window access for the Launcher, or a trap to reflect into the Guest;
 * a trap the Guest cannot take kills it.
 */
final class Traps {
    private Traps() {
    }

    static void handle(Vcpu v, Fault f) {
        int vector = f.vector();
        int errorCode = f.errorCode();
        int cr2 = f.cr2();
        v.lastErrorCode = errorCode;
        if (vector == Fault.HOST_BEYOND_LIMIT) {
            beyondRam(v, cr2);
            return;
        }
        if (f.isSoftwareInterrupt()) {
            softwareInterrupt(v, vector, f.instructionLength());
            return;
        }
        switch (vector) {
            case Fault.GP -> {
                if (errorCode == 0) {
                    if (v.guest.generation == Generation.VIRTIO_PCI) {
                        pendingTrap(v, Fault.GP, 0);
                        return;
                    }
                    if (PortEmulation.emulate(v)) {
                        return;
                    }
                }
            }
            case Fault.PF -> {
                if (v.data != null) {
                    v.data.setCr2(cr2);
                }
            }
            case Fault.NM -> {
                if (!v.guestTs) {
                    return;
                }
            }
            default -> {
            }
        }
        reflect(v, vector, f.hasErrorCode(), errorCode, vector == Fault.PF ? cr2 : errorCode);
    }

    /** Reflects a trap into the Guest, or kills it if the Guest cannot take that trap. */
    static void reflect(Vcpu v, int vector, boolean pushError, int errorCode, int detail) {
        boolean hostVector = vector == 2 || vector == 8 || vector == 15 || vector == LGUEST_TRAP_ENTRY;
        if (hostVector || !Reflector.deliver(v, vector, pushError && Reflector.hasErrorCode(vector), errorCode)) {
            v.guest.death.kill(String.format("unhandled trap %d at %#x (%#x)", vector, v.cpu.getEip(), detail));
        }
    }

    /**
     * {@code int n}: what the hardware IDT the real Host installs would make of it. The hypercall
     * gate has DPL 1; the Host's own vectors and the IRQ range have DPL 0; the rest have the DPL
     * of the Guest's own gate. A refused gate is #GP(n*8+2) at the {@code int} itself.
     */
    private static void softwareInterrupt(Vcpu v, int vector, int length) {
        int cpl = v.cpu.getCpl();
        if (vector == LGUEST_TRAP_ENTRY && cpl <= 1) {
            Hypercalls.capture(v);
            return;
        }
        int dpl;
        if (vector == LGUEST_TRAP_ENTRY) {
            dpl = 1;
        } else if (vector == 2 || vector == 8 || vector == 15 || (vector >= 32 && vector != SYSCALL_VECTOR)) {
            dpl = 0;
        } else {
            dpl = v.guest.tables.gatePresent(vector) ? v.guest.tables.gateDpl(vector) : 0;
        }
        if (cpl > dpl) {
            v.cpu.setEip(v.cpu.getEip() - length);
            reflect(v, Fault.GP, true, vector * 8 + 2, vector * 8 + 2);
            return;
        }
        reflect(v, vector, false, 0, 0);
    }

    /** A physical access beyond RAM: the 4.x device window goes to the Launcher, anything else kills. */
    private static void beyondRam(Vcpu v, int physical) {
        if (v.guest.isDeviceFrame(physical >>> 12)) {
            pendingTrap(v, Fault.PF, physical);
            return;
        }
        v.guest.death.kill("bad page table entry");
    }

    /** 4.x: fill {@code struct lguest_pending} (trap, 7 instruction bytes, address) for read(). */
    private static void pendingTrap(Vcpu v, int trap, int address) {
        byte[] r = v.pendingRecord;
        r[0] = (byte) trap;
        RunLoop.fetchInstruction(v, r, 1, 7);
        r[8] = (byte) address;
        r[9] = (byte) (address >>> 8);
        r[10] = (byte) (address >>> 16);
        r[11] = (byte) (address >>> 24);
        v.trapPending = true;
    }
}
