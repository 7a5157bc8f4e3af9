package org.jlguest.cpu;

/**
 * One decoded instruction: what the {@link Decoder} learnt from its bytes, so the executor never
 * looks at them again.
 *
 * <p>Instances live in decoded {@link Block}s and are written only by the decoder; handlers read
 * the fields directly. A memory operand's effective address is {@code reg[base] + (reg[index] <<
 * scale) + disp}, where register slot 8 always reads zero ("no base", "no index"); with a 16-bit
 * address size it wraps to 16 bits.
 */
public final class Insn {
    /** Opcode: 0x000-0x0FF one-byte, 0x100-0x1FF after 0x0F. */
    int op;
    /** The handler family, see {@link Family}. */
    int family;
    /** Length in bytes, prefixes included. */
    int length;
    /** Operand size: 0 = 8 bits, 1 = 16 bits, 2 = 32 bits. */
    int size;
    /** Operand-size attribute is 16 (whatever the opcode's own byte/word choice). */
    boolean o16;
    /** Address-size attribute is 16. */
    boolean a16;
    /** The segment a memory operand uses: the override, or DS/SS by the addressing form. */
    int seg;
    /** Whether a segment override prefix was present. */
    boolean segOverride;
    /** 0 none, {@link #REP} (F3) or {@link #REPNE} (F2). */
    int rep;
    boolean lock;
    /** ModRM fields; {@code mod == 3} is a register operand in {@code rm}. */
    int mod;
    int reg;
    int rm;
    int base = 8;
    int index = 8;
    int scale;
    int disp;
    /** First immediate (sign- or zero-extended as the opcode defines), or a relative branch displacement. */
    int imm;
    /** Second immediate: the selector of a far pointer, the nesting level of ENTER. */
    int imm2;
    /** The {@link Executor} form, 0 for the family switch; its operands (register numbers, a condition). */
    int form;
    int ra;
    int rb;
    /**
     * Where the next instruction starts, in bytes from the start of the block this instruction
     * was decoded into (this one's offset plus its length): the run loop derives EIP from it.
     */
    int end;
    /**
     * What the interpreter's run loop does with this instruction ({@link Executor#step}): the
     * form number, one of the loop's own steps, or 0 to leave it to {@link Executor#execute}.
     */
    int step;
    /** The register operands of {@link #step}: {@code ra} and {@code rb} for a form. */
    int p;
    int q;

    public static final int REP = 1;
    public static final int REPNE = 2;

    public int op() {
        return op;
    }

    public int family() {
        return family;
    }

    public int length() {
        return length;
    }

    public int size() {
        return size;
    }

    public boolean hasMemoryOperand() {
        return mod != 3 && OpcodeTable.hasModrm(op);
    }

    public int reg() {
        return reg;
    }

    public int rm() {
        return rm;
    }

    public int mod() {
        return mod;
    }

    public int imm() {
        return imm;
    }

    public int imm2() {
        return imm2;
    }

    public int rep() {
        return rep;
    }

    public boolean o16() {
        return o16;
    }

    public boolean a16() {
        return a16;
    }

    public int seg() {
        return seg;
    }

    public int base() {
        return base;
    }

    public int index() {
        return index;
    }

    public int scale() {
        return scale;
    }

    public int disp() {
        return disp;
    }

    /** A copy of this instruction, for compiled code that must outlive the block it came from. */
    Insn copy() {
        Insn c = new Insn();
        c.op = op;
        c.family = family;
        c.length = length;
        c.size = size;
        c.o16 = o16;
        c.a16 = a16;
        c.seg = seg;
        c.segOverride = segOverride;
        c.rep = rep;
        c.lock = lock;
        c.mod = mod;
        c.reg = reg;
        c.rm = rm;
        c.base = base;
        c.index = index;
        c.scale = scale;
        c.disp = disp;
        c.imm = imm;
        c.imm2 = imm2;
        c.form = form;
        c.ra = ra;
        c.rb = rb;
        c.end = end;
        c.step = step;
        c.p = p;
        c.q = q;
        return c;
    }

    void clear() {
        op = 0;
        family = 0;
        length = 0;
        size = 2;
        o16 = false;
        a16 = false;
        seg = Cpu.DS;
        segOverride = false;
        rep = 0;
        lock = false;
        mod = 3;
        reg = 0;
        rm = 0;
        base = 8;
        index = 8;
        scale = 0;
        disp = 0;
        imm = 0;
        imm2 = 0;
        form = 0;
        ra = 0;
        rb = 0;
        end = 0;
        step = 0;
        p = 0;
        q = 0;
    }
}
