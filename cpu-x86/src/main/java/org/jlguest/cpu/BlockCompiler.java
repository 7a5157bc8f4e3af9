package org.jlguest.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Compiles a decoded block of 32-bit code to a hidden class implementing {@link CompiledBlock}.
 *
 * <p>The generated method is {@link Executor#run} unrolled over the block's instructions with
 * each instruction's form, registers, immediate and offset in the block as constants: a form's
 * body calls the same {@link Executor}, {@link Cpu}, {@link Flags} and {@link Mmu} helpers the
 * interpreter's form does; an instruction without a simple form (and JMP) goes through
 * {@link Executor#execute} exactly as in the run loop. The count of retired instructions since
 * the last flush is a constant at every point, so it costs nothing until the block leaves. Before
 * each instruction that can fault, two locals take the pending count and the instruction's
 * address, and the one handler for {@link Fault} stores them as the run loop's handler does.
 *
 * <p>A block is compiled only whole (the run loop runs it whole: no single step, no interrupt
 * shadow) and only for 32-bit code, where EIP does not wrap. The compiled method hangs off the
 * {@link Block} and dies with it: the block cache resets it whenever it decodes into the block,
 * so it is valid exactly while the decoded block is.
 */
final class BlockCompiler {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final String FLAGS = Type.getInternalName(Flags.class);
    private static final String MMU = Type.getInternalName(Mmu.class);
    private static final String EXECUTOR = Type.getInternalName(Executor.class);
    private static final String FAULT = Type.getInternalName(Fault.class);
    private static final String NAME = "org/jlguest/cpu/CompiledBlock$Code";
    private static final String RUN_DESC = "(L" + CPU + ";[L" + INSN + ";I)V";

    /** Locals of the generated run method. */
    private static final int C = 1, INSNS = 2, EIP = 3, REG = 4, F = 5, PEND = 6, CUR = 7;

    private BlockCompiler() {
    }

    /** Whether {@link #compile} takes this block. */
    static boolean compilable(Block b) {
        return b.code32 && b.count > 0;
    }

    static CompiledBlock compile(Block b) {
        byte[] bytes = generate(b);
        try {
            Class<?> k = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            return (CompiledBlock) k.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("compiling a block", e);
        }
    }

    static byte[] generate(Block b) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, "java/lang/Object",
                new String[] {Type.getInternalName(CompiledBlock.class)});
        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor m = cw.visitMethod(ACC_PUBLIC, "run", RUN_DESC, null, null);
        m.visitCode();
        m.visitVarInsn(ALOAD, C);
        m.visitFieldInsn(GETFIELD, CPU, "reg", "[I");
        m.visitVarInsn(ASTORE, REG);
        m.visitVarInsn(ALOAD, C);
        m.visitFieldInsn(GETFIELD, CPU, "flags", "L" + FLAGS + ";");
        m.visitVarInsn(ASTORE, F);
        m.visitInsn(ICONST_0);
        m.visitVarInsn(ISTORE, PEND);
        m.visitInsn(ICONST_0);
        m.visitVarInsn(ISTORE, CUR);
        Label start = new Label(), end = new Label(), handler = new Label();
        m.visitTryCatchBlock(start, end, handler, FAULT);
        m.visitLabel(start);
        new Body(m).emit(b);
        m.visitLabel(end);
        m.visitLabel(handler);
        // The run loop's handler: flush the pending count, rewind to the faulting instruction.
        m.visitVarInsn(ALOAD, C);
        m.visitInsn(DUP);
        m.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
        m.visitVarInsn(ILOAD, PEND);
        m.visitInsn(I2L);
        m.visitInsn(LADD);
        m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
        m.visitVarInsn(ALOAD, C);
        m.visitVarInsn(ILOAD, CUR);
        m.visitFieldInsn(PUTFIELD, CPU, "insnEip", "I");
        m.visitInsn(ATHROW);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** The unrolled instruction loop of one block. */
    private static final class Body {
        private final MethodVisitor m;
        /** Instructions retired since the last flush into {@code c.instructions}. */
        private int pending;

        Body(MethodVisitor m) {
            this.m = m;
        }

        void emit(Block b) {
            int offset = 0;
            for (int i = 0; i < b.count; i++) {
                Insn in = b.insns[i];
                int next = offset + in.length;
                int form = in.form;
                if (form >= Executor.FIRST_SIMPLE) {
                    boolean memory = touchesMemory(form);
                    if (memory) {
                        faultPoint(pending, offset);
                    }
                    simple(in, i);
                    pending++;
                    if (memory) {
                        // A store into decoded code (or a handler) may ask to end the block.
                        Label go = new Label();
                        m.visitVarInsn(ALOAD, C);
                        m.visitFieldInsn(GETFIELD, CPU, "breakBlock", "Z");
                        m.visitJumpInsn(IFEQ, go);
                        leave(next);
                        m.visitLabel(go);
                    }
                } else if (form == Executor.JCC) {
                    pending++;
                    Label notTaken = new Label();
                    m.visitVarInsn(ALOAD, F);
                    push(in.ra);
                    m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "condition", "(I)Z", false);
                    m.visitJumpInsn(IFEQ, notTaken);
                    leave(next + in.imm);
                    m.visitLabel(notTaken);
                } else {
                    general(in, i, offset, next);
                }
                offset = next;
            }
            leave(offset);
        }

        /** {@code c.instructions += pending; c.eip = eip + delta; return}. */
        private void leave(int delta) {
            flush();
            m.visitVarInsn(ALOAD, C);
            eipPlus(delta);
            m.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            m.visitInsn(RETURN);
        }

        /** The run loop's path for an instruction without a simple form. */
        private void general(Insn in, int i, int offset, int next) {
            flush();
            pending = 0;
            m.visitVarInsn(ALOAD, C);
            eipPlus(offset);
            m.visitFieldInsn(PUTFIELD, CPU, "insnEip", "I");
            m.visitVarInsn(ALOAD, C);
            eipPlus(next);
            m.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            faultPoint(0, offset);
            m.visitVarInsn(ALOAD, C);
            insn(i);
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "execute", "(L" + CPU + ";L" + INSN + ";)V", false);
            m.visitVarInsn(ALOAD, C);
            m.visitInsn(DUP);
            m.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
            m.visitInsn(LCONST_1);
            m.visitInsn(LADD);
            m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
            // Leave (EIP already in the CPU) if it branched or asked to end the block.
            Label leave = new Label(), go = new Label();
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "eip", "I");
            eipPlus(next);
            m.visitJumpInsn(IF_ICMPNE, leave);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "breakBlock", "Z");
            m.visitJumpInsn(IFEQ, go);
            m.visitLabel(leave);
            m.visitInsn(RETURN);
            m.visitLabel(go);
        }

        /** {@code c.instructions += pending}, if any. */
        private void flush() {
            if (pending == 0) {
                return;
            }
            m.visitVarInsn(ALOAD, C);
            m.visitInsn(DUP);
            m.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
            m.visitLdcInsn((long) pending);
            m.visitInsn(LADD);
            m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
        }

        /** What the fault handler needs if the next instruction faults. */
        private void faultPoint(int pend, int offset) {
            push(pend);
            m.visitVarInsn(ISTORE, PEND);
            eipPlus(offset);
            m.visitVarInsn(ISTORE, CUR);
        }

        private void simple(Insn in, int i) {
            int a = in.ra, b = in.rb;
            switch (in.form) {
                case Executor.MOV_R_R -> {
                    regRef(a);
                    reg(b);
                    m.visitInsn(IASTORE);
                }
                case Executor.MOV_R_M -> {
                    regRef(a);
                    read32(i);
                    m.visitInsn(IASTORE);
                }
                case Executor.MOV_M_R -> {
                    mmu();
                    linearForWrite(i);
                    reg(a);
                    m.visitMethodInsn(INVOKEVIRTUAL, MMU, "write32", "(II)V", false);
                }
                case Executor.MOV_M8_R8 -> {
                    mmu();
                    linearForWrite(i);
                    m.visitVarInsn(ALOAD, C);
                    push(a);
                    m.visitInsn(ICONST_0);
                    m.visitMethodInsn(INVOKEVIRTUAL, CPU, "readReg", "(II)I", false);
                    m.visitMethodInsn(INVOKEVIRTUAL, MMU, "write8", "(II)V", false);
                }
                case Executor.MOV_R_I -> {
                    regRef(a);
                    push(in.imm);
                    m.visitInsn(IASTORE);
                }
                case Executor.LEA -> {
                    regRef(a);
                    m.visitVarInsn(ALOAD, C);
                    insn(i);
                    m.visitMethodInsn(INVOKEVIRTUAL, CPU, "ea", "(L" + INSN + ";)I", false);
                    m.visitInsn(IASTORE);
                }
                case Executor.MOVZX_R_R8 -> {
                    regRef(a);
                    m.visitVarInsn(ALOAD, C);
                    push(b);
                    m.visitInsn(ICONST_0);
                    m.visitMethodInsn(INVOKEVIRTUAL, CPU, "readReg", "(II)I", false);
                    m.visitInsn(IASTORE);
                }
                case Executor.MOVZX_R_M8 -> {
                    regRef(a);
                    mmu();
                    m.visitVarInsn(ALOAD, C);
                    insn(i);
                    m.visitInsn(ICONST_1);
                    m.visitInsn(ICONST_0);
                    m.visitMethodInsn(INVOKEVIRTUAL, CPU, "linear", "(L" + INSN + ";IZ)I", false);
                    m.visitMethodInsn(INVOKEVIRTUAL, MMU, "read8", "(I)I", false);
                    m.visitInsn(IASTORE);
                }
                case Executor.ADD_RR -> arith("add", a, () -> reg(b));
                case Executor.SUB_RR -> arith("sub", a, () -> reg(b));
                case Executor.OR_RR -> logic(a, IOR, () -> reg(b));
                case Executor.AND_RR -> logic(a, IAND, () -> reg(b));
                case Executor.XOR_RR -> logic(a, IXOR, () -> reg(b));
                case Executor.CMP_RR -> compare(() -> reg(a), () -> reg(b));
                case Executor.TEST_RR -> {
                    m.visitVarInsn(ALOAD, F);
                    reg(a);
                    reg(b);
                    m.visitInsn(IAND);
                    m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "test", "(L" + FLAGS + ";I)V", false);
                }
                case Executor.ADD_RI -> arith("add", a, () -> push(in.imm));
                case Executor.SUB_RI -> arith("sub", a, () -> push(in.imm));
                case Executor.OR_RI -> logic(a, IOR, () -> push(in.imm));
                case Executor.AND_RI -> logic(a, IAND, () -> push(in.imm));
                case Executor.XOR_RI -> logic(a, IXOR, () -> push(in.imm));
                case Executor.CMP_RI -> compare(() -> reg(a), () -> push(in.imm));
                case Executor.ADD_RM -> arith("add", a, () -> read32(i));
                case Executor.SUB_RM -> arith("sub", a, () -> read32(i));
                case Executor.OR_RM -> logic(a, IOR, () -> read32(i));
                case Executor.AND_RM -> logic(a, IAND, () -> read32(i));
                case Executor.XOR_RM -> logic(a, IXOR, () -> read32(i));
                case Executor.CMP_RM -> compare(() -> reg(a), () -> read32(i));
                case Executor.CMP_MR -> compare(() -> read32(i), () -> reg(a));
                case Executor.CMP_MI -> compare(() -> read32(i), () -> push(in.imm));
                case Executor.INC_R -> incDec(a, Flags.INC, 1);
                case Executor.DEC_R -> incDec(a, Flags.DEC, -1);
                default -> throw new IllegalStateException("form " + in.form);
            }
        }

        /** {@code Executor.add/sub(reg, f, a, src)}. */
        private void arith(String name, int a, Runnable src) {
            m.visitVarInsn(ALOAD, REG);
            m.visitVarInsn(ALOAD, F);
            push(a);
            src.run();
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, name, "([IL" + FLAGS + ";II)V", false);
        }

        /** {@code Executor.logic(reg, f, a, reg[a] OP src)}. */
        private void logic(int a, int op, Runnable src) {
            m.visitVarInsn(ALOAD, REG);
            m.visitVarInsn(ALOAD, F);
            push(a);
            reg(a);
            src.run();
            m.visitInsn(op);
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "logic", "([IL" + FLAGS + ";II)V", false);
        }

        /** {@code Executor.compare(f, dst, src)}. */
        private void compare(Runnable dst, Runnable src) {
            m.visitVarInsn(ALOAD, F);
            dst.run();
            src.run();
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "compare", "(L" + FLAGS + ";II)V", false);
        }

        private void incDec(int a, int kind, int delta) {
            m.visitVarInsn(ALOAD, REG);
            m.visitVarInsn(ALOAD, F);
            push(a);
            push(kind);
            push(delta);
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "incDec", "([IL" + FLAGS + ";III)V", false);
        }

        /** {@code c.mmu.read32(c.linear(insns[i]))}. */
        private void read32(int i) {
            mmu();
            m.visitVarInsn(ALOAD, C);
            insn(i);
            m.visitMethodInsn(INVOKEVIRTUAL, CPU, "linear", "(L" + INSN + ";)I", false);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, "read32", "(I)I", false);
        }

        private void linearForWrite(int i) {
            m.visitVarInsn(ALOAD, C);
            insn(i);
            m.visitMethodInsn(INVOKEVIRTUAL, CPU, "linearForWrite", "(L" + INSN + ";)I", false);
        }

        private void mmu() {
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "mmu", "L" + MMU + ";");
        }

        private void insn(int i) {
            m.visitVarInsn(ALOAD, INSNS);
            push(i);
            m.visitInsn(AALOAD);
        }

        /** Pushes {@code reg, r} for an IASTORE. */
        private void regRef(int r) {
            m.visitVarInsn(ALOAD, REG);
            push(r);
        }

        private void reg(int r) {
            m.visitVarInsn(ALOAD, REG);
            push(r);
            m.visitInsn(IALOAD);
        }

        private void eipPlus(int delta) {
            m.visitVarInsn(ILOAD, EIP);
            if (delta != 0) {
                push(delta);
                m.visitInsn(IADD);
            }
        }

        private void push(int v) {
            if (v >= -1 && v <= 5) {
                m.visitInsn(ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                m.visitIntInsn(BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                m.visitIntInsn(SIPUSH, v);
            } else {
                m.visitLdcInsn(v);
            }
        }
    }

    private static boolean touchesMemory(int form) {
        return switch (form) {
            case Executor.MOV_R_M, Executor.MOV_M_R, Executor.MOV_M8_R8, Executor.MOVZX_R_M8,
                    Executor.ADD_RM, Executor.OR_RM, Executor.AND_RM, Executor.SUB_RM, Executor.XOR_RM,
                    Executor.CMP_RM, Executor.CMP_MR, Executor.CMP_MI -> true;
            default -> false;
        };
    }
}
