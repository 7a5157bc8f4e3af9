package org.jlguest.host;

import org.jlguest.cpu.Cpu;

/**
 * LHREQ_GETREG/SETREG: byte offsets into i386 {@code struct pt_regs}, mapped onto the vCPU's
 * registers. The Launcher may read every register but set only the general ones, EIP and ESP
 * (what emulating an instruction needs); anything else is -ENOENT.
 */
final class Registers {
    private static final int EIP = 100, EFLAGS = 101, SEGMENT = 200;

    private Registers() {
    }

    /** The register at {@code offset}, as a code for {@link #get}; -1 if none. */
    static int lookup(int offset) {
        return switch (offset) {
            case 0 -> Cpu.EBX;
            case 4 -> Cpu.ECX;
            case 8 -> Cpu.EDX;
            case 12 -> Cpu.ESI;
            case 16 -> Cpu.EDI;
            case 20 -> Cpu.EBP;
            case 24 -> Cpu.EAX;
            case 28 -> SEGMENT + Cpu.DS;
            case 32 -> SEGMENT + Cpu.ES;
            case 36 -> SEGMENT + Cpu.FS;
            case 40 -> SEGMENT + Cpu.GS;
            case 48 -> EIP;
            case 52 -> SEGMENT + Cpu.CS;
            case 56 -> EFLAGS;
            case 60 -> Cpu.ESP;
            case 64 -> SEGMENT + Cpu.SS;
            default -> -1;
        };
    }

    static boolean settable(int code) {
        return code >= 0 && (code < 8 || code == EIP);
    }

    static int get(Cpu cpu, int code) {
        if (code < 8) {
            return cpu.getReg(code);
        }
        if (code == EIP) {
            return cpu.getEip();
        }
        if (code == EFLAGS) {
            return cpu.getEflags();
        }
        return cpu.getSegmentSelector(code - SEGMENT);
    }

    static void set(Cpu cpu, int code, int value) {
        if (code == EIP) {
            cpu.setEip(value);
        } else {
            cpu.setReg(code, value);
        }
    }
}
