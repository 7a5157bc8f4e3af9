package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * The only part of the task-state segment this CPU uses: the stack pointers for privilege levels
 * 0-2 that an interrupt or a call gate switches to when it enters a more privileged level (SDM
 * vol. 3, 7.2.1). A 32-bit TSS keeps ESPn at 4 + 8n and SSn at 8 + 8n, a 16-bit TSS SPn at
 * 2 + 4n and SSn at 4 + 4n. Task switches are not implemented.
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
}
