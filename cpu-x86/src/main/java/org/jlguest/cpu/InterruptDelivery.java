package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * Delivering exceptions and interrupts: through the IDT in protected mode (SDM vol. 3, 6.12) and
 * through the interrupt vector table in real-address mode (vol. 3, 20.1.4).
 *
 * <p>Protected mode: the gate must be a 16- or 32-bit interrupt or trap gate (task gates would
 * need task switching, which this CPU does not implement: they raise #GP like a bad gate). A
 * handler in a more privileged non-conforming segment runs on the stack the TSS names for its
 * level, and the old SS:ESP goes onto the new stack first; then EFLAGS, CS, EIP and an error code
 * if the exception has one. Interrupt gates also clear IF; all gates clear TF, NT, RF and VM. The
 * whole frame is checked and written before any register changes, so a fault on the way leaves
 * the interrupted state intact for the next delivery.
 *
 * <p>From virtual-8086 mode the handler must be a DPL 0 non-conforming code segment (else
 * #GP(selector)); GS, FS, DS and ES go onto the ring-0 stack above SS:ESP and are loaded null.
 *
 * <p>A fault while delivering an event combines with it by the SDM's table (vol. 3, table 6-5):
 * contributory on contributory, or anything but benign on a page fault, becomes a double fault
 * (#DF, error code 0); a contributory fault or page fault while delivering #DF shuts the CPU down
 * ({@link Cpu#isShutdown}); every other pair is handled serially, the second event instead of the
 * first. Interrupts and software interrupts count as benign.
 *
 * <p>The saved EIP is the CPU's EIP on entry: the faulting instruction for a fault, the next one
 * for a trap or an interrupt; a fault raised while delivering a software interrupt points at the
 * INT instruction. The run loop arranges that; a host injecting an event does too.
 * The EFLAGS image pushed for a fault has RF clear: this CPU has no instruction breakpoints for
 * RF to suppress.
 */
public final class InterruptDelivery {
    private static final int BENIGN = 0, CONTRIBUTORY = 1, PAGE_FAULT = 2, DOUBLE_FAULT = 3;
    private static final int CLEARED_ON_ENTRY = Flags.TF | Flags.NT | Flags.RF | Flags.VM;
    private static final int[] NULLED_FROM_VIRTUAL8086 = {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS};

    private InterruptDelivery() {
    }

    /**
     * Delivers an exception or external interrupt (or a software interrupt whose instruction
     * length does not matter) to the guest's handler. On return the CPU is at the handler, or
     * shut down.
     */
    public static void deliver(Cpu cpu, int vector, int errorCode, boolean hasErrorCode, EventKind kind) {
        deliver(cpu, vector, errorCode, hasErrorCode, kind, 0);
    }

    /**
     * Delivers INT n, INT3 or INTO with EIP past the instruction. A fault on the way (a gate
     * DPL below CPL, a bad or absent gate or target, a stack fault) is reported at the
     * instruction, which is {@code length} bytes back, like any fault.
     */
    public static void deliverSoftwareInterrupt(Cpu cpu, int vector, int length) {
        deliver(cpu, vector, 0, false, EventKind.SOFTWARE_INTERRUPT, length);
    }

    /** Delivers the CPU's current {@link Fault}, as the run loop does in system mode. */
    static void deliver(Cpu cpu, Fault f) {
        int vector = f.vector();
        if (vector == Fault.PF) {
            cpu.cr2 = f.cr2();
        }
        if (f.isSoftwareInterrupt()) {
            deliverSoftwareInterrupt(cpu, vector, f.instructionLength());
        } else {
            deliver(cpu, vector, f.errorCode(), f.hasErrorCode(), EventKind.EXCEPTION, 0);
        }
    }

    private static void deliver(Cpu cpu, int vector, int errorCode, boolean hasErrorCode, EventKind kind, int length) {
        cpu.halted = false;
        cpu.interruptShadow = false;
        cpu.breakBlock = true;
        int eventClass = kind == EventKind.EXCEPTION ? classOf(vector) : BENIGN;
        boolean software = kind == EventKind.SOFTWARE_INTERRUPT;
        for (;;) {
            try {
                if (cpu.isProtectedMode()) {
                    throughIdt(cpu, vector, errorCode, hasErrorCode, software ? 0 : 1, software, length);
                } else {
                    throughIvt(cpu, vector);
                }
                return;
            } catch (Fault f) {
                int second = f.vector();
                if (second == Fault.HOST_BEYOND_LIMIT) {
                    throw f;
                }
                if (software) {
                    // A fault while delivering INT n, INT3 or INTO is reported at the instruction.
                    cpu.eip = cpu.code32 ? cpu.eip - length : (cpu.eip - length) & 0xFFFF;
                }
                if (second == Fault.PF) {
                    cpu.cr2 = f.cr2();
                }
                int secondClass = classOf(second);
                if (eventClass == DOUBLE_FAULT && secondClass != BENIGN) {
                    cpu.shutdown = true;
                    return;
                }
                if ((eventClass == CONTRIBUTORY && secondClass == CONTRIBUTORY)
                        || (eventClass == PAGE_FAULT && secondClass != BENIGN)) {
                    vector = Fault.DF;
                    errorCode = 0;
                    hasErrorCode = true;
                    eventClass = DOUBLE_FAULT;
                } else {
                    vector = second;
                    errorCode = f.errorCode();
                    hasErrorCode = f.hasErrorCode();
                    eventClass = secondClass;
                }
                software = false;
            }
        }
    }

    private static int classOf(int vector) {
        return switch (vector) {
            case Fault.DE, Fault.TS, Fault.NP, Fault.SS, Fault.GP -> CONTRIBUTORY;
            case Fault.PF -> PAGE_FAULT;
            case Fault.DF -> DOUBLE_FAULT;
            default -> BENIGN;
        };
    }

    /** Real-address mode: FLAGS, CS and IP onto the stack, CS:IP from the vector table. */
    private static void throughIvt(Cpu cpu, int vector) {
        int entry = vector * 4;
        if (entry + 3 > cpu.sys.idtLimit) {
            throw cpu.gp(0);
        }
        int ip = cpu.mmu.read16(cpu.sys.idtBase + entry);
        int cs = cpu.mmu.read16(cpu.sys.idtBase + entry + 2);
        int top = cpu.sp();
        StackFrames.reserve(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], top, cpu.stack32, 6, 0);
        int base = cpu.segBase[Cpu.SS];
        StackFrames.put(cpu, base, top, cpu.stack32, 0, 1, cpu.flags.eflags(), false);
        StackFrames.put(cpu, base, top, cpu.stack32, 1, 1, cpu.segSel[Cpu.CS], false);
        StackFrames.put(cpu, base, top, cpu.stack32, 2, 1, cpu.eip, false);
        cpu.setSp(StackFrames.below(top, 6, cpu.stack32));
        cpu.flags.materialize();
        cpu.flags.bits &= ~(Flags.IF | Flags.TF | Flags.AC | Flags.RF);
        SegmentLoader.loadReal(cpu, Cpu.CS, cs);
        cpu.eip = ip;
    }

    private static void throughIdt(Cpu cpu, int vector, int errorCode, boolean hasErrorCode, int ext,
            boolean software, int length) {
        int gateError = vector * 8 + 2 + ext;
        if (vector * 8 + 7 > cpu.sys.idtLimit) {
            throw cpu.gp(gateError);
        }
        int at = cpu.sys.idtBase + vector * 8;
        long gate = Integer.toUnsignedLong(cpu.readSystem32(at)) | (long) cpu.readSystem32(at + 4) << 32;
        int type = Descriptor.type(gate);
        boolean interruptOrTrapGate = (type & 0x6) == 0x6;
        if (Descriptor.isSegment(gate) || !interruptOrTrapGate) {
            throw cpu.gp(gateError);
        }
        if (software && Descriptor.dpl(gate) < cpu.cpl) {
            throw cpu.gp(vector * 8 + 2);
        }
        if (!Descriptor.present(gate)) {
            throw cpu.fault.raise(Fault.NP, gateError);
        }
        int selector = Descriptor.gateSelector(gate);
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(ext);
        }
        long code = DescriptorTables.fetch(cpu, selector, Fault.GP, ext);
        int codeError = (selector & 0xFFFC) | ext;
        if (!Descriptor.isCode(code) || Descriptor.dpl(code) > cpu.cpl) {
            throw cpu.gp(codeError);
        }
        if (!Descriptor.present(code)) {
            throw cpu.fault.raise(Fault.NP, codeError);
        }
        boolean gate32 = Descriptor.is32(type);
        int target = gate32 ? Descriptor.gateOffset(gate) : Descriptor.gateOffset(gate) & 0xFFFF;
        if (Integer.compareUnsigned(target, Descriptor.limit(code)) > 0) {
            throw cpu.gp(ext);
        }
        boolean fromVirtual8086 = Virtual8086.active(cpu);
        if (fromVirtual8086 && (Descriptor.isConforming(code) || Descriptor.dpl(code) != 0)) {
            throw cpu.gp(codeError);
        }
        int newCpl = Descriptor.isConforming(code) ? cpu.cpl : Descriptor.dpl(code);
        int size = gate32 ? 2 : 1;
        int bytes = gate32 ? 4 : 2;
        int eflags = cpu.flags.eflags();
        int frameSlots = 3 + (hasErrorCode ? 1 : 0);
        if (newCpl < cpu.cpl) {
            long stack = TaskState.innerStack(cpu, newCpl, ext);
            int ss = (int) (stack >>> 32);
            int top = (int) stack;
            long ssDescriptor = SegmentLoader.checkInnerStack(cpu, ss, newCpl, ext);
            int ssAttr = Descriptor.attr(ssDescriptor);
            boolean big = (ssAttr & Descriptor.BIG) != 0;
            int ssBase = Descriptor.base(ssDescriptor);
            int first = fromVirtual8086 ? 4 : 0;
            int frameBytes = (frameSlots + 2 + first) * bytes;
            StackFrames.reserve(cpu, ssAttr, Descriptor.limit(ssDescriptor), top, big, frameBytes, (ss & 0xFFFC) | ext);
            if (fromVirtual8086) {
                StackFrames.put(cpu, ssBase, top, big, 0, size, cpu.segSel[Cpu.GS], true);
                StackFrames.put(cpu, ssBase, top, big, 1, size, cpu.segSel[Cpu.FS], true);
                StackFrames.put(cpu, ssBase, top, big, 2, size, cpu.segSel[Cpu.DS], true);
                StackFrames.put(cpu, ssBase, top, big, 3, size, cpu.segSel[Cpu.ES], true);
            }
            StackFrames.put(cpu, ssBase, top, big, first, size, cpu.segSel[Cpu.SS], true);
            StackFrames.put(cpu, ssBase, top, big, first + 1, size, cpu.reg[Cpu.ESP], true);
            pushFrame(cpu, ssBase, top, big, first + 2, size, eflags, errorCode, hasErrorCode, true);
            if (fromVirtual8086) {
                for (int seg : NULLED_FROM_VIRTUAL8086) {
                    SegmentLoader.loadNull(cpu, seg, 0);
                }
            }
            SegmentLoader.fill(cpu, Cpu.SS, ss, DescriptorTables.markAccessed(cpu, ss, ssDescriptor));
            cpu.reg[Cpu.ESP] = big ? StackFrames.below(top, frameBytes, true)
                    : (top & 0xFFFF0000) | StackFrames.below(top, frameBytes, false);
        } else if (Descriptor.isConforming(code) || Descriptor.dpl(code) == cpu.cpl) {
            int top = cpu.sp();
            int frameBytes = frameSlots * bytes;
            StackFrames.reserve(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], top, cpu.stack32, frameBytes, ext);
            pushFrame(cpu, cpu.segBase[Cpu.SS], top, cpu.stack32, 0, size, eflags, errorCode, hasErrorCode, false);
            cpu.setSp(StackFrames.below(top, frameBytes, cpu.stack32));
        } else {
            throw cpu.gp(codeError);
        }
        SegmentLoader.loadCode(cpu, selector, code, newCpl);
        cpu.eip = target;
        cpu.flags.materialize();
        boolean interruptGate = (type & 1) == 0;
        cpu.flags.bits &= ~(CLEARED_ON_ENTRY | (interruptGate ? Flags.IF : 0));
    }

    /** EFLAGS, CS, EIP and the error code, from slot {@code first} on. */
    private static void pushFrame(Cpu cpu, int base, int top, boolean big, int first, int size, int eflags,
            int errorCode, boolean hasErrorCode, boolean supervisor) {
        StackFrames.put(cpu, base, top, big, first, size, eflags, supervisor);
        StackFrames.put(cpu, base, top, big, first + 1, size, cpu.segSel[Cpu.CS], supervisor);
        StackFrames.put(cpu, base, top, big, first + 2, size, cpu.eip, supervisor);
        if (hasErrorCode) {
            StackFrames.put(cpu, base, top, big, first + 3, size, errorCode, supervisor);
        }
    }
}
