package org.jlguest.cpu;

/**
 * DR0-DR7: stored and read back, with DR6's and DR7's fixed bits. DR4 and DR5 alias DR6 and
 * DR7 (CR4.DE is not supported). Breakpoints are not armed: the CPU raises #DB only for
 * single-stepping (EFLAGS.TF) and INT1.
 */
final class DebugRegisters {
    /** DR6 bits 4-11 and 16-31 read as one, bit 12 as zero. */
    static final int DR6_FIXED = 0xFFFF0FF0;
    private static final int DR6_DEFINED = 0x0000E00F;
    /** DR6.BS: the #DB was a single step. */
    static final int DR6_SINGLE_STEP = 1 << 14;
    /** DR7 bit 10 reads as one, bits 11, 12, 14 and 15 as zero. */
    static final int DR7_FIXED = 0x400;
    private static final int DR7_DEFINED = 0xFFFF23FF;

    private DebugRegisters() {
    }

    static int read(Cpu cpu, int index) {
        return cpu.sys.dr[alias(index)];
    }

    static void write(Cpu cpu, int index, int value) {
        int r = alias(index);
        cpu.sys.dr[r] = switch (r) {
            case 6 -> (value & DR6_DEFINED) | DR6_FIXED;
            case 7 -> (value & DR7_DEFINED) | DR7_FIXED;
            default -> value;
        };
    }

    private static int alias(int index) {
        return index == 4 || index == 5 ? index + 2 : index;
    }
}
