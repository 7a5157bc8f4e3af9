package org.jlguest.cpu.bare;

/** How a bare machine's run ended. */
public enum ExitKind {
    /** HLT with interrupts disabled: the program's way of saying it is done. */
    HALTED("halted (HLT with interrupts disabled)"),
    /** HLT with interrupts enabled: a bare machine has no device that could ever wake it. */
    HALTED_WAITING("halted with interrupts enabled, and no device can raise an interrupt"),
    /** An exception the machine could not deliver (or the CPU does not deliver itself). */
    FAULT("stopped by an unhandled exception"),
    /** An exception while delivering a double fault: the CPU shut down. */
    TRIPLE_FAULT("triple fault (shutdown)"),
    /** The instruction budget ran out. */
    INSTRUCTION_LIMIT("instruction limit reached");

    private final String description;

    ExitKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
