package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * The parts of the task-state segment this CPU uses: the stack pointers for privilege levels
 * 0-2 that an interrupt or a call gate switches to when it enters a more privileged level (SDM
 * vol. 3, 7.2.1), and the I/O permission bitmap (vol. 1, 19.5.2). A 32-bit TSS keeps ESPn at
 * 4 + 8n and SSn at 8 + 8n, a 16-bit TSS SPn at 2 + 4n and SSn at 4 + 4n. Task switches are not
 * implemented.
 */
final class TaskState {
    private TaskState() {
    }

    /** The inner stack for {@code cpl}: SS in the high half, ESP in the low half. */
    static long innerStack(Cpu cpu, int cpl, int ext) {
        SystemRegisters s = cpu.sys;
        int error = (s.trSelector & 0xFFFC) | ext;
        int ss;
        int esp;
        if (Descriptor.is32(s.trAttr)) {
            int at = 4 + 8 * cpl;
            if (at + 5 > s.trLimit) {
                throw cpu.fault.raise(Fault.TS, error);
            }
            esp = cpu.readSystem32(s.trBase + at);
            ss = cpu.readSystem16(s.trBase + at + 4);
        } else {
            int at = 2 + 4 * cpl;
            if (at + 3 > s.trLimit) {
                throw cpu.fault.raise(Fault.TS, error);
            }
            esp = cpu.readSystem16(s.trBase + at);
            ss = cpu.readSystem16(s.trBase + at + 2);
        }
        return (long) ss << 32 | Integer.toUnsignedLong(esp);
    }

    /**
     * Whether the I/O permission bitmap grants ports {@code port} to {@code port + bytes - 1}.
     * The bitmap starts at the 16-bit offset stored at 0x66 in a 32-bit TSS; each port is one bit,
     * clear to allow. The processor reads the two bytes holding the first port's bit, so both must
     * lie within the TSS limit (which is why a bitmap ends with an 0xFF byte); a port beyond it, a
     * 16-bit TSS, or a task register that was never loaded grants nothing.
     */
    static boolean ioPermitted(Cpu cpu, int port, int bytes) {
        SystemRegisters s = cpu.sys;
        if ((s.trSelector & 0xFFFC) == 0 || !Descriptor.is32(s.trAttr) || Integer.compareUnsigned(s.trLimit, 0x67) < 0) {
            return false;
        }
        int at = (cpu.readSystem16(s.trBase + 0x66) & 0xFFFF) + (port >>> 3);
        if (Integer.compareUnsigned(at + 1, s.trLimit) > 0) {
            return false;
        }
        int bits = cpu.readSystem16(s.trBase + at) & 0xFFFF;
        int mask = (1 << bytes) - 1;
        return ((bits >>> (port & 7)) & mask) == 0;
    }
}
