package org.jlguest.cpu.fpu;

import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SE;
import static org.jlguest.cpu.fpu.Extended.INDEFINITE_SIG;

/**
 * The x87 register file and its control state: eight 80-bit registers used as a stack, the
 * control, status and tag words, and the last instruction and operand pointers.
 *
 * <p>Registers are kept in physical order; ST(i) is physical register {@code (top + i) & 7}.
 * Only emptiness is stored per register: like the P6 and later, the full tag word is derived from
 * the contents whenever it is read, and a loaded tag word only says which registers are empty.
 *
 * <p>Exceptions follow one path: an instruction's {@link Arithmetic#exceptions} are ORed into the
 * status word by {@link #finish}; an unmasked one also sets ES and B, and the next waiting
 * instruction reports it as #MF.
 */
public final class Fpu {
    public static final int IE = 0x01, SF = 0x40, ES = 0x80, C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000,
            BUSY = 0x8000;
    public static final int CONDITION = C0 | C1 | C2 | C3;
    public static final int INIT_CONTROL = 0x037F;
    /** Control word bits that exist (bit 6 is reserved and reads as one). */
    private static final int CONTROL_BITS = 0x1F3F;
    private static final int TOP_FIELD = 0x3800;

    private final int[] se = new int[8];
    private final long[] sig = new long[8];
    /** Bit i set: physical register i is empty. */
    private int empty = 0xFF;
    private int top;
    private int control = INIT_CONTROL;
    /** The status word without its TOP field. */
    private int status;

    public int lastIp;
    public int lastCs;
    public int lastOpcode;
    public int lastDp;
    public int lastDs;

    public final Arithmetic math = new Arithmetic();
    public final Conversions conversions = new Conversions(math);
    public final Scaling scaling = new Scaling(math);
    public final Transcendentals transcendentals = new Transcendentals(math);

    public Fpu() {
        math.control(control);
    }

    /** FNINIT: the power-on state, registers keep their (now empty) contents. */
    public void init() {
        setControl(INIT_CONTROL);
        status = 0;
        top = 0;
        empty = 0xFF;
        lastIp = 0;
        lastCs = 0;
        lastOpcode = 0;
        lastDp = 0;
        lastDs = 0;
    }

    // ---- control, status and tag words ----------------------------------------------------

    public int control() {
        return control;
    }

    /** FLDCW: a newly unmasked pending exception makes the summary (ES, B) set again. */
    public void setControl(int value) {
        control = value & CONTROL_BITS | 0x40;
        math.control(control);
        updateSummary();
    }

    public int status() {
        return status | top << 11;
    }

    /** Loads a whole status word (FLDENV, FRSTOR); TOP comes with it. */
    public void setStatus(int value) {
        status = value & ~TOP_FIELD & 0xFFFF;
        top = value >>> 11 & 7;
        updateSummary();
    }

    private void updateSummary() {
        if ((status & 0x3F & ~control) != 0) {
            status |= ES | BUSY;
        } else {
            status &= ~(ES | BUSY);
        }
    }

    /** FNCLEX: the exception flags, stack fault, summary and busy bits. */
    public void clearExceptions() {
        status &= ~(0x3F | SF | ES | BUSY);
    }

    /** An exception is pending: the next waiting instruction raises #MF (with CR0.NE set). */
    public boolean pending() {
        return (status & ES) != 0;
    }

    /** The tag word: 00 valid, 01 zero, 10 special (NaN, infinity, denormal, unsupported), 11 empty. */
    public int tagWord() {
        int word = 0;
        for (int p = 0; p < 8; p++) {
            word |= tag(p) << (2 * p);
        }
        return word;
    }

    private int tag(int p) {
        if ((empty >>> p & 1) != 0) {
            return 3;
        }
        int e = se[p] & Extended.MAX_EXP;
        long s = sig[p];
        if (e == 0) {
            return s == 0 ? 1 : 2;
        }
        return e == Extended.MAX_EXP || s >= 0 ? 2 : 0;
    }

    /** Loads a tag word: only "empty" (11) versus anything else matters. */
    public void setTagWord(int word) {
        empty = 0;
        for (int p = 0; p < 8; p++) {
            if ((word >>> (2 * p) & 3) == 3) {
                empty |= 1 << p;
            }
        }
    }

    public int top() {
        return top;
    }

    public void setConditions(int bits) {
        status = status & ~CONDITION | bits & CONDITION;
    }

    public void setC2(boolean value) {
        status = value ? status | C2 : status & ~C2;
    }

    public void clearC1() {
        status &= ~C1;
    }

    /** Whether invalid-operation (and so stack-fault) exceptions are masked. */
    public boolean invalidMasked() {
        return (control & IE) != 0;
    }

    /**
     * FXAM: C3 C2 C0 = 000 unsupported, 001 NaN, 010 normal, 011 infinity, 100 zero, 101 empty,
     * 110 denormal; C1 = the sign.
     */
    public void examine() {
        int p = physical(0);
        int s = se[p];
        long m = sig[p];
        int kind;
        if ((empty >>> p & 1) != 0) {
            kind = C3 | C0;
        } else if (Extended.isUnsupported(s, m)) {
            kind = 0;
        } else if (Extended.isNaN(s, m)) {
            kind = C0;
        } else if (Extended.isInfinity(s, m)) {
            kind = C2 | C0;
        } else if (m == 0) {
            kind = C3;
        } else if ((s & Extended.MAX_EXP) == 0) {
            kind = C3 | C2;
        } else {
            kind = C2;
        }
        setConditions(kind | ((s & Extended.SIGN) != 0 ? C1 : 0));
    }

    /** Condition bits from a relation: C3 C2 C0 = 000 greater, 001 less, 100 equal, 111 unordered. */
    public void setRelation(int relation) {
        int bits = switch (relation) {
            case Arithmetic.GREATER -> 0;
            case Arithmetic.LESS -> C0;
            case Arithmetic.EQUAL -> C3;
            default -> C3 | C2 | C0;
        };
        status = status & ~CONDITION | bits;
    }

    // ---- the register stack ---------------------------------------------------------------

    public int physical(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (empty >>> physical(i) & 1) != 0;
    }

    public int se(int i) {
        return se[physical(i)];
    }

    public long sig(int i) {
        return sig[physical(i)];
    }

    public void set(int i, int valueSe, long valueSig) {
        int p = physical(i);
        se[p] = valueSe & 0xFFFF;
        sig[p] = valueSig;
        empty &= ~(1 << p);
    }

    /** Stores the last result of {@link #math} into ST(i). */
    public void setResult(int i) {
        set(i, math.se, math.sig);
    }

    public void free(int i) {
        empty |= 1 << physical(i);
    }

    public void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    public void incrementTop() {
        top = (top + 1) & 7;
    }

    public void decrementTop() {
        top = (top - 1) & 7;
    }

    /** Writes physical register {@code p} (FRSTOR's image order, not the stack's). */
    public void setPhysical(int p, int valueSe, long valueSig) {
        se[p] = valueSe & 0xFFFF;
        sig[p] = valueSig;
    }

    /**
     * Makes room for a push. With ST(7) in use that is a stack overflow: IE and SF with C1 set; if
     * masked the push goes ahead with the real indefinite in the new ST(0). Returns whether the
     * caller should now store its value into ST(0).
     */
    public boolean push() {
        if (!isEmpty(7)) {
            math.exceptions |= IE;
            status |= SF | C1;
            if ((control & IE) == 0) {
                return false;
            }
            top = (top - 1) & 7;
            set(0, INDEFINITE_SE, INDEFINITE_SIG);
            return false;
        }
        top = (top - 1) & 7;
        return true;
    }

    /**
     * Checks that ST(i) holds a value; an empty register is a stack underflow (IE and SF, C1
     * clear). Returns true when the operation may go on.
     */
    public boolean present(int i) {
        if (!isEmpty(i)) {
            return true;
        }
        stackUnderflow();
        return false;
    }

    /** Raises stack underflow; true when it is masked and the indefinite should be delivered. */
    public boolean stackUnderflow() {
        math.exceptions |= IE;
        status = status & ~C1 | SF;
        return (control & IE) != 0;
    }

    /**
     * Ends an instruction: folds its exceptions into the status word and sets the summary bits if
     * any is unmasked.
     */
    public void finish() {
        int raised = math.exceptions;
        status |= raised & 0x3F;
        if ((raised & ~control & 0x3F) != 0) {
            status |= ES | BUSY;
        }
    }

    /** Whether an exception that stops an instruction before it writes (IE, DE, ZE) is unmasked. */
    public boolean aborted() {
        return (math.unmasked() & (Arithmetic.IE | Arithmetic.DE | Arithmetic.ZE)) != 0;
    }

    /** Whether a store to memory must be suppressed: also unmasked overflow and underflow. */
    public boolean storeSuppressed() {
        return (math.unmasked() & (Arithmetic.IE | Arithmetic.DE | Arithmetic.OE | Arithmetic.UE)) != 0;
    }

    /** C1 after a rounded result: set when rounding went up in magnitude. */
    public void setRoundedUp() {
        status = math.roundedUp ? status | C1 : status & ~C1;
    }
}
