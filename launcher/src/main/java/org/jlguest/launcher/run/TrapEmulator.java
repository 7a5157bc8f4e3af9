package org.jlguest.launcher.run;

import java.util.List;
import org.jlguest.cpu.Decoder;
import org.jlguest.cpu.Insn;
import org.jlguest.host.Request.Register;
import org.jlguest.launcher.bus.MmioBus;

/**
 * Finishes, on the Guest's behalf, the instructions a virtio-PCI Host hands to the Launcher
 * (§10.2): port I/O that trapped as #GP(0), and moves to and from device registers that trapped
 * as a page fault in the device window. Each method returns false when the instruction is not
 * one it emulates, so the Launcher gives the trap back to the Guest.
 *
 * <p>Instructions are decoded by the interpreter's own {@link Decoder}, so every ModRM, SIB and
 * displacement form has its true length (the reference Launcher's length rule is wrong for
 * SIB and disp32 forms and only works for the forms Linux's accessors happen to compile to).
 */
final class TrapEmulator {
    private static final int CLI = 0xFA;
    private static final int IN_IMM8 = 0xE4;
    private static final int IN_IMM32 = 0xE5;
    private static final int OUT_IMM8 = 0xE6;
    private static final int OUT_IMM32 = 0xE7;
    private static final int IN_DX8 = 0xEC;
    private static final int IN_DX32 = 0xED;
    private static final int OUT_DX8 = 0xEE;
    private static final int OUT_DX32 = 0xEF;
    private static final int MOV_STORE8 = 0x88;
    private static final int MOV_STORE = 0x89;
    private static final int MOV_LOAD8 = 0x8A;
    private static final int MOV_LOAD = 0x8B;

    private final Decoder decoder = new Decoder();
    private final Insn insn = new Insn();
    private final Ports ports;
    private final List<MmioBus> mmio;
    private final LauncherCounters counters;

    TrapEmulator(Ports ports, List<MmioBus> mmio, LauncherCounters counters) {
        this.ports = ports;
        this.mmio = List.copyOf(mmio);
        this.counters = counters;
    }

    /** Trap 13: {@code cli}, {@code in} or {@code out}, from the Guest kernel (CS RPL 1) only. */
    boolean portIo(byte[] bytes, GuestRegisters regs) {
        if ((regs.get(Register.CS) & 3) != 1) {
            return false;
        }
        decoder.decode(insn, bytes, true);
        int op = insn.op();
        switch (op) {
            case CLI -> {
            }
            case IN_IMM8, IN_IMM32, IN_DX8, IN_DX32 -> {
                int size = width(insn);
                int value = ports.in(port(op, regs), size);
                counters.countPort(false);
                int mask = mask(size);
                regs.set(Register.EAX, regs.get(Register.EAX) & ~mask | value & mask);
            }
            case OUT_IMM8, OUT_IMM32, OUT_DX8, OUT_DX32 -> {
                int size = width(insn);
                counters.countPort(true);
                if (!ports.out(port(op, regs), size, regs.get(Register.EAX) & mask(size))) {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        step(regs);
        return true;
    }

    /** Trap 14: a MOV between a register and the device register at {@code address}. */
    boolean mmio(byte[] bytes, int address, GuestRegisters regs) {
        MmioBus bus = null;
        for (MmioBus b : mmio) {
            if (b.claims(address)) {
                bus = b;
                break;
            }
        }
        if (bus == null) {
            return false;
        }
        decoder.decode(insn, bytes, true);
        int op = insn.op();
        if (op < MOV_STORE8 || op > MOV_LOAD || !insn.hasMemoryOperand()) {
            return false;
        }
        int size = width(insn);
        boolean byteForm = size == 1;
        int reg = insn.reg();
        Register register = Register.general(byteForm ? reg & 3 : reg);
        int shift = byteForm && reg >= 4 ? 8 : 0;
        if (op == MOV_STORE8 || op == MOV_STORE) {
            bus.write(address, size, (regs.get(register) >>> shift) & mask(size));
            counters.countMmio(true);
        } else {
            int value = bus.read(address, size) & mask(size);
            int mask = mask(size) << shift;
            regs.set(register, regs.get(register) & ~mask | value << shift);
            counters.countMmio(false);
        }
        step(regs);
        return true;
    }

    private void step(GuestRegisters regs) {
        regs.set(Register.EIP, regs.get(Register.EIP) + insn.length());
    }

    private int port(int op, GuestRegisters regs) {
        boolean viaDx = op >= IN_DX8;
        return viaDx ? regs.get(Register.EDX) & 0xFFFF : insn.imm() & 0xFF;
    }

    /** Bytes moved: the decoder's operand size (8, 16 with 0x66, else 32 bits). */
    private static int width(Insn insn) {
        return 1 << insn.size();
    }

    private static int mask(int size) {
        return size == 4 ? -1 : (1 << (size * 8)) - 1;
    }
}
