package org.jlguest.cpu;

/**
 * Segment register moves: MOV Sreg,r/m and MOV r/m,Sreg, PUSH and POP of segment registers, and
 * the far-pointer loads LDS, LES, LSS, LFS and LGS. The loads themselves, with their protection
 * checks, are {@link SegmentLoader}'s.
 *
 * <p>PUSH Sreg with a 32-bit operand size writes a zero-extended dword. Intel processors since
 * the Pentium Pro write only the low word and leave the upper two bytes as they were (AMD and
 * QEMU write the dword); both move ESP by four, and software that pops the slot into a segment
 * register cannot tell them apart. The zero-extended dword is the deterministic choice.
 *
 * <p>Loading SS (MOV, POP, but not LSS) holds interrupts off for one instruction, so a following
 * MOV ESP completes the stack switch before anything can use the stack.
 */
final class Segments {
    private Segments() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0x8C -> storeSegment(cpu, in);
            case 0x8E -> moveToSegment(cpu, in);
            case 0x06 -> push(cpu, in, Cpu.ES);
            case 0x0E -> push(cpu, in, Cpu.CS);
            case 0x16 -> push(cpu, in, Cpu.SS);
            case 0x1E -> push(cpu, in, Cpu.DS);
            case 0x1A0 -> push(cpu, in, Cpu.FS);
            case 0x1A8 -> push(cpu, in, Cpu.GS);
            case 0x07 -> pop(cpu, in, Cpu.ES);
            case 0x17 -> pop(cpu, in, Cpu.SS);
            case 0x1F -> pop(cpu, in, Cpu.DS);
            case 0x1A1 -> pop(cpu, in, Cpu.FS);
            case 0x1A9 -> pop(cpu, in, Cpu.GS);
            case 0xC4 -> loadFarPointer(cpu, in, Cpu.ES);
            case 0xC5 -> loadFarPointer(cpu, in, Cpu.DS);
            case 0x1B2 -> loadFarPointer(cpu, in, Cpu.SS);
            case 0x1B4 -> loadFarPointer(cpu, in, Cpu.FS);
            case 0x1B5 -> loadFarPointer(cpu, in, Cpu.GS);
            default -> throw cpu.ud();
        }
    }

    /** MOV r/m16,Sreg: a memory destination is always a word; a register one is zero-extended at o32. */
    private static void storeSegment(Cpu cpu, Insn in) {
        if (in.reg > Cpu.GS) {
            throw cpu.ud();
        }
        int selector = cpu.segSel[in.reg];
        if (in.mod == 3) {
            cpu.writeReg(in.rm, in.size, selector);
        } else {
            cpu.writeRm(in, 1, selector);
        }
    }

    /** MOV Sreg,r/m16: CS cannot be the destination (#UD), nor can a nonexistent register. */
    private static void moveToSegment(Cpu cpu, Insn in) {
        if (in.reg == Cpu.CS || in.reg > Cpu.GS) {
            throw cpu.ud();
        }
        SegmentLoader.load(cpu, in.reg, cpu.readRm(in, 1));
        if (in.reg == Cpu.SS) {
            holdInterrupts(cpu);
        }
    }

    private static void push(Cpu cpu, Insn in, int seg) {
        cpu.push(cpu.segSel[seg], in.size);
    }

    /** POP Sreg: the load can fault, so ESP moves only after it succeeded. */
    private static void pop(Cpu cpu, Insn in, int seg) {
        boolean stack32 = cpu.stack32;
        int next = cpu.sp() + (in.size == 1 ? 2 : 4);
        int selector = cpu.peek(1, 0);
        SegmentLoader.load(cpu, seg, selector);
        cpu.reg[Cpu.ESP] = stack32 ? next : (cpu.reg[Cpu.ESP] & 0xFFFF0000) | (next & 0xFFFF);
        if (seg == Cpu.SS) {
            holdInterrupts(cpu);
        }
    }

    /** LDS, LES, LSS, LFS, LGS: offset then selector in memory; the register changes last. */
    private static void loadFarPointer(Cpu cpu, Insn in, int seg) {
        int bytes = in.size == 1 ? 2 : 4;
        int linear = cpu.linear(in, bytes + 2, false);
        int offset = cpu.readMem(linear, in.size);
        int selector = cpu.readMem(linear + bytes, 1);
        SegmentLoader.load(cpu, seg, selector);
        cpu.writeReg(in.reg, in.size, offset);
    }

    private static void holdInterrupts(Cpu cpu) {
        cpu.interruptShadow = true;
        cpu.breakBlock = true;
    }
}
