package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;

/**
 * Random looping programs leave the same architectural state under {@link Tier#COMPILED} as under
 * {@link Tier#INTERPRETER}: registers, EFLAGS, EIP, retired instructions, the data page and how the
 * run ended (completion, a page fault with its error code and CR2, or an exhausted budget).
 *
 * <p>Each program counts ECX down around a body of a few blocks joined by forward conditional
 * branches (taken after every kind of flag setter, and at block starts on flags an earlier block
 * set), with an optional inner loop and a CALL to a function on the same page. Bodies mix
 * instructions the compiled tier has forms for with ones it runs through the executor. The
 * compile threshold is 2 or 3, so a loop's blocks are decoded before its head is compiled and the
 * loop runs inside one region.
 *
 * <p>The program comes from a stream of integers that jqwik shrinks: fewer or smaller numbers give
 * a shorter, plainer program, and a failure reports the shrunk program as an annotated listing.
 */
class CompiledRegionProperty {
    private static final int CODE = UserCode.CODE;
    private static final int DATA = UserCode.DATA;
    /** The stack fills DATA+0xE0..0xFF; memory operands stay in DATA+0x100..0x3FF (or grow out of the page). */
    private static final int STACK_TOP = DATA + 0x100;
    private static final long FULL_BUDGET = 2_000_000;

    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    /** The ALU operations that have compiled forms. */
    private static final int[] FORM_ALU = {0, 1, 4, 5, 6, 7};
    private static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l",
        "ge", "le", "g"};
    /** Values next to flag boundaries; the first seven are also 8-bit ones. */
    private static final int[] EDGES = {0, 1, -1, 0x7F, 0x80, 2, -2, 0x7FFFFFFF, 0x80000000, 0x7FFFFFFE, 0x80000001,
        0xFF, 0xFFFF, 0x8000, 0x7FFF, 0xFFFFFF80};
    /** Byte registers that may be written: not CL/CH (the loop counter). */
    private static final int[] BYTE_DESTS = {0, 2, 3, 4, 6, 7};

    enum Variant { COMPLETES, BUDGET, FAULT }

    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().list().ofMaxSize(500).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 500)
    void compiledRegionsLeaveTheInterpretersState(@ForAll("choices") List<Integer> choices) {
        Program p = new Generator(new Choices(choices)).program();
        if (p.variant() == Variant.BUDGET) {
            // A budget somewhere below what the whole program needs.
            long needed = run(p, Tier.INTERPRETER).run().instructions();
            p = p.withBudget(1 + Math.floorMod(p.budgetChoice(), Math.max(1, needed - 1)));
        }
        Program program = p;
        Outcome a = run(p, Tier.INTERPRETER);
        Outcome b = run(p, Tier.COMPILED);

        List<String> diffs = new ArrayList<>();
        UserRun ra = a.run(), rb = b.run();
        differ(diffs, "outcome", ra.outcome(), rb.outcome());
        differ(diffs, "fault vector", ra.vector(), rb.vector());
        differ(diffs, "error code", ra.errorCode(), rb.errorCode());
        differ(diffs, "has error code", ra.hasErrorCode(), rb.hasErrorCode());
        differ(diffs, "cr2", hex(ra.cr2()), hex(rb.cr2()));
        differ(diffs, "instructions run", ra.instructions(), rb.instructions());
        for (int r = 0; r < 8; r++) {
            differ(diffs, R32[r], hex(a.regs()[r]), hex(b.regs()[r]));
        }
        differ(diffs, "eflags", hex(a.eflags()), hex(b.eflags()));
        differ(diffs, "eip", hex(a.eip()), hex(b.eip()));
        differ(diffs, "instructions", a.instructions(), b.instructions());
        int at = Arrays.mismatch(a.data(), b.data());
        if (at >= 0) {
            diffs.add(String.format("data page first differs at DATA+0x%03x: interpreter %02x, compiled %02x", at,
                    a.data()[at] & 0xFF, b.data()[at] & 0xFF));
        }
        if (!diffs.isEmpty()) {
            fail("compiled tier differs from the interpreter:\n  " + String.join("\n  ", diffs) + "\n"
                    + "interpreter run: " + ra + "\n" + program.describe());
        }

        switch (p.variant()) {
            case BUDGET -> assertEquals(UserRun.Outcome.BUDGET_EXHAUSTED, ra.outcome(), program::describe);
            case FAULT -> assertTrue(ra.outcome() == UserRun.Outcome.COMPLETED
                    || ra.outcome() == UserRun.Outcome.FAULT && ra.vector() == org.jlguest.mmu.Fault.PF,
                    () -> "completes or page-faults: " + ra + "\n" + program.describe());
            case COMPLETES -> {
                assertEquals(UserRun.Outcome.COMPLETED, ra.outcome(), program::describe);
                if (p.iterations() - 1 >= p.threshold()) {
                    // The loop head runs whole once per iteration after the first.
                    assertTrue(b.blocksCompiled() > 0, () -> "a block was compiled\n" + program.describe());
                }
            }
        }
    }

    private static void differ(List<String> diffs, String field, Object interpreter, Object compiled) {
        if (!interpreter.equals(compiled)) {
            diffs.add(field + ": interpreter " + interpreter + ", compiled " + compiled);
        }
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    // ---- running -------------------------------------------------------------------------------

    private record Outcome(UserRun run, int[] regs, int eflags, int eip, long instructions, byte[] data,
            long blocksCompiled) {
    }

    private static Outcome run(Program p, Tier tier) {
        UserMachine m = new UserMachine();
        m.interpreter().setTier(tier);
        m.interpreter().setCompileThreshold(p.threshold());
        m.mapData(DATA, p.data());
        m.mapCode(CODE, p.code());
        Cpu cpu = m.cpu();
        for (int r = 0; r < 8; r++) {
            cpu.setReg(r, p.regs()[r]);
        }
        cpu.setEflags(p.eflags());
        cpu.setEip(CODE);
        UserRun r = m.run(CODE + p.code().length, p.budget());
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) {
            regs[i] = cpu.getReg(i);
        }
        return new Outcome(r, regs, cpu.getEflags(), cpu.getEip(), cpu.instructions(), m.read(DATA, 4096),
                m.interpreter().blocksCompiled());
    }

    // ---- programs ------------------------------------------------------------------------------

    private record Program(Variant variant, byte[] code, String listing, int[] regs, int eflags, int dataSeed,
            byte[] data, long budget, int budgetChoice, int threshold, int iterations) {
        Program withBudget(long instructions) {
            return new Program(variant, code, listing, regs, eflags, dataSeed, data, instructions, budgetChoice,
                    threshold, iterations);
        }

        String describe() {
            StringBuilder s = new StringBuilder();
            s.append("variant ").append(variant).append(", compile threshold ").append(threshold)
                    .append(", budget ").append(budget).append(", outer iterations ").append(iterations).append('\n');
            s.append("initial registers:");
            for (int r = 0; r < 8; r++) {
                s.append(' ').append(R32[r]).append('=').append(hex(regs[r]));
            }
            s.append(", eflags=").append(hex(eflags)).append('\n');
            s.append(dataSeed == 0 ? "data page zero" : "data page new Random(" + dataSeed + ").nextBytes")
                    .append('\n');
            s.append("code at CODE (").append(code.length).append(" bytes, stop at its end):\n")
                    .append(HexFormat.of().withUpperCase().formatHex(code)).append('\n');
            s.append(listing);
            return s.toString();
        }
    }

    /** Where the generator's decisions come from; 0 once exhausted, and 0 always means the plainest. */
    private static final class Choices {
        private final List<Integer> values;
        private int next;

        Choices(List<Integer> values) {
            this.values = values;
        }

        int raw() {
            return next < values.size() ? values.get(next++) : 0;
        }

        int below(int n) {
            return Math.floorMod(raw(), n);
        }

        boolean chance(int percent) {
            return below(100) >= 100 - percent;
        }

        /** A 32-bit value, often one next to where the flags change (zero, the sign boundary). */
        int value() {
            return chance(30) ? EDGES[below(EDGES.length)] : raw();
        }

        /** A sign-extended 8-bit immediate, often an edge one. */
        int imm8() {
            return chance(30) ? (byte) EDGES[below(7)] : (byte) raw();
        }
    }

    private record Ins(String text, byte[] bytes) {
    }

    private static int length(List<Ins> unit) {
        int n = 0;
        for (Ins in : unit) {
            n += in.bytes().length;
        }
        return n;
    }

    /** An instruction's bytes. */
    private static final class Enc {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        Enc b(int... v) {
            for (int x : v) {
                out.write(x);
            }
            return this;
        }

        Enc w(int v) {
            return b(v, v >>> 8);
        }

        Enc d(int v) {
            return b(v, v >>> 8, v >>> 16, v >>> 24);
        }

        /** ModRM (with {@code reg} in its reg field) and the rest of a memory operand. */
        Enc m(int reg, Mem mem) {
            out.write(mem.modrm() | reg << 3);
            out.writeBytes(mem.tail());
            return this;
        }

        Ins as(String text) {
            return new Ins(text, out.toByteArray());
        }
    }

    private static Enc enc(int... v) {
        return new Enc().b(v);
    }

    private static int rr(int reg, int rm) {
        return 0xC0 | reg << 3 | rm;
    }

    /** A memory operand: what must run first (masking its index), ModRM without reg, then SIB and displacement. */
    private record Mem(List<Ins> setup, int modrm, byte[] tail, String text) {
    }

    /** The code being assembled, with a listing. */
    private static final class Asm {
        private byte[] code = new byte[256];
        private int size;
        /** The listing: where each instruction starts, its length and text (length 0: a label). */
        private final List<Line> lines = new ArrayList<>();

        private record Line(int at, int length, String text) {
        }

        int pc() {
            return size;
        }

        void label(String name) {
            lines.add(new Line(size, 0, name));
        }

        String listing() {
            StringBuilder s = new StringBuilder();
            for (Line line : lines) {
                if (line.length() == 0) {
                    s.append(line.text()).append(":\n");
                } else {
                    s.append(String.format("  %03x  %-24s %s%n", line.at(),
                            HexFormat.of().formatHex(code, line.at(), line.at() + line.length()), line.text()));
                }
            }
            return s.toString();
        }

        void emit(Ins in) {
            lines.add(new Line(size, in.bytes().length, in.text()));
            for (byte x : in.bytes()) {
                if (size == code.length) {
                    code = Arrays.copyOf(code, size * 2);
                }
                code[size++] = x;
            }
        }

        void emit(List<Ins> unit) {
            unit.forEach(this::emit);
        }

        void patch32(int at, int v) {
            for (int i = 0; i < 4; i++) {
                code[at + i] = (byte) (v >>> (8 * i));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(code, size);
        }
    }

    private static final class Generator {
        private final Choices ch;
        private final Variant variant;
        /** Registers instructions may write: never ECX (counter), ESP (stack) or ESI (data base); nor EBP while it grows. */
        private final int[] dests;
        private final Asm a = new Asm();
        private int function = -1;
        private int depth;

        Generator(Choices ch) {
            this.ch = ch;
            int v = ch.below(5);
            this.variant = v < 2 ? Variant.COMPLETES : v == 2 ? Variant.BUDGET : Variant.FAULT;
            this.dests = variant == Variant.FAULT ? new int[] {0, 2, 3, 7} : new int[] {0, 2, 3, 5, 7};
        }

        Program program() {
            int threshold = 2 + ch.below(2);
            int[] regs = new int[8];
            for (int r = 0; r < 8; r++) {
                regs[r] = ch.value();
            }
            int eflags = 0x202 | (ch.raw() & Flags.ARITHMETIC);
            int dataSeed = ch.raw();
            byte[] data = new byte[4096];
            if (dataSeed != 0) {
                new Random(dataSeed).nextBytes(data);
            }
            int budgetChoice = variant == Variant.BUDGET ? ch.raw() : 0;

            a.emit(enc(0xBC).d(STACK_TOP).as("mov esp, DATA+0x100"));
            int esi = 0x180 + ch.below(0x41);
            a.emit(enc(0xBE).d(DATA + esi).as(String.format("mov esi, DATA+0x%x", esi)));
            int step = 0;
            if (variant == Variant.FAULT) {
                int ebp = ch.below(0xE00);
                step = 0x40 + ch.below(0x3C0);
                a.emit(enc(0xBD).d(ebp).as(String.format("mov ebp, 0x%x", ebp)));
            }
            int n = 2 + ch.below(39);
            a.emit(enc(0xB9).d(n).as("mov ecx, " + n));
            for (int i = ch.below(3); i > 0; i--) {
                a.emit(unit());
            }
            if (ch.chance(40)) {
                function();
            }
            int head = a.pc();
            a.label("head");
            body(true, step);
            loopEnd(head);
            for (int i = ch.below(3); i > 0; i--) {
                a.emit(unit());
            }
            byte[] code = a.bytes();
            if (code.length >= 4000) {
                throw new IllegalStateException("program too long: " + code.length);
            }
            return new Program(variant, code, a.listing(), regs, eflags, dataSeed, data, FULL_BUDGET, budgetChoice,
                    threshold, n);
        }

        /** JMP over a function (units, maybe a branch, RET) that CALLs may reach. */
        private void function() {
            int jmp = a.pc();
            a.emit(enc(0xE9).d(0).as("jmp head"));
            function = a.pc();
            a.label("function");
            units(1 + ch.below(3));
            if (ch.chance(50)) {
                branch(true);
                units(ch.below(3));
            }
            a.emit(enc(0xC3).as("ret"));
            a.patch32(jmp + 1, a.pc() - (jmp + 5));
        }

        private void units(int count) {
            for (int i = 0; i < count; i++) {
                a.emit(unit());
            }
        }

        private List<Ins> unitsList(int count) {
            List<Ins> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.addAll(unit());
            }
            return all;
        }

        /** The body of the outer loop ({@code outer}) or of an inner one. */
        private void body(boolean outer, int step) {
            // Sometimes many blocks: regions reach their size limits and are compiled from fewer blocks.
            int blocks = outer && ch.chance(15) ? 5 + ch.below(16) : 1 + ch.below(4);
            int inner = outer && ch.chance(30) ? ch.below(blocks) : -1;
            int call = function >= 0 && ch.chance(70) ? ch.below(blocks) : -1;
            int grow = outer && variant == Variant.FAULT ? ch.below(blocks) : -1;
            if (ch.chance(20)) {
                // A branch at the loop head, on the flags the loop's end (or the code before it) left.
                branch(false);
            }
            for (int i = 0; i < blocks; i++) {
                units(1 + ch.below(3));
                if (i == grow) {
                    // [esi+ebp+disp8]: EBP grows by the step each iteration until the access leaves the page;
                    // the fault must see the flags of the instructions before it.
                    if (ch.chance(70)) {
                        a.emit(ch.chance(50) ? flagUnit() : setter());
                    }
                    int disp = (byte) ch.raw();
                    Mem growing = new Mem(List.of(), 0x44, new byte[] {0x2E, (byte) disp},
                            String.format("[esi+ebp%s]", signed(disp)));
                    a.emit(memoryUnit(growing));
                    a.emit(step < 0x80 ? enc(0x83, 0xC5, step).as("add ebp, " + hex(step))
                            : enc(0x81, 0xC5).d(step).as("add ebp, " + hex(step)));
                }
                if (i == inner) {
                    innerLoop();
                }
                if (i == call) {
                    a.emit(enc(0xE8).d(function - (a.pc() + 5)).as("call function"));
                }
                if (i < blocks - 1) {
                    branch(true);
                }
            }
        }

        private void innerLoop() {
            a.emit(enc(0x51).as("push ecx"));
            int m = 1 + ch.below(8);
            a.emit(enc(0xB9).d(m).as("mov ecx, " + m));
            int head = a.pc();
            a.label("inner");
            body(false, 0);
            loopEnd(head);
            a.emit(enc(0x59).as("pop ecx"));
        }

        /** Counts ECX down and branches back to {@code head} while it is not zero. */
        private void loopEnd(int head) {
            switch (ch.below(10)) {
                case 1 -> {
                    a.emit(enc(0x83, 0xE9, 1).as("sub ecx, 1"));
                    back(5, head, false);
                }
                case 2 -> {
                    a.emit(enc(0x49).as("dec ecx"));
                    a.emit(enc(0x83, 0xF9, 0).as("cmp ecx, 0"));
                    back(15, head, false);
                }
                case 3 -> {
                    int rel = head - (a.pc() + 2);
                    if (rel >= -128) {
                        a.emit(enc(0xE2, rel).as("loop " + hex(head)));
                    } else {
                        a.emit(enc(0x49).as("dec ecx"));
                        back(5, head, false);
                    }
                }
                case 4 -> {
                    a.emit(enc(0x49).as("dec ecx"));
                    back(15, head, false);
                }
                case 5 -> {
                    a.emit(enc(0x83, 0xC1, 0xFF).as("add ecx, -1"));
                    back(5, head, false);
                }
                case 6 -> {
                    a.emit(enc(0x83, 0xE9, 1).as("sub ecx, 1"));
                    back(7, head, false);
                }
                case 7 -> {
                    a.emit(enc(0x49).as("dec ecx"));
                    a.emit(enc(0x85, 0xC9).as("test ecx, ecx"));
                    back(5, head, false);
                }
                case 8 -> {
                    a.emit(enc(0x83, 0xF9, 1).as("cmp ecx, 1"));
                    a.emit(enc(0x8D, 0x49, 0xFF).as("lea ecx, [ecx-1]"));
                    back(5, head, false);
                }
                case 9 -> {
                    a.emit(enc(0x49).as("dec ecx"));
                    back(5, head, true);
                }
                default -> {
                    a.emit(enc(0x49).as("dec ecx"));
                    back(5, head, false);
                }
            }
        }

        private void back(int cc, int target, boolean near) {
            int rel8 = target - (a.pc() + 2);
            if (!near && rel8 >= -128) {
                a.emit(enc(0x70 + cc, rel8).as("j" + CC[cc] + " " + hex(target)));
            } else {
                a.emit(enc(0x0F, 0x80 + cc).d(target - (a.pc() + 6)).as("j" + CC[cc] + " near " + hex(target)));
            }
        }

        private static String hex(int v) {
            return String.format("0x%x", v);
        }

        private static String signed(int v) {
            return v < 0 ? String.format("-0x%x", -v) : String.format("+0x%x", v);
        }

        /**
         * A forward branch over a few units: after a flag setter ({@code setter}), or on whatever
         * flags are current; sometimes a JMP, sometimes two Jcc in a row, sometimes followed by a
         * Jcc at the start of the block it reaches.
         */
        private void branch(boolean setter) {
            depth++;
            int kind = ch.below(4);
            if (kind == 3) {
                List<Ins> skipped = unitsList(ch.below(3));
                int skip = length(skipped);
                a.emit(skip <= 127 ? enc(0xEB, skip).as("jmp +" + skip) : enc(0xE9).d(skip).as("jmp near +" + skip));
                a.emit(skipped);
            } else {
                if (setter && kind != 1) {
                    a.emit(setter());
                }
                List<Ins> skipped = unitsList(ch.below(4));
                int cc = ch.below(16);
                if (kind == 2) {
                    int cc2 = ch.below(16);
                    Ins second = jcc(cc2, length(skipped));
                    a.emit(jcc(cc, length(skipped) + second.bytes().length));
                    a.emit(second);
                } else {
                    a.emit(jcc(cc, length(skipped)));
                }
                a.emit(skipped);
            }
            if (depth < 3 && ch.chance(30)) {
                // A Jcc first in the block the branch reaches, on flags set before the branch.
                branch(false);
            }
            depth--;
        }

        private static Ins jcc(int cc, int skip) {
            return skip <= 127 ? enc(0x70 + cc, skip).as("j" + CC[cc] + " +" + skip)
                    : enc(0x0F, 0x80 + cc).d(skip).as("j" + CC[cc] + " near +" + skip);
        }

        private int dest() {
            return dests[ch.below(dests.length)];
        }

        private int src() {
            return ch.below(8);
        }

        private int byteDest() {
            return BYTE_DESTS[ch.below(BYTE_DESTS.length)];
        }

        private int formAlu() {
            return FORM_ALU[ch.below(FORM_ALU.length)];
        }

        private static byte[] le32(int v) {
            return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        }

        /** A memory operand inside DATA+0x100..0x3FF. */
        private Mem mem() {
            switch (ch.below(6)) {
                case 1 -> {
                    return new Mem(List.of(), 0x06, new byte[0], "[esi]");
                }
                case 2, 5 -> {
                    int index = dest();
                    int scale = ch.below(4);
                    List<Ins> mask = List.of(enc(0x83, 0xE0 | index, 0x3C).as("and " + R32[index] + ", 0x3c"));
                    if (ch.chance(50)) {
                        int disp = (byte) ch.raw();
                        return new Mem(mask, 0x44, new byte[] {(byte) (scale << 6 | index << 3 | 6), (byte) disp},
                                String.format("[esi+%s*%d%s]", R32[index], 1 << scale, signed(disp)));
                    }
                    int disp = 0x100 + ch.below(0x100);
                    byte[] tail = new byte[5];
                    tail[0] = (byte) (scale << 6 | index << 3 | 5);
                    System.arraycopy(le32(DATA + disp), 0, tail, 1, 4);
                    return new Mem(mask, 0x04, tail, String.format("[%s*%d+DATA+0x%x]", R32[index], 1 << scale, disp));
                }
                case 3 -> {
                    int disp = -0x80 + ch.below(0x280);
                    return new Mem(List.of(), 0x86, le32(disp), String.format("[esi%s] (disp32)", signed(disp)));
                }
                case 4 -> {
                    int disp = 0x100 + ch.below(0x300);
                    return new Mem(List.of(), 0x05, le32(DATA + disp), String.format("[DATA+0x%x]", disp));
                }
                default -> {
                    int disp = (byte) ch.raw();
                    return new Mem(List.of(), 0x46, new byte[] {(byte) disp}, String.format("[esi%s]", signed(disp)));
                }
            }
        }

        private static List<Ins> with(Mem mem, Ins in) {
            List<Ins> unit = new ArrayList<>(mem.setup());
            unit.add(in);
            return unit;
        }

        /** An instruction reading or writing {@code mem}, after what the operand needs set up. */
        private List<Ins> memoryUnit(Mem mem) {
            String m = mem.text();
            switch (ch.below(14)) {
                case 1 -> {
                    int r = src();
                    return with(mem, enc(0x89).m(r, mem).as("mov " + m + ", " + R32[r]));
                }
                case 2 -> {
                    int r = src();
                    return with(mem, enc(0x88).m(r, mem).as("mov byte " + m + ", " + R8[r]));
                }
                case 3 -> {
                    int r = dest();
                    return with(mem, enc(0x0F, 0xB6).m(r, mem).as("movzx " + R32[r] + ", byte " + m));
                }
                case 4 -> {
                    int op = formAlu();
                    int r = op == 7 ? src() : dest();
                    return with(mem, enc(op * 8 + 3).m(r, mem).as(ALU[op] + " " + R32[r] + ", " + m));
                }
                case 5 -> {
                    int r = src();
                    return with(mem, enc(0x39).m(r, mem).as("cmp " + m + ", " + R32[r]));
                }
                case 6 -> {
                    if (ch.chance(50)) {
                        int imm = ch.imm8();
                        return with(mem, enc(0x83).m(7, mem).b(imm).as("cmp dword " + m + ", " + imm));
                    }
                    int imm = ch.value();
                    return with(mem, enc(0x81).m(7, mem).d(imm).as("cmp dword " + m + ", " + hex(imm)));
                }
                case 7 -> {
                    // ALU with a memory destination: no form.
                    int op = ch.below(8);
                    if (ch.chance(50)) {
                        int r = src();
                        return with(mem, enc(op * 8 + 1).m(r, mem).as(ALU[op] + " " + m + ", " + R32[r]));
                    }
                    int imm = ch.imm8();
                    return with(mem, enc(0x83).m(op, mem).b(imm).as(ALU[op] + " dword " + m + ", " + imm));
                }
                case 8 -> {
                    int op = ch.below(4);
                    String[] names = {"inc", "dec", "not", "neg"};
                    int opcode = op < 2 ? 0xFF : 0xF7;
                    return with(mem, enc(opcode).m(op, mem).as(names[op] + " dword " + m));
                }
                case 9 -> {
                    if (ch.chance(50)) {
                        int imm = ch.value();
                        return with(mem, enc(0xC7).m(0, mem).d(imm).as("mov dword " + m + ", " + hex(imm)));
                    }
                    int imm = ch.below(256);
                    return with(mem, enc(0xC6).m(0, mem).b(imm).as("mov byte " + m + ", " + hex(imm)));
                }
                case 10 -> {
                    int r = dest();
                    int cc = ch.below(16);
                    return with(mem, enc(0x0F, 0x40 + cc).m(r, mem).as("cmov" + CC[cc] + " " + R32[r] + ", " + m));
                }
                case 11 -> {
                    int r = dest();
                    return with(mem, enc(0x0F, 0xAF).m(r, mem).as("imul " + R32[r] + ", " + m));
                }
                case 12 -> {
                    int r = byteDest();
                    int op = ch.below(8);
                    return with(mem, enc(op * 8 + 2).m(r, mem).as(ALU[op] + " " + R8[r] + ", byte " + m));
                }
                case 13 -> {
                    int r = dest();
                    int bit = ch.below(32);
                    int op = 4 + ch.below(4);
                    String[] names = {"bt", "bts", "btr", "btc"};
                    if (ch.chance(50)) {
                        return with(mem, enc(0x0F, 0xBE).m(r, mem).as("movsx " + R32[r] + ", byte " + m));
                    }
                    return with(mem, enc(0x0F, 0xBA).m(op, mem).b(bit).as(names[op - 4] + " dword " + m + ", " + bit));
                }
                default -> {
                    int r = dest();
                    return with(mem, enc(0x8B).m(r, mem).as("mov " + R32[r] + ", " + m));
                }
            }
        }

        /** One or a few instructions that neither branch nor disturb ECX, ESP or ESI. */
        private List<Ins> unit() {
            switch (ch.below(32)) {
                case 1 -> {
                    int d = dest();
                    int imm = ch.value();
                    return List.of(enc(0xB8 + d).d(imm).as("mov " + R32[d] + ", " + hex(imm)));
                }
                case 2, 3, 4, 5, 6 -> {
                    return memoryUnit(mem());
                }
                case 7 -> {
                    // LEA with any base and index: no memory access.
                    int d = dest();
                    int base = src();
                    int index = ch.below(8);
                    int scale = ch.below(4);
                    String idx = index == 4 ? "" : "+" + R32[index] + "*" + (1 << scale);
                    if (ch.chance(50)) {
                        int disp = (byte) ch.raw();
                        return List.of(enc(0x8D, 0x44 | d << 3, scale << 6 | index << 3 | base, disp)
                                .as(String.format("lea %s, [%s%s%s]", R32[d], R32[base], idx, signed(disp))));
                    }
                    int disp = ch.raw();
                    return List.of(enc(0x8D, 0x84 | d << 3, scale << 6 | index << 3 | base).d(disp)
                            .as(String.format("lea %s, [%s%s+%s]", R32[d], R32[base], idx, hex(disp))));
                }
                case 8 -> {
                    int d = dest();
                    int s = src();
                    return List.of(enc(0x0F, 0xB6, rr(d, s)).as("movzx " + R32[d] + ", " + R8[s]));
                }
                case 9, 10 -> {
                    int op = formAlu();
                    int d = op == 7 ? src() : dest();
                    int s = src();
                    return List.of(ch.chance(50) ? enc(op * 8 + 1, rr(s, d)).as(ALU[op] + " " + R32[d] + ", " + R32[s])
                            : enc(op * 8 + 3, rr(d, s)).as(ALU[op] + " " + R32[d] + ", " + R32[s] + " (r, r/m)"));
                }
                case 11, 12 -> {
                    int op = formAlu();
                    int d = op == 7 ? src() : dest();
                    switch (ch.below(3)) {
                        case 1 -> {
                            int imm = ch.value();
                            return List.of(enc(0x81, rr(op, d)).d(imm).as(ALU[op] + " " + R32[d] + ", " + hex(imm)));
                        }
                        case 2 -> {
                            int imm = ch.value();
                            return List.of(enc(op * 8 + 5).d(imm).as(ALU[op] + " eax, " + hex(imm) + " (short)"));
                        }
                        default -> {
                            int imm = ch.imm8();
                            return List.of(enc(0x83, rr(op, d), imm).as(ALU[op] + " " + R32[d] + ", " + imm));
                        }
                    }
                }
                case 13 -> {
                    int x = src(), y = src();
                    return List.of(enc(0x85, rr(y, x)).as("test " + R32[x] + ", " + R32[y]));
                }
                case 14 -> {
                    return incDec();
                }
                case 15 -> {
                    int op = 2 + ch.below(2);
                    int d = dest();
                    if (ch.chance(30)) {
                        int imm = ch.imm8();
                        return List.of(enc(0x83, rr(op, d), imm).as(ALU[op] + " " + R32[d] + ", " + imm));
                    }
                    int s = src();
                    return List.of(enc(op * 8 + 1, rr(s, d)).as(ALU[op] + " " + R32[d] + ", " + R32[s]));
                }
                case 16 -> {
                    return shift();
                }
                case 17 -> {
                    return multiply();
                }
                case 18 -> {
                    int d = dest();
                    boolean neg = ch.chance(50);
                    return List.of(enc(0xF7, rr(neg ? 3 : 2, d)).as((neg ? "neg " : "not ") + R32[d]));
                }
                case 19 -> {
                    int d = byteDest();
                    int cc = ch.below(16);
                    return List.of(enc(0x0F, 0x90 + cc, rr(0, d)).as("set" + CC[cc] + " " + R8[d]));
                }
                case 20 -> {
                    int d = dest();
                    int s = src();
                    int cc = ch.below(16);
                    return List.of(enc(0x0F, 0x40 + cc, rr(d, s)).as("cmov" + CC[cc] + " " + R32[d] + ", " + R32[s]));
                }
                case 21 -> {
                    if (depth >= 3) {
                        return List.of(enc(0x90).as("nop"));
                    }
                    List<Ins> unit = new ArrayList<>();
                    switch (ch.below(3)) {
                        case 1 -> {
                            int imm = ch.imm8();
                            unit.add(enc(0x6A, imm).as("push " + imm));
                        }
                        case 2 -> {
                            Mem m = mem();
                            unit.addAll(m.setup());
                            unit.add(enc(0xFF).m(6, m).as("push dword " + m.text()));
                        }
                        default -> {
                            int s = src();
                            unit.add(enc(0x50 + s).as("push " + R32[s]));
                        }
                    }
                    if (ch.chance(40)) {
                        depth++;
                        unit.addAll(unit());
                        depth--;
                    }
                    if (ch.chance(20)) {
                        Mem m = mem();
                        unit.addAll(m.setup());
                        unit.add(enc(0x8F).m(0, m).as("pop dword " + m.text()));
                    } else {
                        int d = dest();
                        unit.add(enc(0x58 + d).as("pop " + R32[d]));
                    }
                    return unit;
                }
                case 22 -> {
                    int x = dest(), y = dest();
                    return List.of(ch.chance(50) && x == 0 ? enc(0x90 + y).as("xchg eax, " + R32[y])
                            : enc(0x87, rr(x, y)).as("xchg " + R32[y] + ", " + R32[x]));
                }
                case 23 -> {
                    int op = ch.below(8);
                    int d = byteDest();
                    if (ch.chance(40)) {
                        int imm = ch.below(256);
                        return List.of(enc(0x80, rr(op, d), imm).as(ALU[op] + " " + R8[d] + ", " + hex(imm)));
                    }
                    int s = ch.below(8);
                    return List.of(enc(op * 8, rr(s, d)).as(ALU[op] + " " + R8[d] + ", " + R8[s]));
                }
                case 24 -> {
                    int op = ch.below(8);
                    int d = dest();
                    return switch (ch.below(4)) {
                        case 1 -> {
                            int imm = ch.imm8();
                            yield List.of(enc(0x66, 0x83, rr(op, d), imm).as(ALU[op] + " " + R16[d] + ", " + imm));
                        }
                        case 2 -> {
                            int imm = ch.below(0x10000);
                            yield List.of(enc(0x66, 0x81, rr(op, d)).w(imm).as(ALU[op] + " " + R16[d] + ", " + hex(imm)));
                        }
                        case 3 -> {
                            int imm = ch.below(0x10000);
                            yield List.of(enc(0x66, 0xB8 + d).w(imm).as("mov " + R16[d] + ", " + hex(imm)));
                        }
                        default -> {
                            int s = src();
                            yield List.of(enc(0x66, op * 8 + 1, rr(s, d)).as(ALU[op] + " " + R16[d] + ", " + R16[s]));
                        }
                    };
                }
                case 25 -> {
                    int d = dest();
                    int s = src();
                    return switch (ch.below(4)) {
                        case 1 -> {
                            int x = ch.below(8);
                            yield List.of(enc(0x0F, 0xA3, rr(s, x)).as("bt " + R32[x] + ", " + R32[s]));
                        }
                        case 2 -> List.of(enc(0x0F, 0xAB, rr(s, d)).as("bts " + R32[d] + ", " + R32[s]));
                        default -> {
                            int op = 4 + ch.below(4);
                            int bit = ch.below(256);
                            yield List.of(enc(0x0F, 0xBA, rr(op, d), bit).as(new String[] {"bt", "bts", "btr", "btc"}[op - 4]
                                    + " " + R32[d] + ", " + bit));
                        }
                    };
                }
                case 26 -> {
                    int d = dest();
                    int s = src();
                    return ch.chance(50) ? List.of(enc(0x0F, 0xBE, rr(d, s)).as("movsx " + R32[d] + ", " + R8[s]))
                            : List.of(enc(0x0F, 0xBF, rr(d, s)).as("movsx " + R32[d] + ", " + R16[s]));
                }
                case 27 -> {
                    int[] ops = {0xF8, 0xF9, 0xF5, 0x99, 0x9F, 0x9E};
                    String[] names = {"clc", "stc", "cmc", "cdq", "lahf", "sahf"};
                    int k = ch.below(ops.length);
                    return List.of(enc(ops[k]).as(names[k]));
                }
                default -> {
                    int d = dest();
                    int s = src();
                    return List.of(ch.chance(50) ? enc(0x89, rr(s, d)).as("mov " + R32[d] + ", " + R32[s])
                            : enc(0x8B, rr(d, s)).as("mov " + R32[d] + ", " + R32[s] + " (r, r/m)"));
                }
            }
        }

        /** INC or DEC of a register, in the one-byte or the FF form. */
        private List<Ins> incDec() {
            int d = dest();
            boolean dec = ch.chance(50);
            return preload(d, ch.chance(50) ? enc(0xFF, rr(dec ? 1 : 0, d)).as((dec ? "dec " : "inc ") + R32[d] + " (FF)")
                    : enc((dec ? 0x48 : 0x40) + d).as((dec ? "dec " : "inc ") + R32[d]));
        }

        /** {@code in}, sometimes after loading its destination with a value at a flag boundary. */
        private List<Ins> preload(int d, Ins in) {
            if (ch.chance(30)) {
                int v = EDGES[ch.below(EDGES.length)];
                return List.of(enc(0xB8 + d).d(v).as("mov " + R32[d] + ", " + hex(v)), in);
            }
            return List.of(in);
        }

        /** A shift or rotate of a register by a constant, by 1 or by CL. */
        private List<Ins> shift() {
            int op = ch.below(8);
            int d = dest();
            return switch (ch.below(3)) {
                case 1 -> List.of(enc(0xD3, rr(op, d)).as(SHIFT[op] + " " + R32[d] + ", cl"));
                case 2 -> List.of(enc(0xD1, rr(op, d)).as(SHIFT[op] + " " + R32[d] + ", 1"));
                default -> {
                    int count = ch.below(40);
                    yield List.of(enc(0xC1, rr(op, d), count).as(SHIFT[op] + " " + R32[d] + ", " + count));
                }
            };
        }

        /** IMUL with two or three operands, or one-operand MUL or IMUL. */
        private List<Ins> multiply() {
            int d = dest();
            int s = src();
            return switch (ch.below(4)) {
                case 1 -> {
                    int imm = ch.imm8();
                    yield List.of(enc(0x6B, rr(d, s), imm).as("imul " + R32[d] + ", " + R32[s] + ", " + imm));
                }
                case 2 -> {
                    int imm = ch.value();
                    yield List.of(enc(0x69, rr(d, s)).d(imm).as("imul " + R32[d] + ", " + R32[s] + ", " + hex(imm)));
                }
                case 3 -> {
                    boolean signed = ch.chance(50);
                    yield List.of(enc(0xF7, rr(signed ? 5 : 4, s)).as((signed ? "imul " : "mul ") + R32[s]));
                }
                default -> List.of(enc(0x0F, 0xAF, rr(d, s)).as("imul " + R32[d] + ", " + R32[s]));
            };
        }

        /**
         * INC, DEC, a shift or an IMUL: flag setters the compiled tier handles apart, computing their
         * flags only where a later instruction may read them.
         */
        private List<Ins> flagUnit() {
            return switch (ch.below(3)) {
                case 1 -> shift();
                case 2 -> multiply();
                default -> incDec();
            };
        }

        /** Instructions whose flags a following Jcc reads. */
        private List<Ins> setter() {
            switch (ch.below(14)) {
                case 1 -> {
                    int r = src();
                    if (ch.chance(50)) {
                        int imm = ch.imm8();
                        return List.of(enc(0x83, rr(7, r), imm).as("cmp " + R32[r] + ", " + imm));
                    }
                    int imm = ch.value();
                    return List.of(enc(0x81, rr(7, r)).d(imm).as("cmp " + R32[r] + ", " + hex(imm)));
                }
                case 2 -> {
                    Mem m = mem();
                    return switch (ch.below(3)) {
                        case 1 -> {
                            int r = src();
                            yield with(m, enc(0x39).m(r, m).as("cmp " + m.text() + ", " + R32[r]));
                        }
                        case 2 -> {
                            int imm = ch.imm8();
                            yield with(m, enc(0x83).m(7, m).b(imm).as("cmp dword " + m.text() + ", " + imm));
                        }
                        default -> {
                            int r = src();
                            yield with(m, enc(0x3B).m(r, m).as("cmp " + R32[r] + ", " + m.text()));
                        }
                    };
                }
                case 3, 4 -> {
                    return addOrSub(ch.below(2) == 0 ? 0 : 5);
                }
                case 5 -> {
                    int[] logic = {1, 4, 6};
                    int op = logic[ch.below(3)];
                    int d = dest();
                    if (ch.chance(50)) {
                        int imm = ch.imm8();
                        return List.of(enc(0x83, rr(op, d), imm).as(ALU[op] + " " + R32[d] + ", " + imm));
                    }
                    int s = src();
                    return List.of(enc(op * 8 + 1, rr(s, d)).as(ALU[op] + " " + R32[d] + ", " + R32[s]));
                }
                case 6 -> {
                    int x = src(), y = src();
                    return List.of(enc(0x85, rr(y, x)).as("test " + R32[x] + ", " + R32[y]));
                }
                case 7, 8 -> {
                    return incDec();
                }
                case 9, 10 -> {
                    // INC/DEC keep CF from the ADD/SUB before them.
                    List<Ins> unit = new ArrayList<>(addOrSub(ch.below(2) == 0 ? 0 : 5));
                    if (ch.chance(40)) {
                        unit.addAll(quiet());
                    }
                    unit.addAll(incDec());
                    return unit;
                }
                case 11 -> {
                    // CMP, then instructions that leave the flags alone.
                    int x = src(), y = src();
                    List<Ins> unit = new ArrayList<>();
                    unit.add(enc(0x39, rr(y, x)).as("cmp " + R32[x] + ", " + R32[y]));
                    unit.addAll(quiet());
                    return unit;
                }
                case 12 -> {
                    return unit();
                }
                case 13 -> {
                    return flagUnit();
                }
                default -> {
                    int x = src(), y = src();
                    return List.of(enc(0x39, rr(y, x)).as("cmp " + R32[x] + ", " + R32[y]));
                }
            }
        }

        private List<Ins> addOrSub(int op) {
            int d = dest();
            switch (ch.below(3)) {
                case 1 -> {
                    int imm = ch.chance(50) ? ch.imm8() : ch.value();
                    return preload(d, imm == (byte) imm ? enc(0x83, rr(op, d), imm).as(ALU[op] + " " + R32[d] + ", " + imm)
                            : enc(0x81, rr(op, d)).d(imm).as(ALU[op] + " " + R32[d] + ", " + hex(imm)));
                }
                case 2 -> {
                    Mem m = mem();
                    return with(m, enc(op * 8 + 3).m(d, m).as(ALU[op] + " " + R32[d] + ", " + m.text()));
                }
                default -> {
                    int s = src();
                    return preload(d, enc(op * 8 + 1, rr(s, d)).as(ALU[op] + " " + R32[d] + ", " + R32[s]));
                }
            }
        }

        /** An instruction that changes no flags. */
        private List<Ins> quiet() {
            int d = dest();
            int s = src();
            return switch (ch.below(4)) {
                case 1 -> List.of(enc(0x8D, 0x40 | d << 3 | (s == 4 ? 0 : s), 4)
                        .as("lea " + R32[d] + ", [" + R32[s == 4 ? 0 : s] + "+4]"));
                case 2 -> List.of(enc(0x0F, 0xB6, rr(d, s)).as("movzx " + R32[d] + ", " + R8[s]));
                case 3 -> {
                    Mem m = mem();
                    if (!m.setup().isEmpty()) {
                        // Its mask would set flags.
                        yield List.of(enc(0xB8 + d).d(s).as("mov " + R32[d] + ", " + s));
                    }
                    yield with(m, enc(0x8B).m(d, m).as("mov " + R32[d] + ", " + m.text()));
                }
                default -> List.of(enc(0x89, rr(s, d)).as("mov " + R32[d] + ", " + R32[s]));
            };
        }
    }
}
