package org.jlguest.cpu.bare;

import org.jlguest.cpu.Cpu;

/** The CPU state a failed run is reported with. */
public record CpuState(int[] registers, int eflags, int cs, int eip, int cr0, int cr2, int cr3, int cpl) {
    private static final String[] NAMES = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};

    public CpuState {
        registers = registers.clone();
    }

    static CpuState of(Cpu cpu) {
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) {
            regs[r] = cpu.getReg(r);
        }
        return new CpuState(regs, cpu.getEflags(), cpu.getSegmentSelector(Cpu.CS), cpu.getEip(),
                cpu.getCr0(), cpu.getCr2(), cpu.mmu().cr3(), cpu.getCpl());
    }

    @Override
    public int[] registers() {
        return registers.clone();
    }

    /** Four lines, in the layout of a kernel oops. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 8; r++) {
            s.append(String.format("%s=%08x%s", NAMES[r], registers[r], r == 3 || r == 7 ? "\n" : " "));
        }
        s.append(String.format("EFLAGS=%08x CS:EIP=%04x:%08x CPL=%d%n", eflags, cs, eip, cpl));
        s.append(String.format("CR0=%08x CR2=%08x CR3=%08x", cr0, cr2, cr3));
        return s.toString();
    }
}
