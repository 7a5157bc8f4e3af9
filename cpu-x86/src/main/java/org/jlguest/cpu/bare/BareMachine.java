package org.jlguest.cpu.bare;

import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.CpuFeatures;
import org.jlguest.cpu.ExitReason;
import org.jlguest.cpu.Interpreter;
import org.jlguest.cpu.TimeStampCounter;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;

/**
 * A bare i686 machine: RAM, the images of an {@link ImageLayout}, the BIOS ROM window, the ports of
 * {@link BarePorts}, and one CPU started either at a flat 32-bit entry point or (once the CPU models
 * it) at the reset vector. It has no interrupt controller, timer or disk: programs talk through
 * port 0xE9 and end with HLT.
 */
public final class BareMachine {
    /** Flat ring-0 selectors for {@link #enterFlat}: GDT slots 1 (code) and 2 (data), as most loaders use. */
    public static final int FLAT_CODE = 0x08;
    public static final int FLAT_DATA = 0x10;
    private static final int CR0_PE = 0x1;
    private static final int CR0_ET = 0x10;
    private static final int EFLAGS_IF = 0x200;
    private static final int EFLAGS_RESERVED = 0x2;

    private final ImageLayout layout;
    private final GuestMemory memory;
    private final Mmu mmu;
    private final Cpu cpu;
    private final Interpreter interpreter;

    public BareMachine(ImageLayout layout, BareConsole console) {
        this.layout = layout;
        memory = new GuestMemory((int) (layout.ramSize() >>> GuestMemory.PAGE_SHIFT));
        mmu = new Mmu(memory, new Fault());
        BiosRom rom = new BiosRom(mmu.fault());
        mmu.setDeviceWindow(rom);
        mmu.setFetchAlias((int) ImageLayout.HIGH_ROM, ImageLayout.ROM_SIZE, ImageLayout.LOW_ROM);
        for (Image image : layout.images()) {
            if (ImageLayout.isRom(image)) {
                rom.load(ImageLayout.romOffset(image), image.bytes());
            }
            memory.copyIn((int) ImageLayout.ramStart(image), image.bytes(), 0, image.bytes().length);
        }
        cpu = new Cpu(mmu, CpuFeatures.i686(), new InstructionClock());
        cpu.setIoPorts(new BarePorts(console, cpu::instructions));
        interpreter = new Interpreter(cpu);
        interpreter.setDeliverExceptions(true);
    }

    public Cpu cpu() {
        return cpu;
    }

    /**
     * Starts the CPU as power-on does: real mode at F000:FFF0 with CS's base at 0xFFFF0000, so the
     * first instruction is the ROM's at 0xFFFFFFF0 (fetched from its copy in RAM, which holds the
     * same bytes); the far jump every BIOS makes first then moves CS to 0xF0000.
     */
    public void reset() {
        cpu.reset();
    }

    /**
     * Starts the CPU at {@code entry} the way a multiboot loader leaves it: 32-bit protected mode,
     * ring 0, flat code and data segments, paging off, interrupts disabled, ESP at the top of RAM.
     * GDTR and IDTR are empty (limit 0), so until the program loads an IDT every exception ends in
     * a triple fault.
     */
    public void enterFlat(int entry) {
        cpu.loadFlatSegment(Cpu.CS, FLAT_CODE, true);
        for (int seg : new int[] {Cpu.SS, Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS}) {
            cpu.loadFlatSegment(seg, FLAT_DATA, false);
        }
        cpu.setControlRegisters(CR0_PE | CR0_ET, 0, 0);
        cpu.setEflags(EFLAGS_RESERVED);
        cpu.setReg(Cpu.ESP, (int) layout.ramSize());
        cpu.setEip(entry);
    }

    /**
     * Runs until HLT, a triple fault, an access beyond RAM and ROM, or {@code maxInstructions}.
     * Exceptions go through the program's IDT (or the real-mode IVT), as on hardware.
     */
    public BareRun run(long maxInstructions) {
        long start = cpu.instructions();
        while (true) {
            long left = maxInstructions - (cpu.instructions() - start);
            if (left <= 0) {
                return end(ExitKind.INSTRUCTION_LIMIT, start, "");
            }
            ExitReason reason = interpreter.run(left);
            switch (reason) {
                case HALT -> {
                    return end((cpu.getEflags() & EFLAGS_IF) == 0 ? ExitKind.HALTED : ExitKind.HALTED_WAITING, start, "");
                }
                case FAULT -> {
                    return end(ExitKind.FAULT, start, describe(mmu.fault()));
                }
                case SHUTDOWN -> {
                    return end(ExitKind.TRIPLE_FAULT, start, "the last exception was " + describe(mmu.fault()));
                }
                default -> { }
            }
        }
    }

    private BareRun end(ExitKind exit, long start, String fault) {
        return new BareRun(exit, cpu.instructions() - start, cpu.getSegmentSelector(Cpu.CS), cpu.getEip(), fault,
                CpuState.of(cpu));
    }

    private String describe(Fault f) {
        if (f.vector() == Fault.HOST_BEYOND_LIMIT) {
            long physical = Integer.toUnsignedLong(f.cr2());
            return String.format("physical address 0x%08X is beyond RAM (0x%X bytes)", physical, layout.ramSize());
        }
        String name = f.isSoftwareInterrupt() ? "INT 0x" + Integer.toHexString(f.vector()) : ExceptionNames.of(f.vector());
        return f.hasErrorCode()
                ? String.format("%s error code 0x%04x%s", name, f.errorCode(),
                        f.vector() == Fault.PF ? String.format(" at 0x%08x", f.cr2()) : "")
                : name;
    }

    /** RDTSC counts retired instructions, so runs repeat exactly. */
    private final class InstructionClock implements TimeStampCounter {
        @Override
        public long read() {
            return cpu.instructions();
        }
    }

    /** The machine's interpreter (to choose its {@link org.jlguest.cpu.Tier}, say). */
    public Interpreter interpreter() {
        return interpreter;
    }
}
