package org.jlguest.cpu;

/**
 * CR0, CR2, CR3 and CR4 (SDM vol. 3, 2.5). CR0 keeps only the bits an i686 defines (PE, MP, EM,
 * TS, NE, WP, AM, NW, CD, PG; ET reads as one); PG without PE, or NW without CD, is #GP(0).
 * CR4 accepts TSD, PSE and PGE, the features CPUID advertises; any other bit is #GP(0). Paging
 * changes reach the MMU at once, and every write ends the decoded block, since the next
 * instruction may be fetched through different translations or decoded for another mode.
 */
final class ControlRegisters {
    static final int PE = 1, MP = 1 << 1, EM = 1 << 2, TS = 1 << 3, ET = 1 << 4, NE = 1 << 5, WP = 1 << 16,
            AM = 1 << 18, NW = 1 << 29, CD = 1 << 30, PG = 1 << 31;
    private static final int CR0_DEFINED = PE | MP | EM | TS | ET | NE | WP | AM | NW | CD | PG;
    static final int TSD = 1 << 2, PSE = 1 << 4, PGE = 1 << 7;
    private static final int CR4_DEFINED = TSD | PSE | PGE;
    /** CR3 keeps the page directory base, PCD and PWT. */
    private static final int CR3_DEFINED = 0xFFFFF018;

    private ControlRegisters() {
    }

    static int read(Cpu cpu, int index) {
        return switch (index) {
            case 0 -> cpu.cr0;
            case 2 -> cpu.cr2;
            case 3 -> cpu.mmu.cr3();
            case 4 -> cpu.cr4;
            default -> throw cpu.ud();
        };
    }

    static void write(Cpu cpu, int index, int value) {
        switch (index) {
            case 0 -> writeCr0(cpu, value);
            case 2 -> cpu.cr2 = value;
            case 3 -> cpu.mmu.setCr3(value & CR3_DEFINED);
            case 4 -> writeCr4(cpu, value);
            default -> throw cpu.ud();
        }
        cpu.breakBlock = true;
    }

    static void writeCr0(Cpu cpu, int value) {
        int cr0 = (value & CR0_DEFINED) | ET;
        if (((cr0 & PG) != 0 && (cr0 & PE) == 0) || ((cr0 & NW) != 0 && (cr0 & CD) == 0)) {
            throw cpu.gp(0);
        }
        cpu.cr0 = cr0;
        pagingChanged(cpu);
        cpu.breakBlock = true;
    }

    private static void writeCr4(Cpu cpu, int value) {
        if ((value & ~CR4_DEFINED) != 0) {
            throw cpu.gp(0);
        }
        cpu.cr4 = value;
        pagingChanged(cpu);
    }

    private static void pagingChanged(Cpu cpu) {
        cpu.mmu.setPagingMode((cpu.cr0 & PG) != 0, (cpu.cr0 & WP) != 0, (cpu.cr4 & PSE) != 0, (cpu.cr4 & PGE) != 0);
    }

    /** LMSW: loads PE, MP, EM and TS from the low bits of the operand, but cannot clear PE. */
    static void loadMachineStatus(Cpu cpu, int value) {
        writeCr0(cpu, (cpu.cr0 & ~(MP | EM | TS)) | (value & (PE | MP | EM | TS)));
    }

    /** CLTS. */
    static void clearTaskSwitched(Cpu cpu) {
        cpu.cr0 &= ~TS;
    }
}
