package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.jlguest.cpu.user.UserMachine;

/**
 * Random prefixes before random opcodes with random ModRM, SIB, displacement and immediate bytes:
 * the decoded length and prefix attributes must match a small length model written here from the
 * SDM's opcode map, independently of {@link OpcodeTable}.
 */
class DecoderPropertyTest {
    private static final int CODE = 0x10000000;
    private static final int[] PREFIXES = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};

    private final UserMachine machine = new UserMachine();
    private final Decoder decoder = new Decoder(machine.cpu().mmu());

    // ---- the model --------------------------------------------------------------------

    private static final int NONE = 0, IB = 1, IZ = 2, IW = 3, IW_IB = 4, AP = 5, MOFFS = 6;

    /** What the model knows about one opcode: ModRM, immediate, and per-reg-field masks. */
    private record Shape(boolean modrm, int imm, int validRegs, int memoryOnlyRegs, int lockableRegs) {
    }

    private static final Shape[] SHAPES = new Shape[512];

    private static void shape(int op, boolean modrm, int imm) {
        SHAPES[op] = new Shape(modrm, imm, 0xFF, 0, 0);
    }

    private static void shape(int op, boolean modrm, int imm, int validRegs, int memoryOnlyRegs, int lockableRegs) {
        SHAPES[op] = new Shape(modrm, imm, validRegs, memoryOnlyRegs, lockableRegs);
    }

    private static void range(int first, int last, boolean modrm, int imm) {
        for (int op = first; op <= last; op++) {
            shape(op, modrm, imm);
        }
    }

    static {
        // 00-3F: the eight ALU operations, segment pushes and pops, BCD adjusts.
        for (int row = 0; row < 8; row++) {
            int op = row << 3;
            int lockable = row == 7 ? 0 : 0xFF; // CMP writes nothing
            shape(op, true, NONE, 0xFF, 0, lockable);
            shape(op + 1, true, NONE, 0xFF, 0, lockable);
            shape(op + 2, true, NONE);
            shape(op + 3, true, NONE);
            shape(op + 4, false, IB);
            shape(op + 5, false, IZ);
        }
        for (int op : new int[] {0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F}) {
            shape(op, false, NONE);
        }
        range(0x40, 0x61, false, NONE);
        shape(0x62, true, NONE, 0xFF, 0xFF, 0); // BOUND
        shape(0x63, true, NONE);
        shape(0x68, false, IZ);
        shape(0x69, true, IZ);
        shape(0x6A, false, IB);
        shape(0x6B, true, IB);
        range(0x6C, 0x6F, false, NONE);
        range(0x70, 0x7F, false, IB);
        shape(0x80, true, IB, 0xFF, 0, 0x7F);
        shape(0x81, true, IZ, 0xFF, 0, 0x7F);
        shape(0x82, true, IB, 0xFF, 0, 0x7F);
        shape(0x83, true, IB, 0xFF, 0, 0x7F);
        range(0x84, 0x85, true, NONE);
        shape(0x86, true, NONE, 0xFF, 0, 0xFF);
        shape(0x87, true, NONE, 0xFF, 0, 0xFF);
        range(0x88, 0x8C, true, NONE);
        shape(0x8D, true, NONE, 0xFF, 0xFF, 0); // LEA
        shape(0x8E, true, NONE);
        shape(0x8F, true, NONE, 0x01, 0, 0);
        range(0x90, 0x99, false, NONE);
        shape(0x9A, false, AP);
        range(0x9B, 0x9F, false, NONE);
        range(0xA0, 0xA3, false, MOFFS);
        range(0xA4, 0xA7, false, NONE);
        shape(0xA8, false, IB);
        shape(0xA9, false, IZ);
        range(0xAA, 0xAF, false, NONE);
        range(0xB0, 0xB7, false, IB);
        range(0xB8, 0xBF, false, IZ);
        range(0xC0, 0xC1, true, IB);
        shape(0xC2, false, IW);
        shape(0xC3, false, NONE);
        shape(0xC4, true, NONE, 0xFF, 0xFF, 0);
        shape(0xC5, true, NONE, 0xFF, 0xFF, 0);
        shape(0xC6, true, IB, 0x01, 0, 0);
        shape(0xC7, true, IZ, 0x01, 0, 0);
        shape(0xC8, false, IW_IB);
        shape(0xC9, false, NONE);
        shape(0xCA, false, IW);
        range(0xCB, 0xCC, false, NONE);
        shape(0xCD, false, IB);
        range(0xCE, 0xCF, false, NONE);
        range(0xD0, 0xD3, true, NONE);
        range(0xD4, 0xD5, false, IB);
        range(0xD6, 0xD7, false, NONE);
        range(0xD8, 0xDF, true, NONE);
        range(0xE0, 0xE7, false, IB);
        range(0xE8, 0xE9, false, IZ);
        shape(0xEA, false, AP);
        shape(0xEB, false, IB);
        range(0xEC, 0xEF, false, NONE);
        shape(0xF1, false, NONE);
        range(0xF4, 0xF5, false, NONE);
        shape(0xF6, true, NONE, 0xFF, 0, 0x0C); // TEST's immediate is added per reg below
        shape(0xF7, true, NONE, 0xFF, 0, 0x0C);
        range(0xF8, 0xFD, false, NONE);
        shape(0xFE, true, NONE, 0x03, 0, 0x03);
        shape(0xFF, true, NONE, 0x7F, 0x28, 0x03); // /3 and /5 are far pointers in memory

        // 0F xx
        shape(0x100, true, NONE, 0x3F, 0, 0);
        shape(0x101, true, NONE, 0xDF, 0x8F, 0);
        range(0x102, 0x103, true, NONE);
        shape(0x106, false, NONE);
        range(0x108, 0x109, false, NONE);
        range(0x118, 0x11F, true, NONE);
        range(0x120, 0x123, true, NONE);
        range(0x130, 0x132, false, NONE);
        range(0x140, 0x14F, true, NONE);
        range(0x180, 0x18F, false, IZ);
        range(0x190, 0x19F, true, NONE);
        range(0x1A0, 0x1A2, false, NONE);
        shape(0x1A3, true, NONE);
        shape(0x1A4, true, IB);
        shape(0x1A5, true, NONE);
        range(0x1A8, 0x1A9, false, NONE);
        shape(0x1AB, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1AC, true, IB);
        shape(0x1AD, true, NONE);
        shape(0x1AF, true, NONE);
        shape(0x1B0, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1B1, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1B2, true, NONE, 0xFF, 0xFF, 0);
        shape(0x1B3, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1B4, true, NONE, 0xFF, 0xFF, 0);
        shape(0x1B5, true, NONE, 0xFF, 0xFF, 0);
        range(0x1B6, 0x1B7, true, NONE);
        shape(0x1BA, true, IB, 0xF0, 0, 0xE0);
        shape(0x1BB, true, NONE, 0xFF, 0, 0xFF);
        range(0x1BC, 0x1BF, true, NONE);
        shape(0x1C0, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1C1, true, NONE, 0xFF, 0, 0xFF);
        shape(0x1C7, true, NONE, 0x02, 0x02, 0x02);
        range(0x1C8, 0x1CF, false, NONE);
    }

    /** The model's verdict on one instruction after its prefixes. */
    private record Expected(boolean valid, int length, int bytesThroughModrm, boolean memory, int defaultSeg) {
    }

    /** {@code tail} holds the bytes after the opcode: ModRM, SIB, displacement, immediates. */
    private static Expected model(int op, byte[] tail, boolean o16, boolean a16, boolean lock) {
        Shape s = SHAPES[op];
        int length = op >= 0x100 ? 2 : 1;
        int reg = 0;
        boolean memory = false;
        int defaultSeg = Cpu.DS;
        if (s.modrm()) {
            int modrm = tail[0] & 0xFF;
            int mod = modrm >>> 6;
            reg = (modrm >>> 3) & 7;
            int rm = modrm & 7;
            memory = mod != 3;
            int modrmLength = 1;
            if (memory && a16) {
                modrmLength += mod == 1 ? 1 : mod == 2 || rm == 6 && mod == 0 ? 2 : 0;
                defaultSeg = rm == 2 || rm == 3 || rm == 6 && mod != 0 ? Cpu.SS : Cpu.DS;
            } else if (memory) {
                int base = rm;
                if (rm == 4) {
                    modrmLength++;
                    base = tail[1] & 7;
                }
                boolean disp32Only = mod == 0 && base == 5;
                modrmLength += mod == 1 ? 1 : mod == 2 || disp32Only ? 4 : 0;
                defaultSeg = !disp32Only && (base == 4 || base == 5) ? Cpu.SS : Cpu.DS;
            }
            length += modrmLength;
        }
        int throughModrm = length;
        boolean valid = (s.validRegs() >> reg & 1) != 0
                && !(!memory && s.modrm() && (s.memoryOnlyRegs() >> reg & 1) != 0)
                && !(lock && (!memory || (s.lockableRegs() >> reg & 1) == 0));
        int imm = s.imm();
        if ((op == 0xF6 || op == 0xF7) && reg < 2) {
            imm = op == 0xF6 ? IB : IZ;
        }
        int z = o16 ? 2 : 4;
        length += switch (imm) {
            case IB -> 1;
            case IZ -> z;
            case IW -> 2;
            case IW_IB -> 3;
            case AP -> z + 2;
            case MOFFS -> a16 ? 2 : 4;
            default -> 0;
        };
        if (imm == MOFFS) {
            memory = true;
        }
        return new Expected(valid, length, throughModrm, memory, defaultSeg);
    }

    // ---- generators -------------------------------------------------------------------

    @Provide
    Arbitrary<List<Integer>> prefixes() {
        return Arbitraries.of(toList(PREFIXES)).list().ofMaxSize(14);
    }

    @Provide
    Arbitrary<Integer> opcodes() {
        List<Integer> ops = new ArrayList<>();
        for (int op = 0; op < SHAPES.length; op++) {
            if (SHAPES[op] != null) {
                ops.add(op);
            }
        }
        return Arbitraries.of(ops);
    }

    private static List<Integer> toList(int[] values) {
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    // ---- the property -----------------------------------------------------------------

    @Property(tries = 3000)
    void lengthAndPrefixesMatchTheModel(@ForAll("prefixes") List<Integer> prefixes, @ForAll("opcodes") int op,
            @ForAll @Size(16) byte[] tail, @ForAll boolean code32) {
        if (op >= 0x120 && op <= 0x123) {
            tail[0] |= (byte) 0xC0; // MOV to and from control/debug registers ignores mod: always registers
        }
        boolean operandPrefix = prefixes.contains(0x66);
        boolean addressPrefix = prefixes.contains(0x67);
        boolean lock = prefixes.contains(0xF0);
        boolean o16 = code32 == operandPrefix;
        boolean a16 = code32 == addressPrefix;
        Expected e = model(op, tail, o16, a16, lock);

        byte[] code = new byte[prefixes.size() + 2 + tail.length];
        int n = 0;
        for (int p : prefixes) {
            code[n++] = (byte) p;
        }
        if (op >= 0x100) {
            code[n++] = 0x0F;
        }
        code[n++] = (byte) op;
        System.arraycopy(tail, 0, code, n, tail.length);
        machine.mapCode(CODE, code);
        Insn in = new Insn();
        decoder.decode(in, CODE, code32);

        int total = prefixes.size() + e.length();
        if (!e.valid()) {
            // Which of "too long" and "undefined" wins past 15 bytes is not what this checks.
            Assume.that(prefixes.size() + e.bytesThroughModrm() <= Decoder.MAX_LENGTH);
            assertEquals(Family.INVALID, in.family, "family");
            return;
        }
        if (total > Decoder.MAX_LENGTH) {
            assertEquals(Family.TOO_LONG, in.family, "family");
            assertEquals(Decoder.MAX_LENGTH, in.length, "length");
            return;
        }
        assertEquals(total, in.length, "length");
        assertEquals(o16, in.o16, "o16");
        assertEquals(a16, in.a16, "a16");
        assertEquals(lock, in.lock, "lock");
        assertEquals(expectedRep(prefixes), in.rep, "rep");
        int override = lastOverride(prefixes);
        assertEquals(override >= 0, in.segOverride, "segment override");
        if (override >= 0) {
            assertEquals(override, in.seg, "segment");
        } else if (e.memory()) {
            assertEquals(e.defaultSeg(), in.seg, "default segment");
        }
    }

    private static int expectedRep(List<Integer> prefixes) {
        int rep = 0;
        for (int p : prefixes) {
            rep = p == 0xF3 ? Insn.REP : p == 0xF2 ? Insn.REPNE : rep;
        }
        return rep;
    }

    private static int lastOverride(List<Integer> prefixes) {
        int seg = -1;
        for (int p : prefixes) {
            seg = switch (p) {
                case 0x26 -> Cpu.ES;
                case 0x2E -> Cpu.CS;
                case 0x36 -> Cpu.SS;
                case 0x3E -> Cpu.DS;
                case 0x64 -> Cpu.FS;
                case 0x65 -> Cpu.GS;
                default -> seg;
            };
        }
        return seg;
    }
}
