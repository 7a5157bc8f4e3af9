package org.jlguest.cpu;

import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;

/**
 * Dispatch of a decoded instruction.
 *
 * <p>The commonest forms of 32-bit code (MOV, LEA, MOVZX, the ALU operations on registers and
 * loads, TEST, INC/DEC, Jcc and JMP) get a form number at decode time ({@link #form}), which picks
 * a small handler here with the operand size, the register-or-memory choice and the operation
 * already settled. Everything else goes through the family switch to its handler class. A form
 * handler does exactly what the family handler does for that form; the family handlers remain
 * the reference for every other size and prefix combination.
 */
final class Executor {
    /** No form: the family switch. */
    static final int GENERAL = 0;
    static final int MOV_R_R = 1, MOV_R_M = 2, MOV_M_R = 3, MOV_M8_R8 = 4, MOV_R_I = 5, LEA = 6,
            MOVZX_R_R8 = 7, MOVZX_R_M8 = 8;
    /** Register destination, register source: {@code reg[a] = reg[a] OP reg[b]}. */
    static final int ADD_RR = 10, OR_RR = 11, AND_RR = 12, SUB_RR = 13, XOR_RR = 14, CMP_RR = 15, TEST_RR = 16;
    /** Register destination, immediate source. */
    static final int ADD_RI = 20, OR_RI = 21, AND_RI = 22, SUB_RI = 23, XOR_RI = 24, CMP_RI = 25;
    /** Register destination, memory source. */
    static final int ADD_RM = 30, OR_RM = 31, AND_RM = 32, SUB_RM = 33, XOR_RM = 34, CMP_RM = 35;
    /** CMP with a memory destination (read only). */
    static final int CMP_MR = 40, CMP_MI = 41;
    static final int INC_R = 45, DEC_R = 46;
    /** Branches, below {@link #FIRST_SIMPLE}: the run loop computes their target itself. */
    static final int JCC = -1, JMP = -2;

    /**
     * The run loop's own steps ({@link Insn#step}) beyond the forms, which keep their numbers as
     * steps: SHL/SHR/SAR/ROL/ROR r32 by a nonzero immediate count, IMUL r32 by r/m32 or by r/m32 and an
     * immediate (operands in {@link Insn#p} and {@link Insn#q}, as the forms' {@code ra} and
     * {@code rb}).
     */
    static final int S_SHL_RI = 54, S_SHR_RI = 55, S_SAR_RI = 56, S_IMUL_RR = 57, S_IMUL_RRI = 59, S_ROL_RI = 61,
            S_ROR_RI = 62;
    /**
     * Steps with a memory operand are numbered from here: a form's number plus this, and IMUL
     * r32, m32 [, imm].
     */
    static final int MEMORY = 100;
    static final int S_IMUL_RM = MEMORY + 58, S_IMUL_RMI = MEMORY + 60;
    /** The branch steps are negative: Jcc (any condition), JMP rel, JZ, JNZ. */
    static final int S_JCC = JCC, S_JMP = JMP, S_JZ = -3, S_JNZ = -4;

    private Executor() {
    }

    /** Forms from this number on neither read nor write EIP (see {@link #run}). */
    static final int FIRST_SIMPLE = MOV_R_R;

    /** Executes a branch form or a family instruction; its EIP and address are in the CPU. */
    static void execute(Cpu cpu, Insn in) {
        switch (in.form) {
            case JCC -> {
                if (cpu.flags.condition(in.ra)) {
                    cpu.eip += in.imm;
                }
            }
            case JMP -> cpu.eip += in.imm;
            default -> family(cpu, in);
        }
    }

    /**
     * Runs the first {@code n} instructions of a block starting at {@code eip} (with {@code wrap}
     * masking EIP: -1 for 32-bit code, 0xFFFF for 16-bit), until one branches or asks to end the
     * block. Leaves EIP and the retired count in the CPU.
     *
     * <p>Runs of instructions with a nonzero {@link Insn#step} go to {@link #simple}; this
     * method runs the others, one at a time, through {@link #execute}, with EIP and the
     * instruction's address in the CPU as every handler expects. An instruction's EIP is the
     * block's start plus the {@link Insn#end} of the one before it.
     */
    static void run(Cpu c, Insn[] insns, int n, int eip, int wrap) {
        int i = 0;
        while (true) {
            long stop = simple(c, insns, i, n, eip, wrap);
            i = (int) (stop >>> 32);
            if (i >= n) {
                c.eip = (int) stop;
                return;
            }
            Insn in = insns[i];
            int next = (eip + in.end) & wrap;
            c.insnEip = (eip + in.end - in.length) & wrap;
            c.eip = next;
            execute(c, in);
            c.instructions++;
            if (c.eip != next || c.breakBlock) {
                return;
            }
            i++;
        }
    }

    /**
     * Runs instructions {@code i} to {@code n - 1} of the block starting at {@code start} while
     * they have a step ({@link Insn#step}): a form at or above {@link #FIRST_SIMPLE}, a branch
     * form, or one of the loop's own steps. The non-branch ones read neither EIP nor their own
     * address, so neither is kept while they run: the retired count is the number of
     * instructions passed and EIP follows from {@link Insn#end}, both worked out on the way out;
     * a fault leaving stores the count and the faulting instruction's address, for the fault to
     * rewind to. Returns the index of the first instruction not run in the high half ({@code n}
     * when the block is done: run to its end, a Jcc taken, or {@code breakBlock} set by a store
     * into decoded code) and the EIP there in the low half.
     *
     * <p>Other instructions are left to {@link #run}, so this loop makes no call on its common
     * paths; its switch is in the loop, so the JIT compiles it in one piece with the loop.
     */
    private static long simple(Cpu c, Insn[] insns, int i, int n, int start, int wrap) {
        int[] reg = c.reg;
        Flags f = c.flags;
        Mmu mmu = c.mmu;
        int first = i;
        try {
            for (; i < n; i++) {
                Insn in = insns[i];
                int step = in.step;
                if (step < FIRST_SIMPLE) {
                    if (step == GENERAL) {
                        break;
                    }
                    boolean taken = switch (step) {
                        case S_JZ -> f.kind == Flags.EAGER ? (f.bits & Flags.ZF) != 0 : f.res == 0;
                        case S_JNZ -> f.kind == Flags.EAGER ? (f.bits & Flags.ZF) == 0 : f.res != 0;
                        case S_JMP -> true;
                        default -> f.condition(in.ra);
                    };
                    if (taken) {
                        return leave(c, i + 1 - first, n, ((start + in.end) & wrap) + in.imm);
                    }
                    continue;
                }
                // Each switch's operands are loaded before it, so the JIT keeps few values live
                // across the jump: the registers, the immediate and, for a memory operand, its
                // effective address.
                int a = in.p;
                int imm = in.imm;
                if (step < MEMORY) {
                    int b = in.q;
                    switch (step) {
                        case MOV_R_R -> reg[a] = reg[b];
                        case MOV_R_I -> reg[a] = imm;
                        case MOVZX_R_R8 -> reg[a] = c.readReg(b, 0);
                        case ADD_RR -> add(reg, f, a, reg[b]);
                        case OR_RR -> logic(reg, f, a, reg[a] | reg[b]);
                        case AND_RR -> logic(reg, f, a, reg[a] & reg[b]);
                        case SUB_RR -> sub(reg, f, a, reg[b]);
                        case XOR_RR -> logic(reg, f, a, reg[a] ^ reg[b]);
                        case CMP_RR -> compare(f, reg[a], reg[b]);
                        case TEST_RR -> test(f, reg[a] & reg[b]);
                        case ADD_RI -> add(reg, f, a, imm);
                        case OR_RI -> logic(reg, f, a, reg[a] | imm);
                        case AND_RI -> logic(reg, f, a, reg[a] & imm);
                        case SUB_RI -> sub(reg, f, a, imm);
                        case XOR_RI -> logic(reg, f, a, reg[a] ^ imm);
                        case CMP_RI -> compare(f, reg[a], imm);
                        case INC_R -> incDec(reg, f, a, Flags.INC, 1);
                        case DEC_R -> incDec(reg, f, a, Flags.DEC, -1);
                        case S_SHL_RI -> reg[a] = shl(f, reg[a], imm & 0x1F);
                        case S_SHR_RI -> reg[a] = shr(f, reg[a], imm & 0x1F);
                        case S_SAR_RI -> reg[a] = sar(f, reg[a], imm & 0x1F);
                        case S_ROL_RI -> reg[a] = rol(f, reg[a], imm & 0x1F);
                        case S_ROR_RI -> reg[a] = ror(f, reg[a], imm & 0x1F);
                        case S_IMUL_RR -> reg[a] = MulDiv.multiply32(f, reg[a], reg[b]);
                        case S_IMUL_RRI -> reg[a] = MulDiv.multiply32(f, reg[b], imm);
                        default -> throw new IllegalStateException("step " + step);
                    }
                    continue;
                }
                int ea = reg[in.base] + (reg[in.index] << in.scale) + in.disp;
                if (in.a16) {
                    ea &= 0xFFFF;
                }
                switch (step) {
                    case MEMORY + MOV_R_M -> reg[a] = mmu.read32(c.linear(in.seg, ea, 4, false));
                    case MEMORY + MOV_M_R -> {
                        mmu.write32(c.linear(in.seg, ea, 4, true), reg[a]);
                        if (c.breakBlock) {
                            return leave(c, i + 1 - first, n, (start + in.end) & wrap);
                        }
                    }
                    case MEMORY + MOV_M8_R8 -> {
                        mmu.write8(c.linear(in.seg, ea, 1, true), c.readReg(a, 0));
                        if (c.breakBlock) {
                            return leave(c, i + 1 - first, n, (start + in.end) & wrap);
                        }
                    }
                    case MEMORY + LEA -> reg[a] = ea;
                    case MEMORY + MOVZX_R_M8 -> reg[a] = mmu.read8(c.linear(in.seg, ea, 1, false));
                    case MEMORY + ADD_RM -> add(reg, f, a, mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + OR_RM -> logic(reg, f, a, reg[a] | mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + AND_RM -> logic(reg, f, a, reg[a] & mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + SUB_RM -> sub(reg, f, a, mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + XOR_RM -> logic(reg, f, a, reg[a] ^ mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + CMP_RM -> compare(f, reg[a], mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case MEMORY + CMP_MR -> compare(f, mmu.read32(c.linear(in.seg, ea, 4, false)), reg[a]);
                    case MEMORY + CMP_MI -> compare(f, mmu.read32(c.linear(in.seg, ea, 4, false)), imm);
                    case S_IMUL_RM -> reg[a] = MulDiv.multiply32(f, reg[a], mmu.read32(c.linear(in.seg, ea, 4, false)));
                    case S_IMUL_RMI -> reg[a] = MulDiv.multiply32(f, mmu.read32(c.linear(in.seg, ea, 4, false)), imm);
                    default -> throw new IllegalStateException("step " + step);
                }
            }
        } catch (Fault fault) {
            c.instructions += i - first;
            Insn in = insns[i];
            c.insnEip = (start + in.end - in.length) & wrap;
            throw fault;
        }
        return leave(c, i - first, i, i == 0 ? start : (start + insns[i - 1].end) & wrap);
    }

    /** Adds {@code retired} to the CPU's count; {@link #simple}'s result for index {@code i} and {@code eip}. */
    private static long leave(Cpu c, int retired, int i, int eip) {
        c.instructions += retired;
        return (long) i << 32 | (eip & 0xFFFFFFFFL);
    }

    static void add(int[] reg, Flags f, int a, int src) {
        int dst = reg[a];
        int res = dst + src;
        reg[a] = res;
        f.set32(Flags.ADD, res, dst, src);
    }

    static void sub(int[] reg, Flags f, int a, int src) {
        int dst = reg[a];
        int res = dst - src;
        reg[a] = res;
        f.set32(Flags.SUB, res, dst, src);
    }

    static void compare(Flags f, int dst, int src) {
        f.set32(Flags.SUB, dst - src, dst, src);
    }

    static void logic(int[] reg, Flags f, int a, int res) {
        reg[a] = res;
        f.set32(Flags.LOGIC, res, res, 0);
    }

    static void test(Flags f, int res) {
        f.set32(Flags.LOGIC, res, res, 0);
    }

    static void incDec(int[] reg, Flags f, int a, int kind, int delta) {
        int dst = reg[a];
        int res = dst + delta;
        reg[a] = res;
        f.setIncDec32(kind, res, dst);
    }

    /** SHL r32 by a count of 1-31, flags as {@link Shifts} sets them. */
    static int shl(Flags f, int dst, int n) {
        int res = dst << n;
        int cf = (dst >>> (32 - n)) & 1;
        shifted(f, res, cf, (res >>> 31) ^ cf);
        return res;
    }

    /** SHR r32 by a count of 1-31. */
    static int shr(Flags f, int dst, int n) {
        int res = dst >>> n;
        shifted(f, res, (dst >>> (n - 1)) & 1, ((res >>> 31) ^ (res >>> 30)) & 1);
        return res;
    }

    /** SAR r32 by a count of 1-31. */
    static int sar(Flags f, int dst, int n) {
        int res = dst >> n;
        shifted(f, res, (dst >> (n - 1)) & 1, ((res >>> 31) ^ (res >>> 30)) & 1);
        return res;
    }

    /** ROL r32 by a count of 1-31: CF and OF set, SF, ZF, AF and PF kept. */
    static int rol(Flags f, int dst, int n) {
        int res = Integer.rotateLeft(dst, n);
        int cf = res & 1;
        f.setArithmetic(f.szap() | cf | (((res >>> 31) ^ cf) != 0 ? Flags.OF : 0));
        return res;
    }

    /** ROR r32 by a count of 1-31. */
    static int ror(Flags f, int dst, int n) {
        int res = Integer.rotateRight(dst, n);
        f.setArithmetic(f.szap() | (res >>> 31) | ((((res >>> 31) ^ (res >>> 30)) & 1) != 0 ? Flags.OF : 0));
        return res;
    }

    /** A shift's flags: CF and OF (each 0 or 1), AF set, ZF, SF and PF of the 32-bit result. */
    private static void shifted(Flags f, int res, int cf, int of) {
        f.setArithmetic(cf | (of != 0 ? Flags.OF : 0) | Flags.AF
                | (res == 0 ? Flags.ZF : 0) | (res < 0 ? Flags.SF : 0) | (Flags.parity(res) ? Flags.PF : 0));
    }

    /**
     * Chooses the run loop's step of a decoded instruction whose form is set ({@link Insn#step}):
     * its form if it has one, one of the loop's own steps, else 0.
     */
    static void step(Insn in) {
        int form = in.form;
        in.p = in.ra;
        in.q = in.rb;
        switch (form) {
            case MOV_R_M, MOV_M_R, MOV_M8_R8, LEA, MOVZX_R_M8, ADD_RM, OR_RM, AND_RM, SUB_RM, XOR_RM, CMP_RM, CMP_MR,
                    CMP_MI -> in.step = MEMORY + form;
            case JCC -> in.step = in.ra == 4 ? S_JZ : in.ra == 5 ? S_JNZ : S_JCC;
            case JMP -> in.step = S_JMP;
            case GENERAL -> {
                in.step = GENERAL;
                if (in.lock || in.size != 2) {
                    return;
                }
                boolean reg = in.mod == 3;
                if (in.family == Family.SHIFT && in.op == 0xC1 && reg && (in.imm & 0x1F) != 0) {
                    in.step = switch (in.reg) {
                        case 0 -> S_ROL_RI;
                        case 1 -> S_ROR_RI;
                        case 4, 6 -> S_SHL_RI;
                        case 5 -> S_SHR_RI;
                        case 7 -> S_SAR_RI;
                        default -> GENERAL;
                    };
                    in.p = in.rm;
                } else if (in.family == Family.MULDIV && in.op == 0x1AF) {
                    in.step = reg ? S_IMUL_RR : S_IMUL_RM;
                    in.p = in.reg;
                    in.q = in.rm;
                } else if (in.family == Family.MULDIV && (in.op == 0x69 || in.op == 0x6B)) {
                    in.step = reg ? S_IMUL_RRI : S_IMUL_RMI;
                    in.p = in.reg;
                    in.q = in.rm;
                }
            }
            default -> in.step = form;
        }
    }

    /** The family switch: every instruction without a form of its own. */
    static void family(Cpu cpu, Insn in) {
        switch (in.family) {
            case Family.ALU -> Alu.execute(cpu, in);
            case Family.MULDIV -> MulDiv.execute(cpu, in);
            case Family.SHIFT -> Shifts.execute(cpu, in);
            case Family.BCD -> Bcd.execute(cpu, in);
            case Family.BIT -> Bits.execute(cpu, in);
            case Family.MOVE -> Moves.execute(cpu, in);
            case Family.STACK -> Stack.execute(cpu, in);
            case Family.STRING -> Strings.execute(cpu, in);
            case Family.CONTROL -> Control.execute(cpu, in);
            case Family.FLAG -> FlagOps.execute(cpu, in);
            case Family.SEGMENT -> Segments.execute(cpu, in);
            case Family.SYSTEM -> SystemOps.execute(cpu, in);
            case Family.IO -> PortIo.execute(cpu, in);
            case Family.X87 -> X87.execute(cpu, in);
            case Family.TOO_LONG -> throw cpu.gp(0);
            default -> throw cpu.ud();
        }
    }

    /**
     * Chooses the form of a decoded instruction and fills its operand fields ({@code ra},
     * {@code rb}): only 32-bit operands, no LOCK, and for branches a 32-bit operand size.
     */
    static void form(Insn in) {
        in.form = GENERAL;
        if (in.lock || in.size != 2) {
            if (in.size == 0 && !in.lock && in.op == 0x88 && in.mod != 3 && in.family == Family.MOVE) {
                set(in, MOV_M8_R8, in.reg, 0);
            }
            return;
        }
        int op = in.op;
        int family = in.family;
        boolean reg = in.mod == 3;
        if (family == Family.ALU) {
            if (op < 0x40) {
                int operation = op >>> 3;
                switch (op & 7) {
                    case 1 -> {
                        if (reg) {
                            set(in, rr(operation), in.rm, in.reg);
                        } else if (operation == Alu.CMP) {
                            set(in, CMP_MR, in.reg, 0);
                        }
                    }
                    case 3 -> set(in, reg ? rr(operation) : rm(operation), in.reg, in.rm);
                    case 5 -> set(in, ri(operation), Cpu.EAX, 0);
                    default -> {
                    }
                }
            } else if (op == 0x81 || op == 0x83) {
                if (reg) {
                    set(in, ri(in.reg), in.rm, 0);
                } else if (in.reg == Alu.CMP) {
                    set(in, CMP_MI, 0, 0);
                }
            } else if (op == 0x85 && reg) {
                set(in, TEST_RR, in.rm, in.reg);
            } else if (op >= 0x40 && op < 0x50) {
                set(in, op < 0x48 ? INC_R : DEC_R, op & 7, 0);
            }
        } else if (family == Family.MOVE) {
            switch (op) {
                case 0x89 -> set(in, reg ? MOV_R_R : MOV_M_R, reg ? in.rm : in.reg, in.reg);
                case 0x8B -> set(in, reg ? MOV_R_R : MOV_R_M, in.reg, in.rm);
                case 0x8D -> set(in, LEA, in.reg, 0);
                case 0x1B6 -> set(in, reg ? MOVZX_R_R8 : MOVZX_R_M8, in.reg, in.rm);
                default -> {
                    if (op >= 0xB8 && op <= 0xBF) {
                        set(in, MOV_R_I, op & 7, 0);
                    }
                }
            }
        } else if (family == Family.CONTROL && !in.o16) {
            if ((op & 0x1F0) == 0x70 || (op & 0x1F0) == 0x180) {
                set(in, JCC, op & 0xF, 0);
            } else if (op == 0xEB || op == 0xE9) {
                set(in, JMP, 0, 0);
            }
        }
    }

    private static void set(Insn in, int form, int a, int b) {
        in.form = form;
        in.ra = a;
        in.rb = b;
    }

    /** The register-register form of ALU operation {@code operation}, or GENERAL (ADC, SBB). */
    private static int rr(int operation) {
        return switch (operation) {
            case Alu.ADD -> ADD_RR;
            case Alu.OR -> OR_RR;
            case Alu.AND -> AND_RR;
            case Alu.SUB -> SUB_RR;
            case Alu.XOR -> XOR_RR;
            case Alu.CMP -> CMP_RR;
            default -> GENERAL;
        };
    }

    private static int ri(int operation) {
        int f = rr(operation);
        return f == GENERAL ? GENERAL : f - ADD_RR + ADD_RI;
    }

    private static int rm(int operation) {
        int f = rr(operation);
        return f == GENERAL ? GENERAL : f - ADD_RR + ADD_RM;
    }
}
