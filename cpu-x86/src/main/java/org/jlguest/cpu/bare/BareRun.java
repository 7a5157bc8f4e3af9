package org.jlguest.cpu.bare;

/**
 * How a bare machine's run ended: why, after how many instructions, where, and for a fault which
 * exception (its description) with the CPU state at that point.
 */
public record BareRun(ExitKind exit, long instructions, int cs, int eip, String fault, CpuState state) {
    /** One line: {@code 1234 instructions, halted (HLT with interrupts disabled), at 0008:00100042}. */
    public String summary() {
        return String.format("%d instructions, %s%s, at %04x:%08x", instructions, exit.description(),
                fault.isEmpty() ? "" : ": " + fault, cs, eip);
    }
}
