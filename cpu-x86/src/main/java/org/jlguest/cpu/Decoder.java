package org.jlguest.cpu;

import org.jlguest.mmu.Mmu;

/**
 * Turns instruction bytes into an {@link Insn}: prefixes, opcode, ModRM/SIB with every
 * displacement form in 16- and 32-bit addressing, and immediates, all as {@link OpcodeTable}
 * describes them.
 *
 * <p>Bytes are fetched through the MMU's fetch path, so a fetch that crosses into an unmapped page
 * raises #PF with that page's address, as hardware does. Undefined opcodes, a LOCK prefix where
 * it is not allowed and register forms of memory-only operands decode to {@link Family#INVALID}
 * (#UD when executed); more than 15 bytes decode to {@link Family#TOO_LONG} (#GP(0)).
 */
public final class Decoder {
    static final int MAX_LENGTH = 15;

    private final Mmu mmu;
    /** When decoding from a byte array rather than guest memory: the bytes; null otherwise. */
    private byte[] bytes;
    private int linear;
    private int count;

    public Decoder(Mmu mmu) {
        this.mmu = mmu;
    }

    /** A decoder for instruction bytes that are not in guest memory (see {@link #decode(Insn, byte[], boolean)}). */
    public Decoder() {
        this(null);
    }

    /**
     * Decodes the instruction at the start of {@code code}: for a Launcher emulating the
     * instruction a Guest trapped on, from the bytes the Host reported. Bytes past the array read
     * as zero, as the Host pads a record whose instruction crossed into an unmapped page.
     */
    public void decode(Insn in, byte[] code, boolean code32) {
        this.bytes = code;
        try {
            decode(in, 0, code32);
        } finally {
            this.bytes = null;
        }
    }

    /** Decodes the instruction at {@code linear} for code of the given default size. */
    public void decode(Insn in, int linear, boolean code32) {
        this.linear = linear;
        this.count = 0;
        in.clear();
        boolean operandPrefix = false;
        boolean addressPrefix = false;
        int b;
        prefixes:
        for (;;) {
            if (count == MAX_LENGTH) {
                tooLong(in);
                return;
            }
            b = next8();
            switch (b) {
                case 0x26 -> override(in, Cpu.ES);
                case 0x2E -> override(in, Cpu.CS);
                case 0x36 -> override(in, Cpu.SS);
                case 0x3E -> override(in, Cpu.DS);
                case 0x64 -> override(in, Cpu.FS);
                case 0x65 -> override(in, Cpu.GS);
                case 0x66 -> operandPrefix = true;
                case 0x67 -> addressPrefix = true;
                case 0xF0 -> in.lock = true;
                case 0xF2 -> in.rep = Insn.REPNE;
                case 0xF3 -> in.rep = Insn.REP;
                default -> {
                    break prefixes;
                }
            }
        }
        int op = b;
        if (b == 0x0F) {
            if (count == MAX_LENGTH) {
                tooLong(in);
                return;
            }
            op = 0x100 | next8();
        }
        in.op = op;
        in.o16 = code32 == operandPrefix;
        in.a16 = code32 == addressPrefix;
        if (OpcodeTable.hasModrm(op)) {
            int modrm = next8();
            in.mod = modrm >>> 6;
            in.reg = (modrm >>> 3) & 7;
            in.rm = modrm & 7;
            if ((op & ~3) == 0x120) {
                // MOV to/from CR and DR: the operand is always a register, whatever mod says.
                in.mod = 3;
            } else if (in.mod != 3) {
                int defaultSeg = in.a16 ? address16(in) : address32(in);
                if (!in.segOverride) {
                    in.seg = defaultSeg;
                }
            }
        } else {
            in.reg = op & 7;
        }
        int attr = OpcodeTable.attributes(op, OpcodeTable.hasModrm(op) ? in.reg : 0);
        if ((attr & OpcodeTable.DEFINED) == 0
                || ((attr & OpcodeTable.MEMORY_ONLY) != 0 && in.mod == 3)
                || (in.lock && ((attr & OpcodeTable.LOCKABLE) == 0 || in.mod == 3))) {
            in.family = Family.INVALID;
            in.length = count;
            return;
        }
        in.size = (attr & OpcodeTable.BYTE) != 0 ? 0 : in.o16 ? 1 : 2;
        immediates(in, (attr & OpcodeTable.IMM_MASK) >>> OpcodeTable.IMM_SHIFT);
        if (count > MAX_LENGTH) {
            tooLong(in);
            return;
        }
        in.family = attr & OpcodeTable.FAMILY_MASK;
        in.length = count;
        Executor.form(in);
        Executor.step(in);
    }

    /** Whether the decoded instruction must be the last of its block. */
    static boolean endsBlock(Insn in) {
        if (in.family == Family.INVALID || in.family == Family.TOO_LONG) {
            return true;
        }
        return (OpcodeTable.attributes(in.op, OpcodeTable.hasModrm(in.op) ? in.reg : 0) & OpcodeTable.ENDS_BLOCK) != 0;
    }

    private static void override(Insn in, int seg) {
        in.seg = seg;
        in.segOverride = true;
    }

    private void tooLong(Insn in) {
        in.family = Family.TOO_LONG;
        in.length = MAX_LENGTH;
    }

    private void immediates(Insn in, int kind) {
        switch (kind) {
            case OpcodeTable.IMM_B -> in.imm = next8();
            case OpcodeTable.IMM_BS, OpcodeTable.IMM_JB -> in.imm = (byte) next8();
            case OpcodeTable.IMM_W -> in.imm = next16();
            case OpcodeTable.IMM_Z -> in.imm = in.o16 ? next16() : next32();
            case OpcodeTable.IMM_JZ -> in.imm = in.o16 ? (short) next16() : next32();
            case OpcodeTable.IMM_AP -> {
                in.imm = in.o16 ? next16() : next32();
                in.imm2 = next16();
            }
            case OpcodeTable.IMM_ENTER -> {
                in.imm = next16();
                in.imm2 = next8();
            }
            case OpcodeTable.IMM_MOFFS -> {
                in.mod = 0;
                in.disp = in.a16 ? next16() : next32();
            }
            default -> {
            }
        }
    }

    /** 32-bit ModRM/SIB addressing; returns the default segment (SS for EBP/ESP bases). */
    private int address32(Insn in) {
        int base;
        if (in.rm == 4) {
            int sib = next8();
            in.scale = sib >>> 6;
            int index = (sib >>> 3) & 7;
            in.index = index == 4 ? 8 : index;
            base = sib & 7;
            if (base == 5 && in.mod == 0) {
                base = 8;
                in.disp = next32();
            }
        } else if (in.rm == 5 && in.mod == 0) {
            base = 8;
            in.disp = next32();
        } else {
            base = in.rm;
        }
        in.base = base;
        if (in.mod == 1) {
            in.disp = (byte) next8();
        } else if (in.mod == 2) {
            in.disp = next32();
        }
        return base == Cpu.ESP || base == Cpu.EBP ? Cpu.SS : Cpu.DS;
    }

    /** 16-bit addressing: BX/BP plus SI/DI plus displacement; returns the default segment. */
    private int address16(Insn in) {
        switch (in.rm) {
            case 0 -> pair(in, Cpu.EBX, Cpu.ESI);
            case 1 -> pair(in, Cpu.EBX, Cpu.EDI);
            case 2 -> pair(in, Cpu.EBP, Cpu.ESI);
            case 3 -> pair(in, Cpu.EBP, Cpu.EDI);
            case 4 -> pair(in, Cpu.ESI, 8);
            case 5 -> pair(in, Cpu.EDI, 8);
            case 6 -> pair(in, in.mod == 0 ? 8 : Cpu.EBP, 8);
            default -> pair(in, Cpu.EBX, 8);
        }
        if (in.mod == 0 && in.rm == 6) {
            in.disp = next16();
        } else if (in.mod == 1) {
            in.disp = (byte) next8();
        } else if (in.mod == 2) {
            in.disp = (short) next16();
        }
        return in.base == Cpu.EBP ? Cpu.SS : Cpu.DS;
    }

    private static void pair(Insn in, int base, int index) {
        in.base = base;
        in.index = index;
    }

    private int next8() {
        int at = count++;
        if (bytes != null) {
            return at < bytes.length ? bytes[at] & 0xFF : 0;
        }
        return mmu.fetch8(linear + at);
    }

    private int next16() {
        int lo = next8();
        return lo | next8() << 8;
    }

    private int next32() {
        int lo = next16();
        return lo | next16() << 16;
    }
}
