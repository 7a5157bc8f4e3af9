package org.jlguest.testdata.oracle;

import static org.jlguest.testdata.oracle.CaseBuilder.EAX;
import static org.jlguest.testdata.oracle.CaseBuilder.EBP;
import static org.jlguest.testdata.oracle.CaseBuilder.EBX;
import static org.jlguest.testdata.oracle.CaseBuilder.ECX;
import static org.jlguest.testdata.oracle.CaseBuilder.EDI;
import static org.jlguest.testdata.oracle.CaseBuilder.EDX;
import static org.jlguest.testdata.oracle.CaseBuilder.ESI;

import java.util.Random;

/**
 * Data movement: exchanges and compare-exchanges, MOV in all its forms, MOVZX/MOVSX,
 * LEA and the addressing modes, the stack, string instructions, and the flag and
 * conversion one-byte instructions.
 */
final class DataCases {

    private DataCases() {
    }

    /** BSWAP XCHG XADD CMPXCHG CMPXCHG8B. */
    static void exchange(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        boolean memory = r.nextBoolean();
        switch (r.nextInt(6)) {
            case 0 -> b.op(0x0F, 0xC8 + Operands.reg(b, 4));
            case 1 -> { // XCHG eAX, r (0x90+r), 16 or 32 bits
                int size = Operands.wordSize(r);
                Operands.prefix(b, size);
                b.op(0x91 + r.nextInt(7));
            }
            case 2 -> {
                int size = Operands.size(r);
                Operands.prefix(b, size);
                b.op(size == 1 ? 0x86 : 0x87);
                Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
            }
            case 3 -> {
                int size = Operands.size(r);
                if (memory && r.nextInt(3) == 0) b.op(0xF0);
                Operands.prefix(b, size);
                b.op(0x0F, size == 1 ? 0xC0 : 0xC1);
                Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
            }
            case 4 -> { // CMPXCHG: half the time the accumulator matches the destination
                int size = Operands.size(r);
                int dest = b.value(8 * size);
                boolean equal = r.nextBoolean();
                b.claim(EAX, equal ? dest : b.value(32));
                if (memory && r.nextInt(3) == 0) b.op(0xF0);
                Operands.prefix(b, size);
                b.op(0x0F, size == 1 ? 0xB0 : 0xB1);
                int reg = Operands.reg(b, size);
                if (memory) {
                    Operands.rm(b, reg, size, true, dest);
                } else {
                    int rm = equal ? EAX : r.nextInt(8);
                    b.op(0xC0 | reg << 3 | rm);
                    b.setOperand(rm, size, dest);
                }
            }
            default -> { // CMPXCHG8B m64
                long dest = (long) b.value(32) << 32 | (b.value(32) & 0xFFFF_FFFFL);
                boolean equal = r.nextBoolean();
                b.claim(EAX, equal ? (int) dest : b.value(32));
                b.claim(EDX, equal ? (int) (dest >>> 32) : b.value(32));
                b.claim(ECX, b.value(32));
                b.claim(EBX, b.value(32));
                if (r.nextInt(3) == 0) b.op(0xF0);
                b.op(0x0F, 0xC7);
                byte[] region = b.randomBytes(12);
                System.arraycopy(CaseBuilder.bytes(8, dest), 0, region, 2, 8);
                b.op(b.mem(1, b.data(region) + 2));
            }
        }
    }

    /** MOV in every form (r/m and reg both ways, immediates, moffs), MOVZX, MOVSX. */
    static void mov(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int size = Operands.size(r);
        int w = size == 1 ? 0 : 1;
        boolean memory = r.nextBoolean();
        switch (r.nextInt(6)) {
            case 0 -> { // 88/89 r/m, reg and 8A/8B reg, r/m
                Operands.prefix(b, size);
                b.op((r.nextBoolean() ? 0x88 : 0x8A) | w);
                Operands.rm(b, Operands.reg(b, size), size, memory, b.value(8 * size));
            }
            case 1 -> { // B0+r imm8, B8+r imm16/32
                Operands.prefix(b, size);
                b.op((size == 1 ? 0xB0 : 0xB8) + r.nextInt(8)).imm(size, b.value(8 * size));
            }
            case 2 -> { // C6/C7 /0 r/m, imm
                Operands.prefix(b, size);
                b.op(0xC6 | w);
                Operands.rm(b, 0, size, memory, b.value(8 * size));
                b.imm(size, b.value(8 * size));
            }
            case 3 -> { // A0-A3: accumulator to or from a 32-bit absolute address
                byte[] region = b.randomBytes(size + 4);
                int addr = b.data(region) + 2;
                Operands.prefix(b, size);
                b.op((r.nextBoolean() ? 0xA0 : 0xA2) | w).imm(4, addr);
            }
            default -> { // MOVZX / MOVSX from 8 or 16 bits into 16 or 32
                int dest = Operands.wordSize(r);
                int src = dest == 2 ? 1 : (r.nextBoolean() ? 1 : 2);
                Operands.prefix(b, dest);
                b.op(0x0F, (r.nextBoolean() ? 0xB6 : 0xBE) | (src == 2 ? 1 : 0));
                Operands.rm(b, r.nextInt(8), src, memory, b.value(8 * src));
            }
        }
    }

    /** LEA with every 32-bit form, 16-bit addressing (0x67) and 16-bit destinations (0x66). */
    static void lea(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        if (r.nextInt(4) == 0) b.op(0x66);
        if (r.nextInt(3) == 0) {
            b.op(0x67, 0x8D).op(b.mem16(r.nextInt(8)));
        } else {
            b.op(0x8D).op(b.mem(r.nextInt(8), r.nextInt()));
        }
    }

    /** Loads, stores and read-modify-writes through every addressing form. */
    static void addressing(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int kind = r.nextInt(4);
        boolean wide = r.nextInt(6) == 0; // 16-bit addressing: always below 0x10000, so a page fault
        int size = kind == 3 ? 1 : 4;
        int[] opcodes = {0x8B, 0x89, 0x01, 0x80};
        if (wide) b.op(0x67);
        b.op(opcodes[kind]);
        int reg = kind == 3 ? 0 : r.nextInt(8);
        if (wide) {
            b.op(b.mem16(reg));
        } else {
            byte[] region = b.randomBytes(size + 4);
            b.op(b.mem(reg, b.data(region) + 2));
        }
        if (kind == 3) b.imm(1, r.nextInt(256));
    }

    /** PUSH and POP in all forms, PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE. */
    static void stack(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        boolean word = r.nextInt(4) == 0;
        switch (r.nextInt(9)) {
            case 0 -> {
                b.stack(8, 8);
                if (word) b.op(0x66);
                b.op((r.nextBoolean() ? 0x50 : 0x58) + r.nextInt(8));
            }
            case 1 -> {
                b.stack(8, 8);
                if (word) b.op(0x66);
                if (r.nextBoolean()) b.op(0x6A).imm(1, r.nextInt(256));
                else b.op(0x68).imm(word ? 2 : 4, b.value(32));
            }
            case 2 -> { // PUSH r/m and POP r/m, including [ESP+disp], addressed after POP's increment
                b.stack(24, 24);
                boolean push = r.nextBoolean();
                if (word) b.op(0x66);
                b.op(push ? 0xFF : 0x8F);
                int field = push ? 6 : 0;
                int choice = r.nextInt(3);
                if (choice == 0) {
                    b.op(0xC0 | field << 3 | r.nextInt(8));
                } else if (choice == 1) {
                    b.op(0x44 | field << 3, 0x24, (r.nextInt(8) - 4) * 4 + r.nextInt(2) * 2);
                } else {
                    int target = b.data(b.randomBytes(8)) + 2;
                    b.op(b.mem(field, target));
                }
            }
            case 3 -> { // PUSHA / POPA
                b.stack(36, 36);
                if (word) b.op(0x66);
                b.op(r.nextBoolean() ? 0x60 : 0x61);
            }
            case 4 -> { // PUSHF: the image user mode sees
                b.stack(8, 8);
                if (word) b.op(0x66);
                b.op(0x9C);
            }
            case 5 -> { // POPF then PUSHF: which bits user mode can change, read back exactly
                int esp = b.stack(8, 8);
                int popped = r.nextInt() & (0xCD5 | 0x3200 | 0x28 | 0x8000 | 0x1B_0000);
                b.poke(esp, 4, popped | (r.nextInt() & 0xFFC0_0000));
                if (word) b.op(0x66);
                b.op(0x9D);
                if (r.nextInt(4) != 0) b.op(0x9C);
            }
            case 6 -> { // ENTER size, level; frame pointers of outer levels are read through EBP
                int level = r.nextInt(4) == 0 ? r.nextInt(9) : r.nextInt(3);
                // Sizes stay small: AMD probes the new stack top, which the SDM does not describe.
                int size = r.nextInt(32);
                int esp = b.stack(8 * level + 80, 48);
                b.claim(EBP, esp + 4 * r.nextInt(12));
                b.op(0xC8).imm(2, size).imm(1, level + (r.nextInt(8) == 0 ? 32 : 0));
            }
            case 7 -> { // LEAVE: ESP from EBP, then pop EBP
                int esp = b.stack(24, 24);
                b.claim(EBP, esp + 4 * (r.nextInt(8) - 4));
                if (word) b.op(0x66);
                b.op(0xC9);
            }
            default -> { // PUSH ESP pushes the old value; POP ESP loads the popped one
                b.stack(8, 8);
                if (word) b.op(0x66);
                b.op(r.nextBoolean() ? 0x54 : 0x5C);
            }
        }
    }

    /** MOVS CMPS SCAS LODS STOS: 8/16/32 bits, both directions, REP/REPE/REPNE, 16-bit addressing. */
    static void string(CaseBuilder b) {
        Random r = b.rnd();
        int op = r.nextInt(5); // MOVS CMPS STOS LODS SCAS
        int[] opcodes = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};
        int size = Operands.size(r);
        boolean down = r.nextBoolean();
        b.flags(r.nextInt() & ~CaseBuilder.DF | (down ? CaseBuilder.DF : 0));
        int rep = r.nextInt(3); // none, F3, F2 (F2 only on the comparing ones)
        if (rep == 2 && op != 1 && op != 4) rep = 1;
        int count = rep == 0 ? 1 : r.nextInt(14);
        boolean addr16 = r.nextInt(8) == 0;
        int span = (count + 2) * size;
        boolean usesSource = op == 0 || op == 1 || op == 3;
        boolean usesDest = op != 3;
        int fill = r.nextInt(256);
        byte[] src = pattern(r, span * 2 + 8, fill);
        byte[] dst = op == 1 ? similar(r, src) : pattern(r, span * 2 + 8, fill);
        int ecx = addr16 ? (r.nextInt() & 0xFFFF_0000) | (r.nextInt(3) == 0 ? 0 : count) : count;
        b.claim(ECX, rep == 0 ? b.value(32) : ecx);
        if (addr16) {
            // Both operands of MOVS and CMPS would fault; which one a CPU tries first is not
            // architectural, so SI and DI point at the same (unmapped) address.
            int si = b.value(32);
            b.claim(ESI, si);
            b.claim(EDI, (b.value(32) & 0xFFFF_0000) | (si & 0xFFFF));
        } else {
            int offset = span + 4;
            if (usesSource) b.claim(ESI, b.data(src) + offset);
            if (usesDest) b.claim(EDI, b.data(dst) + offset);
        }
        int fillWord = fill * 0x0101_0101;
        b.set(EAX, r.nextBoolean() ? fillWord : b.value(32));
        if (addr16) b.op(0x67);
        if (rep == 1) b.op(0xF3);
        if (rep == 2) b.op(0xF2);
        Operands.prefix(b, size);
        b.op(opcodes[op] | (size == 1 ? 0 : 1));
    }

    /** Bytes mostly equal to {@code fill}, so REPE/REPNE scans stop at varied places. */
    private static byte[] pattern(Random r, int length, int fill) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (r.nextInt(5) == 0 ? r.nextInt(256) : fill);
        return b;
    }

    private static byte[] similar(Random r, byte[] src) {
        byte[] b = src.clone();
        for (int i = 0; i < b.length; i++) if (r.nextInt(6) == 0) b[i] = (byte) r.nextInt(256);
        return b;
    }

    /** LAHF SAHF CBW CWDE CWD CDQ CLC STC CMC CLD STD XLAT, alone or a few in a row. */
    static void flagOps(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        b.set(EAX, b.value(32));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(13)) {
                case 0 -> b.op(0x9F);
                case 1 -> b.op(0x9E);
                case 2 -> b.op(0x66, 0x98);
                case 3 -> b.op(0x98);
                case 4 -> b.op(0x66, 0x99);
                case 5 -> b.op(0x99);
                case 6 -> b.op(0xF8);
                case 7 -> b.op(0xF9);
                case 8 -> b.op(0xF5);
                case 9 -> b.op(0xFC);
                case 10 -> b.op(0xFD);
                default -> { // XLAT: AL = [EBX + AL], only once per case (it needs EBX)
                    if (b.claimed(EBX)) {
                        b.op(0x90);
                    } else {
                        int table = b.data(b.randomBytes(256));
                        b.claim(EBX, table);
                        b.op(0xD7);
                    }
                }
            }
        }
    }
}
