package org.jlguest.cpu;

/**
 * EFLAGS with lazily computed arithmetic flags.
 *
 * <p>Most instructions set CF, PF, AF, ZF, SF and OF and most of those values are never read. So
 * an arithmetic instruction only records what it did ({@link #kind}, operand size, result and
 * operands); a flag is computed from that record when something reads it. Instructions whose flags
 * are easier to compute at once (shifts, multiplies, BCD) store them eagerly with
 * {@link #setArithmetic}. The other EFLAGS bits always live in {@link #bits}.
 */
public final class Flags {
    public static final int CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200,
            DF = 0x400, OF = 0x800, IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000,
            VIF = 0x80000, VIP = 0x100000, ID = 0x200000;
    public static final int ARITHMETIC = CF | PF | AF | ZF | SF | OF;
    /** Bit 1 always reads as one. */
    static final int FIXED_ONE = 0x2;

    /** What the last flag-setting instruction was (public for the benchmarks that record flags). */
    public static final int EAGER = 0, ADD = 1, ADC = 2, SUB = 3, SBB = 4, LOGIC = 5, INC = 6, DEC = 7, NEG = 8;

    static final int[] MASK = {0xFF, 0xFFFF, 0xFFFFFFFF};
    static final int[] SIGN = {0x80, 0x8000, 0x80000000};
    private static final int[] SHIFT = {24, 16, 0};

    /** The EFLAGS image; its arithmetic bits are valid only while {@code kind == EAGER}. */
    int bits = FIXED_ONE;
    int kind = EAGER;
    int size;
    /** Result, destination and source, each masked to the operand size. */
    int res;
    int dst;
    int src;
    /** Carry in (ADC/SBB). */
    int carry;
    /**
     * INC and DEC keep CF: rather than computing it, they keep the record of the last
     * instruction that did set it (kind, result, operands, carry in), and CF is computed
     * from that record when read. A run of INC/DEC keeps the record it found.
     */
    int cfKind;
    int cfRes;
    int cfDst;
    int cfSrc;
    int cfCarry;

    /** Records an ADD, SUB, LOGIC or NEG result. NEG records dst 0, src the operand. */
    public void set(int kind, int size, int res, int dst, int src) {
        int m = MASK[size];
        this.kind = kind;
        this.size = size;
        this.res = res & m;
        this.dst = dst & m;
        this.src = src & m;
    }

    /** Records a 32-bit ADD, SUB, LOGIC, INC or DEC: {@link #set} without the masks. */
    void set32(int kind, int res, int dst, int src) {
        this.kind = kind;
        this.size = 2;
        this.res = res;
        this.dst = dst;
        this.src = src;
    }

    /** Records ADC/SBB with the carry that went in. */
    void setWithCarry(int kind, int size, int res, int dst, int src, int carryIn) {
        set(kind, size, res, dst, src);
        this.carry = carryIn;
    }

    /** Records INC/DEC, which leave CF alone. */
    void setIncDec(int kind, int size, int res, int dst) {
        keepCarry();
        set(kind, size, res, dst, 1);
    }

    /** {@link #setIncDec} at 32 bits. */
    void setIncDec32(int kind, int res, int dst) {
        keepCarry();
        set32(kind, res, dst, 1);
    }

    /**
     * Records a 32-bit INC or DEC together with the record it keeps CF from (an ADD, SUB or
     * logic record), as {@link #set32} of that record followed by {@link #setIncDec32} would.
     */
    void setIncDecAfter(int kind, int res, int dst, int cfKind, int cfRes, int cfDst, int cfSrc) {
        this.cfKind = cfKind;
        this.cfRes = cfRes;
        this.cfDst = cfDst;
        this.cfSrc = cfSrc;
        set32(kind, res, dst, 1);
    }

    /** Marks a {@link #store}d record as a byte operation's, its values scaled to the top byte. */
    static final int NARROW = 0x100;

    /**
     * Marks a {@link #store}d record as a 32-bit ROL, ROR, SHL, SHR or SAR (the ModRM operation in
     * the low bits) of {@code dst} by {@code src}, whose flags {@link Shifts} computes (a rotate's
     * from the flags this object holds).
     */
    static final int SHIFTED = 0x200;

    /**
     * Stores a record compiled code kept in locals: {@code kind} -1 when this object is already
     * current, INC or DEC with the record they keep CF from, a byte record ({@link #NARROW}), a
     * shift ({@link #SHIFTED}), else a 32-bit ADD, SUB or logic record.
     */
    static void store(Flags f, int kind, int res, int dst, int src, int cfKind, int cfRes, int cfDst, int cfSrc) {
        if (kind < 0) {
            return;
        }
        if ((kind & SHIFTED) != 0) {
            Shifts.register32(f, kind & ~SHIFTED, dst, src);
        } else if ((kind & NARROW) != 0) {
            f.set(kind & ~NARROW, 0, res >>> 24, dst >>> 24, src >>> 24);
        } else if (kind == INC || kind == DEC) {
            f.setIncDecAfter(kind, res, dst, cfKind, cfRes, cfDst, cfSrc);
        } else {
            f.set32(kind, res, dst, src);
        }
    }

    /**
     * CF of a record compiled code keeps in locals, as {@link #store} takes it, as 0 or 1: for an
     * INC or DEC compiled where that record's kind is known only at run time.
     */
    static int carry(Flags f, int kind, int res, int dst, int src, int cfKind, int cfRes, int cfDst, int cfSrc) {
        if (kind == INC || kind == DEC) {
            return f.carryOf(cfKind, cfRes, cfDst, cfSrc, 0) ? 1 : 0;
        }
        if (kind == ADD || kind == SUB || kind == LOGIC) {
            return f.carryOf(kind, res, dst, src, 0) ? 1 : 0;
        }
        store(f, kind, res, dst, src, cfKind, cfRes, cfDst, cfSrc);
        return f.cf() ? 1 : 0;
    }

    private void keepCarry() {
        int k = kind;
        if (k != INC && k != DEC) {
            cfKind = k;
            cfRes = res;
            cfDst = dst;
            cfSrc = src;
            cfCarry = carry;
        }
    }

    /** A logic result: CF = OF = 0, AF = 0 (undefined by the SDM, zero on hardware). */
    void setLogic(int size, int res) {
        set(LOGIC, size, res, res, 0);
    }

    /** Stores all six arithmetic flags at once (the other bits of {@code arithmetic} are ignored). */
    public void setArithmetic(int arithmetic) {
        bits = (bits & ~ARITHMETIC) | (arithmetic & ARITHMETIC);
        kind = EAGER;
    }

    /** Computes the arithmetic flags into {@link #bits}, so single bits can be changed. */
    void materialize() {
        if (kind != EAGER) {
            bits = eflags();
            kind = EAGER;
        }
    }

    void setCf(boolean value) {
        materialize();
        bits = value ? bits | CF : bits & ~CF;
    }

    public boolean cf() {
        int k = kind;
        if (k == INC || k == DEC) {
            return carryOf(cfKind, cfRes, cfDst, cfSrc, cfCarry);
        }
        return carryOf(k, res, dst, src, carry);
    }

    /** CF of a record of any kind but INC and DEC. */
    private boolean carryOf(int k, int res, int dst, int src, int carry) {
        return switch (k) {
            case EAGER -> (bits & CF) != 0;
            case ADD -> Integer.compareUnsigned(res, dst) < 0;
            case ADC -> carry != 0 ? Integer.compareUnsigned(res, dst) <= 0 : Integer.compareUnsigned(res, dst) < 0;
            case SUB -> Integer.compareUnsigned(dst, src) < 0;
            case SBB -> carry != 0 ? Integer.compareUnsigned(dst, src) <= 0 : Integer.compareUnsigned(dst, src) < 0;
            case NEG -> src != 0;
            default -> false;
        };
    }

    public boolean zf() {
        return kind == EAGER ? (bits & ZF) != 0 : res == 0;
    }

    public boolean sf() {
        return kind == EAGER ? (bits & SF) != 0 : (res & SIGN[size]) != 0;
    }

    public boolean pf() {
        return kind == EAGER ? (bits & PF) != 0 : parity(res);
    }

    public boolean af() {
        return kind == EAGER ? (bits & AF) != 0 : ((dst ^ src ^ res) & 0x10) != 0;
    }

    public boolean of() {
        return switch (kind) {
            case EAGER -> (bits & OF) != 0;
            case SUB, SBB, DEC, NEG -> ((dst ^ src) & (dst ^ res) & SIGN[size]) != 0;
            default -> ((dst ^ res) & (src ^ res) & SIGN[size]) != 0;
        };
    }

    /** PF: set when the low byte has an even number of one bits. */
    static boolean parity(int value) {
        return (Integer.bitCount(value & 0xFF) & 1) == 0;
    }

    /** ZF, SF and PF of a result, as an EFLAGS fragment. */
    static int zsp(int res, int size) {
        int r = res & MASK[size];
        return (r == 0 ? ZF : 0) | ((r & SIGN[size]) != 0 ? SF : 0) | (parity(r) ? PF : 0);
    }

    /** The whole EFLAGS image. */
    public int eflags() {
        if (kind == EAGER) {
            return bits;
        }
        return (bits & ~ARITHMETIC)
                | (cf() ? CF : 0) | (pf() ? PF : 0) | (af() ? AF : 0)
                | (zf() ? ZF : 0) | (sf() ? SF : 0) | (of() ? OF : 0);
    }

    /** SF, ZF, AF and PF as {@link #eflags} has them, without working out CF and OF. */
    int szap() {
        if (kind == EAGER) {
            return bits & (SF | ZF | AF | PF);
        }
        return (pf() ? PF : 0) | (af() ? AF : 0) | (zf() ? ZF : 0) | (sf() ? SF : 0);
    }

    /** Replaces the whole image (callers mask what the instruction may change). */
    void setEflags(int value) {
        bits = (value & ~0x8028) | FIXED_ONE;
        kind = EAGER;
    }

    public boolean df() {
        return (bits & DF) != 0;
    }

    /** {@link #condition} after SUB or CMP: the comparison of dst with src itself. */
    private boolean compared(int cc) {
        int d = dst;
        int s = src;
        boolean r = switch (cc >>> 1) {
            case 0 -> of();
            case 1 -> Integer.compareUnsigned(d, s) < 0;
            case 2 -> d == s;
            case 3 -> Integer.compareUnsigned(d, s) <= 0;
            case 4 -> sf();
            case 5 -> parity(res);
            case 6 -> signed(d) < signed(s);
            default -> signed(d) <= signed(s);
        };
        return r ^ ((cc & 1) != 0);
    }

    /** {@link #condition} after a logic operation: CF = OF = 0. */
    private boolean logical(int cc) {
        boolean r = switch (cc >>> 1) {
            case 0, 1 -> false;
            case 2, 3 -> res == 0;
            case 4, 6 -> sf();
            case 5 -> parity(res);
            default -> res == 0 || sf();
        };
        return r ^ ((cc & 1) != 0);
    }

    /** A recorded (masked) operand sign-extended from the operand size. */
    private int signed(int value) {
        int shift = SHIFT[size];
        return value << shift >> shift;
    }

    /**
     * The condition of Jcc/SETcc/CMOVcc number {@code cc} (the low nibble of the opcode):
     * O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G.
     */
    public boolean condition(int cc) {
        int k = kind;
        if (k == SUB) {
            return compared(cc);
        }
        if (k == LOGIC) {
            return logical(cc);
        }
        boolean r = switch (cc >>> 1) {
            case 0 -> of();
            case 1 -> cf();
            case 2 -> zf();
            case 3 -> cf() || zf();
            case 4 -> sf();
            case 5 -> pf();
            case 6 -> sf() != of();
            default -> zf() || sf() != of();
        };
        return r ^ ((cc & 1) != 0);
    }
}
