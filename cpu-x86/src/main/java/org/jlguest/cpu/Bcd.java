package org.jlguest.cpu;

/**
 * Decimal adjustments: DAA and DAS for packed BCD in AL, AAA, AAS, AAM and AAD for unpacked BCD
 * in AX.
 *
 * <p>Results and defined flags follow the SDM's pseudo-code. Flags it leaves undefined are those
 * of the AMD processors jlguest is checked against, which behave as if each instruction were the
 * plain addition or subtraction it performs: DAA/DAS set OF from adding/subtracting the total
 * adjustment to AL; AAA/AAS take SF, ZF, PF and OF from the 16-bit AX plus or minus 0x106 (or 0)
 * before AL is masked; AAD's flags are those of the byte addition AL + AH * base; AAM clears OF,
 * AF and CF.
 */
final class Bcd {
    private Bcd() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.op) {
            case 0x27 -> daa(cpu);
            case 0x2F -> das(cpu);
            case 0x37 -> aaa(cpu);
            case 0x3F -> aas(cpu);
            case 0xD4 -> aam(cpu, in.imm);
            default -> aad(cpu, in.imm);
        }
    }

    private static void daa(Cpu cpu) {
        Flags f = cpu.flags;
        int old = cpu.reg[Cpu.EAX] & 0xFF;
        int adjust = 0;
        int out = 0;
        if ((old & 0x0F) > 9 || f.af()) {
            adjust = 0x06;
            out = Flags.AF;
        }
        if (old > 0x99 || f.cf()) {
            adjust |= 0x60;
            out |= Flags.CF;
        }
        int al = (old + adjust) & 0xFF;
        cpu.writeReg(Cpu.EAX, 0, al);
        int overflow = (~old & al & 0x80) != 0 ? Flags.OF : 0;
        f.setArithmetic(out | overflow | Flags.zsp(al, 0));
    }

    /** Unlike DAA, a borrow out of the low-digit step survives into CF. */
    private static void das(Cpu cpu) {
        Flags f = cpu.flags;
        int old = cpu.reg[Cpu.EAX] & 0xFF;
        int adjust = 0;
        int out = 0;
        if ((old & 0x0F) > 9 || f.af()) {
            adjust = 0x06;
            out = old < 6 ? Flags.AF | Flags.CF : Flags.AF;
        }
        if (old > 0x99 || f.cf()) {
            adjust |= 0x60;
            out |= Flags.CF;
        }
        int al = (old - adjust) & 0xFF;
        cpu.writeReg(Cpu.EAX, 0, al);
        int overflow = (old & ~al & 0x80) != 0 ? Flags.OF : 0;
        f.setArithmetic(out | overflow | Flags.zsp(al, 0));
    }

    private static void aaa(Cpu cpu) {
        int ax = cpu.reg[Cpu.EAX] & 0xFFFF;
        boolean adjust = (ax & 0x0F) > 9 || cpu.flags.af();
        int sum = ax + (adjust ? 0x106 : 0);
        unpackedResult(cpu, sum, (~ax & sum & 0x8000) != 0, adjust);
    }

    private static void aas(Cpu cpu) {
        int ax = cpu.reg[Cpu.EAX] & 0xFFFF;
        boolean adjust = (ax & 0x0F) > 9 || cpu.flags.af();
        int difference = ax - (adjust ? 0x106 : 0);
        unpackedResult(cpu, difference, (ax & ~difference & 0x8000) != 0, adjust);
    }

    /** AAA/AAS: AX = the adjusted value with AL's high digit cleared; AF = CF = adjusted. */
    private static void unpackedResult(Cpu cpu, int ax, boolean overflow, boolean adjust) {
        cpu.writeReg(Cpu.EAX, 1, ax & 0xFF0F);
        cpu.flags.setArithmetic(Flags.zsp(ax, 1) | (overflow ? Flags.OF : 0)
                | (adjust ? Flags.AF | Flags.CF : 0));
    }

    /** AH = AL / base, AL = AL mod base. */
    private static void aam(Cpu cpu, int base) {
        if (base == 0) {
            throw cpu.divideError();
        }
        int al = cpu.reg[Cpu.EAX] & 0xFF;
        int result = al % base;
        cpu.writeReg(Cpu.EAX, 1, (al / base) << 8 | result);
        cpu.flags.setLogic(0, result);
    }

    /** AL = AL + AH * base, AH = 0. */
    private static void aad(Cpu cpu, int base) {
        int ax = cpu.reg[Cpu.EAX];
        int al = ax & 0xFF;
        int product = ((ax >>> 8) & 0xFF) * base;
        int result = al + product;
        cpu.writeReg(Cpu.EAX, 1, result & 0xFF);
        cpu.flags.set(Flags.ADD, 0, result, al, product);
    }
}
