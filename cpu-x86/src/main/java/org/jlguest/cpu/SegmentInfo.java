package org.jlguest.cpu;

/**
 * The segment queries, which never fault on a bad selector but answer in ZF: LAR (access rights),
 * LSL (the limit in bytes), VERR and VERW (readable, writable at the current privilege), and ARPL
 * (raise a selector's RPL to another's). A selector passes when it is not null, lies within its
 * table, has a type the instruction accepts, and its DPL is at least CPL and RPL (conforming code
 * is exempt from the privilege test). Not available in real-address or virtual-8086 mode (#UD).
 */
final class SegmentInfo {
    private SegmentInfo() {
    }

    static void execute(Cpu cpu, Insn in) {
        if (Virtual8086.realSegments(cpu)) {
            throw cpu.ud();
        }
        switch (in.op) {
            case 0x63 -> adjustRpl(cpu, in);
            case 0x102 -> accessRights(cpu, in);
            case 0x103 -> segmentLimit(cpu, in);
            default -> verify(cpu, in, in.reg == 5);
        }
    }

    /** LAR: the access-rights bytes of the descriptor's high dword, masked 00F0FF00 (FF00 at o16). */
    private static void accessRights(Cpu cpu, Insn in) {
        int selector = cpu.readRm(in, 1);
        long d = visible(cpu, selector);
        boolean ok = d != 0 && (Descriptor.isSegment(d) || larType(Descriptor.type(d)));
        if (ok) {
            cpu.writeReg(in.reg, in.size, Descriptor.high(d) & (in.o16 ? 0xFF00 : 0x00F0FF00));
        }
        setZf(cpu, ok);
    }

    /** LSL: the segment limit in bytes (G applied), truncated to 16 bits at o16. */
    private static void segmentLimit(Cpu cpu, Insn in) {
        int selector = cpu.readRm(in, 1);
        long d = visible(cpu, selector);
        boolean ok = d != 0 && (Descriptor.isSegment(d) || lslType(Descriptor.type(d)));
        if (ok) {
            cpu.writeReg(in.reg, in.size, Descriptor.limit(d));
        }
        setZf(cpu, ok);
    }

    /** VERR: readable code or data; VERW: writable data. */
    private static void verify(Cpu cpu, Insn in, boolean write) {
        int selector = cpu.readRm(in, 1);
        long d = visible(cpu, selector);
        boolean ok = d != 0 && (write ? Descriptor.isWritableData(d) : Descriptor.isReadable(d));
        setZf(cpu, ok);
    }

    /** ARPL r/m16, r16. */
    private static void adjustRpl(Cpu cpu, Insn in) {
        int destination = cpu.readRm(in, 1);
        int source = cpu.readReg(in.reg, 1);
        boolean raise = (destination & 3) < (source & 3);
        if (raise) {
            cpu.writeRm(in, 1, (destination & ~3) | (source & 3));
        }
        setZf(cpu, raise);
    }

    /**
     * The descriptor if the selector passes the table and privilege tests, or 0 (which no valid
     * descriptor is: a zero descriptor is a reserved system type).
     */
    private static long visible(Cpu cpu, int selector) {
        if ((selector & 0xFFFC) == 0 || !DescriptorTables.contains(cpu, selector)) {
            return 0;
        }
        long d = DescriptorTables.read(cpu, selector);
        int dpl = Descriptor.dpl(d);
        if (!Descriptor.isConforming(d) && (dpl < cpu.cpl || dpl < (selector & 3))) {
            return 0;
        }
        return d;
    }

    /** LAR accepts TSSs, LDTs, call gates and task gates. */
    private static boolean larType(int type) {
        return switch (type) {
            case Descriptor.TSS16_AVAILABLE, Descriptor.LDT, Descriptor.TSS16_BUSY, Descriptor.CALL_GATE16,
                    Descriptor.TASK_GATE, Descriptor.TSS32_AVAILABLE, Descriptor.TSS32_BUSY, Descriptor.CALL_GATE32 -> true;
            default -> false;
        };
    }

    /** LSL accepts TSSs and LDTs: the system descriptors that have a limit. */
    private static boolean lslType(int type) {
        return switch (type) {
            case Descriptor.TSS16_AVAILABLE, Descriptor.LDT, Descriptor.TSS16_BUSY, Descriptor.TSS32_AVAILABLE,
                    Descriptor.TSS32_BUSY -> true;
            default -> false;
        };
    }

    private static void setZf(Cpu cpu, boolean set) {
        Flags f = cpu.flags;
        f.materialize();
        f.bits = set ? f.bits | Flags.ZF : f.bits & ~Flags.ZF;
    }
}
