package org.jlguest.cpu.user;

import java.util.BitSet;
import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.CpuFeatures;
import org.jlguest.cpu.ExitReason;
import org.jlguest.cpu.Interpreter;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;
import org.jlguest.mmu.PageWalker;

/**
 * A flat 32-bit CPL-3 machine with paging: the "user32" mode of the CPU test vectors, shaped like
 * a Linux process on a PAE/NX host.
 *
 * <p>Code pages are mapped user read-only and executable, data pages user read/write and not
 * executable; everything else is unmapped. Segments are flat with Linux's compat-mode selectors
 * (CS 0x23, SS/DS/ES 0x2B, FS/GS null), and only the gates Linux opens to user code (vectors 3, 4 and
 * 0x80) may be reached by INT n. Physical frames are handed out in order as pages are
 * mapped; frame 0 holds the page directory.
 */
public final class UserMachine {
    private static final int PAGE = GuestMemory.PAGE_SIZE;
    /**
     * Room for the page directory, a few page tables and the pages a test case touches; small,
     * because test suites build one machine per case.
     */
    private static final int DEFAULT_FRAMES = 64;

    private final GuestMemory memory;
    private final Mmu mmu;
    private final Cpu cpu;
    private final Interpreter interpreter;
    private final BitSet executable = new BitSet(1 << 20);
    private int nextFrame = 1;

    public UserMachine() {
        this(DEFAULT_FRAMES);
    }

    /** A machine with {@code frames} 4 KiB frames of physical memory to map pages into. */
    public UserMachine(int frames) {
        memory = new GuestMemory(frames);
        mmu = new Mmu(memory, new Fault());
        cpu = new Cpu(mmu, CpuFeatures.i686(), new InstructionClock());
        interpreter = new Interpreter(cpu);
        cpu.loadFlatSegment(Cpu.CS, 0x23, true);
        cpu.loadFlatSegment(Cpu.SS, 0x2B, false);
        cpu.loadFlatSegment(Cpu.DS, 0x2B, false);
        cpu.loadFlatSegment(Cpu.ES, 0x2B, false);
        cpu.loadFlatSegment(Cpu.FS, 0, false);
        cpu.loadFlatSegment(Cpu.GS, 0, false);
        cpu.setControlRegisters(0x80010033, 0, 0);
        mmu.setExecutablePages(executable);
        cpu.setEflags(0x202);
    }

    /** Maps the pages {@code code} touches user read-only and executable, and copies it there. */
    public void mapCode(int addr, byte[] code) {
        map(addr, code, false);
        for (long p = Integer.toUnsignedLong(addr) >>> 12; p <= (Integer.toUnsignedLong(addr) + Math.max(code.length, 1) - 1) >>> 12; p++) {
            executable.set((int) p);
        }
        mmu.flushAll();
    }

    /** Maps the pages {@code bytes} touches user read/write (not executable), and copies it there. */
    public void mapData(int addr, byte[] bytes) {
        map(addr, bytes, true);
        mmu.flushAll();
    }

    public Cpu cpu() {
        return cpu;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    /** Runs until EIP is {@code stopEip}, an exception, or {@code maxInstructions}. */
    public UserRun run(int stopEip, long maxInstructions) {
        interpreter.setBreakpoint(stopEip);
        long before = cpu.instructions();
        ExitReason exit = interpreter.run(maxInstructions);
        long ran = cpu.instructions() - before;
        Fault f = mmu.fault();
        if (exit == ExitReason.FAULT && f.isSoftwareInterrupt() && !isUserGate(f.vector())) {
            cpu.setEip(cpu.getEip() - f.instructionLength());
            f.raise(Fault.GP, f.vector() << 3 | 2);
        }
        return switch (exit) {
            case BREAKPOINT -> new UserRun(UserRun.Outcome.COMPLETED, 0, 0, false, 0, ran);
            case FAULT -> new UserRun(UserRun.Outcome.FAULT, f.vector(), f.errorCode(), f.hasErrorCode(), f.cr2(), ran);
            default -> new UserRun(UserRun.Outcome.BUDGET_EXHAUSTED, 0, 0, false, 0, ran);
        };
    }

    /**
     * Whether software may call {@code vector} from CPL 3: Linux's IDT gives DPL 3 only to the
     * breakpoint, overflow and system-call gates. INT n through any other gate fails the DPL check
     * raises #GP at the INT instruction itself, its error code naming the gate: vector * 8 with the
     * IDT bit (2) set.
     */
    private static boolean isUserGate(int vector) {
        return vector == Fault.BP || vector == Fault.OF || vector == 0x80;
    }

    /** Reads mapped guest memory regardless of its permissions. */
    public byte[] read(int addr, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) memory.read8(physical(addr + i));
        }
        return out;
    }

    private void map(int addr, byte[] bytes, boolean writable) {
        int flags = PageWalker.P | PageWalker.US | (writable ? PageWalker.RW : 0);
        long first = Integer.toUnsignedLong(addr) >>> 12;
        long last = (Integer.toUnsignedLong(addr) + Math.max(bytes.length, 1) - 1) >>> 12;
        for (long page = first; page <= last; page++) {
            int pteAddr = pageTableEntry((int) page);
            int pte = memory.read32(pteAddr);
            if ((pte & PageWalker.P) == 0) {
                pte = allocateFrame() << 12;
            }
            memory.write32(pteAddr, (pte & 0xFFFFF000) | flags | ((pte & PageWalker.RW) != 0 ? PageWalker.RW : 0));
        }
        interpreter.discardDecoded();
        for (int i = 0; i < bytes.length; i++) {
            memory.write8(physical(addr + i), bytes[i]);
        }
    }

    private int pageTableEntry(int page) {
        int pdeAddr = (page >>> 10) << 2;
        int pde = memory.read32(pdeAddr);
        if ((pde & PageWalker.P) == 0) {
            pde = allocateFrame() << 12 | PageWalker.P | PageWalker.RW | PageWalker.US;
            memory.write32(pdeAddr, pde);
        }
        return (pde & 0xFFFFF000) | ((page & 0x3FF) << 2);
    }

    private int physical(int linear) {
        int pde = memory.read32((linear >>> 22) << 2);
        int pte = (pde & PageWalker.P) == 0 ? 0 : memory.read32((pde & 0xFFFFF000) | (((linear >>> 12) & 0x3FF) << 2));
        if ((pte & PageWalker.P) == 0) {
            throw new IllegalArgumentException(String.format("linear address 0x%08x is not mapped", linear));
        }
        return (pte & 0xFFFFF000) | (linear & (PAGE - 1));
    }

    private int allocateFrame() {
        if (nextFrame >= memory.pfnLimit()) {
            throw new IllegalStateException("user machine out of frames (" + memory.pfnLimit() + ")");
        }
        return nextFrame++;
    }

    /** RDTSC in user32 mode counts retired instructions: deterministic for tests. */
    private final class InstructionClock implements org.jlguest.cpu.TimeStampCounter {
        @Override
        public long read() {
            return cpu.instructions();
        }
    }
}
