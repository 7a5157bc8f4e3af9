package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * Far JMP, far CALL and far RET: transfers that load CS (SDM vol. 2, CALL, JMP, RET; vol. 3, 5.8).
 *
 * <p>In real-address and virtual-8086 mode they load CS the real-mode way (base = selector *
 * 16). In protected mode the selector names a code segment (conforming: DPL &lt;= CPL, CPL unchanged;
 * non-conforming: RPL &lt;= CPL and DPL = CPL) or a call gate. A CALL through a gate to a more
 * privileged non-conforming segment switches to the stack the TSS names for that level, copying
 * the gate's parameter count of words or dwords from the old stack, with the old SS:ESP beneath
 * them. JMP through a gate never changes privilege. A far RET to an outer level pops SS:ESP as
 * well and releases {@code imm16} bytes on both stacks.
 *
 * <p>TSS descriptors and task gates would switch tasks, which this CPU does not implement: they
 * raise #GP(selector), as any other descriptor that cannot be jumped to does.
 */
final class FarTransfer {
    private FarTransfer() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0xEA -> transfer(cpu, in, in.imm2, in.imm, false);
            case 0x9A -> transfer(cpu, in, in.imm2, in.imm, true);
            case 0xCA -> farReturn(cpu, in, in.imm);
            case 0xCB -> farReturn(cpu, in, 0);
            default -> indirect(cpu, in);
        }
    }

    /** FF /3 CALLF and FF /5 JMPF: the far pointer is an offset and a selector in memory. */
    private static void indirect(Cpu cpu, Insn in) {
        int bytes = in.size == 1 ? 2 : 4;
        int linear = cpu.linear(in, bytes + 2, false);
        int offset = cpu.readMem(linear, in.size);
        int selector = cpu.readMem(linear + bytes, 1);
        transfer(cpu, in, selector, offset, in.reg == 3);
    }

    private static void transfer(Cpu cpu, Insn in, int selector, int offset, boolean call) {
        int target = in.o16 ? offset & 0xFFFF : offset;
        if (Virtual8086.realSegments(cpu)) {
            checkLimit(cpu, target, cpu.segLimit[Cpu.CS]);
            if (call) {
                pushReturn(cpu, in.size);
            }
            SegmentLoader.loadReal(cpu, Cpu.CS, selector);
            cpu.eip = target;
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        if (Descriptor.isSegment(d)) {
            checkCodeSegment(cpu, selector, d);
            checkLimit(cpu, target, Descriptor.limit(d));
            if (call) {
                pushReturn(cpu, in.size);
            }
            SegmentLoader.loadCode(cpu, selector, d, cpu.cpl);
            cpu.eip = target;
            return;
        }
        int type = Descriptor.type(d);
        if (type != Descriptor.CALL_GATE16 && type != Descriptor.CALL_GATE32) {
            throw cpu.gp(error);
        }
        throughCallGate(cpu, selector, d, call);
    }

    /** A direct transfer to a code segment: same privilege, so conforming or DPL = CPL. */
    private static void checkCodeSegment(Cpu cpu, int selector, long d) {
        int error = selector & 0xFFFC;
        if (!Descriptor.isCode(d)) {
            throw cpu.gp(error);
        }
        int dpl = Descriptor.dpl(d);
        boolean allowed = Descriptor.isConforming(d) ? dpl <= cpu.cpl : (selector & 3) <= cpu.cpl && dpl == cpu.cpl;
        if (!allowed) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
    }

    private static void throughCallGate(Cpu cpu, int gateSelector, long gate, boolean call) {
        int gateError = gateSelector & 0xFFFC;
        int gateDpl = Descriptor.dpl(gate);
        if (gateDpl < cpu.cpl || gateDpl < (gateSelector & 3)) {
            throw cpu.gp(gateError);
        }
        if (!Descriptor.present(gate)) {
            throw cpu.fault.raise(Fault.NP, gateError);
        }
        int selector = Descriptor.gateSelector(gate);
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long code = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        int dpl = Descriptor.dpl(code);
        if (!Descriptor.isCode(code) || dpl > cpu.cpl) {
            throw cpu.gp(error);
        }
        boolean conforming = Descriptor.isConforming(code);
        if (!call && !conforming && dpl != cpu.cpl) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(code)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
        boolean gate32 = Descriptor.is32(Descriptor.type(gate));
        int target = gate32 ? Descriptor.gateOffset(gate) : Descriptor.gateOffset(gate) & 0xFFFF;
        int size = gate32 ? 2 : 1;
        if (call && !conforming && dpl < cpu.cpl) {
            callInner(cpu, selector, code, dpl, target, size, Descriptor.gateParameters(gate));
            return;
        }
        checkLimit(cpu, target, Descriptor.limit(code));
        if (call) {
            pushReturn(cpu, size);
        }
        SegmentLoader.loadCode(cpu, selector, code, cpu.cpl);
        cpu.eip = target;
    }

    /** CALL through a gate to a more privileged level: new stack, parameters, return address. */
    private static void callInner(Cpu cpu, int selector, long code, int newCpl, int target, int size, int parameters) {
        long stack = TaskState.innerStack(cpu, newCpl, 0);
        int ss = (int) (stack >>> 32);
        int top = (int) stack;
        long ssDescriptor = SegmentLoader.checkInnerStack(cpu, ss, newCpl, 0);
        int ssAttr = Descriptor.attr(ssDescriptor);
        boolean big = (ssAttr & Descriptor.BIG) != 0;
        int ssBase = Descriptor.base(ssDescriptor);
        int bytes = size == 1 ? 2 : 4;
        int frameBytes = (4 + parameters) * bytes;
        StackFrames.reserve(cpu, ssAttr, Descriptor.limit(ssDescriptor), top, big, frameBytes, ss & 0xFFFC);
        checkLimit(cpu, target, Descriptor.limit(code));
        StackFrames.put(cpu, ssBase, top, big, 0, size, cpu.segSel[Cpu.SS], true);
        StackFrames.put(cpu, ssBase, top, big, 1, size, cpu.reg[Cpu.ESP], true);
        for (int i = 0; i < parameters; i++) {
            int parameter = cpu.peek(size, (parameters - 1 - i) * bytes);
            StackFrames.put(cpu, ssBase, top, big, 2 + i, size, parameter, true);
        }
        StackFrames.put(cpu, ssBase, top, big, 2 + parameters, size, cpu.segSel[Cpu.CS], true);
        StackFrames.put(cpu, ssBase, top, big, 3 + parameters, size, cpu.eip, true);
        SegmentLoader.fill(cpu, Cpu.SS, ss, DescriptorTables.markAccessed(cpu, ss, ssDescriptor));
        int sp = StackFrames.below(top, frameBytes, big);
        cpu.reg[Cpu.ESP] = big ? sp : (top & 0xFFFF0000) | sp;
        SegmentLoader.loadCode(cpu, selector, code, newCpl);
        cpu.eip = target;
    }

    /** Pushes CS and EIP (words or dwords) on the current stack, both or neither. */
    private static void pushReturn(Cpu cpu, int size) {
        int bytes = size == 1 ? 2 : 4;
        int top = cpu.sp();
        StackFrames.reserve(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], top, cpu.stack32, 2 * bytes, 0);
        StackFrames.put(cpu, cpu.segBase[Cpu.SS], top, cpu.stack32, 0, size, cpu.segSel[Cpu.CS], false);
        StackFrames.put(cpu, cpu.segBase[Cpu.SS], top, cpu.stack32, 1, size, cpu.eip, false);
        cpu.setSp(StackFrames.below(top, 2 * bytes, cpu.stack32));
    }

    /** RETF and RETF imm16. */
    private static void farReturn(Cpu cpu, Insn in, int release) {
        int size = in.size;
        int bytes = size == 1 ? 2 : 4;
        int target = cpu.peek(size, 0);
        int selector = cpu.peek(1, bytes);
        if (Virtual8086.realSegments(cpu)) {
            checkLimit(cpu, target, cpu.segLimit[Cpu.CS]);
            SegmentLoader.loadReal(cpu, Cpu.CS, selector);
            cpu.eip = target;
            cpu.setSp(cpu.stackOffset(cpu.sp() + 2 * bytes + release));
            return;
        }
        long code = checkReturnCode(cpu, selector);
        int rpl = selector & 3;
        checkLimit(cpu, target, Descriptor.limit(code));
        if (rpl == cpu.cpl) {
            SegmentLoader.loadCode(cpu, selector, code, rpl);
            cpu.eip = target;
            cpu.setSp(cpu.stackOffset(cpu.sp() + 2 * bytes + release));
            return;
        }
        int outerEsp = cpu.peek(size, 2 * bytes + release);
        int outerSs = cpu.peek(1, 3 * bytes + release);
        long ssDescriptor = SegmentLoader.checkOuterStack(cpu, outerSs, rpl);
        SegmentLoader.loadCode(cpu, selector, code, rpl);
        cpu.eip = target;
        loadOuterStack(cpu, outerSs, ssDescriptor, outerEsp, size, release);
        SegmentLoader.dropPrivilegedSegments(cpu);
    }

    /**
     * The CS a far RET or IRET returns to: a present code segment at RPL &gt;= CPL, whose DPL
     * equals the RPL (non-conforming) or does not exceed it (conforming).
     */
    static long checkReturnCode(Cpu cpu, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw cpu.gp(0);
        }
        long d = DescriptorTables.fetch(cpu, selector, Fault.GP, 0);
        int error = selector & 0xFFFC;
        int rpl = selector & 3;
        int dpl = Descriptor.dpl(d);
        if (!Descriptor.isCode(d) || rpl < cpu.cpl || (Descriptor.isConforming(d) ? dpl > rpl : dpl != rpl)) {
            throw cpu.gp(error);
        }
        if (!Descriptor.present(d)) {
            throw cpu.fault.raise(Fault.NP, error);
        }
        return d;
    }

    /** Loads the outer SS:ESP a return popped, then releases {@code release} bytes on it. */
    static void loadOuterStack(Cpu cpu, int selector, long d, int esp, int size, int release) {
        SegmentLoader.fill(cpu, Cpu.SS, selector, DescriptorTables.markAccessed(cpu, selector, d));
        cpu.reg[Cpu.ESP] = size == 1 ? (cpu.reg[Cpu.ESP] & 0xFFFF0000) | (esp & 0xFFFF) : esp;
        cpu.setSp(cpu.stackOffset(cpu.sp() + release));
    }

    /** A new EIP beyond the code segment's limit is #GP(0), raised before anything changes. */
    static void checkLimit(Cpu cpu, int target, int limit) {
        if (Integer.compareUnsigned(target, limit) > 0) {
            throw cpu.gp(0);
        }
    }
}
