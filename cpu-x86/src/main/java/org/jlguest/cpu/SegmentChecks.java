package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * The checks an access through a segment register makes beyond adding the base (SDM vol. 3,
 * 5.3 and 5.4): the limit, expand-down segments, writes to code or read-only data, reads of
 * execute-only code, and use of a null selector. Only segments that {@link #needsChecks} come
 * here; a flat writable data segment never does.
 *
 * <p>A failing access through SS raises #SS(0), any other #GP(0).
 */
final class SegmentChecks {
    private SegmentChecks() {
    }

    /** Whether accesses through a segment with these attributes and limit need checking. */
    static boolean needsChecks(int attr, int limit) {
        int flat = Descriptor.PRESENT | Descriptor.SEGMENT | Descriptor.WRITABLE_OR_READABLE;
        int relevant = flat | Descriptor.CODE | Descriptor.EXPAND_DOWN_OR_CONFORMING;
        return (attr & relevant) != flat || limit != 0xFFFFFFFF;
    }

    static void check(Cpu cpu, int seg, int offset, int bytes, boolean write) {
        if (!allows(cpu.segAttr[seg], cpu.segLimit[seg], offset, bytes, write)) {
            throw cpu.fault.raise(seg == Cpu.SS ? Fault.SS : Fault.GP, 0);
        }
    }

    /** Whether a segment with these attributes and limit allows the access. */
    static boolean allows(int attr, int limit, int offset, int bytes, boolean write) {
        return (attr & Descriptor.PRESENT) != 0 && permits(attr, write) && within(attr, limit, offset, bytes);
    }

    private static boolean permits(int attr, boolean write) {
        boolean rw = (attr & Descriptor.WRITABLE_OR_READABLE) != 0;
        if (Descriptor.isCode(attr)) {
            return !write && rw;
        }
        return !write || rw;
    }

    private static boolean within(int attr, int limit, int offset, int bytes) {
        long first = Integer.toUnsignedLong(offset);
        long last = first + bytes - 1;
        boolean expandDown = !Descriptor.isCode(attr) && (attr & Descriptor.EXPAND_DOWN_OR_CONFORMING) != 0;
        if (expandDown) {
            long upper = (attr & Descriptor.BIG) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
            return first > Integer.toUnsignedLong(limit) && last <= upper;
        }
        return last <= Integer.toUnsignedLong(limit);
    }
}
