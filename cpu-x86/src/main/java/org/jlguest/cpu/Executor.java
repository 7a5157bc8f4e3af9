package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

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
     * <p>Runs of forms at or above {@link #FIRST_SIMPLE} and Jcc go to {@link #simple}; this
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
     * their forms are at or above {@link #FIRST_SIMPLE} or Jcc. These read neither EIP nor their
     * own address, so neither is kept while they run: the retired count is the number of
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
        int first = i;
        try {
            for (; i < n; i++) {
                Insn in = insns[i];
                int form = in.form;
                if (form >= FIRST_SIMPLE) {
                    switch (form) {
                        case MOV_R_R -> reg[in.ra] = reg[in.rb];
                        case MOV_R_M -> reg[in.ra] = c.mmu.read32(c.linear(in));
                        case MOV_M_R -> {
                            c.mmu.write32(c.linearForWrite(in), reg[in.ra]);
                            if (c.breakBlock) {
                                return leave(c, i + 1 - first, n, (start + in.end) & wrap);
                            }
                        }
                        case MOV_M8_R8 -> {
                            c.mmu.write8(c.linearForWrite(in), c.readReg(in.ra, 0));
                            if (c.breakBlock) {
                                return leave(c, i + 1 - first, n, (start + in.end) & wrap);
                            }
                        }
                        case MOV_R_I -> reg[in.ra] = in.imm;
                        case LEA -> reg[in.ra] = c.ea(in);
                        case MOVZX_R_R8 -> reg[in.ra] = c.readReg(in.rb, 0);
                        case MOVZX_R_M8 -> reg[in.ra] = c.mmu.read8(c.linear(in, 1, false));
                        case ADD_RR -> add(reg, f, in.ra, reg[in.rb]);
                        case OR_RR -> logic(reg, f, in.ra, reg[in.ra] | reg[in.rb]);
                        case AND_RR -> logic(reg, f, in.ra, reg[in.ra] & reg[in.rb]);
                        case SUB_RR -> sub(reg, f, in.ra, reg[in.rb]);
                        case XOR_RR -> logic(reg, f, in.ra, reg[in.ra] ^ reg[in.rb]);
                        case CMP_RR -> compare(f, reg[in.ra], reg[in.rb]);
                        case TEST_RR -> test(f, reg[in.ra] & reg[in.rb]);
                        case ADD_RI -> add(reg, f, in.ra, in.imm);
                        case OR_RI -> logic(reg, f, in.ra, reg[in.ra] | in.imm);
                        case AND_RI -> logic(reg, f, in.ra, reg[in.ra] & in.imm);
                        case SUB_RI -> sub(reg, f, in.ra, in.imm);
                        case XOR_RI -> logic(reg, f, in.ra, reg[in.ra] ^ in.imm);
                        case CMP_RI -> compare(f, reg[in.ra], in.imm);
                        case ADD_RM -> add(reg, f, in.ra, c.mmu.read32(c.linear(in)));
                        case OR_RM -> logic(reg, f, in.ra, reg[in.ra] | c.mmu.read32(c.linear(in)));
                        case AND_RM -> logic(reg, f, in.ra, reg[in.ra] & c.mmu.read32(c.linear(in)));
                        case SUB_RM -> sub(reg, f, in.ra, c.mmu.read32(c.linear(in)));
                        case XOR_RM -> logic(reg, f, in.ra, reg[in.ra] ^ c.mmu.read32(c.linear(in)));
                        case CMP_RM -> compare(f, reg[in.ra], c.mmu.read32(c.linear(in)));
                        case CMP_MR -> compare(f, c.mmu.read32(c.linear(in)), reg[in.ra]);
                        case CMP_MI -> compare(f, c.mmu.read32(c.linear(in)), in.imm);
                        case INC_R -> incDec(reg, f, in.ra, Flags.INC, 1);
                        case DEC_R -> incDec(reg, f, in.ra, Flags.DEC, -1);
                        default -> throw new IllegalStateException("form " + form);
                    }
                } else if (form == JCC) {
                    if (f.condition(in.ra)) {
                        return leave(c, i + 1 - first, n, ((start + in.end) & wrap) + in.imm);
                    }
                } else {
                    break;
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
