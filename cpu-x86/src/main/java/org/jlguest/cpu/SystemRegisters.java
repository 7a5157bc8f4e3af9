package org.jlguest.cpu;

/**
 * The registers that locate the system tables (GDTR, IDTR, LDTR and TR with their descriptor
 * caches), the debug registers and the one writable model-specific register.
 */
final class SystemRegisters {
    int gdtBase;
    int gdtLimit;
    int idtBase;
    int idtLimit;

    int ldtSelector;
    int ldtBase;
    int ldtLimit;

    int trSelector;
    int trBase;
    int trLimit;
    /** The TSS descriptor's attributes; bit 3 of the type tells a 32-bit TSS from a 16-bit one. */
    int trAttr;

    /** DR0-DR7 (DR4 and DR5 are never stored: they alias DR6 and DR7). */
    final int[] dr = new int[8];

    /** What WRMSR to IA32_TIME_STAMP_COUNTER added to the clock. */
    long tscOffset;

    /** The power-on values (SDM vol. 3, table 9-1). */
    void reset() {
        gdtBase = 0;
        gdtLimit = 0xFFFF;
        idtBase = 0;
        idtLimit = 0xFFFF;
        ldtSelector = 0;
        ldtBase = 0;
        ldtLimit = 0xFFFF;
        trSelector = 0;
        trBase = 0;
        trLimit = 0xFFFF;
        trAttr = 0x8B;
        java.util.Arrays.fill(dr, 0);
        dr[6] = DebugRegisters.DR6_FIXED;
        dr[7] = DebugRegisters.DR7_FIXED;
        tscOffset = 0;
    }
}
