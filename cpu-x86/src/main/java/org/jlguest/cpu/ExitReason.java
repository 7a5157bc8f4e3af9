package org.jlguest.cpu;

/** Why {@link Interpreter#run} returned. */
public enum ExitReason {
    /** The instruction budget ran out. */
    BUDGET,
    /** HLT: the CPU waits for an interrupt. */
    HALT,
    /** An exception the interpreter does not deliver itself; see the CPU's {@code Fault}. */
    FAULT,
    /** EIP reached the breakpoint. */
    BREAKPOINT,
    /**
     * A fault while delivering a double fault (a triple fault): the processor shut down. The CPU
     * keeps the state of the last delivery attempt, and {@code Fault} the fault that ended it.
     */
    SHUTDOWN,
}
