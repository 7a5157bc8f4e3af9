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
}
