package org.jlguest.cpu;

/**
 * Flag instructions (CLC, STC, CMC, CLD, STD, LAHF, SAHF, SALC), the NOP forms, and the two
 * identification instructions user code may run: CPUID and RDTSC.
 */
final class FlagOps {
    /** LAHF/SAHF move SF, ZF, AF, PF and CF (bit 1 reads as one). */
    private static final int AH_FLAGS = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;

    private FlagOps() {
    }

    static void execute(Cpu cpu, Insn in) {
        Flags f = cpu.flags;
        switch (in.op) {
            case 0xF5 -> f.setCf(!f.cf());
            case 0xF8 -> f.setCf(false);
            case 0xF9 -> f.setCf(true);
            case 0xFC -> f.bits &= ~Flags.DF;
            case 0xFD -> f.bits |= Flags.DF;
            case 0x9F -> cpu.writeReg(4, 0, (f.eflags() & AH_FLAGS) | Flags.FIXED_ONE);
            case 0x9E -> {
                f.materialize();
                f.bits = (f.bits & ~AH_FLAGS) | (cpu.readReg(4, 0) & AH_FLAGS);
            }
            case 0xD6 -> cpu.writeReg(Cpu.EAX, 0, f.cf() ? 0xFF : 0);
            case 0x1A2 -> cpuid(cpu);
            case 0x131 -> rdtsc(cpu);
            default -> {
                // 90 and 0F 18-1F: no operation (the memory operand of the hint forms is not accessed).
            }
        }
    }

    private static void cpuid(Cpu cpu) {
        int[] out = cpu.cpuidResult;
        cpu.features.cpuid(cpu.reg[Cpu.EAX], out);
        cpu.reg[Cpu.EAX] = out[0];
        cpu.reg[Cpu.EBX] = out[1];
        cpu.reg[Cpu.ECX] = out[2];
        cpu.reg[Cpu.EDX] = out[3];
    }

    /** RDTSC; CR4.TSD makes it privileged. */
    private static void rdtsc(Cpu cpu) {
        if ((cpu.cr4 & 0x4) != 0 && cpu.cpl != 0) {
            throw cpu.gp(0);
        }
        long t = cpu.readTsc();
        cpu.reg[Cpu.EAX] = (int) t;
        cpu.reg[Cpu.EDX] = (int) (t >>> 32);
    }
}
