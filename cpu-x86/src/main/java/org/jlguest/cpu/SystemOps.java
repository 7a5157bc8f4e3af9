package org.jlguest.cpu;

/**
 * The system instructions: control, debug and model-specific registers, the descriptor-table
 * registers, HLT, CLI/STI, the cache and TLB controls, and the segment queries (LAR, LSL, VERR,
 * VERW, ARPL).
 *
 * <p>Everything that changes how the machine runs is privileged: at CPL &gt; 0 it raises #GP(0)
 * (in real-address mode CPL is 0). CLI and STI instead ask CPL &lt;= IOPL, as there is no
 * virtual-interrupt extension (CR4.VME and PVI stay clear).
 */
final class SystemOps {
    private SystemOps() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0xF4 -> halt(cpu);
            case 0xFA -> clearInterrupts(cpu);
            case 0xFB -> setInterrupts(cpu);
            case 0x100 -> TableRegisters.localAndTask(cpu, in);
            case 0x101 -> group7(cpu, in);
            case 0x63, 0x102, 0x103 -> SegmentInfo.execute(cpu, in);
            case 0x106 -> {
                privileged(cpu);
                ControlRegisters.clearTaskSwitched(cpu);
            }
            case 0x108, 0x109 -> privileged(cpu);
            case 0x120 -> {
                privileged(cpu);
                cpu.reg[in.rm] = ControlRegisters.read(cpu, in.reg);
            }
            case 0x122 -> {
                privileged(cpu);
                ControlRegisters.write(cpu, in.reg, cpu.reg[in.rm]);
            }
            case 0x121 -> {
                privileged(cpu);
                cpu.reg[in.rm] = DebugRegisters.read(cpu, in.reg);
            }
            case 0x123 -> {
                privileged(cpu);
                DebugRegisters.write(cpu, in.reg, cpu.reg[in.rm]);
            }
            case 0x130 -> {
                privileged(cpu);
                ModelSpecificRegisters.write(cpu);
            }
            case 0x132 -> {
                privileged(cpu);
                ModelSpecificRegisters.read(cpu);
            }
            default -> throw cpu.ud();
        }
    }

    /** 0F 01: SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG. */
    private static void group7(Cpu cpu, Insn in) {
        switch (in.reg) {
            case 0, 1, 2, 3 -> TableRegisters.globalAndInterrupt(cpu, in);
            case 4 -> storeMachineStatus(cpu, in);
            case 6 -> {
                privileged(cpu);
                ControlRegisters.loadMachineStatus(cpu, cpu.readRm(in, 1));
            }
            case 7 -> {
                privileged(cpu);
                cpu.mmu.invalidate(cpu.segBase[in.seg] + cpu.ea(in));
                cpu.breakBlock = true;
            }
            default -> throw cpu.ud();
        }
    }

    /** Raises #GP(0) unless CPL is 0. */
    static void privileged(Cpu cpu) {
        if (cpu.cpl != 0) {
            throw cpu.gp(0);
        }
    }

    /** HLT: the CPU stops until an interrupt; the run loop returns to whoever runs it. */
    private static void halt(Cpu cpu) {
        privileged(cpu);
        cpu.halted = true;
        cpu.breakBlock = true;
    }

    /** SMSW: the low word of CR0 to memory; a register at o32 receives all of CR0. */
    private static void storeMachineStatus(Cpu cpu, Insn in) {
        if (in.mod == 3) {
            cpu.writeReg(in.rm, in.size, cpu.cr0);
        } else {
            cpu.writeRm(in, 1, cpu.cr0);
        }
    }

    private static void clearInterrupts(Cpu cpu) {
        checkIopl(cpu);
        cpu.flags.bits &= ~Flags.IF;
    }

    /** STI enables interrupts only after the next instruction, so STI; HLT cannot lose a wakeup. */
    private static void setInterrupts(Cpu cpu) {
        checkIopl(cpu);
        if ((cpu.flags.bits & Flags.IF) == 0) {
            cpu.flags.bits |= Flags.IF;
            cpu.interruptShadow = true;
            cpu.breakBlock = true;
        }
    }

    private static void checkIopl(Cpu cpu) {
        if (cpu.isProtectedMode() && cpu.cpl > (cpu.flags.bits & Flags.IOPL) >>> 12) {
            throw cpu.gp(0);
        }
    }
}
