package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import java.nio.charset.StandardCharsets;
import org.jlguest.cpu.Cpu;

/**
 * The hypercalls (hypercalls.c and the x86 part of core.c): the Guest puts a call number in EAX
 * and up to four arguments in EBX, ECX, EDX, ESI and executes {@code int $0x1f}; the Host runs
 * the call on its next pass of the run loop, after draining the asynchronous ring.
 */
final class Hypercalls {
    /** One page-directory's worth of top-level entries (non-PAE). */
    private static final int PTRS_PER_PGD = 1024;

    private Hypercalls() {
    }

    /**
     * Runs the pending hypercall: the async ring first (in ring order), then the call itself,
     * unless a ring entry left an exit for the Launcher (then the call waits for the next pass).
     */
    static void processPending(Vcpu v) {
        if (v.data != null && v.hcallArgs[0] != LHCALL_LGUEST_INIT) {
            drainAsyncRing(v);
            if (v.notifyPending || v.guest.death.isDead()) {
                return;
            }
        }
        v.hcallPending = false;
        int[] a = v.hcallArgs;
        run(v, a[0], a[1], a[2], a[3], a[4]);
    }

    /** lguest's {@code do_async_hcalls}: at most one lap of the 64-slot ring. */
    private static void drainAsyncRing(Vcpu v) {
        LguestData d = v.data;
        for (int i = 0; i < LHCALL_RING_SIZE; i++) {
            int slot = v.nextHcall;
            if (d.hcallStatus(slot) == 0xFF) {
                break;
            }
            v.nextHcall = (slot + 1) % LHCALL_RING_SIZE;
            run(v, d.hcallWord(slot, 0), d.hcallWord(slot, 1), d.hcallWord(slot, 2), d.hcallWord(slot, 3),
                    d.hcallWord(slot, 4));
            d.setHcallStatus(slot, 0xFF);
            if (v.notifyPending || v.guest.death.isDead()) {
                break;
            }
        }
    }

    /** Runs one hypercall. Before LHCALL_LGUEST_INIT, anything else kills. */
    static void run(Vcpu v, int call, int a1, int a2, int a3, int a4) {
        Guest g = v.guest;
        v.hypercalls++;
        if (v.data == null && call != LHCALL_LGUEST_INIT) {
            g.death.kill(String.format("hypercall %d before INIT", call));
            return;
        }
        switch (call) {
            case LHCALL_FLUSH_ASYNC, LHCALL_SEND_INTERRUPTS -> {
                // Nothing: the exit itself drained the ring and lets interrupts in.
            }
            case LHCALL_LGUEST_INIT -> initialize(v, a1);
            case LHCALL_SHUTDOWN -> shutdown(v, a1, a2);
            case LHCALL_NEW_PGTABLE -> newPageTable(v, a1);
            case LHCALL_FLUSH_TLB -> v.mmu.flushAll();
            case LHCALL_LOAD_IDT_ENTRY -> loadIdtEntry(v, a1, a2, a3);
            case LHCALL_SET_STACK -> setStack(v, a1, a2, a3);
            case LHCALL_TS -> {
                v.guestTs = a1 != 0;
                v.cpu.setTaskSwitched(v.guestTs);
            }
            case LHCALL_SET_CLOCKEVENT -> v.clockDeadline = a1 == 0 ? -1 : g.clock.monotonicNanos() + Integer.toUnsignedLong(a1);
            case LHCALL_HALT -> v.halted = true;
            case LHCALL_SET_PTE -> setPte(v, a2, a3);
            case LHCALL_SET_PGD -> setPgd(v, a2);
            case LHCALL_LOAD_TLS -> loadTls(v, a1);
            case LHCALL_NOTIFY -> notify(v, a1);
            case LHCALL_LOAD_GDT_ENTRY -> loadGdtEntry(v, a1, a2, a3);
            default -> g.death.kill(String.format("Bad hypercall %d\n", call));
        }
    }

    /** LHCALL_LGUEST_INIT, in lguest's order (§6.4 of the ABI notes). */
    private static void initialize(Vcpu v, int address) {
        Guest g = v.guest;
        if (v.data != null) {
            g.death.kill("already have lguest_data");
            return;
        }
        LguestData d = LguestData.locate(g.physical, address, g.death);
        if (d == null) {
            return;
        }
        d.setTscKhz(Vcpu.TSC_KHZ);
        d.setTime(g.clock.realtimeNanos());
        if (Integer.compareUnsigned(d.kernelAddress(), SWITCHER_ADDRESS) >= 0) {
            g.death.kill(String.format("bad kernel address %#x", d.kernelAddress()));
            return;
        }
        d.setReserveMem((int) (0x1_0000_0000L - Integer.toUnsignedLong(SWITCHER_ADDRESS)));
        v.mmu.flushAll();
        v.data = d;
    }

    private static void shutdown(Vcpu v, int message, int how) {
        byte[] text = v.guest.physical.read(message, 128);
        int len = 0;
        while (len < 127 && text[len] != 0) {
            len++;
        }
        if (how == LGUEST_SHUTDOWN_RESTART) {
            v.guest.death.restart();
        } else {
            v.guest.death.kill("CRASH: " + new String(text, 0, len, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * LHCALL_NEW_PGTABLE: the Guest switches page tables. The first call ends linear (boot) mode:
     * from then on the MMU walks the Guest's own tables, with supervisor write protection.
     */
    private static void newPageTable(Vcpu v, int cr3) {
        if (!v.guest.physical.ok(cr3 & 0xFFFFF000, 4096)) {
            v.guest.death.kill(String.format("bad page directory %#x", cr3));
            return;
        }
        if (v.linearMode) {
            v.linearMode = false;
            v.cpu.setControlRegisters(0x80010033, cr3, 0);
        } else {
            v.mmu.setCr3(cr3);
        }
    }

    private static void loadIdtEntry(Vcpu v, int vector, int low, int high) {
        // NMI, double fault, spurious and the hypercall vector stay the Host's.
        if (vector == 2 || vector == 8 || vector == 15 || vector == LGUEST_TRAP_ENTRY) {
            return;
        }
        if (Integer.compareUnsigned(vector, 256) >= 0) {
            v.guest.death.kill(String.format("Setting idt entry %d", vector));
            return;
        }
        if (!v.guest.tables.loadIdtEntry(vector, low, high)) {
            v.guest.death.kill(String.format("bad IDT type %d", (high >>> 8) & 0xF));
        }
    }

    private static void setStack(Vcpu v, int ss, int esp, int pages) {
        if ((ss & 3) != 1) {
            v.guest.death.kill(String.format("bad stack segment %d", ss));
            return;
        }
        if (Integer.compareUnsigned(pages, 2) > 0) {
            v.guest.death.kill(String.format("bad stack pages %d", pages));
            return;
        }
        v.ss1 = ss;
        v.esp1 = esp;
        v.stackPages = pages;
    }

    /**
     * LHCALL_SET_PTE: the Guest changed a page-table entry. The MMU walks the Guest's tables
     * itself, so the Host forgets what it cached for that address; and, as lguest installs an
     * entry with A or D set at once, such an entry is checked now (a bad one kills here, not
     * at its first use). Device-window frames are the Launcher's and need no check.
     */
    private static void setPte(Vcpu v, int address, int pte) {
        if (Integer.compareUnsigned(address, SWITCHER_ADDRESS) >= 0) {
            v.guest.death.kill("attempt to set pte into Switcher pages");
            return;
        }
        boolean present = (pte & 0x1) != 0;
        boolean used = (pte & 0x60) != 0;
        int frame = pte >>> 12;
        if (present && used && !v.guest.isDeviceFrame(frame)
                && ((pte & 0x80) != 0 || Integer.compareUnsigned(frame, v.guest.pfnLimit) >= 0)) {
            v.guest.death.kill("bad page table entry");
            return;
        }
        v.mmu.invalidate(address);
    }

    /**
     * LHCALL_SET_PGD: a top-level entry changed; forget its 4 MiB. lguest accepted index 1024
     * (it tested {@code >} where {@code >=} was meant); here an index past the table kills.
     */
    private static void setPgd(Vcpu v, int index) {
        if (Integer.compareUnsigned(index, PTRS_PER_PGD) >= 0) {
            v.guest.death.kill(String.format("Attempt to set pgd %d/%d", index, PTRS_PER_PGD));
            return;
        }
        v.mmu.flushAll();
    }

    /** LHCALL_LOAD_TLS: three descriptors into GDT entries 6-8. */
    private static void loadTls(Vcpu v, int address) {
        byte[] raw = v.guest.physical.read(address, 24);
        if (v.guest.death.isDead()) {
            return;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3; i++) {
            v.guest.tables.loadGdtEntry(GDT_ENTRY_TLS_MIN + i, b.getInt(), b.getInt());
        }
    }

    private static void loadGdtEntry(Vcpu v, int index, int low, int high) {
        if (Integer.compareUnsigned(index, GDT_ENTRIES) >= 0) {
            v.guest.death.kill(String.format("too many gdt entries %d", index));
            return;
        }
        v.guest.tables.loadGdtEntry(index, low, high);
    }

    /** LHCALL_NOTIFY exists only for the lguest-bus generation. */
    private static void notify(Vcpu v, int address) {
        if (v.guest.generation != Generation.LGUEST_BUS) {
            v.guest.death.kill(String.format("Bad hypercall %d\n", LHCALL_NOTIFY));
            return;
        }
        v.notifyPending = true;
        v.notifyAddress = address;
    }

    /** Records the hypercall the Guest just trapped with, from its registers. */
    static void capture(Vcpu v) {
        Cpu cpu = v.cpu;
        v.hcallArgs[0] = cpu.getReg(Cpu.EAX);
        v.hcallArgs[1] = cpu.getReg(Cpu.EBX);
        v.hcallArgs[2] = cpu.getReg(Cpu.ECX);
        v.hcallArgs[3] = cpu.getReg(Cpu.EDX);
        v.hcallArgs[4] = cpu.getReg(Cpu.ESI);
        v.hcallPending = true;
    }
}
