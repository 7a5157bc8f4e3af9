package org.jlguest.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Compiles a {@link Region} of 32-bit code to a hidden class implementing {@link CompiledBlock}.
 *
 * <p>The generated method is {@link Executor#run} unrolled over the region's blocks, with each
 * instruction's form, registers, displacement and immediate as constants, and with the state the
 * interpreter keeps in the CPU kept in JVM locals while the method runs:
 *
 * <ul>
 *   <li><b>Registers.</b> EAX..EDI are loaded into locals on entry. Forms work on the locals; the
 *       registers the region writes are stored back on every way out (a return, a fault), and
 *       those changed since the last store before an instruction the executor runs.
 *   <li><b>Flags.</b> The lazy flag record of the last form is kept in locals with its kind known
 *       at compile time, so a Jcc after it is the comparison itself (JL after CMP is
 *       {@code dst < src}) and a record the next form overwrites is never stored. The record
 *       reaches {@link Flags} when the method leaves a block, faults or returns, and before an
 *       instruction without a form. Shifts and rotates by a constant keep a record too
 *       ({@link Flags#SHIFTED}), INC and DEC the CF they keep; shifts, rotates and IMUL whose
 *       flags a later instruction of the block overwrites unread compute only their result.
 *   <li><b>Memory operands.</b> The effective address is computed from the register locals with
 *       absent base and index left out; a segment that needs no checks adds its base (none when
 *       it was 0 at compile time, which the code then requires), and a hit in the MMU's TLB
 *       ({@link Mmu#readEntries}) reads or writes the RAM array directly. Checked segments, TLB
 *       misses, device windows and stores into decoded code take the CPU's and the MMU's own paths.
 *   <li><b>Family instructions.</b> The commonest instructions without an interpreter form are
 *       compiled too ({@link #inlineKind}, {@link #stackKind}, shifts and IMUL); every other one
 *       runs through {@link Executor#execute} on the CPU's own state, with the registers stored
 *       before it and reloaded after.
 *   <li><b>Control flow.</b> A branch to a block of the region is a jump inside the method, taken
 *       while the run's instruction budget lasts and no external interrupt is pending (the run
 *       loop's checks between blocks); any other branch returns to the run loop with EIP set.
 *       A CALL, RET or executor instruction that lands on a block of the region jumps there the
 *       same way. Every compiled store checks whether it went into decoded code, and then returns.
 * </ul>
 *
 * <p>Retired instructions are counted at compile time within a block and added to the CPU's
 * count when a block is left. Before each instruction that can fault, two locals take that count
 * and the instruction's address; the fault handler stores registers, flags, count and address as
 * the run loop's handler does, so EIP rewinds to the faulting instruction with the interpreter's
 * state. A store into decoded code (or an instruction that changes the mode) sets
 * {@code breakBlock}, after which the method returns as the run loop would.
 */
final class BlockCompiler {
    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final String FLAGS = Type.getInternalName(Flags.class);
    private static final String MMU = Type.getInternalName(Mmu.class);
    private static final String MEMORY_CLASS = Type.getInternalName(GuestMemory.class);
    private static final String EXECUTOR = Type.getInternalName(Executor.class);
    private static final String SHIFTS = Type.getInternalName(Shifts.class);
    private static final String MUL_DIV = Type.getInternalName(MulDiv.class);
    /** The static flag state after an instruction that stored all arithmetic flags in {@link Flags#bits}. */
    private static final int EAGER = 100;
    private static final String INTERRUPTS = Type.getInternalName(ExternalInterrupts.class);
    private static final String FAULT = Type.getInternalName(Fault.class);
    private static final String NAME = "org/jlguest/cpu/CompiledBlock$Code";
    private static final String RUN_DESC = "(L" + CPU + ";IJ)Z";
    private static final String INIT_DESC = "([L" + INSN + ";L" + INTERRUPTS + ";)V";

    /**
     * A method above this many bytes of bytecode is compiled again from fewer blocks. HotSpot
     * does not compile methods over 8000 bytes at all, and inlines callees into a method only while
     * the two together stay under 8000: the memory accesses the code makes through
     * {@link GuestMemory} need some of that room. Larger methods take the JIT longer to compile but
     * leave the method less often: on the benchmark workload 6000 ran faster than 3000, 4500, 5000
     * and 7500 (docs/performance.md).
     */
    static final int MAX_CODE_BYTES = 6000;

    /** Locals of the generated run method. */
    private static final int C = 1, EIP = 2, END = 3, INSNS = 5, F = 6, MMU_ = 7, R0 = 8,
            FK = 16, FRES = 17, FDST = 18, FSRC = 19, CK = 20, CRES = 21, CDST = 22, CSRC = 23,
            PEND = 24, CUR = 25, IRQ = 26, T = 27, EXC = 28, READ_ENTRIES = 29, WRITE_ENTRIES = 30,
            ENTRY = 31, RAM = 33, LIN = 34, SEG_BASE = 35, SEG_CHECKED = 36,
            VALUE = 37, COUNT = 38, POINT = 40, SEGMENT_BASES = 41, CODE_WRITTEN = 47;

    private BlockCompiler() {
    }

    /** Whether {@link #compile} takes this block as a region's head. */
    static boolean compilable(Block b) {
        return b.code32 && b.count > 0;
    }

    /**
     * Compiles a region for a CPU whose segments with bit {@code 1 << seg} set in
     * {@code zeroBases} have base 0: the code assumes those stay 0 (it declines to run otherwise).
     */
    static CompiledBlock compile(Region region, int zeroBases, ExternalInterrupts interrupts) {
        Region r = region;
        while (true) {
            Generated g = generate(r, zeroBases);
            if (g.codeBytes <= MAX_CODE_BYTES || r.count == 1) {
                return define(g, interrupts);
            }
            r = r.hottest(r.count * 2 / 3);
        }
    }

    private static CompiledBlock define(Generated g, ExternalInterrupts interrupts) {
        try {
            return (CompiledBlock) CompiledClasses.constructor(g.bytes).newInstance(g.family, interrupts);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("compiling a block", e);
        }
    }

    /**
     * A class file, the size of its run method's bytecode, and the instructions without a form
     * that its code runs through the executor.
     */
    record Generated(byte[] bytes, int codeBytes, Insn[] family) {
    }

    static Generated generate(Region r, int zeroBases) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, "java/lang/Object",
                new String[] {Type.getInternalName(CompiledBlock.class)});
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "insns", "[L" + INSN + ";", null, null).visitEnd();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "irq", "L" + INTERRUPTS + ";", null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", INIT_DESC, null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitFieldInsn(PUTFIELD, NAME, "insns", "[L" + INSN + ";");
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 2);
        init.visitFieldInsn(PUTFIELD, NAME, "irq", "L" + INTERRUPTS + ";");
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor m = cw.visitMethod(ACC_PUBLIC, "run", RUN_DESC, null, null);
        Body body = new Body(m, r, zeroBases);
        body.emit();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        return new Generated(bytes, body.end.getOffset(), body.family.toArray(new Insn[0]));
    }

    /** The code of one region's run method. */
    private static final class Body {
        private final MethodVisitor m;
        private final Region region;
        private final Label[] blockLabels;
        private final Label exit = new Label();
        private final Label handler = new Label();
        private final Label dispatch = new Label();
        /** Where a compiled RET continues: see {@link #returnedCode}. */
        private final Label returned = new Label();
        /** The index of the block being emitted. */
        private int current;
        /** Whether the region has compiled stack instructions, which need a flat 32-bit stack. */
        private boolean usesStack;
        /** After the last instruction: its offset is the method's size. */
        final Label end = new Label();
        /** {@code return true}, for the paths that leave with everything already in the CPU. */
        private final Label ret = new Label();
        /** The segments ({@code 1 << seg}) the memory operands of the region's forms use. */
        private int usedSegments;
        /**
         * The used segments whose base the code takes to be 0, as it was when the region was
         * compiled (flat code has no base to add): checked with the segments' other assumptions.
         */
        private final int zeroBases;
        /** Fault points: the pending count and instruction offset each one records, by number. */
        private final List<int[]> faultPoints = new ArrayList<>();
        /** Registers some form of the region writes: stored back on every way out. */
        private final boolean[] written = new boolean[8];
        /** Registers whose local may differ from the CPU's array at this point of the code. */
        private final boolean[] dirty = new boolean[8];
        /** Copies of the instructions without a form, in the order the code indexes them. */
        final List<Insn> family = new ArrayList<>();
        /** Instructions retired in the current block and not yet added to the CPU's count. */
        private int pending;
        /**
         * The flag record at this point of the code: {@code kind} -1 when {@link Flags} is
         * current; ADD, SUB or LOGIC in the locals; INC or DEC with its result in the locals,
         * either already stored ({@code synced}) or with the record it keeps CF from
         * ({@code cfKind}) in the locals too.
         */
        private int kind;
        private boolean synced;
        private int cfKind;
        /**
         * The record in the locals is of a byte operation, its result and operands scaled to the
         * top byte ({@code value << 24}): 32-bit comparisons of scaled values give the byte
         * operation's CF, ZF, SF and OF, so the same tests serve both sizes.
         */
        private boolean narrow;
        /**
         * At a block's start the record is whatever the block before left in the locals (the
         * locals say which, at run time): it reaches {@link Flags} through {@link Flags#store}
         * before anything reads it there.
         */
        private boolean generic;

        Body(MethodVisitor m, Region region, int zeroBases) {
            this.m = m;
            this.region = region;
            this.blockLabels = new Label[region.count];
            for (int i = 0; i < region.count; i++) {
                blockLabels[i] = new Label();
                Block b = region.blocks[i];
                for (int k = 0; k < b.count; k++) {
                    if (b.insns[k].mod != 3 && (touchesMemory(b.insns[k].form) || reads(b.insns[k]))) {
                        usedSegments |= 1 << b.insns[k].seg;
                    }
                    if (stackKind(b.insns[k]) != NONE) {
                        usesStack = true;
                        usedSegments |= 1 << Cpu.SS;
                        written[Cpu.ESP] = true;
                    }
                    int r = destination(b.insns[k]);
                    if (r >= 0) {
                        written[r] = true;
                    }
                }
            }
            this.zeroBases = usedSegments & zeroBases;
        }

        void emit() {
            m.visitCode();
            prologue();
            for (int i = 0; i < region.count; i++) {
                current = i;
                m.visitLabel(blockLabels[i]);
                System.arraycopy(written, 0, dirty, 0, 8);
                kind = -1;
                synced = true;
                narrow = false;
                generic = true;
                pending = 0;
                block(region.blocks[i], region.starts[i]);
            }
            exitCode();
            handlerCode();
            dispatchCode();
            returnedCode();
            m.visitLabel(ret);
            returnRan();
            m.visitLabel(end);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }

        private void prologue() {
            m.visitVarInsn(ALOAD, 0);
            m.visitFieldInsn(GETFIELD, NAME, "insns", "[L" + INSN + ";");
            m.visitVarInsn(ASTORE, INSNS);
            m.visitVarInsn(ALOAD, 0);
            m.visitFieldInsn(GETFIELD, NAME, "irq", "L" + INTERRUPTS + ";");
            m.visitVarInsn(ASTORE, IRQ);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "flags", "L" + FLAGS + ";");
            m.visitVarInsn(ASTORE, F);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "mmu", "L" + MMU + ";");
            m.visitVarInsn(ASTORE, MMU_);
            // The TLB view and segment arrays stay the same objects while the method runs: what
            // would change them (a CPL or mode change) ends the block first.
            m.visitVarInsn(ALOAD, MMU_);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, "readEntries", "()[J", false);
            m.visitVarInsn(ASTORE, READ_ENTRIES);
            m.visitVarInsn(ALOAD, MMU_);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, "writeEntries", "()[J", false);
            m.visitVarInsn(ASTORE, WRITE_ENTRIES);
            m.visitVarInsn(ALOAD, MMU_);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, "memory", "()L" + MEMORY_CLASS + ";", false);
            m.visitMethodInsn(INVOKEVIRTUAL, MEMORY_CLASS, "array", "()[B", false);
            m.visitVarInsn(ASTORE, RAM);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "segBase", "[I");
            m.visitVarInsn(ASTORE, SEG_BASE);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "segChecked", "[Z");
            m.visitVarInsn(ASTORE, SEG_CHECKED);
            // Segments that need checks: the run loop interprets the block instead.
            Label flat = new Label(), declined = new Label();
            segmentsStillFlat(declined);
            m.visitJumpInsn(GOTO, flat);
            m.visitLabel(declined);
            m.visitInsn(ICONST_0);
            m.visitInsn(IRETURN);
            m.visitLabel(flat);
            reloadRegisters();
            loadSegmentBases();
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
            m.visitVarInsn(LSTORE, COUNT);
            push(-1);
            m.visitVarInsn(ISTORE, FK);
            for (int local : new int[] {FRES, FDST, FSRC, CK, CRES, CDST, CSRC, PEND, T, LIN, VALUE, POINT}) {
                m.visitInsn(ICONST_0);
                m.visitVarInsn(ISTORE, local);
            }
            m.visitVarInsn(ILOAD, EIP);
            m.visitVarInsn(ISTORE, CUR);
            // A CS limit below 4 GiB is the run loop's to check at each block: no jumps inside then.
            Label wholeSpace = new Label();
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "segLimit", "[I");
            push(Cpu.CS);
            m.visitInsn(IALOAD);
            push(-1);
            m.visitJumpInsn(IF_ICMPEQ, wholeSpace);
            m.visitLdcInsn(Long.MIN_VALUE);
            m.visitVarInsn(LSTORE, END);
            m.visitLabel(wholeSpace);
        }

        private void block(Block b, int start) {
            int at = start;
            for (int i = 0; i < b.count; i++) {
                Insn in = b.insns[i];
                int next = at + in.length;
                int form = in.form;
                if (form >= Executor.FIRST_SIMPLE) {
                    simple(in, at, flagsDead(b, i));
                    pending++;
                    if (form == Executor.MOV_M_R || form == Executor.MOV_M8_R8) {
                        leaveIfCodeWritten(next);
                    }
                } else if (form == Executor.JCC) {
                    pending++;
                    Label notTaken = new Label();
                    jumpUnless(in.ra, notTaken);
                    // The taken path stores flags and count; the path not taken still has them here.
                    int count = pending, k = kind, cf = cfKind;
                    boolean sync = synced, small = narrow, unknown = generic;
                    branch(next + in.imm);
                    pending = count;
                    kind = k;
                    synced = sync;
                    cfKind = cf;
                    narrow = small;
                    generic = unknown;
                    m.visitLabel(notTaken);
                } else if (form == Executor.JMP) {
                    pending++;
                    branch(next + in.imm);
                    return;
                } else if (stackKind(in) != NONE) {
                    if (stack(in, at, next)) {
                        return;
                    }
                } else if (inlineFamily(in, at, flagsDead(b, i))) {
                    pending++;
                    if (inlineKind(in) == ALU_TO_MEMORY) {
                        leaveIfCodeWritten(next);
                    }
                } else {
                    general(in, at, next);
                }
                at = next;
            }
            branch(at);
        }

        // ---- leaving a block ----------------------------------------------------------------

        /**
         * Continues at {@code target} (bytes from the head): inside the method if a block of the
         * region starts there and the run loop would carry on, else by returning to it.
         */
        private void branch(int target) {
            int index = region.indexOf(target);
            if (index < 0) {
                leave(target);
                return;
            }
            flushCount();
            Label out = new Label();
            guard(out, index <= current);
            m.visitJumpInsn(GOTO, blockLabels[index]);
            m.visitLabel(out);
            leave(target);
        }

        /**
         * After a store: if it went into decoded code (the MMU told the run loop, which set
         * {@code breakBlock}), return with EIP at {@code target}, as the run loop ends a block.
         * Only a store through the MMU's slow path can: the write TLB holds no frame of decoded
         * code. So {@link #store} sets CODE_WRITTEN from {@code breakBlock} there, and to 0 on a hit.
         */
        private void leaveIfCodeWritten(int target) {
            Label go = new Label();
            m.visitVarInsn(ILOAD, CODE_WRITTEN);
            m.visitJumpInsn(IFEQ, go);
            leave(target);
            m.visitLabel(go);
        }

        /**
         * Jumps to {@code out} if the run loop must look before the next block: when the budget is
         * spent, and on a jump back ({@code back}: to a block emitted at or before this one, as
         * every loop has) when an external interrupt is pending. A jump forward skips that check:
         * the run loop sees the interrupt at most one pass through the region later.
         */
        private void guard(Label out, boolean back) {
            m.visitVarInsn(LLOAD, COUNT);
            m.visitVarInsn(LLOAD, END);
            m.visitInsn(LCMP);
            m.visitJumpInsn(IFGE, out);
            if (!back) {
                return;
            }
            m.visitVarInsn(ALOAD, IRQ);
            m.visitMethodInsn(INVOKEVIRTUAL, INTERRUPTS, "pending", "()Z", false);
            m.visitJumpInsn(IFNE, out);
        }

        /** Returns to the run loop with EIP at {@code target}: through the shared exit code. */
        private void leave(int target) {
            push(pending);
            m.visitVarInsn(ISTORE, PEND);
            eipPlus(target);
            m.visitVarInsn(ISTORE, CUR);
            m.visitJumpInsn(GOTO, exit);
        }

        /** Registers and flags back into the CPU, the count added, EIP set. */
        private void exitCode() {
            m.visitLabel(exit);
            storeState("eip");
            returnRan();
        }

        /** Registers, flags and count into the CPU, and CUR into its field {@code eipField}. */
        private void storeState(String eipField) {
            writeBack();
            storeFlagLocals();
            addCountLocal();
            m.visitVarInsn(ALOAD, C);
            m.visitVarInsn(ILOAD, CUR);
            m.visitFieldInsn(PUTFIELD, CPU, eipField, "I");
        }

        /** The run loop's fault handler, after storing what the locals hold. */
        private void handlerCode() {
            m.visitLabel(handler);
            m.visitVarInsn(ASTORE, EXC);
            // The fault point's count and offset, two chars each in a constant of the class.
            StringBuilder table = new StringBuilder();
            for (int[] point : faultPoints) {
                table.append((char) point[0]).append((char) (point[1] + 0x8000));
            }
            tableEntry(table.toString(), 0);
            m.visitVarInsn(ISTORE, PEND);
            tableEntry(table.toString(), 1);
            push(0x8000);
            m.visitInsn(ISUB);
            m.visitVarInsn(ILOAD, EIP);
            m.visitInsn(IADD);
            m.visitVarInsn(ISTORE, CUR);
            storeState("insnEip");
            m.visitVarInsn(ALOAD, EXC);
            m.visitInsn(ATHROW);
        }

        /** Pushes char {@code 2 * POINT + which} of {@code table}. */
        private void tableEntry(String table, int which) {
            m.visitLdcInsn(table);
            m.visitVarInsn(ILOAD, POINT);
            m.visitInsn(ICONST_1);
            m.visitInsn(ISHL);
            if (which != 0) {
                push(which);
                m.visitInsn(IADD);
            }
            m.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false);
        }

        /**
         * After an instruction without a form went elsewhere (EIP in the CPU, in T): into the
         * region if a block starts there, else back to the run loop. Registers, flags and count
         * are all in the CPU already.
         */
        private void dispatchCode() {
            m.visitLabel(dispatch);
            Label out = new Label();
            jumpToBlockAt(out);
            m.visitLabel(out);
            returnRan();
        }

        /**
         * Jumps to the block of the region that starts at EIP T, if there is one and the run loop
         * would carry on (budget, interrupts), else to {@code out}.
         */
        private void jumpToBlockAt(Label out) {
            int n = region.count;
            int[] sorted = java.util.Arrays.copyOf(region.starts, n);
            java.util.Arrays.sort(sorted);
            Label[] stubs = new Label[n];
            for (int i = 0; i < n; i++) {
                stubs[i] = new Label();
            }
            m.visitVarInsn(ILOAD, T);
            m.visitVarInsn(ILOAD, EIP);
            m.visitInsn(ISUB);
            m.visitLookupSwitchInsn(out, sorted, stubs);
            for (int i = 0; i < n; i++) {
                m.visitLabel(stubs[i]);
                guard(out, true);
                m.visitJumpInsn(GOTO, blockLabels[region.indexOf(sorted[i])]);
            }
        }

        /** {@code return true}: the region ran (whatever it left for the run loop is in the CPU). */
        private void returnRan() {
            m.visitInsn(ICONST_1);
            m.visitInsn(IRETURN);
        }

        /**
         * Jumps to {@code otherwise} unless every segment the region's memory operands use needs
         * no checks: the code adds their bases and nothing more.
         */
        private void segmentsStillFlat(Label otherwise) {
            if (usesStack) {
                m.visitVarInsn(ALOAD, C);
                m.visitFieldInsn(GETFIELD, CPU, "stack32", "Z");
                m.visitJumpInsn(IFEQ, otherwise);
            }
            for (int seg = 0; seg < 6; seg++) {
                if ((usedSegments & 1 << seg) != 0) {
                    m.visitVarInsn(ALOAD, SEG_CHECKED);
                    push(seg);
                    m.visitInsn(BALOAD);
                    m.visitJumpInsn(IFNE, otherwise);
                }
                if ((zeroBases & 1 << seg) != 0) {
                    m.visitVarInsn(ALOAD, SEG_BASE);
                    push(seg);
                    m.visitInsn(IALOAD);
                    m.visitJumpInsn(IFNE, otherwise);
                }
            }
        }

        private void writeBack() {
            for (int r = 0; r < 8; r++) {
                if (written[r]) {
                    storeRegister(r);
                }
            }
        }

        private void storeRegister(int r) {
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "reg", "[I");
            push(r);
            m.visitVarInsn(ILOAD, R0 + r);
            m.visitInsn(IASTORE);
        }

        /**
         * The segment bases into locals (the JIT drops those no operand uses): they change only
         * when the executor loads a segment register, after which they are loaded again.
         */
        private void loadSegmentBases() {
            for (int seg = 0; seg < 6; seg++) {
                if ((zeroBases & 1 << seg) != 0) {
                    continue;
                }
                m.visitVarInsn(ALOAD, SEG_BASE);
                push(seg);
                m.visitInsn(IALOAD);
                m.visitVarInsn(ISTORE, SEGMENT_BASES + seg);
            }
        }

        private void reloadRegisters() {
            for (int r = 0; r < 8; r++) {
                m.visitVarInsn(ALOAD, C);
                m.visitFieldInsn(GETFIELD, CPU, "reg", "[I");
                push(r);
                m.visitInsn(IALOAD);
                m.visitVarInsn(ISTORE, R0 + r);
            }
        }

        /**
         * Adds the block's retired instructions to the count, kept in a local while the method
         * runs and stored in the CPU before the executor runs an instruction and on the way out.
         */
        private void flushCount() {
            if (pending == 0) {
                return;
            }
            m.visitVarInsn(LLOAD, COUNT);
            m.visitLdcInsn((long) pending);
            m.visitInsn(LADD);
            m.visitVarInsn(LSTORE, COUNT);
            pending = 0;
        }

        /** {@code c.instructions = count + PEND}. */
        private void addCountLocal() {
            m.visitVarInsn(ALOAD, C);
            m.visitVarInsn(LLOAD, COUNT);
            m.visitVarInsn(ILOAD, PEND);
            m.visitInsn(I2L);
            m.visitInsn(LADD);
            m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
        }

        // ---- instructions without a form ----------------------------------------------------

        /** The run loop's path: everything in the CPU, {@link Executor#execute}, then reload. */
        private void general(Insn in, int at, int next) {
            storeFlags();
            flushCount();
            for (int r = 0; r < 8; r++) {
                if (dirty[r]) {
                    storeRegister(r);
                    dirty[r] = false;
                }
            }
            m.visitVarInsn(ALOAD, C);
            m.visitVarInsn(LLOAD, COUNT);
            m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
            m.visitVarInsn(ALOAD, C);
            eipPlus(at);
            m.visitFieldInsn(PUTFIELD, CPU, "insnEip", "I");
            m.visitVarInsn(ALOAD, C);
            eipPlus(next);
            m.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            m.visitVarInsn(ALOAD, C);
            m.visitVarInsn(ALOAD, INSNS);
            push(family.size());
            family.add(in.copy());
            m.visitInsn(AALOAD);
            m.visitMethodInsn(INVOKESTATIC, EXECUTOR, "execute", "(L" + CPU + ";L" + INSN + ";)V", false);
            m.visitVarInsn(ALOAD, C);
            m.visitInsn(DUP);
            m.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
            m.visitInsn(LCONST_1);
            m.visitInsn(LADD);
            m.visitInsn(DUP2);
            m.visitVarInsn(LSTORE, COUNT);
            m.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
            reloadRegisters();
            loadSegmentBases();
            // Leave (everything is in the CPU) if it asked to end the block; follow a branch.
            Label go = new Label(), stay = new Label();
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "breakBlock", "Z");
            m.visitJumpInsn(IFEQ, go);
            returnRan();
            m.visitLabel(go);
            // A segment register it loaded may now need checks the code below leaves out.
            segmentsStillFlat(ret);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "eip", "I");
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, T);
            eipPlus(next);
            m.visitJumpInsn(IF_ICMPEQ, stay);
            m.visitJumpInsn(GOTO, dispatch);
            m.visitLabel(stay);
        }

        // ---- family instructions compiled inline ----------------------------------------------

        /**
         * The commonest 32-bit instructions without an interpreter form: shifts and rotates of a
         * register by a constant, and the two- and three-operand IMUL. When a later instruction of
         * the block overwrites their flags unread ({@code flagsDead}), only the result is computed;
         * otherwise their family's own arithmetic computes result and flags, which it stores eagerly
         * in {@link Flags} as the family handler does. False for everything else.
         */
        private boolean inlineFamily(Insn in, int at, boolean flagsDead) {
            int op = in.op;
            if (isShift(in)) {
                int count = (op == 0xD1 ? 1 : in.imm) & 0x1F;
                if (count == 0) {
                    return true;
                }
                if (flagsDead) {
                    reg(in.rm);
                    switch (in.reg) {
                        case 0 -> rotate("rotateLeft", count);
                        case 1 -> rotate("rotateRight", count);
                        default -> {
                            push(count);
                            m.visitInsn(in.reg == 5 ? IUSHR : in.reg == 7 ? ISHR : ISHL);
                        }
                    }
                    setReg(in.rm);
                    return true;
                }
                shiftWithFlags(in.rm, in.reg, count);
                return true;
            }
            switch (inlineKind(in)) {
                case BYTE_ALU -> {
                    byteAlu(in, at);
                    return true;
                }
                case ALU_TO_MEMORY -> {
                    aluToMemory(in, at);
                    return true;
                }
                case NO_OP -> {
                    return true;
                }
                case EXTEND -> {
                    // MOVZX r32, r/m16 and MOVSX r32, r/m8 or r/m16.
                    boolean word = op != 0x1BE;
                    Label end = faultPoint(in, at);
                    if (in.mod != 3) {
                        read(in, word ? 2 : 1);
                    } else if (word) {
                        reg(in.rm);
                    } else {
                        byteReg(in.rm);
                    }
                    if (op == 0x1B7) {
                        push(0xFFFF);
                        m.visitInsn(IAND);
                    } else {
                        m.visitInsn(word ? I2S : I2B);
                    }
                    setReg(in.reg);
                    if (end != null) {
                        m.visitLabel(end);
                    }
                    return true;
                }
                case NOT -> {
                    reg(in.rm);
                    push(-1);
                    m.visitInsn(IXOR);
                    setReg(in.rm);
                    return true;
                }
                case MOV_R8_IMM -> {
                    push(in.imm);
                    setByteReg(op & 7);
                    return true;
                }
                case MOV_R8_R8 -> {
                    byteReg(op == 0x88 ? in.reg : in.rm);
                    setByteReg(op == 0x88 ? in.rm : in.reg);
                    return true;
                }
                case SETCC -> {
                    Label no = new Label(), done = new Label();
                    jumpUnless(op & 0xF, no);
                    push(1);
                    m.visitJumpInsn(GOTO, done);
                    m.visitLabel(no);
                    push(0);
                    m.visitLabel(done);
                    setByteReg(in.rm);
                    return true;
                }
                case CMOVCC -> {
                    // The source is read, and may fault, whatever the condition.
                    Label end = faultPoint(in, at);
                    rm32(in);
                    m.visitVarInsn(ISTORE, T);
                    Label no = new Label();
                    jumpUnless(op & 0xF, no);
                    m.visitVarInsn(ILOAD, T);
                    setReg(in.reg);
                    m.visitLabel(no);
                    if (end != null) {
                        m.visitLabel(end);
                    }
                    return true;
                }
                default -> {
                }
            }
            if (isMultiply(in)) {
                if (!flagsDead) {
                    storeFlags();
                }
                Label end = faultPoint(in, at);
                rm32(in);
                m.visitVarInsn(ISTORE, T);
                if (flagsDead) {
                    if (op == 0x1AF) {
                        reg(in.reg);
                    } else {
                        push(in.imm);
                    }
                    m.visitVarInsn(ILOAD, T);
                    m.visitInsn(IMUL);
                } else {
                    m.visitVarInsn(ALOAD, F);
                    if (op == 0x1AF) {
                        reg(in.reg);
                    } else {
                        push(in.imm);
                    }
                    m.visitVarInsn(ILOAD, T);
                    m.visitMethodInsn(INVOKESTATIC, MUL_DIV, "multiply32", "(L" + FLAGS + ";II)I", false);
                    kind = EAGER;
                }
                setReg(in.reg);
                if (end != null) {
                    m.visitLabel(end);
                }
                return true;
            }
            return false;
        }

        /**
         * ADD, OR, AND, SUB, XOR, CMP and TEST on bytes, without a memory destination: the record
         * goes to the locals scaled to the top byte ({@link #narrow}).
         */
        private void byteAlu(Insn in, int at) {
            int op = in.op;
            int operation;
            Runnable dst;
            Runnable src;
            int target;
            if (op == 0x80) {
                operation = in.reg;
                dst = () -> rm8(in);
                src = () -> push(in.imm & 0xFF);
                target = in.rm;
            } else if (op == 0x84) {
                operation = TEST;
                dst = () -> rm8(in);
                src = () -> byteReg(in.reg);
                target = -1;
            } else {
                operation = op >>> 3;
                switch (op & 7) {
                    case 0 -> {
                        dst = () -> rm8(in);
                        src = () -> byteReg(in.reg);
                        target = in.rm;
                    }
                    case 2 -> {
                        dst = () -> byteReg(in.reg);
                        src = () -> rm8(in);
                        target = in.reg;
                    }
                    default -> {
                        dst = () -> byteReg(Cpu.EAX);
                        src = () -> push(in.imm & 0xFF);
                        target = Cpu.EAX;
                    }
                }
            }
            Label end = faultPoint(in, at);
            src.run();
            scale();
            m.visitVarInsn(ISTORE, T);
            dst.run();
            scale();
            m.visitVarInsn(ISTORE, FDST);
            int k;
            switch (operation) {
                case Alu.ADD, Alu.SUB, Alu.CMP -> {
                    k = operation == Alu.ADD ? Flags.ADD : Flags.SUB;
                    m.visitVarInsn(ILOAD, T);
                    m.visitVarInsn(ISTORE, FSRC);
                    m.visitVarInsn(ILOAD, FDST);
                    m.visitVarInsn(ILOAD, FSRC);
                    m.visitInsn(k == Flags.ADD ? IADD : ISUB);
                    m.visitVarInsn(ISTORE, FRES);
                }
                default -> {
                    k = Flags.LOGIC;
                    m.visitVarInsn(ILOAD, FDST);
                    m.visitVarInsn(ILOAD, T);
                    m.visitInsn(operation == Alu.OR ? IOR : operation == Alu.XOR ? IXOR : IAND);
                    logicRecord();
                }
            }
            if (operation != Alu.CMP && operation != TEST) {
                m.visitVarInsn(ILOAD, FRES);
                push(24);
                m.visitInsn(IUSHR);
                setByteReg(target);
            }
            setState(k, false, 0, true);
            if (end != null) {
                m.visitLabel(end);
            }
        }

        /**
         * ADD, OR, AND, SUB or XOR of a register or immediate into a 32-bit memory operand: read
         * with write intent (a hit in the write TLB), compute, store; the flag record is made only
         * once the store is done, so a faulting one changes nothing. A store into decoded code ends
         * the region, as a MOV does.
         */
        private void aluToMemory(Insn in, int at) {
            int operation = in.op < 0x40 ? in.op >>> 3 : in.reg;
            Runnable src = in.op < 0x40 ? () -> reg(in.reg) : () -> push(in.imm);
            Label end = faultPoint(in, at);
            linear(in);
            loadForWrite();
            m.visitVarInsn(ISTORE, T);
            m.visitVarInsn(ILOAD, T);
            src.run();
            m.visitInsn(switch (operation) {
                case Alu.ADD -> IADD;
                case Alu.SUB -> ISUB;
                case Alu.OR -> IOR;
                case Alu.AND -> IAND;
                default -> IXOR;
            });
            m.visitVarInsn(ISTORE, VALUE);
            store(4);
            m.visitLabel(end);
            if (operation == Alu.ADD || operation == Alu.SUB) {
                m.visitVarInsn(ILOAD, T);
                m.visitVarInsn(ISTORE, FDST);
                src.run();
                m.visitVarInsn(ISTORE, FSRC);
                m.visitVarInsn(ILOAD, VALUE);
                m.visitVarInsn(ISTORE, FRES);
                setState(operation == Alu.ADD ? Flags.ADD : Flags.SUB, false, 0);
            } else {
                m.visitVarInsn(ILOAD, VALUE);
                logicRecord();
                setState(Flags.LOGIC, false, 0);
            }
        }

        /** value << 24: a byte in the top byte. */
        private void scale() {
            push(24);
            m.visitInsn(ISHL);
        }

        /** The byte register or memory operand of a ModRM instruction (memory only read). */
        private void rm8(Insn in) {
            if (in.mod == 3) {
                byteReg(in.rm);
            } else {
                read(in, 1);
            }
        }

        /**
         * ROL, ROR, SHL, SHR or SAR of register {@code r} by {@code count} (1-31) with its flags.
         * They are not computed here: the operand and count stay in the record locals as a shift
         * record ({@link Flags#SHIFTED}), from which {@link Shifts} computes them only if something
         * reads them (a Jcc, an exit, a fault). A rotate keeps SF, ZF, AF and PF, so the record
         * before it goes to {@link Flags} first, unless it is a rotate's, which changed none of them.
         */
        private void shiftWithFlags(int r, int operation, int count) {
            boolean rotate = operation <= 1;
            if (rotate && !rotated()) {
                storeFlags();
            }
            reg(r);
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, FDST);
            push(count);
            if (rotate) {
                m.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", operation == 0 ? "rotateLeft" : "rotateRight",
                        "(II)I", false);
            } else {
                m.visitInsn(operation == 4 || operation == 6 ? ISHL : operation == 5 ? IUSHR : ISHR);
            }
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, FRES);
            setReg(r);
            push(count);
            m.visitVarInsn(ISTORE, FSRC);
            setState(Flags.SHIFTED | operation, false, 0);
        }

        /**
         * PUSH and POP of a register or PUSH of an immediate (32-bit, on a 32-bit stack), and the
         * near CALL rel32 and RET: the stack access as {@link Cpu#push} and {@link Cpu#pop} make
         * it, the store or load before ESP moves, so a fault leaves ESP as it was. A CALL or RET
         * continues inside the region when a block starts at its target, like a branch; true when
         * the instruction ended the block's code.
         */
        private boolean stack(Insn in, int at, int next) {
            int op = in.op;
            Label end = faultPoint(at);
            switch (stackKind(in)) {
                case PUSH -> {
                    if (op == 0x68 || op == 0x6A) {
                        push(in.imm);
                    } else {
                        reg(in.reg);
                    }
                    pushValue(end);
                    pending++;
                    leaveIfCodeWritten(next);
                    return false;
                }
                case POP -> {
                    stackTop();
                    load(4);
                    m.visitVarInsn(ISTORE, T);
                    m.visitLabel(end);
                    moveStack(4);
                    m.visitVarInsn(ILOAD, T);
                    setReg(in.reg);
                    pending++;
                    return false;
                }
                case CALL -> {
                    eipPlus(next);
                    pushValue(end);
                    pending++;
                    leaveIfCodeWritten(next + in.imm);
                    branch(next + in.imm);
                    return true;
                }
                default -> {
                    stackTop();
                    load(4);
                    m.visitVarInsn(ISTORE, T);
                    m.visitLabel(end);
                    moveStack(op == 0xC2 ? 4 + (in.imm & 0xFFFF) : 4);
                    pending++;
                    flushCount();
                    m.visitJumpInsn(GOTO, returned);
                    return true;
                }
            }
        }

        /** Pushes the value on the operand stack: ESP - 4 gets it, then ESP moves. */
        private void pushValue(Label end) {
            m.visitVarInsn(ISTORE, VALUE);
            reg(Cpu.ESP);
            addBase(Cpu.SS);
            push(4);
            m.visitInsn(ISUB);
            m.visitVarInsn(ISTORE, LIN);
            store(4);
            m.visitLabel(end);
            moveStack(-4);
        }

        /** LIN = SS:ESP. */
        private void stackTop() {
            reg(Cpu.ESP);
            addBase(Cpu.SS);
            m.visitVarInsn(ISTORE, LIN);
        }

        private void moveStack(int delta) {
            reg(Cpu.ESP);
            push(delta);
            m.visitInsn(IADD);
            setReg(Cpu.ESP);
        }

        /**
         * Where a RET went (its target EIP in T, the count flushed): into the region if a block
         * starts there and the run loop would carry on, else out with EIP at the target.
         */
        private void returnedCode() {
            m.visitLabel(returned);
            Label out = new Label();
            jumpToBlockAt(out);
            m.visitLabel(out);
            m.visitInsn(ICONST_0);
            m.visitVarInsn(ISTORE, PEND);
            m.visitVarInsn(ILOAD, T);
            m.visitVarInsn(ISTORE, CUR);
            m.visitJumpInsn(GOTO, exit);
        }

        private void rotate(String name, int count) {
            push(count);
            m.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", name, "(II)I", false);
        }

        /** The 32-bit register or memory operand of a ModRM instruction. */
        private void rm32(Insn in) {
            if (in.mod == 3) {
                reg(in.rm);
            } else {
                read32(in);
            }
        }

        /**
         * For an instruction with a memory operand: records what the handler needs if it faults
         * and opens its protected range, returning the label that closes it; null for registers.
         */
        private Label faultPoint(Insn in, int at) {
            return in.mod == 3 ? null : faultPoint(at);
        }

        /** Records what the handler needs if the instruction at {@code at} faults; opens its range. */
        private Label faultPoint(int at) {
            push(faultPoints.size());
            faultPoints.add(new int[] {pending, at});
            m.visitVarInsn(ISTORE, POINT);
            Label start = new Label(), end = new Label();
            m.visitTryCatchBlock(start, end, handler, FAULT);
            m.visitLabel(start);
            return end;
        }

        // ---- forms ----------------------------------------------------------------------------

        private void simple(Insn in, int at, boolean flagsDead) {
            int a = in.ra, b = in.rb;
            int form = in.form;
            Label end = touchesMemory(form) ? faultPoint(in, at) : null;
            switch (form) {
                case Executor.MOV_R_R -> {
                    reg(b);
                    setReg(a);
                }
                case Executor.MOV_R_M -> {
                    read32(in);
                    setReg(a);
                }
                case Executor.MOV_M_R -> {
                    reg(a);
                    write(in, 4);
                }
                case Executor.MOV_M8_R8 -> {
                    byteReg(a);
                    write(in, 1);
                }
                case Executor.MOV_R_I -> {
                    push(in.imm);
                    setReg(a);
                }
                case Executor.LEA -> {
                    ea(in);
                    setReg(a);
                }
                case Executor.MOVZX_R_R8 -> {
                    byteReg(b);
                    setReg(a);
                }
                case Executor.MOVZX_R_M8 -> {
                    read(in, 1);
                    setReg(a);
                }
                case Executor.ADD_RR -> arith(Flags.ADD, a, () -> reg(b), true);
                case Executor.SUB_RR -> arith(Flags.SUB, a, () -> reg(b), true);
                case Executor.CMP_RR -> arith(Flags.SUB, a, () -> reg(b), false);
                case Executor.ADD_RI -> arith(Flags.ADD, a, () -> push(in.imm), true);
                case Executor.SUB_RI -> arith(Flags.SUB, a, () -> push(in.imm), true);
                case Executor.CMP_RI -> arith(Flags.SUB, a, () -> push(in.imm), false);
                case Executor.ADD_RM -> arith(Flags.ADD, a, () -> read32(in), true);
                case Executor.SUB_RM -> arith(Flags.SUB, a, () -> read32(in), true);
                case Executor.CMP_RM -> arith(Flags.SUB, a, () -> read32(in), false);
                case Executor.CMP_MR -> compare(() -> read32(in), () -> reg(a));
                case Executor.CMP_MI -> compare(() -> read32(in), () -> push(in.imm));
                case Executor.OR_RR -> logic(a, IOR, () -> reg(b), true);
                case Executor.AND_RR -> logic(a, IAND, () -> reg(b), true);
                case Executor.XOR_RR -> logic(a, IXOR, () -> reg(b), true);
                case Executor.TEST_RR -> logic(a, IAND, () -> reg(b), false);
                case Executor.OR_RI -> logic(a, IOR, () -> push(in.imm), true);
                case Executor.AND_RI -> logic(a, IAND, () -> push(in.imm), true);
                case Executor.XOR_RI -> logic(a, IXOR, () -> push(in.imm), true);
                case Executor.OR_RM -> logic(a, IOR, () -> read32(in), true);
                case Executor.AND_RM -> logic(a, IAND, () -> read32(in), true);
                case Executor.XOR_RM -> logic(a, IXOR, () -> read32(in), true);
                case Executor.INC_R -> incDec(a, Flags.INC, flagsDead);
                case Executor.DEC_R -> incDec(a, Flags.DEC, flagsDead);
                default -> throw new IllegalStateException("form " + form);
            }
            if (end != null) {
                m.visitLabel(end);
            }
        }

        /**
         * ADD or SUB (CMP when {@code store} is false) of {@code reg[a]} and a source. The source
         * is evaluated first: it may fault, and nothing may change before it has.
         */
        private void arith(int k, int a, Runnable src, boolean store) {
            src.run();
            m.visitVarInsn(ISTORE, T);
            reg(a);
            m.visitVarInsn(ISTORE, FDST);
            record(k, store ? a : -1);
        }

        /** CMP with a memory destination: both operands before any local changes. */
        private void compare(Runnable dst, Runnable src) {
            dst.run();
            src.run();
            m.visitVarInsn(ISTORE, T);
            m.visitVarInsn(ISTORE, FDST);
            record(Flags.SUB, -1);
        }

        /** FSRC = T, FRES = FDST op T, and the result into register {@code a} unless it is -1. */
        private void record(int k, int a) {
            m.visitVarInsn(ILOAD, T);
            m.visitVarInsn(ISTORE, FSRC);
            m.visitVarInsn(ILOAD, FDST);
            m.visitVarInsn(ILOAD, FSRC);
            m.visitInsn(k == Flags.ADD ? IADD : ISUB);
            if (a >= 0) {
                m.visitInsn(DUP);
                setReg(a);
            }
            m.visitVarInsn(ISTORE, FRES);
            setState(k, false, 0);
        }

        private void logic(int a, int op, Runnable src, boolean store) {
            src.run();
            m.visitVarInsn(ISTORE, T);
            reg(a);
            m.visitVarInsn(ILOAD, T);
            m.visitInsn(op);
            if (store) {
                m.visitInsn(DUP);
                setReg(a);
            }
            logicRecord();
            setState(Flags.LOGIC, false, 0);
        }

        /** The result on the stack as a logic record: FRES = FDST = result, FSRC = 0. */
        private void logicRecord() {
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, FRES);
            m.visitVarInsn(ISTORE, FDST);
            m.visitInsn(ICONST_0);
            m.visitVarInsn(ISTORE, FSRC);
        }

        /**
         * INC/DEC keep CF: after a record in the locals, that record moves to the CF locals;
         * after one in {@link Flags}, the INC/DEC record is stored there as the interpreter does.
         */
        private void incDec(int a, int k, boolean flagsDead) {
            if (flagsDead) {
                reg(a);
                push(k == Flags.INC ? 1 : -1);
                m.visitInsn(IADD);
                setReg(a);
                return;
            }
            boolean local = !generic && !narrow && !shifted() && kind >= 0 && !synced;
            if (local && kind != Flags.INC && kind != Flags.DEC) {
                copy(FRES, CRES);
                copy(FDST, CDST);
                copy(FSRC, CSRC);
                cfKind = kind;
            } else if (!local) {
                carryAsRecord();
            }
            reg(a);
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, FDST);
            push(k == Flags.INC ? 1 : -1);
            m.visitInsn(IADD);
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, FRES);
            setReg(a);
            push(1);
            m.visitVarInsn(ISTORE, FSRC);
            setState(k, false, cfKind);
        }

        /**
         * The CF an INC or DEC keeps, when the record before it is of a kind known only at run
         * time or already in {@link Flags}: worked out at once ({@link Flags#carry}) and kept in
         * the CF locals as the SUB record {@code 0 - CF}, whose CF it is.
         */
        private void carryAsRecord() {
            storeFlagLocalsArguments();
            m.visitMethodInsn(INVOKESTATIC, FLAGS, "carry", "(L" + FLAGS + ";IIIIIIII)I", false);
            m.visitInsn(DUP);
            m.visitVarInsn(ISTORE, CSRC);
            m.visitInsn(INEG);
            m.visitVarInsn(ISTORE, CRES);
            m.visitInsn(ICONST_0);
            m.visitVarInsn(ISTORE, CDST);
            cfKind = Flags.SUB;
        }

        private void copy(int from, int to) {
            m.visitVarInsn(ILOAD, from);
            m.visitVarInsn(ISTORE, to);
        }

        // ---- flags ------------------------------------------------------------------------------

        /** Records the static flag state and keeps the locals the handler and exit read in step. */
        private void setState(int k, boolean sync, int cf) {
            setState(k, sync, cf, false);
        }

        private void setState(int k, boolean sync, int cf, boolean small) {
            int before = generic ? Integer.MIN_VALUE : synced ? -1 : kind | (narrow ? Flags.NARROW : 0);
            generic = false;
            kind = k;
            synced = sync;
            cfKind = cf;
            narrow = small;
            int now = sync ? -1 : k | (small ? Flags.NARROW : 0);
            if (now != before) {
                push(now);
                m.visitVarInsn(ISTORE, FK);
            }
            if (!sync && (k == Flags.INC || k == Flags.DEC)) {
                push(cf);
                m.visitVarInsn(ISTORE, CK);
            }
        }

        /** Whether the locals hold a shift record ({@link #shiftWithFlags}). */
        private boolean shifted() {
            return !generic && !synced && kind >= 0 && (kind & Flags.SHIFTED) != 0;
        }

        /** Whether the locals hold a shift record of ROL or ROR. */
        private boolean rotated() {
            return shifted() && (kind & ~Flags.SHIFTED) <= 1;
        }

        /** Stores the record the locals hold into {@link Flags}, which is then current. */
        private void storeFlags() {
            if (generic) {
                storeFlagLocals();
            } else if (kind >= 0 && !synced && narrow) {
                m.visitVarInsn(ALOAD, F);
                push(kind);
                m.visitInsn(ICONST_0);
                for (int local : new int[] {FRES, FDST, FSRC}) {
                    m.visitVarInsn(ILOAD, local);
                    push(24);
                    m.visitInsn(IUSHR);
                }
                m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "set", "(IIIII)V", false);
            } else if (shifted()) {
                m.visitVarInsn(ALOAD, F);
                push(kind & ~Flags.SHIFTED);
                m.visitVarInsn(ILOAD, FDST);
                m.visitVarInsn(ILOAD, FSRC);
                m.visitMethodInsn(INVOKESTATIC, SHIFTS, "register32", "(L" + FLAGS + ";III)I", false);
                m.visitInsn(Opcodes.POP);
            } else if (kind >= 0 && !synced) {
                m.visitVarInsn(ALOAD, F);
                push(kind);
                m.visitVarInsn(ILOAD, FRES);
                m.visitVarInsn(ILOAD, FDST);
                if (kind == Flags.INC || kind == Flags.DEC) {
                    push(cfKind);
                    m.visitVarInsn(ILOAD, CRES);
                    m.visitVarInsn(ILOAD, CDST);
                    m.visitVarInsn(ILOAD, CSRC);
                    m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "setIncDecAfter", "(IIIIIII)V", false);
                } else {
                    m.visitVarInsn(ILOAD, FSRC);
                    m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "set32", "(IIII)V", false);
                }
            }
            setState(-1, true, 0);
        }

        /** The exit's and handler's store: whatever record the locals say they hold. */
        private void storeFlagLocals() {
            storeFlagLocalsArguments();
            m.visitMethodInsn(INVOKESTATIC, FLAGS, "store", "(L" + FLAGS + ";IIIIIIII)V", false);
        }

        /** Flags and the record locals, as {@link Flags#store} and {@link Flags#carry} take them. */
        private void storeFlagLocalsArguments() {
            m.visitVarInsn(ALOAD, F);
            for (int local : new int[] {FK, FRES, FDST, FSRC, CK, CRES, CDST, CSRC}) {
                m.visitVarInsn(ILOAD, local);
            }
        }

        /** Jumps to {@code target} unless Jcc condition {@code cc} holds, from the record known here. */
        private void jumpUnless(int cc, Label target) {
            Label holds = new Label();
            if ((cc & 1) == 0) {
                test(cc >>> 1, holds);
                m.visitJumpInsn(GOTO, target);
            } else {
                test(cc >>> 1, target);
            }
            m.visitLabel(holds);
        }

        /**
         * Jumps to {@code target} if even condition {@code c} (O, B, E, BE, S, P, L, LE by
         * {@code cc >>> 1}) holds. With the record's kind known, each is the comparison itself:
         * after SUB/CMP, B is {@code dst <u src} and L is {@code dst < src}.
         */
        private void test(int c, Label target) {
            if (generic) {
                storeFlags();
            }
            if (kind == EAGER) {
                eagerTest(c, target);
            } else if (kind < 0 || (synced && (c == 1 || c == 3))) {
                m.visitVarInsn(ALOAD, F);
                push(c << 1);
                m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "condition", "(I)Z", false);
                m.visitJumpInsn(IFNE, target);
            } else if (shifted()) {
                shiftTest(c, target);
            } else if (kind == Flags.SUB) {
                subTest(c, target);
            } else if (kind == Flags.ADD) {
                addTest(c, target);
            } else if (kind == Flags.LOGIC) {
                logicTest(c, target);
            } else {
                incDecTest(c, target);
            }
        }

        private void subTest(int c, Label target) {
            switch (c) {
                case 0 -> {
                    xor(FDST, FSRC);
                    xor(FDST, FRES);
                    m.visitInsn(IAND);
                    m.visitJumpInsn(IFLT, target);
                }
                case 1 -> unsigned(FDST, FSRC, IF_ICMPLT, target);
                case 2 -> compare(FDST, FSRC, IF_ICMPEQ, target);
                case 3 -> unsigned(FDST, FSRC, IF_ICMPLE, target);
                case 4 -> sign(FRES, target);
                case 5 -> parity(target);
                case 6 -> compare(FDST, FSRC, IF_ICMPLT, target);
                default -> compare(FDST, FSRC, IF_ICMPLE, target);
            }
        }

        private void addTest(int c, Label target) {
            switch (c) {
                case 0 -> {
                    addOverflow();
                    m.visitJumpInsn(IFLT, target);
                }
                case 1 -> unsigned(FRES, FDST, IF_ICMPLT, target);
                case 2 -> zero(target);
                case 3 -> {
                    zero(target);
                    unsigned(FRES, FDST, IF_ICMPLT, target);
                }
                case 4 -> sign(FRES, target);
                case 5 -> parity(target);
                case 6 -> {
                    // SF != OF: the sign of res XOR the overflow word.
                    addOverflow();
                    m.visitVarInsn(ILOAD, FRES);
                    m.visitInsn(IXOR);
                    m.visitJumpInsn(IFLT, target);
                }
                default -> {
                    zero(target);
                    addTest(6, target);
                }
            }
        }

        /** {@code (dst ^ res) & (src ^ res)}: negative when ADD overflowed. */
        private void addOverflow() {
            xor(FDST, FRES);
            xor(FSRC, FRES);
            m.visitInsn(IAND);
        }

        /**
         * After a shift record: ZF, SF and PF from the result of SHL, SHR or SAR, the rest once
         * {@link Shifts} has computed them.
         */
        private void shiftTest(int c, Label target) {
            switch (rotated() ? -1 : c) {
                case 2 -> zero(target);
                case 4 -> sign(FRES, target);
                case 5 -> parity(target);
                default -> {
                    storeFlags();
                    kind = EAGER;
                    eagerTest(c, target);
                }
            }
        }

        private void logicTest(int c, Label target) {
            switch (c) {
                case 0, 1 -> {
                }
                case 2, 3 -> zero(target);
                case 4, 6 -> sign(FRES, target);
                case 5 -> parity(target);
                default -> {
                    m.visitVarInsn(ILOAD, FRES);
                    m.visitJumpInsn(IFLE, target);
                }
            }
        }

        /** After INC/DEC: OF is the one result the operation wraps to, CF the kept record's. */
        private void incDecTest(int c, Label target) {
            int wrapped = kind == Flags.DEC ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            switch (c) {
                case 0 -> {
                    m.visitVarInsn(ILOAD, FRES);
                    push(wrapped);
                    m.visitJumpInsn(IF_ICMPEQ, target);
                }
                case 1 -> carryTest(target);
                case 2 -> zero(target);
                case 3 -> {
                    zero(target);
                    carryTest(target);
                }
                case 4 -> sign(FRES, target);
                case 5 -> parity(target);
                case 6 -> {
                    // SF != OF: (res < 0) XOR (res == wrapped).
                    Label equal = new Label(), done = new Label();
                    m.visitVarInsn(ILOAD, FRES);
                    push(31);
                    m.visitInsn(IUSHR);
                    m.visitVarInsn(ILOAD, FRES);
                    push(wrapped);
                    m.visitJumpInsn(IF_ICMPEQ, equal);
                    m.visitJumpInsn(IFNE, target);
                    m.visitJumpInsn(GOTO, done);
                    m.visitLabel(equal);
                    m.visitJumpInsn(IFEQ, target);
                    m.visitLabel(done);
                }
                default -> {
                    zero(target);
                    incDecTest(6, target);
                }
            }
        }

        /** CF kept by INC/DEC: from the record in the CF locals (INC/DEC in {@link Flags} ask it). */
        private void carryTest(Label target) {
            if (synced) {
                m.visitVarInsn(ALOAD, F);
                m.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "cf", "()Z", false);
                m.visitJumpInsn(IFNE, target);
            } else if (cfKind == Flags.ADD) {
                unsigned(CRES, CDST, IF_ICMPLT, target);
            } else if (cfKind == Flags.SUB) {
                unsigned(CDST, CSRC, IF_ICMPLT, target);
            }
        }

        /** From the EFLAGS image after an instruction that stored the arithmetic flags eagerly. */
        private void eagerTest(int c, Label target) {
            if (c == 6 || c == 7) {
                if (c == 7) {
                    eagerBits(Flags.ZF);
                    m.visitJumpInsn(IFNE, target);
                }
                // SF (bit 7) != OF (bit 11).
                m.visitVarInsn(ALOAD, F);
                m.visitFieldInsn(GETFIELD, FLAGS, "bits", "I");
                m.visitInsn(DUP);
                push(4);
                m.visitInsn(ISHL);
                m.visitInsn(IXOR);
                push(Flags.OF);
                m.visitInsn(IAND);
                m.visitJumpInsn(IFNE, target);
                return;
            }
            int[] mask = {Flags.OF, Flags.CF, Flags.ZF, Flags.CF | Flags.ZF, Flags.SF, Flags.PF};
            eagerBits(mask[c]);
            m.visitJumpInsn(IFNE, target);
        }

        private void eagerBits(int mask) {
            m.visitVarInsn(ALOAD, F);
            m.visitFieldInsn(GETFIELD, FLAGS, "bits", "I");
            push(mask);
            m.visitInsn(IAND);
        }

        private void xor(int a, int b) {
            m.visitVarInsn(ILOAD, a);
            m.visitVarInsn(ILOAD, b);
            m.visitInsn(IXOR);
        }

        private void compare(int a, int b, int jump, Label target) {
            m.visitVarInsn(ILOAD, a);
            m.visitVarInsn(ILOAD, b);
            m.visitJumpInsn(jump, target);
        }

        /** An unsigned comparison: both operands with the sign bit flipped, compared signed. */
        private void unsigned(int a, int b, int jump, Label target) {
            m.visitVarInsn(ILOAD, a);
            push(Integer.MIN_VALUE);
            m.visitInsn(IXOR);
            m.visitVarInsn(ILOAD, b);
            push(Integer.MIN_VALUE);
            m.visitInsn(IXOR);
            m.visitJumpInsn(jump, target);
        }

        private void zero(Label target) {
            m.visitVarInsn(ILOAD, FRES);
            m.visitJumpInsn(IFEQ, target);
        }

        private void sign(int local, Label target) {
            m.visitVarInsn(ILOAD, local);
            m.visitJumpInsn(IFLT, target);
        }

        /** PF: an even number of one bits in the result's low byte. */
        private void parity(Label target) {
            m.visitVarInsn(ILOAD, FRES);
            if (narrow) {
                push(24);
                m.visitInsn(IUSHR);
            }
            push(0xFF);
            m.visitInsn(IAND);
            m.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "bitCount", "(I)I", false);
            push(1);
            m.visitInsn(IAND);
            m.visitJumpInsn(IFEQ, target);
        }

        // ---- operands ---------------------------------------------------------------------------

        private void read32(Insn in) {
            read(in, 4);
        }

        /**
         * Pushes the {@code bytes}-byte value (1, 2 or 4) at the instruction's memory operand: a hit in
         * the read TLB reads RAM directly, anything else goes through the MMU's own read.
         */
        private void read(Insn in, int bytes) {
            linear(in);
            load(bytes);
        }

        /** Pushes the {@code bytes}-byte value (1, 2 or 4) at linear address LIN. */
        private void load(int bytes) {
            Label slow = new Label(), done = new Label();
            probe(READ_ENTRIES, bytes, slow);
            m.visitVarInsn(ALOAD, RAM);
            physical();
            String name = bytes == 4 ? "read32" : bytes == 2 ? "read16" : "read8";
            if (bytes == 1) {
                m.visitInsn(BALOAD);
                push(0xFF);
                m.visitInsn(IAND);
            } else {
                m.visitMethodInsn(INVOKESTATIC, MEMORY_CLASS, name, "([BI)I", false);
            }
            m.visitJumpInsn(GOTO, done);
            m.visitLabel(slow);
            m.visitVarInsn(ALOAD, MMU_);
            m.visitVarInsn(ILOAD, LIN);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, name, "(I)I", false);
            m.visitLabel(done);
        }

        /** Stores the value on the stack ({@code bytes} 1 or 4) at the instruction's memory operand. */
        private void write(Insn in, int bytes) {
            m.visitVarInsn(ISTORE, VALUE);
            linear(in);
            store(bytes);
        }

        /** Pushes the dword at LIN, read with write intent: a hit in the write TLB, else the MMU's. */
        private void loadForWrite() {
            Label slow = new Label(), done = new Label();
            probe(WRITE_ENTRIES, 4, slow);
            m.visitVarInsn(ALOAD, RAM);
            physical();
            m.visitMethodInsn(INVOKESTATIC, MEMORY_CLASS, "read32", "([BI)I", false);
            m.visitJumpInsn(GOTO, done);
            m.visitLabel(slow);
            m.visitVarInsn(ALOAD, MMU_);
            m.visitVarInsn(ILOAD, LIN);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, "readForWrite32", "(I)I", false);
            m.visitLabel(done);
        }

        /** Stores VALUE ({@code bytes} 1 or 4) at linear address LIN. */
        private void store(int bytes) {
            Label slow = new Label(), done = new Label();
            probe(WRITE_ENTRIES, bytes, slow);
            m.visitVarInsn(ALOAD, RAM);
            physical();
            m.visitVarInsn(ILOAD, VALUE);
            if (bytes == 4) {
                m.visitMethodInsn(INVOKESTATIC, MEMORY_CLASS, "write32", "([BII)V", false);
            } else {
                m.visitInsn(BASTORE);
            }
            m.visitInsn(ICONST_0);
            m.visitVarInsn(ISTORE, CODE_WRITTEN);
            m.visitJumpInsn(GOTO, done);
            m.visitLabel(slow);
            m.visitVarInsn(ALOAD, MMU_);
            m.visitVarInsn(ILOAD, LIN);
            m.visitVarInsn(ILOAD, VALUE);
            m.visitMethodInsn(INVOKEVIRTUAL, MMU, bytes == 4 ? "write32" : "write8", "(II)V", false);
            m.visitVarInsn(ALOAD, C);
            m.visitFieldInsn(GETFIELD, CPU, "breakBlock", "Z");
            m.visitVarInsn(ISTORE, CODE_WRITTEN);
            m.visitLabel(done);
        }

        /**
         * Jumps to {@code slow} unless the TLB ({@code entries}, read or write) holds LIN's page and
         * the access stays in it; the entry is left in ENTRY.
         */
        private void probe(int entries, int bytes, Label slow) {
            m.visitVarInsn(ALOAD, entries);
            slot(entries);
            m.visitInsn(LALOAD);
            m.visitInsn(DUP2);
            m.visitVarInsn(LSTORE, ENTRY);
            push(32);
            m.visitInsn(LUSHR);
            m.visitInsn(L2I);
            m.visitVarInsn(ILOAD, LIN);
            push(12);
            m.visitInsn(IUSHR);
            m.visitJumpInsn(IF_ICMPNE, slow);
            if (bytes > 1) {
                m.visitVarInsn(ILOAD, LIN);
                push(0xFFF);
                m.visitInsn(IAND);
                push(0x1000 - bytes);
                m.visitJumpInsn(IF_ICMPGT, slow);
            }
        }

        /** The physical address of LIN through the TLB entry that matched, in ENTRY. */
        private void physical() {
            m.visitVarInsn(LLOAD, ENTRY);
            m.visitInsn(L2I);
            m.visitVarInsn(ILOAD, LIN);
            push(0xFFF);
            m.visitInsn(IAND);
            m.visitInsn(IOR);
        }

        /**
         * The TLB slot of LIN's page in {@code array}: the page masked with the array's length
         * less one ({@link Mmu#TLB_MASK}, the length a power of two), which tells the JIT the index
         * is in bounds once the length is not zero.
         */
        private void slot(int array) {
            m.visitVarInsn(ILOAD, LIN);
            push(12);
            m.visitInsn(IUSHR);
            m.visitVarInsn(ALOAD, array);
            m.visitInsn(ARRAYLENGTH);
            push(1);
            m.visitInsn(ISUB);
            m.visitInsn(IAND);
        }

        /**
         * LIN = the linear address of the memory operand: the segment's base plus the offset. The
         * method runs only while the segments it uses need no checks (see the prologue).
         */
        private void linear(Insn in) {
            ea(in);
            addBase(in.seg);
            m.visitVarInsn(ISTORE, LIN);
        }

        /** Adds segment {@code seg}'s base to the offset on the stack, unless it is taken to be 0. */
        private void addBase(int seg) {
            if ((zeroBases & 1 << seg) == 0) {
                m.visitVarInsn(ILOAD, SEGMENT_BASES + seg);
                m.visitInsn(IADD);
            }
        }

        /** The effective address from the register locals, with absent parts left out. */
        private void ea(Insn in) {
            boolean any = false;
            if (in.base != 8) {
                reg(in.base);
                any = true;
            }
            if (in.index != 8) {
                reg(in.index);
                if (in.scale != 0) {
                    push(in.scale);
                    m.visitInsn(ISHL);
                }
                if (any) {
                    m.visitInsn(IADD);
                }
                any = true;
            }
            if (!any) {
                push(in.disp);
            } else if (in.disp != 0) {
                push(in.disp);
                m.visitInsn(IADD);
            }
            if (in.a16) {
                push(0xFFFF);
                m.visitInsn(IAND);
            }
        }

        private void reg(int r) {
            m.visitVarInsn(ILOAD, R0 + r);
        }

        private void setReg(int r) {
            m.visitVarInsn(ISTORE, R0 + r);
            dirty[r] = true;
        }

        /** AL..BH numbering: 0-3 the low bytes, 4-7 bits 8-15 of the first four. */
        private void byteReg(int r) {
            reg(r & 3);
            if (r >= 4) {
                push(8);
                m.visitInsn(IUSHR);
            }
            push(0xFF);
            m.visitInsn(IAND);
        }

        /** Stores the value on the stack (its low byte) into byte register {@code r}. */
        private void setByteReg(int r) {
            push(0xFF);
            m.visitInsn(IAND);
            if (r >= 4) {
                push(8);
                m.visitInsn(ISHL);
            }
            reg(r & 3);
            push(r >= 4 ? 0xFFFF00FF : 0xFFFFFF00);
            m.visitInsn(IAND);
            m.visitInsn(IOR);
            setReg(r & 3);
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

    /**
     * Whether the flags instruction {@code i} of {@code b} sets are overwritten, unread, by a
     * later instruction of the block that cannot fault, with nothing between that could read them
     * or fault (a fault must see them).
     */
    static boolean flagsDead(Block b, int i) {
        for (int j = i + 1; j < b.count; j++) {
            Insn in = b.insns[j];
            switch (in.form) {
                case Executor.ADD_RR, Executor.OR_RR, Executor.AND_RR, Executor.SUB_RR, Executor.XOR_RR,
                        Executor.CMP_RR, Executor.TEST_RR, Executor.ADD_RI, Executor.OR_RI, Executor.AND_RI,
                        Executor.SUB_RI, Executor.XOR_RI, Executor.CMP_RI -> {
                    return true;
                }
                case Executor.MOV_R_R, Executor.MOV_R_I, Executor.LEA, Executor.MOVZX_R_R8 -> {
                }
                default -> {
                    if (!isShift(in)) {
                        return false;
                    }
                    if (in.reg >= 4 && ((in.op == 0xD1 ? 1 : in.imm) & 0x1F) != 0) {
                        // SHL, SHR and SAR by a nonzero count set all six arithmetic flags.
                        return true;
                    }
                    // ROL and ROR read no flag and keep SF, ZF, AF and PF: look further.
                }
            }
        }
        return false;
    }

    /** Kinds of instruction without an interpreter form that are compiled inline. */
    private static final int NONE = 0, BYTE_ALU = 1, NOT = 2, MOV_R8_IMM = 3, MOV_R8_R8 = 4, SETCC = 5,
            CMOVCC = 6, ALU_TO_MEMORY = 7, NO_OP = 8, EXTEND = 9;
    /** TEST, among {@link Alu}'s operation numbers. */
    private static final int TEST = 8;

    private static int inlineKind(Insn in) {
        if (in.lock) {
            return NONE;
        }
        int op = in.op;
        boolean register = in.mod == 3;
        if (in.family == Family.ALU && in.size == 0) {
            int operation = op < 0x40 ? op >>> 3 : op == 0x80 ? in.reg : -1;
            boolean carries = operation == Alu.ADC || operation == Alu.SBB;
            if (op < 0x40 && !carries && ((op & 7) == 2 || (op & 7) == 4 || (op & 7) == 0 && (register || operation == Alu.CMP))) {
                return BYTE_ALU;
            }
            if (op == 0x80 && !carries && (register || operation == Alu.CMP)) {
                return BYTE_ALU;
            }
            return op == 0x84 ? BYTE_ALU : NONE;
        }
        if (in.family == Family.ALU && op == 0xF7 && in.reg == 2 && register && in.size == 2) {
            return NOT;
        }
        if (in.family == Family.ALU && in.size == 2 && !register) {
            int operation = op < 0x40 && (op & 7) == 1 ? op >>> 3 : op == 0x81 || op == 0x83 ? in.reg : -1;
            boolean plain = operation == Alu.ADD || operation == Alu.OR || operation == Alu.AND
                    || operation == Alu.SUB || operation == Alu.XOR;
            return plain ? ALU_TO_MEMORY : NONE;
        }
        if (op == 0x90) {
            // NOP, PAUSE (F3 90), XCHG AX, AX (66 90): nothing changes.
            return NO_OP;
        }
        if (in.family == Family.MOVE && in.size == 2 && (op == 0x1B7 || op == 0x1BE || op == 0x1BF)) {
            return EXTEND;
        }
        if (in.family == Family.MOVE) {
            if (op >= 0xB0 && op <= 0xB7) {
                return MOV_R8_IMM;
            }
            if ((op == 0x88 || op == 0x8A) && register) {
                return MOV_R8_R8;
            }
            if (op >= 0x190 && op <= 0x19F && register) {
                return SETCC;
            }
            if (op >= 0x140 && op <= 0x14F && in.size == 2) {
                return CMOVCC;
            }
        }
        return NONE;
    }

    /** The register an instruction the compiler emits itself writes (byte registers by their dword), or -1. */
    private static int destination(Insn in) {
        if (writesRa(in.form)) {
            return in.ra;
        }
        if (isShift(in)) {
            return in.rm;
        }
        if (isMultiply(in)) {
            return in.reg;
        }
        if (stackKind(in) == POP) {
            return in.reg;
        }
        int op = in.op;
        return switch (inlineKind(in)) {
            case BYTE_ALU -> {
                int operation = op == 0x80 ? in.reg : op == 0x84 ? TEST : op >>> 3;
                if (operation == Alu.CMP || operation == TEST) {
                    yield -1;
                }
                yield op == 0x80 || (op & 7) == 0 ? in.rm & 3 : (op & 7) == 2 ? in.reg & 3 : Cpu.EAX;
            }
            case NOT -> in.rm;
            case MOV_R8_IMM -> op & 3;
            case MOV_R8_R8 -> (op == 0x88 ? in.rm : in.reg) & 3;
            case SETCC -> in.rm & 3;
            case CMOVCC, EXTEND -> in.reg;
            default -> -1;
        };
    }

    /** Stack instructions compiled inline. */
    private static final int PUSH = 10, POP = 11, CALL = 12, RET = 13;

    private static int stackKind(Insn in) {
        if (in.lock || in.o16 || in.size != 2) {
            return NONE;
        }
        int op = in.op;
        if (in.family == Family.STACK) {
            if (op >= 0x50 && op <= 0x57 || op == 0x68 || op == 0x6A) {
                return PUSH;
            }
            return op >= 0x58 && op <= 0x5F ? POP : NONE;
        }
        if (in.family == Family.CONTROL) {
            return op == 0xE8 ? CALL : op == 0xC3 || op == 0xC2 ? RET : NONE;
        }
        return NONE;
    }

    /** Whether an instruction the compiler emits itself, without a form, reads its memory operand. */
    private static boolean reads(Insn in) {
        int kind = inlineKind(in);
        return isMultiply(in) || kind == BYTE_ALU || kind == CMOVCC || kind == ALU_TO_MEMORY || kind == EXTEND;
    }

    /** ROL, ROR, SHL, SHR or SAR of a 32-bit register by a constant: compiled inline. */
    private static boolean isShift(Insn in) {
        return in.family == Family.SHIFT && !in.lock && in.size == 2 && in.mod == 3
                && (in.op == 0xC1 || in.op == 0xD1) && in.reg != 2 && in.reg != 3;
    }

    /** The 32-bit two- and three-operand IMUL: compiled inline. */
    private static boolean isMultiply(Insn in) {
        return in.family == Family.MULDIV && !in.lock && in.size == 2
                && (in.op == 0x1AF || in.op == 0x69 || in.op == 0x6B);
    }

    /** Whether a form writes register {@code ra}. */
    private static boolean writesRa(int form) {
        return switch (form) {
            case Executor.MOV_R_R, Executor.MOV_R_M, Executor.MOV_R_I, Executor.LEA, Executor.MOVZX_R_R8,
                    Executor.MOVZX_R_M8, Executor.ADD_RR, Executor.OR_RR, Executor.AND_RR, Executor.SUB_RR,
                    Executor.XOR_RR, Executor.ADD_RI, Executor.OR_RI, Executor.AND_RI, Executor.SUB_RI,
                    Executor.XOR_RI, Executor.ADD_RM, Executor.OR_RM, Executor.AND_RM, Executor.SUB_RM,
                    Executor.XOR_RM, Executor.INC_R, Executor.DEC_R -> true;
            default -> false;
        };
    }
}
