package org.jlguest.cpu;

/**
 * IN, OUT, INS and OUTS through {@link IoPorts}.
 *
 * <p>In protected mode an access at CPL &gt; IOPL, and any access in virtual-8086 mode, is
 * allowed only for ports the TSS I/O permission bitmap grants ({@link TaskState#ioPermitted});
 * anything else raises #GP(0). A task register never loaded (selector 0, as a hypervisor that
 * keeps its own TSS leaves it) has no bitmap, so every such access of its guest traps and the
 * hypervisor emulates it.
 *
 * <p>INS stores to ES:(E)DI (no override), OUTS reads from DS:(E)SI (any override); the address
 * size picks the 16- or 32-bit index and count registers, DF the direction. With REP each
 * element updates the registers before the next begins, so a fault part way leaves the count and
 * index naming the element that faulted and the restarted instruction carries on from there.
 * INS checks that its store can succeed before it reads the port, so a page fault does not lose
 * the data a device handed over.
 */
final class PortIo {
    private PortIo() {
    }

    static void execute(Cpu cpu, Insn in) {
        if (cpu.isProtectedMode()) {
            checkPermission(cpu, in);
        }
        switch (in.op) {
            case 0xE4, 0xE5 -> cpu.writeReg(Cpu.EAX, in.size, cpu.io.in(in.imm, in.size));
            case 0xE6, 0xE7 -> cpu.io.out(in.imm, in.size, cpu.readReg(Cpu.EAX, in.size));
            case 0xEC, 0xED -> cpu.writeReg(Cpu.EAX, in.size, cpu.io.in(port(cpu), in.size));
            case 0xEE, 0xEF -> cpu.io.out(port(cpu), in.size, cpu.readReg(Cpu.EAX, in.size));
            case 0x6C, 0x6D -> inString(cpu, in);
            default -> outString(cpu, in);
        }
    }

    private static int port(Cpu cpu) {
        return cpu.reg[Cpu.EDX] & 0xFFFF;
    }

    /**
     * At CPL &gt; IOPL, and always in virtual-8086 mode, every byte the access touches must be
     * granted by the TSS I/O permission bitmap, else #GP(0).
     */
    private static void checkPermission(Cpu cpu, Insn in) {
        int flags = cpu.flags.bits;
        if (cpu.cpl <= (flags & Flags.IOPL) >>> 12 && (flags & Flags.VM) == 0) {
            return;
        }
        int op = in.op;
        int port = op >= 0xE4 && op <= 0xE7 ? in.imm & 0xFF : port(cpu);
        int size = op >= 0x6C && op <= 0x6F ? elementSize(in) : in.size;
        if (!TaskState.ioPermitted(cpu, port, 1 << size)) {
            throw cpu.gp(0);
        }
    }

    /** INSB and OUTSB (even opcodes) move bytes; the table gives their size no byte operand to read. */
    private static int elementSize(Insn in) {
        return (in.op & 1) == 0 ? 0 : in.size;
    }

    private static void inString(Cpu cpu, Insn in) {
        int size = elementSize(in);
        int bytes = 1 << size;
        int step = cpu.flags.df() ? -bytes : bytes;
        int port = port(cpu);
        while (in.rep == 0 || count(cpu, in) != 0) {
            int di = index(cpu, in, Cpu.EDI);
            int linear = cpu.linear(Cpu.ES, di, bytes, true);
            cpu.mmu.probeWrite(linear, bytes);
            cpu.writeMem(linear, size, cpu.io.in(port, size));
            advance(cpu, in, Cpu.EDI, di + step);
            if (in.rep == 0) {
                return;
            }
            countDown(cpu, in);
        }
    }

    private static void outString(Cpu cpu, Insn in) {
        int size = elementSize(in);
        int bytes = 1 << size;
        int step = cpu.flags.df() ? -bytes : bytes;
        int port = port(cpu);
        while (in.rep == 0 || count(cpu, in) != 0) {
            int si = index(cpu, in, Cpu.ESI);
            int value = cpu.readMem(cpu.linear(in.seg, si, bytes, false), size);
            cpu.io.out(port, size, value);
            advance(cpu, in, Cpu.ESI, si + step);
            if (in.rep == 0) {
                return;
            }
            countDown(cpu, in);
        }
    }

    private static int index(Cpu cpu, Insn in, int r) {
        return in.a16 ? cpu.reg[r] & 0xFFFF : cpu.reg[r];
    }

    private static void advance(Cpu cpu, Insn in, int r, int value) {
        if (in.a16) {
            cpu.writeReg(r, 1, value);
        } else {
            cpu.reg[r] = value;
        }
    }

    private static int count(Cpu cpu, Insn in) {
        return index(cpu, in, Cpu.ECX);
    }

    private static void countDown(Cpu cpu, Insn in) {
        advance(cpu, in, Cpu.ECX, count(cpu, in) - 1);
    }
}
