package org.jlguest.testdata.oracle;

import static org.jlguest.testdata.oracle.CaseBuilder.EAX;
import static org.jlguest.testdata.oracle.CaseBuilder.ECX;
import static org.jlguest.testdata.oracle.CaseBuilder.EDI;
import static org.jlguest.testdata.oracle.CaseBuilder.ESP;

import java.util.Random;

/**
 * Control flow and exceptions: jumps, calls and returns, loops, software
 * interrupts and the other traps, NOPs, and page faults of every kind. Branches
 * skip over a marker ({@code MOV r32, imm32}) so the final registers show which way
 * they went.
 */
final class ControlCases {

    private ControlCases() {
    }

    /** Emits MOV r32, imm32 (5 bytes) on a register no address depends on. */
    private static void marker(CaseBuilder b) {
        int r;
        do {
            r = b.rnd().nextInt(8);
        } while (b.claimed(r));
        b.op(0xB8 + r).imm(4, b.rnd().nextInt());
    }

    /** Jcc JMP CALL RET in short, near and indirect forms, and their 0x66 (16-bit IP) forms. */
    static void branch(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int cc = r.nextInt(16);
        switch (r.nextInt(10)) {
            case 0 -> {
                b.op(0x70 + cc, 5);
                marker(b);
            }
            case 1 -> {
                b.op(0x0F, 0x80 + cc).imm(4, 5);
                marker(b);
            }
            case 2 -> { // a backward Jcc: jmp J; M: marker; jmp end; J: jcc M
                b.op(0xEB, 7);
                marker(b);
                b.op(0xEB, 2, 0x70 + cc, 0xF7);
            }
            case 3 -> {
                if (r.nextBoolean()) b.op(0xEB, 5);
                else b.op(0xE9).imm(4, 5);
                marker(b);
            }
            case 4 -> { // JMP r/m32 over a marker
                int reg = r.nextInt(8);
                if (r.nextBoolean()) {
                    b.claim(reg, b.codeAddr() + 7);
                    b.op(0xFF, 0xE0 | reg);
                } else {
                    int slot = b.data(8) + 2;
                    b.op(0xFF).op(b.mem(4, slot));
                    b.poke(slot, 4, b.here() + 5);
                }
                marker(b);
            }
            case 5 -> { // CALL rel32 to a function that returns (RET or RET imm16)
                b.stack(16, 16);
                boolean withMarker = r.nextBoolean();
                boolean imm = r.nextBoolean();
                b.op(0xE8).imm(4, 2).op(0xEB, (withMarker ? 5 : 0) + (imm ? 3 : 1));
                if (withMarker) marker(b);
                if (imm) b.op(0xC2).imm(2, r.nextInt(3) == 0 ? r.nextInt(0x10000) : 4 * r.nextInt(8));
                else b.op(0xC3);
            }
            case 6 -> { // CALL r/m32
                b.stack(16, 16);
                if (r.nextBoolean()) {
                    int reg;
                    do {
                        reg = r.nextInt(8);
                    } while (reg == ESP);
                    b.claim(reg, b.codeAddr() + 4);
                    b.op(0xFF, 0xD0 | reg);
                } else {
                    int slot = b.data(8) + 2;
                    b.op(0xFF).op(b.mem(2, slot));
                    b.poke(slot, 4, b.here() + 2);
                }
                b.op(0xEB, 1, 0xC3);
            }
            case 7 -> { // RET to an address on the stack: the end or a marker before it
                int esp = b.stack(8, 8);
                boolean imm = r.nextBoolean();
                if (imm) b.op(0xC2).imm(2, r.nextInt(0x10000));
                else b.op(0xC3);
                b.poke(esp, 4, r.nextBoolean() ? b.here() : b.here() + 5);
                marker(b);
            }
            default -> sixteenBit(b, cc);
        }
    }

    /** With 0x66 a taken branch truncates EIP to 16 bits: below 0x10000 nothing is mapped. */
    private static void sixteenBit(CaseBuilder b, int cc) {
        Random r = b.rnd();
        b.stack(8, 8);
        switch (r.nextInt(7)) {
            case 0 -> b.op(0x66, 0xE9).imm(2, r.nextInt());
            case 1 -> b.op(0x66, 0xEB, r.nextInt(256));
            case 2 -> b.op(0x66, 0xE8).imm(2, r.nextInt());
            case 3 -> b.op(0x66, 0xC3);
            case 4 -> b.op(0x66, 0xFF, 0xE0 | r.nextInt(8));
            case 5 -> b.op(0x66, 0x70 + cc, r.nextInt(256));
            default -> b.op(0x66, 0x0F, 0x80 + cc).imm(2, r.nextInt());
        }
    }

    /** LOOP LOOPE LOOPNE around a one-instruction body, and JECXZ/JCXZ (0x67 counts in CX). */
    static void loop(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        boolean cx = r.nextInt(4) == 0;
        int count = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(40);
        if (!cx && count == 0) count = 1; // ECX = 0 would loop 2^32 times
        b.claim(ECX, cx ? (r.nextInt() & 0xFFFF_0000) | count : count);
        if (r.nextInt(4) == 0) { // JECXZ / JCXZ over a marker
            b.claim(ECX, r.nextBoolean() ? 0 : cx ? r.nextInt() & 0xFFFF_0000 : b.value(32));
            if (cx) b.op(0x67);
            b.op(0xE3, 5);
            marker(b);
            return;
        }
        int start = b.here();
        switch (r.nextInt(7)) {
            case 0 -> b.op(0x40 + new int[] {0, 2, 3, 5, 6, 7}[r.nextInt(6)]);
            case 1 -> b.op(0x4A); // DEC EDX: ZF once EDX reaches 0
            case 2 -> b.op(0x31, 0xC0);
            case 3 -> b.op(0xD1, 0xE8);
            case 4 -> b.op(0x3C, r.nextInt(256));
            case 5 -> b.op(0x01, 0xD8);
            default -> { }
        }
        b.set(CaseBuilder.EDX, r.nextInt(12));
        int bodyLength = b.here() - start;
        if (cx) b.op(0x67);
        b.op(0xE0 + r.nextInt(3), -(bodyLength + 2 + (cx ? 1 : 0)));
    }

    /** INT3, INT n (#GP for gates user mode may not use), INTO, BOUND, UD2, privileged and invalid encodings. */
    static void traps(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        switch (r.nextInt(10)) {
            case 0 -> b.op(0xCC);
            case 1 -> {
                int n;
                do {
                    n = r.nextInt(4) == 0 ? 3 + r.nextInt(2) : r.nextInt(256);
                } while (n == 0x80); // the Linux system call gate: never
                b.op(0xCD, n);
            }
            case 2 -> b.op(0xCE);
            case 3 -> { // ADD then INTO: the overflow decides
                b.op(0x01, 0xC0 | r.nextInt(8) << 3 | r.nextInt(8), 0xCE);
            }
            case 4, 5 -> bound(b);
            case 6 -> b.op(0x0F, 0x0B);
            case 7 -> { // privileged at CPL 3: #GP(0)
                int[][] privileged = {{0xF4}, {0xFA}, {0xFB}, {0x0F, 0x06}, {0x0F, 0x20, 0xC0}, {0x0F, 0x22, 0xD8},
                    {0x0F, 0x09}, {0xE4, 0x80}, {0xEC}, {0xE6, 0x70}, {0xEF}};
                b.op(privileged[r.nextInt(privileged.length)]);
            }
            default -> { // invalid: LOCK on a register or non-lockable instruction, LEA or CMPXCHG8B of a register
                int[][] invalid = {{0xF0, 0x01, 0xC0 | r.nextInt(64)}, {0xF0, 0x90}, {0xF0, 0x39, 0x05, r.nextInt(256), r.nextInt(256), 0x60, 0x50},
                    {0x8D, 0xC0 | r.nextInt(64)}, {0x0F, 0xC7, 0xC8 | r.nextInt(8)}};
                b.op(invalid[r.nextInt(invalid.length)]);
            }
        }
    }

    private static void bound(CaseBuilder b) {
        Random r = b.rnd();
        int size = Operands.wordSize(r);
        int lower = b.value(8 * size);
        int upper = r.nextBoolean() ? lower + r.nextInt(100) : b.value(8 * size);
        int index = r.nextInt(8);
        int value = switch (r.nextInt(4)) {
            case 0 -> lower;
            case 1 -> upper;
            case 2 -> lower + r.nextInt(101) - 1;
            default -> b.value(32);
        };
        b.claim(index, value);
        byte[] region = b.randomBytes(2 * size + 4);
        System.arraycopy(CaseBuilder.bytes(size, lower), 0, region, 2, size);
        System.arraycopy(CaseBuilder.bytes(size, upper), 0, region, 2 + size, size);
        Operands.prefix(b, size);
        b.op(0x62).op(b.mem(index, b.data(region) + 2));
    }

    /** NOP forms: 0x90, 66 90, PAUSE, and 0F 1F /0 with every operand shape (no memory is accessed). */
    static void nop(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> b.op(0x90);
                case 1 -> b.op(0x66, 0x90);
                case 2 -> b.op(0xF3, 0x90);
                case 3 -> b.op(0x0F, 0x1F, 0xC0 | r.nextInt(8));
                case 4 -> b.op(0x67, 0x0F, 0x1F).op(b.mem16(0));
                default -> {
                    if (r.nextBoolean()) b.op(0x66);
                    b.op(0x0F, 0x1F).op(b.mem(0, r.nextInt()));
                }
            }
        }
    }

    /** Page faults: unmapped loads and stores, writes to code, split accesses, fetches from data or unmapped pages, stack and string faults. */
    static void pageFault(CaseBuilder b) {
        Random r = b.rnd();
        Operands.randomFlags(b);
        int size = Operands.size(r);
        int w = size == 1 ? 0 : 1;
        switch (r.nextInt(10)) {
            case 0, 1 -> { // load, store or read-modify-write of an unmapped address
                int[] opcodes = {0x8A, 0x88, 0x00};
                Operands.prefix(b, size);
                b.op(opcodes[r.nextInt(3)] | w).op(b.mem(r.nextInt(8), b.unmapped()));
            }
            case 2 -> { // store into the read-only code page
                Operands.prefix(b, size);
                b.op(0x88 | w).op(b.mem(r.nextInt(8), (b.codeAddr() & -0x1000) + r.nextInt(0x1000 - size)));
            }
            case 3 -> { // load the case's own code bytes: readable, so no fault
                Operands.prefix(b, size);
                b.op(0x8A | w, 0x05 | r.nextInt(8) << 3).imm(4, b.codeAddr());
            }
            case 4 -> { // an access that crosses from a mapped page into an unmapped one
                int split = 4 - 1 - r.nextInt(3);
                int page;
                do {
                    page = CaseBuilder.DATA_BASE + r.nextInt(0x10000) * 0x1000;
                } while (!b.pageFree(page) || !b.pageFree(page + 0x1000));
                b.region(page + 0x1000 - 8, b.randomBytes(8));
                b.op(r.nextBoolean() ? 0x8B : 0x89).op(b.mem(r.nextInt(8), page + 0x1000 - split));
            }
            case 5 -> { // jump or call into a data page: no-execute
                b.stack(8, 8);
                int target = b.data(16);
                int reg;
                do {
                    reg = r.nextInt(8);
                } while (reg == ESP);
                b.claim(reg, target);
                b.op(0xFF, (r.nextBoolean() ? 0xE0 : 0xD0) | reg);
            }
            case 6 -> { // jump or call into unmapped memory, or the page after the code
                b.stack(8, 8);
                int target = r.nextBoolean() ? b.unmapped() : (b.codeAddr() | 0xFFF) + 1 + r.nextInt(64);
                b.op(r.nextBoolean() ? 0xE9 : 0xE8);
                b.imm(4, target - (b.here() + 4));
            }
            case 7 -> { // PUSH, POP or CALL with ESP pointing at unmapped memory
                b.claim(ESP, b.unmapped() & -4);
                int[][] ops = {{0x50 + r.nextInt(8)}, {0x58 + r.nextInt(8)}, {0xE8, 0, 0, 0, 0}, {0x6A, 1}, {0x9C}};
                b.op(ops[r.nextInt(ops.length)]);
            }
            default -> stringOffPage(b);
        }
    }

    /** REP STOS/MOVS whose destination runs off the end of its page: the fault stops it part-way. */
    private static void stringOffPage(CaseBuilder b) {
        Random r = b.rnd();
        int size = Operands.size(r);
        int page;
        do {
            page = CaseBuilder.DATA_BASE + r.nextInt(0x10000) * 0x1000;
        } while (!b.pageFree(page) || !b.pageFree(page + 0x1000));
        int room = 4 + r.nextInt(24);
        b.region(page + 0x1000 - room, b.randomBytes(room));
        b.flags(r.nextInt() & ~CaseBuilder.DF);
        b.claim(EDI, page + 0x1000 - room);
        b.claim(ECX, room / size + 1 + r.nextInt(4));
        b.set(EAX, r.nextInt());
        boolean movs = r.nextBoolean();
        if (movs) b.claim(CaseBuilder.ESI, b.data(64));
        b.op(0xF3);
        Operands.prefix(b, size);
        b.op((movs ? 0xA4 : 0xAA) | (size == 1 ? 0 : 1));
    }
}
