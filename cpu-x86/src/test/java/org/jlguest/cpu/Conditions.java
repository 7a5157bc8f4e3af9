package org.jlguest.cpu;

/** Jcc's sixteen conditions, written from the SDM's table rather than from the CPU's code. */
final class Conditions {
    private Conditions() {
    }

    /** Whether condition {@code cc} (the low four bits of a Jcc opcode) holds for these flags. */
    static boolean holds(int cc, int flags) {
        boolean cf = (flags & Flags.CF) != 0;
        boolean zf = (flags & Flags.ZF) != 0;
        boolean sf = (flags & Flags.SF) != 0;
        boolean of = (flags & Flags.OF) != 0;
        boolean pf = (flags & Flags.PF) != 0;
        boolean holds = switch (cc >>> 1) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 5 -> pf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return (cc & 1) == 0 ? holds : !holds;
    }
}
