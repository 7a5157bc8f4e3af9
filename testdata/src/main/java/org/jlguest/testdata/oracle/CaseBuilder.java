package org.jlguest.testdata.oracle;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.FpuState;

/**
 * Assembles one {@link Probe}: code bytes, registers, flags and memory regions.
 *
 * <p>The address space follows a fixed plan so that no case can reach the oracle's
 * own memory: code at {@link #CODE_BASE}, data regions in 0x30000000-0x3FFFFFFF,
 * stacks in 0x40000000-0x4FFFFFFF, and 0x50000000-0x7FFFFFFF never mapped, for
 * page-fault cases. A register whose value an address depends on is
 * <em>claimed</em>: later operand choices cannot overwrite it.
 */
final class CaseBuilder {

    static final int CODE_BASE = 0x1000_0000;
    static final int DATA_BASE = 0x3000_0000;
    static final int STACK_BASE = 0x4000_0000;
    static final int UNMAPPED_BASE = 0x5000_0000;
    static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    static final int CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;

    private static final int PAGE = 0x1000;
    private static final int[] SPECIAL = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000,
        0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000_0001, 0x10, 0xF, 9, 10, 0x99};

    private final Random rnd;
    private final int codeAddr;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final Integer[] regs = new Integer[8];
    private final boolean[] claimed = new boolean[8];
    private final List<Region> regions = new ArrayList<>();
    private final Set<Integer> pages = new HashSet<>();
    private int flags;
    private int mask = CpuCase.USER_FLAGS;
    private Optional<FpuState> fpu = Optional.empty();
    private Probe.FpuCheck fpuCheck = Probe.FpuCheck.EXACT;

    private record Region(int addr, byte[] bytes) {
        boolean contains(int a) {
            return Integer.compareUnsigned(a - addr, bytes.length) < 0;
        }
    }

    CaseBuilder(Random rnd) {
        this.rnd = rnd;
        this.codeAddr = CODE_BASE + rnd.nextInt(0x1000) * PAGE + rnd.nextInt(PAGE - 320);
        this.flags = rnd.nextInt();
        pages.add(codeAddr & -PAGE);
    }

    Random rnd() {
        return rnd;
    }

    // ---- code ----

    CaseBuilder op(int... bytes) {
        for (int b : bytes) code.write(b);
        return this;
    }

    CaseBuilder op(byte[] bytes) {
        code.write(bytes, 0, bytes.length);
        return this;
    }

    /** Little-endian immediate of {@code size} bytes. */
    CaseBuilder imm(int size, int value) {
        for (int i = 0; i < size; i++) code.write(value >>> (8 * i));
        return this;
    }

    int codeAddr() {
        return codeAddr;
    }

    /** The address of the next byte emitted. */
    int here() {
        return codeAddr + code.size();
    }

    // ---- registers and flags ----

    boolean claimed(int reg) {
        return claimed[reg];
    }

    /** Fixes a register's value: addresses and counts depend on it. */
    void claim(int reg, int value) {
        regs[reg] = value;
        claimed[reg] = true;
    }

    /** Sets a register unless an address already depends on it. */
    void set(int reg, int value) {
        if (!claimed[reg]) regs[reg] = value;
    }

    /** The register's value, choosing one now if nothing set it yet. */
    int reg(int reg) {
        if (regs[reg] == null) regs[reg] = value(32);
        return regs[reg];
    }

    /**
     * Sets the register operand {@code r} of {@code size} bytes (8-bit: AL CL DL BL AH CH DH BH),
     * leaving the rest of the register random.
     */
    void setOperand(int r, int size, int value) {
        int full = size == 1 ? r & 3 : r;
        int shift = size == 1 && r >= 4 ? 8 : 0;
        int bits = size == 4 ? -1 : ((1 << (8 * size)) - 1) << shift;
        set(full, (reg(full) & ~bits) | ((value << shift) & bits));
    }

    /** The value of the register operand {@code r} of {@code size} bytes, zero-extended. */
    int operand(int r, int size) {
        if (size == 4) return reg(r);
        if (size == 2) return reg(r) & 0xFFFF;
        return (reg(r & 3) >>> (r >= 4 ? 8 : 0)) & 0xFF;
    }

    void flags(int value) {
        flags = value;
    }

    int flags() {
        return flags;
    }

    /** Marks flags that the instruction leaves undefined: the case will not check them. */
    void undefined(int bits) {
        mask &= ~bits;
    }

    // ---- the x87 ----

    /** Makes this an x87 case starting from {@code state}. */
    void fpu(FpuState state) {
        fpu = Optional.of(state);
    }

    /** Status bits the SDM leaves undefined after the case: {@code expect.fpu.sw_mask} leaves them out. */
    void fpuUndefined(int statusBits) {
        fpuCheck = new Probe.FpuCheck(fpuCheck.swMask() & ~statusBits, fpuCheck.ulpTolerance());
    }

    /** How many units in the last place a register may differ from the hardware's: {@code expect.fpu.ulp_tolerance}. */
    void fpuTolerance(long ulps) {
        fpuCheck = new Probe.FpuCheck(fpuCheck.swMask(), ulps);
    }

    // ---- memory ----

    /** A fresh data region with these contents, on pages of its own; returns its address. */
    int data(byte[] bytes) {
        while (true) {
            int addr = DATA_BASE + rnd.nextInt(0x10000) * PAGE + rnd.nextInt(PAGE - bytes.length);
            if (!pages.contains(addr & -PAGE)) {
                region(addr, bytes);
                return addr;
            }
        }
    }

    /** A fresh data region of random bytes. */
    int data(int size) {
        return data(randomBytes(size));
    }

    /** A region at a chosen address (its pages must be free). */
    void region(int addr, byte[] bytes) {
        for (int p = addr & -PAGE; p - addr < bytes.length; p += PAGE) {
            if (!pages.add(p)) throw new IllegalStateException(String.format("page %08x is taken", p));
        }
        regions.add(new Region(addr, bytes.clone()));
    }

    /** Whether the page holding {@code addr} is free for a new region. */
    boolean pageFree(int addr) {
        return !pages.contains(addr & -PAGE);
    }

    /** Claims ESP in a fresh stack region spanning {@code below} bytes under it and {@code above} bytes from it. */
    int stack(int below, int above) {
        while (true) {
            int esp = STACK_BASE + rnd.nextInt(0x10000) * PAGE + below + (rnd.nextInt((PAGE - below - above) / 4) * 4);
            if (rnd.nextInt(16) == 0) esp += 1 + rnd.nextInt(3);
            if ((esp - below) >>> 12 == (esp + above - 1) >>> 12 && pageFree(esp - below)) {
                region(esp - below, randomBytes(below + above));
                claim(ESP, esp);
                return esp;
            }
        }
    }

    /** Writes a little-endian value into whichever region holds {@code addr}. */
    void poke(int addr, int size, int value) {
        for (int i = 0; i < size; i++) {
            int a = addr + i;
            Region r = regions.stream().filter(x -> x.contains(a)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(String.format("%08x is in no region", a)));
            r.bytes[a - r.addr] = (byte) (value >>> (8 * i));
        }
    }

    /** An address in the never-mapped range. */
    int unmapped() {
        return UNMAPPED_BASE + rnd.nextInt(0x3000_0000);
    }

    // ---- ModRM memory operands ----

    /**
     * A ModRM (with SIB and displacement as the form needs) for a memory operand
     * whose effective address is {@code ea}, using a random 32-bit addressing form.
     * Base and index registers are chosen among unclaimed ones and then claimed.
     */
    byte[] mem(int regField, int ea) {
        List<Integer> free = new ArrayList<>();
        for (int r = 0; r < 8; r++) if (!claimed[r]) free.add(r);
        int form = rnd.nextInt(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> bases = new ArrayList<>(free);
        bases.remove(Integer.valueOf(ESP));
        if (form == 0 || bases.isEmpty()) {
            out.write(0x05 | regField << 3);
            le(out, 4, ea);
        } else if (form <= 3) {
            int mod = form - 1;
            if (mod == 0) bases.remove(Integer.valueOf(EBP));
            if (bases.isEmpty()) return mem(regField, ea);
            int base = bases.get(rnd.nextInt(bases.size()));
            int disp = displacement(mod);
            out.write(mod << 6 | regField << 3 | base);
            le(out, mod == 1 ? 1 : mod == 2 ? 4 : 0, disp);
            claim(base, ea - disp);
        } else {
            int mod = rnd.nextInt(3);
            int scale = rnd.nextInt(4);
            List<Integer> indexes = new ArrayList<>(free);
            indexes.remove(Integer.valueOf(ESP));
            int index = indexes.isEmpty() || rnd.nextBoolean() ? ESP : indexes.get(rnd.nextInt(indexes.size()));
            List<Integer> sibBases = new ArrayList<>(free);
            sibBases.remove(Integer.valueOf(index));
            if (mod == 0) sibBases.remove(Integer.valueOf(EBP));
            boolean noBase = mod == 0 && (sibBases.isEmpty() || rnd.nextInt(4) == 0);
            if (!noBase && sibBases.isEmpty()) return mem(regField, ea);
            int base = noBase ? EBP : sibBases.get(rnd.nextInt(sibBases.size()));
            int disp = noBase ? rnd.nextInt() : displacement(mod);
            int indexValue = 0;
            if (index != ESP) {
                indexValue = value(32);
                claim(index, indexValue);
            }
            out.write(mod << 6 | regField << 3 | 4);
            out.write(scale << 6 | index << 3 | base);
            le(out, noBase || mod == 2 ? 4 : mod == 1 ? 1 : 0, disp);
            int rest = ea - (indexValue << scale) - disp;
            if (noBase) {
                // No base register absorbs the difference: the displacement does.
                byte[] b = out.toByteArray();
                int fixed = disp + rest;
                for (int i = 0; i < 4; i++) b[b.length - 4 + i] = (byte) (fixed >>> (8 * i));
                return b;
            }
            claim(base, rest);
        }
        return out.toByteArray();
    }

    private int displacement(int mod) {
        return mod == 1 ? (byte) rnd.nextInt() : mod == 2 ? rnd.nextInt() : 0;
    }

    /**
     * A ModRM for a random 16-bit addressing form (used after a 0x67 prefix). Its
     * effective address is below 0x10000, never mapped: such accesses fault.
     */
    byte[] mem16(int regField) {
        int mod = rnd.nextInt(3);
        int rm = rnd.nextInt(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(mod << 6 | regField << 3 | rm);
        int dispSize = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
        le(out, dispSize, rnd.nextInt());
        return out.toByteArray();
    }

    private static void le(ByteArrayOutputStream out, int size, int value) {
        for (int i = 0; i < size; i++) out.write(value >>> (8 * i));
    }

    // ---- values ----

    /** A value of {@code bits} bits (8, 16 or 32) biased towards edge cases, random above them. */
    int value(int bits) {
        int v = switch (rnd.nextInt(8)) {
            case 0, 1, 2 -> rnd.nextInt();
            case 3 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
            case 4 -> rnd.nextInt(32) - 8;
            case 5 -> 1 << rnd.nextInt(32);
            case 6 -> bits == 32 ? SPECIAL[rnd.nextInt(SPECIAL.length)] ^ (rnd.nextBoolean() ? 0 : 0x8000_0000)
                    : (1 << (bits - 1)) - 1 + rnd.nextInt(3) - 1;
            default -> ~SPECIAL[rnd.nextInt(SPECIAL.length)];
        };
        int m = bits == 32 ? -1 : (1 << bits) - 1;
        return (rnd.nextInt() & ~m) | (v & m);
    }

    byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        return b;
    }

    /** Little-endian bytes of {@code value}, {@code size} long. */
    static byte[] bytes(int size, long value) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (value >>> (8 * i));
        return b;
    }

    // ---- result ----

    Probe build(String id) {
        int[] gprs = new int[8];
        for (int r = 0; r < 8; r++) gprs[r] = reg(r);
        int eflags = (flags & CpuCase.USER_FLAGS) | 0x202;
        List<CpuCase.Mem> mem = new ArrayList<>();
        for (Region r : regions) mem.add(new CpuCase.Mem(r.addr, r.bytes));
        if (code.size() > 250) throw new IllegalStateException("case " + id + " is too long");
        return new Probe(id, code.toByteArray(), new CpuCase.Init(CpuCase.Regs.of(gprs, codeAddr), eflags, fpu), mem, mask,
                fpuCheck);
    }
}
