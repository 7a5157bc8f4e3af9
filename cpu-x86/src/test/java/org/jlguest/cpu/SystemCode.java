package org.jlguest.cpu;

import java.util.HexFormat;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;

/**
 * Test helper: a bare 1 MiB machine with no paging, its descriptor tables in guest memory, and
 * the CPU in 32-bit protected mode at ring 0 (or, after {@link #realMode}, at the reset vector's
 * real-mode state with CS:IP chosen by the test).
 *
 * <p>Layout: GDT at 0x1000, IDT at 0x2000, a 32-bit TSS at 0x3000, code from 0x10000, the ring-0
 * stack below 0x20000, the ring-3 stack below 0x30000, data at 0x40000. GDT: 0x08 ring-0 code,
 * 0x10 ring-0 data, 0x18 ring-3 code, 0x20 ring-3 data, 0x28 the TSS, all flat; further entries
 * are for the tests.
 */
final class SystemCode {
    static final int GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, CODE = 0x10000, STACK0 = 0x20000,
            STACK3 = 0x30000, DATA = 0x40000;
    static final int CODE0 = 0x08, DATA0 = 0x10, CODE3 = 0x1B, DATA3 = 0x23, TSS_SEL = 0x28;
    /** Attributes as a descriptor's high dword bits 8-23: 32-bit page-granular flat segments. */
    static final int FLAT_CODE = 0xC09A, FLAT_DATA = 0xC092;

    final GuestMemory memory = new GuestMemory(256);
    final Mmu mmu = new Mmu(memory, new Fault());
    final Cpu cpu = new Cpu(mmu, CpuFeatures.i686(), () -> 0);
    final Interpreter interpreter = new Interpreter(cpu);

    SystemCode() {
        cpu.sys.gdtBase = GDT;
        cpu.sys.gdtLimit = 0xFF;
        cpu.sys.idtBase = IDT;
        cpu.sys.idtLimit = 0x7FF;
        segment(1, 0, 0xFFFFF, FLAT_CODE);
        segment(2, 0, 0xFFFFF, FLAT_DATA);
        segment(3, 0, 0xFFFFF, FLAT_CODE | 0x60);
        segment(4, 0, 0xFFFFF, FLAT_DATA | 0x60);
        segment(5, TSS, 0x67, 0x89);
        memory.write32(TSS + 4, STACK0);
        memory.write32(TSS + 8, DATA0);
        memory.write16(TSS + 0x66, 0x68); // I/O bitmap beyond the limit: no port granted
        cpu.setControlRegisters(0x11, 0, 0);
        cpu.sys.trSelector = TSS_SEL;
        cpu.sys.trBase = TSS;
        cpu.sys.trLimit = 0x67;
        cpu.sys.trAttr = 0x8B;
        load(Cpu.CS, CODE0);
        for (int seg : new int[] {Cpu.ES, Cpu.SS, Cpu.DS, Cpu.FS, Cpu.GS}) {
            load(seg, DATA0);
        }
        cpu.setCpl(0);
        cpu.setEflags(0x2);
        cpu.setReg(Cpu.ESP, STACK0);
        interpreter.setDeliverExceptions(true);
    }

    /** Writes GDT entry {@code index}: {@code attr} is the high dword's bits 8-23 (limit bits ignored). */
    SystemCode segment(int index, int base, int limit, int attr) {
        int low = (base << 16) | (limit & 0xFFFF);
        int high = (base & 0xFF000000) | ((base >>> 16) & 0xFF) | (limit & 0xF0000) | ((attr & 0xF0FF) << 8);
        memory.write32(GDT + index * 8, low);
        memory.write32(GDT + index * 8 + 4, high);
        return this;
    }

    /** A gate descriptor (interrupt, trap or call gate) at {@code address}. */
    void gateAt(int address, int selector, int offset, int type, int dpl, int parameters) {
        memory.write32(address, (selector << 16) | (offset & 0xFFFF));
        memory.write32(address + 4, (offset & 0xFFFF0000) | 0x8000 | dpl << 13 | type << 8 | parameters);
    }

    /** IDT entry {@code vector}: a 32-bit interrupt (0xE) or trap (0xF) gate. */
    SystemCode gate(int vector, int selector, int offset, int type, int dpl) {
        gateAt(IDT + vector * 8, selector, offset, type, dpl, 0);
        return this;
    }

    /** Loads a segment register from the GDT without checks, as a loader would. */
    void load(int seg, int selector) {
        long d = DescriptorTables.read(cpu, selector);
        SegmentLoader.fill(cpu, seg, selector, d);
    }

    /** Puts the CPU in user mode at ring 3 on flat user segments with ESP below STACK3. */
    void ring3() {
        load(Cpu.CS, CODE3);
        for (int seg : new int[] {Cpu.ES, Cpu.SS, Cpu.DS, Cpu.FS, Cpu.GS}) {
            load(seg, DATA3);
        }
        cpu.setCpl(3);
        cpu.setReg(Cpu.ESP, STACK3);
    }

    /** Powers on in real mode, then points CS:IP at {@code cs}:{@code ip}. */
    void realMode(int cs, int ip) {
        cpu.reset();
        SegmentLoader.loadReal(cpu, Cpu.CS, cs);
        cpu.setEip(ip);
    }

    /** Copies hex bytes to {@code address}. */
    SystemCode put(int address, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        memory.copyIn(address, bytes, 0, bytes.length);
        // Written past the MMU, which tracks stores into decoded code only for the guest's own.
        interpreter.discardDecoded();
        return this;
    }

    /** Places code at CODE, starts there, and runs to {@code stop} (an absolute EIP). */
    ExitReason run(String hex, int stop) {
        put(CODE, hex);
        cpu.setEip(CODE);
        return runTo(stop);
    }

    /** Places code at CODE and runs until the end of it. */
    ExitReason run(String hex) {
        int length = hex.replace(" ", "").length() / 2;
        return run(hex, CODE + length);
    }

    ExitReason runTo(int stop) {
        interpreter.setBreakpoint(stop);
        return interpreter.run(10_000);
    }

    int read32(int address) {
        return memory.read32(address);
    }

    int read16(int address) {
        return memory.read16(address);
    }

    Fault fault() {
        return mmu.fault();
    }
}
