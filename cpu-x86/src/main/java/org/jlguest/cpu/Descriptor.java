package org.jlguest.cpu;

/**
 * Segment and gate descriptors, decoded from the 64-bit value a descriptor table holds (low dword
 * in the low half), and the attribute word segment caches keep: bits 8-23 of the high dword, that
 * is type (0-3), S (4), DPL (5-6), P (7), AVL (12), D/B (14) and G (15).
 */
final class Descriptor {
    /** Attribute bits. */
    static final int ACCESSED = 0x1, WRITABLE_OR_READABLE = 0x2, EXPAND_DOWN_OR_CONFORMING = 0x4, CODE = 0x8,
            SEGMENT = 0x10, PRESENT = 0x80, BIG = 0x4000, GRANULAR = 0x8000;

    /** System descriptor types (S = 0). */
    static final int TSS16_AVAILABLE = 0x1, LDT = 0x2, TSS16_BUSY = 0x3, CALL_GATE16 = 0x4, TASK_GATE = 0x5,
            INTERRUPT_GATE16 = 0x6, TRAP_GATE16 = 0x7, TSS32_AVAILABLE = 0x9, TSS32_BUSY = 0xB,
            CALL_GATE32 = 0xC, INTERRUPT_GATE32 = 0xE, TRAP_GATE32 = 0xF;

    private Descriptor() {
    }

    static int high(long d) {
        return (int) (d >>> 32);
    }

    static int base(long d) {
        int hi = high(d);
        return ((int) d >>> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000);
    }

    /** The limit in bytes: with G set the 20-bit limit counts 4 KiB pages. */
    static int limit(long d) {
        int raw = ((int) d & 0xFFFF) | (high(d) & 0xF0000);
        return (high(d) & 0x800000) != 0 ? raw << 12 | 0xFFF : raw;
    }

    static int attr(long d) {
        return (high(d) >>> 8) & 0xF0FF;
    }

    static int type(long d) {
        return (high(d) >>> 8) & 0xF;
    }

    static int dpl(long d) {
        return (high(d) >>> 13) & 3;
    }

    static boolean present(long d) {
        return (high(d) & 0x8000) != 0;
    }

    static boolean isSegment(long d) {
        return (high(d) & 0x1000) != 0;
    }

    static boolean isCode(long d) {
        return isCode(attr(d));
    }

    static boolean isConforming(long d) {
        return isCode(d) && (type(d) & EXPAND_DOWN_OR_CONFORMING) != 0;
    }

    /** Code that may be read, or any data segment. */
    static boolean isReadable(long d) {
        return isSegment(d) && (!isCode(d) || (type(d) & WRITABLE_OR_READABLE) != 0);
    }

    static boolean isWritableData(long d) {
        return isSegment(d) && !isCode(d) && (type(d) & WRITABLE_OR_READABLE) != 0;
    }

    static boolean isCode(int attr) {
        return (attr & (SEGMENT | CODE)) == (SEGMENT | CODE);
    }

    // ---- gates ------------------------------------------------------------------------------

    static int gateSelector(long d) {
        return (int) d >>> 16;
    }

    static int gateOffset(long d) {
        return ((int) d & 0xFFFF) | (high(d) & 0xFFFF0000);
    }

    /** A call gate's parameter count: words or dwords copied to the inner stack. */
    static int gateParameters(long d) {
        return high(d) & 0x1F;
    }

    /** Whether a gate or TSS type is the 32-bit form (bit 3 of the type). */
    static boolean is32(int type) {
        return (type & 0x8) != 0;
    }
}
