package org.jlguest.cpu;

import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SE;
import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SIG;

import org.jlguest.cpu.fpu.Arithmetic;
import org.jlguest.cpu.fpu.Constants;
import org.jlguest.cpu.fpu.Extended;
import org.jlguest.cpu.fpu.Fpu;
import org.jlguest.cpu.fpu.Transcendentals;
import org.jlguest.mmu.Fault;

/**
 * The x87 instructions: escape opcodes D8-DF and WAIT.
 *
 * <p>This class decodes and moves operands between memory, the integer unit and the {@link Fpu};
 * the arithmetic itself is the {@code fpu} package's. Every instruction first checks CR0 (#NM when
 * EM or TS is set), then, unless it is one of the "no-wait" control forms, whether an earlier
 * instruction left an unmasked exception pending (#MF with CR0.NE; with NE clear a PC signals it
 * through FERR# and the interrupt controller, which is not modelled: the exception simply stays
 * pending in ES).
 *
 * <p>Memory operands are read before anything changes and written before the register stack
 * changes, so a page fault leaves the FPU as it was.
 */
final class X87 {
    private static final int CR0_MP = 0x2, CR0_EM = 0x4, CR0_TS = 0x8, CR0_NE = 0x20;
    /** The reg-field operations of the arithmetic opcodes: ST(dest) = a OP b. */
    static final int ADD = 0, MUL = 1, COM = 2, COMP = 3, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;
    /** Not an encoding: FUCOM's quiet comparison. */
    static final int UCOM = 8;
    private static final int SINGLE_INDEFINITE = 0xFFC00000;
    private static final long DOUBLE_INDEFINITE = 0xFFF8000000000000L;
    /** Memory operand formats. */
    private static final int INT16 = 0, INT32 = 1, INT64 = 2, SINGLE = 3, DOUBLE = 4, EXTENDED = 5, BCD = 6;
    /** Condition numbers (as Jcc's) of FCMOVB, FCMOVE, FCMOVBE and FCMOVU; DB negates them. */
    private static final int[] MOVE_CONDITION = {0x2, 0x4, 0x6, 0xA};

    private X87() {
    }

    static void execute(Cpu cpu, Insn in) {
        if (in.op == 0x9B) {
            if ((cpu.cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP)) {
                throw cpu.fault.raise(Fault.NM);
            }
            checkPending(cpu);
            return;
        }
        if ((cpu.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw cpu.fault.raise(Fault.NM);
        }
        boolean control = isControl(in);
        if (!control || (in.mod != 3 && !noWait(in))) {
            checkPending(cpu);
        }
        Fpu fpu = cpu.fpu;
        if (!control) {
            fpu.lastIp = cpu.insnEip;
            fpu.lastCs = cpu.segSel[Cpu.CS];
            fpu.lastOpcode = (in.op & 7) << 8 | in.mod << 6 | in.reg << 3 | in.rm;
            if (in.mod != 3) {
                fpu.lastDp = cpu.ea(in);
                fpu.lastDs = cpu.segSel[in.seg];
            }
        }
        fpu.math.begin();
        if (in.mod == 3) {
            registerForm(cpu, fpu, in);
        } else {
            memoryForm(cpu, fpu, in);
        }
    }

    private static void checkPending(Cpu cpu) {
        if (cpu.fpu.pending() && (cpu.cr0 & CR0_NE) != 0) {
            throw cpu.fault.raise(Fault.MF);
        }
    }

    /**
     * The control instructions, which leave the instruction and operand pointers alone: the
     * environment loads and stores, FNINIT, FNCLEX and FNSTSW AX (and the 8087 leftovers beside them).
     */
    private static boolean isControl(Insn in) {
        if (in.mod != 3) {
            return (in.op == 0xD9 && in.reg >= 4) || (in.op == 0xDD && (in.reg == 4 || in.reg >= 6));
        }
        return (in.op == 0xDB || in.op == 0xDF) && in.reg == 4;
    }

    /** The memory forms of FNSTENV, FNSTCW, FNSAVE and FNSTSW do not check for pending exceptions. */
    private static boolean noWait(Insn in) {
        return (in.op == 0xD9 || in.op == 0xDD) && in.reg >= 6;
    }

    // ---- arithmetic shared by both operand kinds -------------------------------------------

    /**
     * ST(dest) = a OP b for the arithmetic and comparison operations, then {@code pops} pops;
     * the operands are already known to be present.
     */
    private static void apply(Fpu fpu, int op, int dest, int aSe, long aSig, int bSe, long bSig, int pops) {
        Arithmetic m = fpu.math;
        switch (op) {
            case ADD -> m.add(aSe, aSig, bSe, bSig, false);
            case SUB -> m.add(aSe, aSig, bSe, bSig, true);
            case SUBR -> m.add(bSe, bSig, aSe, aSig, true);
            case MUL -> m.multiply(aSe, aSig, bSe, bSig);
            case DIV -> m.divide(aSe, aSig, bSe, bSig);
            case DIVR -> m.divide(bSe, bSig, aSe, aSig);
            default -> {
                // An unmasked invalid operand still reports "unordered"; only the pops are skipped.
                fpu.setRelation(m.compare(aSe, aSig, bSe, bSig, op == UCOM));
                if (!fpu.aborted()) {
                    popTimes(fpu, pops);
                }
                fpu.finish();
                return;
            }
        }
        deliver(fpu, dest, pops);
    }

    /**
     * Stores the arithmetic result in ST(dest) and pops, unless an unmasked exception stops it;
     * then nothing is rounded and C1 is cleared.
     */
    private static void deliver(Fpu fpu, int dest, int pops) {
        if (!fpu.aborted()) {
            fpu.setResult(dest);
            fpu.setRoundedUp();
            popTimes(fpu, pops);
        } else {
            fpu.clearC1();
        }
        fpu.finish();
    }

    /**
     * The response to an empty operand register: a comparison reports "unordered" even when the
     * exception is unmasked; masked, an arithmetic operation delivers the indefinite and pops go ahead.
     */
    private static void underflow(Fpu fpu, int op, int dest, int pops) {
        boolean masked = fpu.stackUnderflow();
        if (op == COM || op == COMP || op == UCOM) {
            fpu.setRelation(Arithmetic.UNORDERED);
        } else if (masked) {
            fpu.set(dest, INDEFINITE_SE, INDEFINITE_SIG);
        }
        if (masked) {
            popTimes(fpu, pops);
        }
        fpu.finish();
    }

    private static void popTimes(Fpu fpu, int pops) {
        for (int i = 0; i < pops; i++) {
            fpu.pop();
        }
    }

    // ---- register operands ----------------------------------------------------------------

    private static void registerForm(Cpu cpu, Fpu fpu, Insn in) {
        int i = in.rm;
        switch (in.op) {
            case 0xD8 -> binary(fpu, in.reg, 0, 0, i, in.reg == COMP ? 1 : 0);
            case 0xD9 -> d9Register(cpu, fpu, in);
            case 0xDA -> {
                if (in.reg < 4) {
                    conditionalMove(cpu, fpu, MOVE_CONDITION[in.reg], i);
                } else if (in.reg == 5 && i == 1) {
                    binary(fpu, UCOM, 0, 0, 1, 2);
                } else {
                    throw cpu.ud();
                }
            }
            case 0xDB -> dbRegister(cpu, fpu, in);
            case 0xDC -> binary(fpu, reversed(in.reg), i, i, 0, in.reg == COMP ? 1 : 0);
            case 0xDD -> ddRegister(cpu, fpu, in);
            case 0xDE -> {
                if (in.reg == COMP && i != 1) {
                    throw cpu.ud();
                }
                binary(fpu, reversed(in.reg), i, i, 0, in.reg == COMP ? 2 : 1);
            }
            default -> dfRegister(cpu, fpu, in);
        }
    }

    /**
     * The DC/DE encodings put the result in ST(i) and swap the sense of SUB/SUBR and DIV/DIVR;
     * their comparisons still compare ST(0) with ST(i).
     */
    private static int reversed(int reg) {
        return reg >= SUB ? reg ^ 1 : reg;
    }

    /** ST(dest) = ST(a) OP ST(b); a comparison compares ST(0) with the other register. */
    private static void binary(Fpu fpu, int op, int dest, int a, int b, int pops) {
        boolean comparison = op == COM || op == COMP || op == UCOM;
        int first = comparison ? 0 : a;
        int second = comparison ? (a == 0 ? b : a) : b;
        if (fpu.isEmpty(first) || fpu.isEmpty(second)) {
            underflow(fpu, op, dest, pops);
            return;
        }
        apply(fpu, op, dest, fpu.se(first), fpu.sig(first), fpu.se(second), fpu.sig(second), pops);
    }

    private static void d9Register(Cpu cpu, Fpu fpu, Insn in) {
        int i = in.rm;
        switch (in.reg) {
            case 0 -> loadRegister(fpu, i);
            case 1 -> exchange(fpu, i);
            case 2 -> {
                if (i != 0) {
                    throw cpu.ud();
                }
            }
            case 3 -> storeRegister(fpu, i, true);
            case 4 -> signAndClass(cpu, fpu, i);
            case 5 -> {
                if (i == 7) {
                    throw cpu.ud();
                }
                loadConstant(fpu, i);
            }
            default -> functions(cpu, fpu, in.reg << 3 | i);
        }
    }

    private static void dbRegister(Cpu cpu, Fpu fpu, Insn in) {
        switch (in.reg) {
            case 0, 1, 2, 3 -> conditionalMove(cpu, fpu, MOVE_CONDITION[in.reg] | 1, in.rm);
            case 4 -> {
                switch (in.rm) {
                    case 2 -> fpu.clearExceptions();
                    case 3 -> fpu.init();
                    case 0, 1, 4 -> {
                        // FENI, FDISI, FSETPM: meaningful to the 8087 and 80287 only.
                    }
                    default -> throw cpu.ud();
                }
            }
            case 5 -> compareToFlags(cpu, fpu, in.rm, true, false);
            case 6 -> compareToFlags(cpu, fpu, in.rm, false, false);
            default -> throw cpu.ud();
        }
    }

    private static void ddRegister(Cpu cpu, Fpu fpu, Insn in) {
        int i = in.rm;
        switch (in.reg) {
            case 0 -> fpu.free(i);
            case 1 -> exchange(fpu, i);
            case 2 -> storeRegister(fpu, i, false);
            case 3 -> storeRegister(fpu, i, true);
            case 4 -> binary(fpu, UCOM, 0, 0, i, 0);
            case 5 -> binary(fpu, UCOM, 0, 0, i, 1);
            default -> throw cpu.ud();
        }
    }

    private static void dfRegister(Cpu cpu, Fpu fpu, Insn in) {
        int i = in.rm;
        switch (in.reg) {
            case 0 -> {
                fpu.free(i);
                fpu.pop();
            }
            case 1 -> exchange(fpu, i);
            case 2, 3 -> storeRegister(fpu, i, true);
            case 4 -> {
                if (i != 0) {
                    throw cpu.ud();
                }
                cpu.writeReg(Cpu.EAX, 1, fpu.status());
            }
            case 5 -> compareToFlags(cpu, fpu, i, true, true);
            case 6 -> compareToFlags(cpu, fpu, i, false, true);
            default -> throw cpu.ud();
        }
    }

    /**
     * FLD ST(i). An empty source is a stack underflow, which takes precedence over an overflow of
     * the push (C1 stays clear): masked, the indefinite is pushed whatever ST(7) held.
     */
    private static void loadRegister(Fpu fpu, int i) {
        if (fpu.isEmpty(i)) {
            if (fpu.stackUnderflow()) {
                fpu.decrementTop();
                fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
            }
        } else {
            int se = fpu.se(i);
            long sig = fpu.sig(i);
            if (fpu.push()) {
                fpu.set(0, se, sig);
                fpu.clearC1();
            }
        }
        fpu.finish();
    }

    /** FST/FSTP ST(i): an exact copy. */
    private static void storeRegister(Fpu fpu, int i, boolean pop) {
        if (fpu.isEmpty(0)) {
            underflow(fpu, ADD, i, pop ? 1 : 0);
            return;
        }
        fpu.set(i, fpu.se(0), fpu.sig(0));
        fpu.clearC1();
        if (pop) {
            fpu.pop();
        }
        fpu.finish();
    }

    /** FXCH: an empty register takes part as the real indefinite when the underflow is masked. */
    private static void exchange(Fpu fpu, int i) {
        if (fpu.isEmpty(0) || fpu.isEmpty(i)) {
            if (fpu.stackUnderflow()) {
                if (fpu.isEmpty(0)) {
                    fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
                }
                if (fpu.isEmpty(i)) {
                    fpu.set(i, INDEFINITE_SE, INDEFINITE_SIG);
                }
                swap(fpu, i);
            }
            fpu.finish();
            return;
        }
        swap(fpu, i);
        fpu.clearC1();
    }

    private static void swap(Fpu fpu, int i) {
        int se = fpu.se(0);
        long sig = fpu.sig(0);
        fpu.set(0, fpu.se(i), fpu.sig(i));
        fpu.set(i, se, sig);
    }

    /** D9 E0-E5: FCHS, FABS, FTST, FXAM. */
    private static void signAndClass(Cpu cpu, Fpu fpu, int i) {
        switch (i) {
            case 0, 1 -> {
                if (fpu.isEmpty(0)) {
                    underflow(fpu, ADD, 0, 0);
                    return;
                }
                int se = fpu.se(0);
                fpu.set(0, i == 0 ? se ^ 0x8000 : se & 0x7FFF, fpu.sig(0));
                fpu.clearC1();
            }
            case 4 -> {
                if (fpu.isEmpty(0)) {
                    underflow(fpu, COM, 0, 0);
                    return;
                }
                apply(fpu, COM, 0, fpu.se(0), fpu.sig(0), 0, 0, 0);
            }
            case 5 -> fpu.examine();
            default -> throw cpu.ud();
        }
    }

    /** D9 E8-EE: FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ. */
    private static void loadConstant(Fpu fpu, int which) {
        if (fpu.push()) {
            Constants.load(fpu.math, which);
            fpu.setResult(0);
            fpu.clearC1();
        }
        fpu.finish();
    }

    /** FCMOVcc ST(0), ST(i). */
    private static void conditionalMove(Cpu cpu, Fpu fpu, int condition, int i) {
        if (fpu.isEmpty(0) || fpu.isEmpty(i)) {
            underflow(fpu, ADD, 0, 0);
            return;
        }
        if (cpu.flags.condition(condition)) {
            fpu.set(0, fpu.se(i), fpu.sig(i));
        }
        fpu.clearC1();
    }

    /**
     * FCOMI, FUCOMI and their popping forms: the relation goes to ZF, PF and CF, "unordered" also
     * when an invalid operand or an empty register raises an unmasked exception, which only
     * suppresses the pop.
     */
    private static void compareToFlags(Cpu cpu, Fpu fpu, int i, boolean quiet, boolean pop) {
        int relation;
        if (fpu.isEmpty(0) || fpu.isEmpty(i)) {
            pop &= fpu.stackUnderflow();
            relation = Arithmetic.UNORDERED;
        } else {
            relation = fpu.math.compare(fpu.se(0), fpu.sig(0), fpu.se(i), fpu.sig(i), quiet);
            pop &= !fpu.aborted();
            fpu.clearC1();
        }
        cpu.flags.setArithmetic(switch (relation) {
            case Arithmetic.GREATER -> 0;
            case Arithmetic.LESS -> Flags.CF;
            case Arithmetic.EQUAL -> Flags.ZF;
            default -> Flags.ZF | Flags.PF | Flags.CF;
        });
        if (pop) {
            fpu.pop();
        }
        fpu.finish();
    }

    // ---- memory operands ------------------------------------------------------------------

    private static void memoryForm(Cpu cpu, Fpu fpu, Insn in) {
        switch (in.op) {
            case 0xD8 -> arithmeticMemory(cpu, fpu, in, SINGLE);
            case 0xDA -> arithmeticMemory(cpu, fpu, in, INT32);
            case 0xDC -> arithmeticMemory(cpu, fpu, in, DOUBLE);
            case 0xDE -> arithmeticMemory(cpu, fpu, in, INT16);
            case 0xD9 -> d9Memory(cpu, fpu, in);
            case 0xDB -> dbMemory(cpu, fpu, in);
            case 0xDD -> ddMemory(cpu, fpu, in);
            default -> dfMemory(cpu, fpu, in);
        }
    }

    /** ST(0) = ST(0) OP m, with m a single, double, int16 or int32. */
    private static void arithmeticMemory(Cpu cpu, Fpu fpu, Insn in, int format) {
        int linear = cpu.linear(in);
        load(cpu, fpu, linear, format);
        Arithmetic m = fpu.math;
        if ((m.exceptions & Arithmetic.IE) != 0 && Extended.isNaN(m.se, m.sig)) {
            // A signalling NaN is judged by the operation, which picks between two NaNs by significand.
            m.exceptions &= ~Arithmetic.IE;
            m.sig &= ~(1L << 62);
        }
        boolean st0Zero = !fpu.isEmpty(0) && (fpu.se(0) & 0x7FFF) == 0 && fpu.sig(0) == 0;
        if (fpu.isEmpty(0) || Extended.isNaN(fpu.se(0), fpu.sig(0)) || Extended.isUnsupported(fpu.se(0), fpu.sig(0))
                || (in.reg == DIVR && st0Zero)) {
            // An empty, invalid or NaN ST(0), or division by a zero ST(0), takes precedence over a
            // denormal memory operand, which then raises no DE.
            m.exceptions &= ~Arithmetic.DE;
        }
        int pops = in.reg == COMP ? 1 : 0;
        boolean comparison = in.reg == COM || in.reg == COMP;
        if (fpu.aborted() && !comparison) {
            // An unmasked denormal operand stops arithmetic, but a comparison still sets C3 C2 C0
            // (and skips its pop).
            fpu.clearC1();
            fpu.finish();
            return;
        }
        if (fpu.isEmpty(0)) {
            underflow(fpu, in.reg, 0, pops);
            return;
        }
        apply(fpu, in.reg, 0, fpu.se(0), fpu.sig(0), fpu.math.se, fpu.math.sig, pops);
    }

    private static void d9Memory(Cpu cpu, Fpu fpu, Insn in) {
        int linear = cpu.linear(in);
        switch (in.reg) {
            case 0 -> loadMemory(cpu, fpu, linear, SINGLE);
            case 2 -> store(cpu, fpu, linear, SINGLE, false);
            case 3 -> store(cpu, fpu, linear, SINGLE, true);
            case 4 -> loadEnvironment(cpu, fpu, linear, in.o16);
            case 5 -> fpu.setControl(cpu.mmu.read16(linear));
            case 6 -> {
                storeEnvironment(cpu, fpu, linear, in.o16);
                fpu.setControl(fpu.control() | 0x3F);
            }
            case 7 -> cpu.mmu.write16(linear, fpu.control());
            default -> throw cpu.ud();
        }
    }

    private static void dbMemory(Cpu cpu, Fpu fpu, Insn in) {
        int linear = cpu.linear(in);
        switch (in.reg) {
            case 0 -> loadMemory(cpu, fpu, linear, INT32);
            case 2 -> store(cpu, fpu, linear, INT32, false);
            case 3 -> store(cpu, fpu, linear, INT32, true);
            case 5 -> loadMemory(cpu, fpu, linear, EXTENDED);
            case 7 -> store(cpu, fpu, linear, EXTENDED, true);
            default -> throw cpu.ud();
        }
    }

    private static void ddMemory(Cpu cpu, Fpu fpu, Insn in) {
        int linear = cpu.linear(in);
        switch (in.reg) {
            case 0 -> loadMemory(cpu, fpu, linear, DOUBLE);
            case 2 -> store(cpu, fpu, linear, DOUBLE, false);
            case 3 -> store(cpu, fpu, linear, DOUBLE, true);
            case 4 -> restore(cpu, fpu, linear, in.o16);
            case 6 -> save(cpu, fpu, linear, in.o16);
            case 7 -> cpu.mmu.write16(linear, fpu.status());
            default -> throw cpu.ud();
        }
    }

    private static void dfMemory(Cpu cpu, Fpu fpu, Insn in) {
        int linear = cpu.linear(in);
        switch (in.reg) {
            case 0 -> loadMemory(cpu, fpu, linear, INT16);
            case 2 -> store(cpu, fpu, linear, INT16, false);
            case 3 -> store(cpu, fpu, linear, INT16, true);
            case 4 -> loadMemory(cpu, fpu, linear, BCD);
            case 5 -> loadMemory(cpu, fpu, linear, INT64);
            case 6 -> store(cpu, fpu, linear, BCD, true);
            case 7 -> store(cpu, fpu, linear, INT64, true);
            default -> throw cpu.ud();
        }
    }

    /** Reads a memory operand into the arithmetic result, converting it exactly to extended. */
    private static void load(Cpu cpu, Fpu fpu, int linear, int format) {
        switch (format) {
            case INT16 -> fpu.conversions.loadInteger((short) cpu.mmu.read16(linear));
            case INT32 -> fpu.conversions.loadInteger(cpu.mmu.read32(linear));
            case INT64 -> fpu.conversions.loadInteger(read64(cpu, linear));
            case SINGLE -> fpu.conversions.loadSingle(cpu.mmu.read32(linear));
            case DOUBLE -> fpu.conversions.loadDouble(read64(cpu, linear));
            case EXTENDED -> {
                long sig = read64(cpu, linear);
                fpu.math.se = cpu.mmu.read16(linear + 8);
                fpu.math.sig = sig;
            }
            default -> {
                long low = read64(cpu, linear);
                fpu.conversions.loadBcd(low, cpu.mmu.read16(linear + 8));
            }
        }
    }

    /**
     * FLD, FILD, FBLD from memory. A stack overflow takes precedence over whatever the operand
     * raised (a denormal, a signalling NaN), which is then not reported on its own: the overflow's
     * IE, SF and C1 are. Otherwise an unmasked exception from the operand clears C1.
     */
    private static void loadMemory(Cpu cpu, Fpu fpu, int linear, int format) {
        load(cpu, fpu, linear, format);
        if (!fpu.isEmpty(7)) {
            fpu.math.exceptions &= ~(Arithmetic.DE | Arithmetic.IE);
            fpu.push();
        } else if (fpu.aborted()) {
            fpu.clearC1();
        } else if (fpu.push()) {
            fpu.setResult(0);
            fpu.clearC1();
        }
        fpu.finish();
    }

    /** FST, FSTP, FIST, FISTP, FBSTP to memory. */
    private static void store(Cpu cpu, Fpu fpu, int linear, int format, boolean pop) {
        boolean empty = fpu.isEmpty(0);
        int se = empty ? INDEFINITE_SE : fpu.se(0);
        long sig = empty ? INDEFINITE_SIG : fpu.sig(0);
        if (empty) {
            if (fpu.invalidMasked()) {
                writeIndefinite(cpu, fpu, linear, format);
                fpu.stackUnderflow();
                if (pop) {
                    fpu.pop();
                }
            } else {
                fpu.stackUnderflow();
            }
            fpu.finish();
            return;
        }
        long value = convert(fpu, format, se, sig);
        if (!fpu.storeSuppressed()) {
            write(cpu, fpu, linear, format, value, se);
            fpu.setRoundedUp();
            if (pop) {
                fpu.pop();
            }
        } else {
            // Nothing is stored, so nothing was rounded: no PE, and C1 is cleared.
            fpu.math.exceptions &= ~Arithmetic.PE;
            fpu.clearC1();
        }
        fpu.finish();
    }

    private static long convert(Fpu fpu, int format, int se, long sig) {
        return switch (format) {
            case INT16 -> fpu.conversions.storeInteger(se, sig, 16);
            case INT32 -> fpu.conversions.storeInteger(se, sig, 32);
            case INT64 -> fpu.conversions.storeInteger(se, sig, 64);
            case SINGLE -> fpu.conversions.storeSingle(se, sig);
            case DOUBLE -> fpu.conversions.storeDouble(se, sig);
            case EXTENDED -> sig;
            default -> fpu.conversions.storeBcd(se, sig);
        };
    }

    /** Writes a converted value; {@code se} is the sign and exponent of an extended store. */
    private static void write(Cpu cpu, Fpu fpu, int linear, int format, long value, int se) {
        switch (format) {
            case INT16 -> cpu.mmu.write16(linear, (int) value);
            case INT32, SINGLE -> cpu.mmu.write32(linear, (int) value);
            case INT64, DOUBLE -> write64(cpu, linear, value);
            case EXTENDED -> write80(cpu, linear, value, se);
            default -> write80(cpu, linear, value, fpu.conversions.bcdHigh);
        }
    }

    private static void writeIndefinite(Cpu cpu, Fpu fpu, int linear, int format) {
        switch (format) {
            case INT16 -> cpu.mmu.write16(linear, 0x8000);
            case INT32 -> cpu.mmu.write32(linear, 0x80000000);
            case INT64 -> write64(cpu, linear, Long.MIN_VALUE);
            case SINGLE -> cpu.mmu.write32(linear, SINGLE_INDEFINITE);
            case DOUBLE -> write64(cpu, linear, DOUBLE_INDEFINITE);
            case EXTENDED -> write80(cpu, linear, INDEFINITE_SIG, INDEFINITE_SE);
            default -> write80(cpu, linear, 0xC000000000000000L, 0xFFFF);
        }
    }

    private static long read64(Cpu cpu, int linear) {
        long low = cpu.mmu.read32(linear) & 0xFFFFFFFFL;
        return (long) cpu.mmu.read32(linear + 4) << 32 | low;
    }

    private static void write64(Cpu cpu, int linear, long value) {
        cpu.mmu.probeWrite(linear, 8);
        cpu.mmu.write32(linear, (int) value);
        cpu.mmu.write32(linear + 4, (int) (value >>> 32));
    }

    private static void write80(Cpu cpu, int linear, long low, int high) {
        cpu.mmu.probeWrite(linear, 10);
        cpu.mmu.write32(linear, (int) low);
        cpu.mmu.write32(linear + 4, (int) (low >>> 32));
        cpu.mmu.write16(linear + 8, high);
    }

    // ---- environment and state images ---------------------------------------------------------

    /**
     * FNSTENV: the protected-mode environment, 28 bytes with a 32-bit operand size (unused upper
     * halves read as ones, as on hardware) or 14 bytes with a 16-bit one.
     */
    private static void storeEnvironment(Cpu cpu, Fpu fpu, int linear, boolean o16) {
        cpu.mmu.probeWrite(linear, o16 ? 14 : 28);
        if (o16) {
            cpu.mmu.write16(linear, fpu.control());
            cpu.mmu.write16(linear + 2, fpu.status());
            cpu.mmu.write16(linear + 4, fpu.tagWord());
            cpu.mmu.write16(linear + 6, fpu.lastIp);
            cpu.mmu.write16(linear + 8, fpu.lastCs);
            cpu.mmu.write16(linear + 10, fpu.lastDp);
            cpu.mmu.write16(linear + 12, fpu.lastDs);
            return;
        }
        cpu.mmu.write32(linear, 0xFFFF0000 | fpu.control());
        cpu.mmu.write32(linear + 4, 0xFFFF0000 | fpu.status());
        cpu.mmu.write32(linear + 8, 0xFFFF0000 | fpu.tagWord());
        cpu.mmu.write32(linear + 12, fpu.lastIp);
        cpu.mmu.write32(linear + 16, (fpu.lastOpcode & 0x7FF) << 16 | fpu.lastCs & 0xFFFF);
        cpu.mmu.write32(linear + 20, fpu.lastDp);
        cpu.mmu.write32(linear + 24, 0xFFFF0000 | fpu.lastDs);
    }

    /** FLDENV: all fields are read before any is loaded. */
    private static void loadEnvironment(Cpu cpu, Fpu fpu, int linear, boolean o16) {
        int step = o16 ? 2 : 4;
        int control = cpu.mmu.read16(linear);
        int status = cpu.mmu.read16(linear + step);
        int tags = cpu.mmu.read16(linear + 2 * step);
        int ip = o16 ? cpu.mmu.read16(linear + 6) : cpu.mmu.read32(linear + 12);
        int csAndOpcode = o16 ? cpu.mmu.read16(linear + 8) : cpu.mmu.read32(linear + 16);
        int dp = o16 ? cpu.mmu.read16(linear + 10) : cpu.mmu.read32(linear + 20);
        int ds = cpu.mmu.read16(linear + (o16 ? 12 : 24));
        fpu.setStatus(status);
        fpu.setControl(control);
        fpu.setTagWord(tags);
        fpu.lastIp = ip;
        fpu.lastCs = csAndOpcode & 0xFFFF;
        fpu.lastOpcode = o16 ? fpu.lastOpcode : csAndOpcode >>> 16 & 0x7FF;
        fpu.lastDp = dp;
        fpu.lastDs = ds;
    }

    /** FNSAVE: the environment, ST(0)..ST(7) as 80-bit values, then FNINIT. */
    private static void save(Cpu cpu, Fpu fpu, int linear, boolean o16) {
        int registers = linear + (o16 ? 14 : 28);
        cpu.mmu.probeWrite(linear, (o16 ? 14 : 28) + 80);
        storeEnvironment(cpu, fpu, linear, o16);
        for (int i = 0; i < 8; i++) {
            write80(cpu, registers + 10 * i, fpu.sig(i), fpu.se(i));
        }
        fpu.init();
    }

    /**
     * FRSTOR: the image FNSAVE writes; registers follow the loaded TOP. The image spans at most two
     * pages, so reading its first and last bytes up front proves every later read will succeed.
     */
    private static void restore(Cpu cpu, Fpu fpu, int linear, boolean o16) {
        int registers = linear + (o16 ? 14 : 28);
        cpu.mmu.read8(linear);
        cpu.mmu.read8(registers + 79);
        loadEnvironment(cpu, fpu, linear, o16);
        for (int i = 0; i < 8; i++) {
            fpu.setPhysical(fpu.physical(i), cpu.mmu.read16(registers + 10 * i + 8), read64(cpu, registers + 10 * i));
        }
    }

    // ---- D9 F0-FF: the functions of ST(0) --------------------------------------------------

    private static void functions(Cpu cpu, Fpu fpu, int code) {
        switch (code) {
            case 0x34 -> extract(fpu);
            case 0x35 -> remainder(fpu, true);
            case 0x36 -> {
                fpu.decrementTop();
                fpu.clearC1();
            }
            case 0x37 -> {
                fpu.incrementTop();
                fpu.clearC1();
            }
            case 0x38 -> remainder(fpu, false);
            case 0x3A, 0x3C -> {
                if (fpu.isEmpty(0)) {
                    underflow(fpu, ADD, 0, 0);
                    return;
                }
                if (code == 0x3A) {
                    fpu.math.sqrt(fpu.se(0), fpu.sig(0));
                } else {
                    fpu.conversions.roundToInteger(fpu.se(0), fpu.sig(0));
                }
                deliver(fpu, 0, 0);
            }
            case 0x3D -> {
                if (fpu.isEmpty(0) || fpu.isEmpty(1)) {
                    underflow(fpu, ADD, 0, 0);
                    return;
                }
                fpu.scaling.scale(fpu.se(0), fpu.sig(0), fpu.se(1), fpu.sig(1));
                deliver(fpu, 0, 0);
            }
            case 0x30, 0x31, 0x32, 0x33, 0x39, 0x3B, 0x3E, 0x3F -> transcendental(fpu, code);
            default -> throw cpu.ud();
        }
    }

    /**
     * The transcendental instructions, run with 64-bit precision: precision control governs only
     * FADD, FSUB(R), FMUL, FDIV(R) and FSQRT.
     */
    private static void transcendental(Fpu fpu, int code) {
        fpu.math.control(fpu.control() | 0x300);
        try {
            switch (code) {
                case 0x30 -> twoToXMinusOne(fpu);
                case 0x31, 0x33, 0x39 -> logarithmOrAngle(fpu, code);
                default -> trigonometric(fpu, code);
            }
        } finally {
            fpu.math.control(fpu.control());
        }
    }

    /** F2XM1: ST(0) = 2^ST(0) − 1. */
    private static void twoToXMinusOne(Fpu fpu) {
        if (fpu.isEmpty(0)) {
            underflow(fpu, ADD, 0, 0);
            return;
        }
        fpu.transcendentals.twoToXMinusOne(fpu.se(0), fpu.sig(0));
        deliver(fpu, 0, 0);
    }

    /** FYL2X, FPATAN, FYL2XP1: ST(1) = f(ST(1), ST(0)), then pop. */
    private static void logarithmOrAngle(Fpu fpu, int code) {
        if (fpu.isEmpty(0) || fpu.isEmpty(1)) {
            underflow(fpu, ADD, 1, 1);
            return;
        }
        Transcendentals t = fpu.transcendentals;
        switch (code) {
            case 0x31 -> t.yLog2X(fpu.se(0), fpu.sig(0), fpu.se(1), fpu.sig(1));
            case 0x33 -> t.arcTangent(fpu.se(0), fpu.sig(0), fpu.se(1), fpu.sig(1));
            default -> t.yLog2XPlusOne(fpu.se(0), fpu.sig(0), fpu.se(1), fpu.sig(1));
        }
        deliver(fpu, 1, 1);
    }

    /**
     * FPTAN, FSINCOS, FSIN, FCOS. An operand of magnitude 2^63 or more is left alone with C2 set
     * (the guest reduces it itself); otherwise C2 is cleared. FPTAN pushes 1.0, FSINCOS the cosine.
     */
    private static void trigonometric(Fpu fpu, int code) {
        boolean pushes = code == 0x32 || code == 0x3B;
        if (fpu.isEmpty(0)) {
            // Stack underflow: C2 clear; masked, the indefinite is the result and, pushed, the second result.
            fpu.setC2(false);
            if (fpu.stackUnderflow()) {
                fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
                if (pushes) {
                    fpu.decrementTop();
                    fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
                }
            }
            fpu.finish();
            return;
        }
        if (pushes && !fpu.isEmpty(7)) {
            // Stack overflow: C2 clear; masked, both results are the indefinite.
            fpu.setC2(false);
            fpu.push();
            if (fpu.invalidMasked()) {
                fpu.set(1, INDEFINITE_SE, INDEFINITE_SIG);
            }
            fpu.finish();
            return;
        }
        Transcendentals t = fpu.transcendentals;
        switch (code) {
            case 0x32 -> t.tangent(fpu.se(0), fpu.sig(0));
            case 0x3B -> t.sineAndCosine(fpu.se(0), fpu.sig(0));
            default -> t.sineOrCosine(fpu.se(0), fpu.sig(0), code == 0x3F);
        }
        fpu.setC2(t.outOfRange && !fpu.aborted());
        if (!fpu.aborted()) {
            if (!t.outOfRange) {
                fpu.setResult(0);
                fpu.setRoundedUp();
                if (pushes) {
                    fpu.push();
                    fpu.set(0, t.secondSe, t.secondSig);
                }
            }
        }
        fpu.finish();
    }

    /** FXTRACT: ST(0) becomes the exponent, and the significand is pushed above it. */
    private static void extract(Fpu fpu) {
        if (fpu.isEmpty(0)) {
            // Stack underflow: masked, the indefinite is both the exponent and the pushed significand.
            if (fpu.stackUnderflow()) {
                fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
                fpu.decrementTop();
                fpu.set(0, INDEFINITE_SE, INDEFINITE_SIG);
            }
            fpu.finish();
            return;
        }
        if (!fpu.isEmpty(7)) {
            // Stack overflow: masked, both the exponent and the significand are the indefinite.
            fpu.push();
            if (fpu.invalidMasked()) {
                fpu.set(1, INDEFINITE_SE, INDEFINITE_SIG);
            }
            fpu.finish();
            return;
        }
        fpu.scaling.extract(fpu.se(0), fpu.sig(0));
        if (!fpu.aborted()) {
            fpu.set(0, fpu.scaling.exponentSe, fpu.scaling.exponentSig);
            fpu.push();
            fpu.setResult(0);
        }
        fpu.clearC1();
        fpu.finish();
    }

    /**
     * FPREM/FPREM1: C2 set while incomplete, else C0, C3, C1 = quotient bits 2, 1, 0. A NaN result
     * (from a NaN or an invalid operation) clears C1 and C2 and leaves C0 and C3, and so does an
     * unmasked exception, which stops the instruction.
     */
    private static void remainder(Fpu fpu, boolean nearest) {
        if (fpu.isEmpty(0) || fpu.isEmpty(1)) {
            fpu.setC2(false);
            underflow(fpu, ADD, 0, 0);
            return;
        }
        fpu.scaling.remainder(fpu.se(0), fpu.sig(0), fpu.se(1), fpu.sig(1), nearest);
        if (fpu.aborted()) {
            fpu.setC2(false);
            fpu.clearC1();
        } else if (Extended.isNaN(fpu.math.se, fpu.math.sig)) {
            fpu.setResult(0);
            fpu.setC2(false);
            fpu.clearC1();
        } else {
            fpu.setResult(0);
            int q = fpu.scaling.quotient;
            fpu.setConditions(fpu.scaling.partial ? Fpu.C2
                    : ((q & 4) != 0 ? Fpu.C0 : 0) | ((q & 2) != 0 ? Fpu.C3 : 0) | ((q & 1) != 0 ? Fpu.C1 : 0));
        }
        fpu.finish();
    }
}
