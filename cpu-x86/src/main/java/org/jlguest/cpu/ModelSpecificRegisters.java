package org.jlguest.cpu;

/**
 * RDMSR and WRMSR with the MSR index in ECX and the value in EDX:EAX. The only MSR is
 * IA32_TIME_STAMP_COUNTER (0x10), the one CPUID's MSR bit promises; every other index is
 * #GP(0), which is how a guest probes for an MSR it does not know is there.
 */
final class ModelSpecificRegisters {
    private static final int TIME_STAMP_COUNTER = 0x10;

    private ModelSpecificRegisters() {
    }

    static void read(Cpu cpu) {
        if (cpu.reg[Cpu.ECX] != TIME_STAMP_COUNTER) {
            throw cpu.gp(0);
        }
        long value = cpu.readTsc();
        cpu.reg[Cpu.EAX] = (int) value;
        cpu.reg[Cpu.EDX] = (int) (value >>> 32);
    }

    static void write(Cpu cpu) {
        if (cpu.reg[Cpu.ECX] != TIME_STAMP_COUNTER) {
            throw cpu.gp(0);
        }
        long value = Integer.toUnsignedLong(cpu.reg[Cpu.EAX]) | (long) cpu.reg[Cpu.EDX] << 32;
        cpu.sys.tscOffset += value - cpu.readTsc();
    }
}
