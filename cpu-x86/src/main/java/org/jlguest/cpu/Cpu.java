package org.jlguest.cpu;

import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;

/**
 * The architectural state of one i386 CPU and the operand access every handler shares.
 *
 * <p>Registers live in {@link #reg} indexed as ModRM numbers them (EAX, ECX, EDX, EBX, ESP, EBP,
 * ESI, EDI); slot 8 is always zero so a decoded address with no base or index needs no branch.
 * Segment registers keep their descriptor caches (base, limit, attributes) beside the selectors.
 * Memory goes through {@link Mmu}: segment base plus offset gives the linear address.
 *
 * <p>Handlers commit results in a fixed order: memory writes (which can fault) first, then
 * registers and flags, so a faulting instruction leaves the state as it found it.
 */
public final class Cpu {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    final int[] reg = new int[9];
    int eip;
    /** EIP of the instruction being executed: where a fault restarts. */
    int insnEip;
    final Flags flags = new Flags();
    final org.jlguest.cpu.fpu.Fpu fpu = new org.jlguest.cpu.fpu.Fpu();

    final int[] segSel = new int[6];
    final int[] segBase = new int[6];
    final int[] segLimit = new int[6];
    /** Descriptor attributes: bits 8-23 of the descriptor's high word (type, S, DPL, P, AVL, D/B, G). */
    final int[] segAttr = new int[6];
    int cpl;
    /** CS.D: default operand and address size of code is 32 bits. */
    boolean code32 = true;
    /** SS.B: the stack pointer is ESP rather than SP. */
    boolean stack32 = true;

    int cr0;
    int cr2;
    int cr4;

    final Mmu mmu;
    final Fault fault;
    final CpuFeatures features;
    private final TimeStampCounter tsc;
    IoPorts io = IoPorts.NONE;
    /** A hypervisor's GDT, used instead of the one at GDTR; null for an ordinary machine. */
    HostDescriptorTable hostGdt;

    /** Instructions retired: a plain counter, read by metrics. */
    long instructions;
    /** Set by handlers that change how the following bytes execute; ends the current block. */
    boolean breakBlock;
    /** Set by HLT. */
    boolean halted;
    /** Scratch for CPUID's four results, so it allocates nothing. */
    final int[] cpuidResult = new int[4];

    /** GDTR, IDTR, LDTR, TR, the debug registers and the model-specific registers. */
    final SystemRegisters sys = new SystemRegisters();
    /**
     * Per segment register: accesses through it need {@link SegmentChecks} (a limit below 4 GiB,
     * expand-down, read-only or code, or a null selector). Flat writable data segments leave it
     * false, so the common case costs one array load and a branch.
     */
    final boolean[] segChecked = new boolean[6];
    /** Interrupts wait until one more instruction has run (after STI, MOV SS and POP SS). */
    boolean interruptShadow;
    /** A fault arrived while delivering a double fault: the processor shut down. */
    boolean shutdown;

    public Cpu(Mmu mmu, CpuFeatures features, TimeStampCounter tsc) {
        this.mmu = mmu;
        this.fault = mmu.fault();
        this.features = features;
        this.tsc = tsc;
    }

    // ---- public view ----------------------------------------------------------------------

    /** Makes GDT selectors resolve through {@code table} instead of guest memory at GDTR. */
    public void setHostGdt(HostDescriptorTable table) {
        this.hostGdt = table;
    }

    /**
     * Loads a segment register from its descriptor with no privilege checks, and for CS sets
     * CPL from the selector: what a hypervisor does when it enters the guest at a new level
     * (lguest's switcher loads CS and SS this way when it delivers a trap).
     */
    public void loadSegmentForHost(int seg, int selector) {
        long d = DescriptorTables.read(this, selector);
        SegmentLoader.fill(this, seg, selector, d);
        if (seg == CS) {
            setCpl(selector & 3);
        }
    }

    /** CR0.TS, which a paravirtualized guest sets and clears by hypercall (lguest's LHCALL_TS). */
    public void setTaskSwitched(boolean ts) {
        cr0 = ts ? cr0 | 0x8 : cr0 & ~0x8;
    }

    /** Connects the I/O port space (IN/OUT); the default has no devices. */
    public void setIoPorts(IoPorts io) {
        this.io = io;
    }

    public int getReg(int index) {
        return reg[index];
    }

    public void setReg(int index, int value) {
        reg[index] = value;
    }

    public int getEip() {
        return eip;
    }

    public void setEip(int eip) {
        this.eip = eip;
    }

    public int getEflags() {
        return flags.eflags();
    }

    public void setEflags(int value) {
        flags.setEflags(value);
    }

    public int getCpl() {
        return cpl;
    }

    public int getSegmentSelector(int seg) {
        return segSel[seg];
    }

    public int getSegmentBase(int seg) {
        return segBase[seg];
    }

    public long instructions() {
        return instructions;
    }

    public Mmu mmu() {
        return mmu;
    }

    public boolean isHalted() {
        return halted;
    }

    public int getCr0() {
        return cr0;
    }

    public int getCr2() {
        return cr2;
    }

    public int getCr4() {
        return cr4;
    }

    public int getSegmentLimit(int seg) {
        return segLimit[seg];
    }

    /** The cached descriptor attributes: bits 8-23 of the descriptor's high dword. */
    public int getSegmentAttributes(int seg) {
        return segAttr[seg];
    }

    /** CR0.PE: protected mode (otherwise real-address mode). */
    public boolean isProtectedMode() {
        return (cr0 & 1) != 0;
    }

    /** The processor shut down after a triple fault; the state is as the last fault left it. */
    public boolean isShutdown() {
        return shutdown;
    }

    public int getGdtBase() {
        return sys.gdtBase;
    }

    public int getIdtBase() {
        return sys.idtBase;
    }

    /**
     * Puts the CPU in its power-on state (SDM vol. 3, 9.1.1): real-address mode, CS:EIP =
     * F000:FFF0 with CS based at FFFF0000 so the first fetch is 16 bytes below 4 GiB, the other
     * segments at 0 with 64 KiB limits, CR0 = 60000010 (caches disabled, ET), EFLAGS = 2 and EDX
     * holding the processor signature.
     */
    public void reset() {
        java.util.Arrays.fill(reg, 0);
        cpuid(1);
        reg[EDX] = cpuidResult[0];
        for (int seg = ES; seg <= GS; seg++) {
            setSegment(seg, 0, 0, 0xFFFF, 0x93);
        }
        setSegment(CS, 0xF000, 0xFFFF0000, 0xFFFF, 0x9B);
        eip = 0xFFF0;
        flags.setEflags(0);
        setControlRegisters(0x60000010, 0, 0);
        cr2 = 0;
        sys.reset();
        setCpl(0);
        halted = false;
        shutdown = false;
        interruptShadow = false;
        breakBlock = true;
    }

    private void cpuid(int leaf) {
        features.cpuid(leaf, cpuidResult);
    }

    /**
     * Loads a segment register as a flat 4 GiB segment (base 0, limit 0xFFFFFFFF, 32-bit), the
     * state a protected-mode loader or a user process sees.
     */
    public void loadFlatSegment(int seg, int selector, boolean code) {
        segSel[seg] = selector;
        segBase[seg] = 0;
        segLimit[seg] = 0xFFFFFFFF;
        int dpl = selector & 3;
        segAttr[seg] = (code ? 0x9B : 0x93) | dpl << 5 | 0xC000;
        segChecked[seg] = code;
        if (seg == CS) {
            cpl = dpl;
            code32 = true;
            mmu.setUser(cpl == 3);
        } else if (seg == SS) {
            stack32 = true;
        }
    }

    /** Sets CR0 and CR4 as a loader would, and tells the MMU. */
    public void setControlRegisters(int cr0, int cr3, int cr4) {
        this.cr0 = cr0;
        this.cr4 = cr4;
        mmu.setPagingMode((cr0 & 0x80000000) != 0, (cr0 & 0x10000) != 0, (cr4 & 0x10) != 0, (cr4 & 0x80) != 0);
        mmu.setCr3(cr3);
    }

    // ---- segment caches and privilege ---------------------------------------------------

    /**
     * Fills a segment register and its descriptor cache, keeping the derived state (access
     * checks, CS.D and SS.B) in step. Privilege is separate: see {@link #setCpl}.
     */
    void setSegment(int seg, int selector, int base, int limit, int attr) {
        segSel[seg] = selector & 0xFFFF;
        segBase[seg] = base;
        segLimit[seg] = limit;
        segAttr[seg] = attr;
        segChecked[seg] = SegmentChecks.needsChecks(attr, limit);
        if (seg == CS) {
            code32 = (attr & Descriptor.BIG) != 0;
            breakBlock = true;
        } else if (seg == SS) {
            stack32 = (attr & Descriptor.BIG) != 0;
        }
    }

    void setCpl(int cpl) {
        this.cpl = cpl;
        mmu.setUser(cpl == 3);
    }

    // ---- implicit supervisor accesses ----------------------------------------------------

    /*
     * The processor reads descriptor tables and the TSS, and writes an inner stack, with
     * supervisor rights whatever the CPL (SDM vol. 3, 4.6 "implicit supervisor-mode accesses").
     */

    int readSystem32(int linear) {
        if (cpl != 3) {
            return mmu.read32(linear);
        }
        mmu.setUser(false);
        try {
            return mmu.read32(linear);
        } finally {
            mmu.setUser(true);
        }
    }

    int readSystem16(int linear) {
        if (cpl != 3) {
            return mmu.read16(linear);
        }
        mmu.setUser(false);
        try {
            return mmu.read16(linear);
        } finally {
            mmu.setUser(true);
        }
    }

    /** Writes a word (size 1) or dword (size 2) as the supervisor. */
    void writeSystem(int linear, int size, int value) {
        if (cpl != 3) {
            writeMem(linear, size, value);
            return;
        }
        mmu.setUser(false);
        try {
            writeMem(linear, size, value);
        } finally {
            mmu.setUser(true);
        }
    }

    // ---- registers by operand size -------------------------------------------------------

    /** Reads general register {@code r} at size 0 (AL..BH numbering), 1 or 2. */
    int readReg(int r, int size) {
        if (size == 2) {
            return reg[r];
        }
        return size == 1 ? reg[r] & 0xFFFF : r < 4 ? reg[r] & 0xFF : (reg[r - 4] >>> 8) & 0xFF;
    }

    void writeReg(int r, int size, int value) {
        if (size == 2) {
            reg[r] = value;
            return;
        }
        switch (size) {
            case 0 -> {
                if (r < 4) {
                    reg[r] = (reg[r] & 0xFFFFFF00) | (value & 0xFF);
                } else {
                    reg[r - 4] = (reg[r - 4] & 0xFFFF00FF) | ((value & 0xFF) << 8);
                }
            }
            case 1 -> reg[r] = (reg[r] & 0xFFFF0000) | (value & 0xFFFF);
            default -> reg[r] = value;
        }
    }

    // ---- memory operands ------------------------------------------------------------------

    /** The effective address (segment offset) of a decoded memory operand. */
    int ea(Insn in) {
        int a = reg[in.base] + (reg[in.index] << in.scale) + in.disp;
        return in.a16 ? a & 0xFFFF : a;
    }

    /** The linear address of a decoded memory operand, read at the instruction's size. */
    int linear(Insn in) {
        return linear(in, 1 << in.size, false);
    }

    /**
     * The linear address of a decoded memory operand at the instruction's size, checked for a
     * write: every store and read-modify-write destination, so a read-only data segment or a code
     * segment faults (#GP(0), #SS(0) through SS).
     */
    int linearForWrite(Insn in) {
        return linear(in, 1 << in.size, true);
    }

    /** The linear address of {@code bytes} bytes at a decoded memory operand, checked for a read or a write. */
    int linear(Insn in, int bytes, boolean write) {
        int offset = ea(in);
        int seg = in.seg;
        if (segChecked[seg]) {
            SegmentChecks.check(this, seg, offset, bytes, write);
        }
        return segBase[seg] + offset;
    }

    /** The linear address of {@code bytes} bytes at {@code offset} in {@code seg}, checked. */
    int linear(int seg, int offset, int bytes, boolean write) {
        if (segChecked[seg]) {
            SegmentChecks.check(this, seg, offset, bytes, write);
        }
        return segBase[seg] + offset;
    }

    int readMem(int linear, int size) {
        return switch (size) {
            case 0 -> mmu.read8(linear);
            case 1 -> mmu.read16(linear);
            default -> mmu.read32(linear);
        };
    }

    /**
     * Reads the memory operand of a read-modify-write instruction: with write intent, so a fault
     * reports a write and a read-only page faults before the instruction changes anything.
     */
    int readMemForWrite(int linear, int size) {
        return switch (size) {
            case 0 -> mmu.readForWrite8(linear);
            case 1 -> mmu.readForWrite16(linear);
            default -> mmu.readForWrite32(linear);
        };
    }

    void writeMem(int linear, int size, int value) {
        switch (size) {
            case 0 -> mmu.write8(linear, value);
            case 1 -> mmu.write16(linear, value);
            default -> mmu.write32(linear, value);
        }
    }

    /** The r/m operand at the instruction's size. */
    int readRm(Insn in) {
        return in.mod == 3 ? readReg(in.rm, in.size) : readMem(linear(in), in.size);
    }

    void writeRm(Insn in, int value) {
        if (in.mod == 3) {
            writeReg(in.rm, in.size, value);
        } else {
            writeMem(linear(in, 1 << in.size, true), in.size, value);
        }
    }

    /** The r/m operand at an explicit size (MOVZX, segment moves, ...). */
    int readRm(Insn in, int size) {
        return in.mod == 3 ? readReg(in.rm, size) : readMem(linear(in, 1 << size, false), size);
    }

    void writeRm(Insn in, int size, int value) {
        if (in.mod == 3) {
            writeReg(in.rm, size, value);
        } else {
            writeMem(linear(in, 1 << size, true), size, value);
        }
    }

    int read8(int seg, int offset) {
        return mmu.read8(linear(seg, offset, 1, false));
    }

    int read16(int seg, int offset) {
        return mmu.read16(linear(seg, offset, 2, false));
    }

    int read32(int seg, int offset) {
        return mmu.read32(linear(seg, offset, 4, false));
    }

    // ---- the stack ------------------------------------------------------------------------

    /** The stack pointer as an offset into SS: ESP, or SP on a 16-bit stack. */
    int sp() {
        return stack32 ? reg[ESP] : reg[ESP] & 0xFFFF;
    }

    /** Moves the stack pointer to {@code offset}, keeping ESP's high half on a 16-bit stack. */
    void setSp(int offset) {
        reg[ESP] = stack32 ? offset : (reg[ESP] & 0xFFFF0000) | (offset & 0xFFFF);
    }

    /** Pushes a word (size 1) or dword (size 2). */
    void push(int value, int size) {
        int bytes = size == 1 ? 2 : 4;
        int offset = stackOffset(sp() - bytes);
        writeMem(linear(SS, offset, bytes, true), size, value);
        setSp(offset);
    }

    /** Reads the word or dword on top of the stack without popping it. */
    int peek(int size, int depth) {
        return readMem(linear(SS, stackOffset(sp() + depth), size == 1 ? 2 : 4, false), size);
    }

    /** Pops a word (size 1) or dword (size 2). */
    int pop(int size) {
        int bytes = size == 1 ? 2 : 4;
        int value = readMem(linear(SS, sp(), bytes, false), size);
        setSp(sp() + bytes);
        return value;
    }

    int stackOffset(int offset) {
        return stack32 ? offset : offset & 0xFFFF;
    }

    // ---- control flow ---------------------------------------------------------------------

    /** Sets EIP for a near branch, wrapping to 16 bits for 16-bit operand size. */
    void jump(int target, boolean o16) {
        eip = o16 ? target & 0xFFFF : target;
    }

    // ---- exceptions -----------------------------------------------------------------------

    Fault ud() {
        return fault.raise(Fault.UD);
    }

    Fault gp(int errorCode) {
        return fault.raise(Fault.GP, errorCode);
    }

    Fault divideError() {
        return fault.raise(Fault.DE);
    }

    /** A trap: reported with EIP already past the instruction (INT3, INT n, INTO). */
    Fault trap(int vector) {
        return fault.raise(vector).asTrap();
    }

    /** The time-stamp counter: the clock plus whatever WRMSR to IA32_TIME_STAMP_COUNTER added. */
    long readTsc() {
        return tsc.read() + sys.tscOffset;
    }
}
