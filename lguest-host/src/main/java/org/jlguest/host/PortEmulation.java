package org.jlguest.host;

import org.jlguest.cpu.Cpu;
import org.jlguest.mmu.Fault;

/**
 * The lguest-bus generation's in-Host emulation of the few instructions a Guest kernel may still
 * run that trap with #GP(0) (lguest's {@code emulate_insn}): {@code cli}, and port I/O with no
 * devices behind it (reads return all ones, writes vanish). Only in the Guest kernel (RPL 1).
 */
final class PortEmulation {
    private PortEmulation() {
    }

    /** Emulates the instruction at EIP if it is one of these; false means reflect the #GP. */
    static boolean emulate(Vcpu v) {
        Cpu cpu = v.cpu;
        if ((cpu.getSegmentSelector(Cpu.CS) & 3) != 1) {
            return false;
        }
        int at = cpu.getSegmentBase(Cpu.CS) + cpu.getEip();
        int length;
        int opcode;
        boolean operandPrefix;
        try {
            opcode = v.mmu.fetch8(at);
            operandPrefix = opcode == 0x66;
            if (operandPrefix) {
                opcode = v.mmu.fetch8(at + 1);
            }
        } catch (Fault f) {
            return false;
        }
        int prefix = operandPrefix ? 1 : 0;
        switch (opcode) {
            case 0xFA -> {
                if (operandPrefix) {
                    return false;
                }
                length = 1;
            }
            case 0xE4, 0xE5 -> {
                readAllOnes(cpu, opcode, operandPrefix);
                length = 2 + prefix;
            }
            case 0xEC, 0xED -> {
                readAllOnes(cpu, opcode, operandPrefix);
                length = 1 + prefix;
            }
            case 0xE6, 0xE7 -> length = 2 + prefix;
            case 0xEE, 0xEF -> length = 1 + prefix;
            default -> {
                return false;
            }
        }
        cpu.setEip(cpu.getEip() + length);
        return true;
    }

    private static void readAllOnes(Cpu cpu, int opcode, boolean operandPrefix) {
        int eax = cpu.getReg(Cpu.EAX);
        if ((opcode & 1) == 0) {
            eax |= 0xFF;
        } else if (operandPrefix) {
            eax |= 0xFFFF;
        } else {
            eax = 0xFFFFFFFF;
        }
        cpu.setReg(Cpu.EAX, eax);
    }
}
