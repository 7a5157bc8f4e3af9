package org.jlguest.cpu;

/**
 * What is being delivered through the IDT or IVT; the kinds differ in the gate DPL check, in the
 * EXT bit of error codes raised on the way, and in how a further fault combines with them.
 */
public enum EventKind {
    /** A processor exception (faults and traps the CPU raised): EXT = 1. */
    EXCEPTION,
    /** INT n, INT3, INTO: the gate's DPL must be at least CPL, EXT = 0, benign. */
    SOFTWARE_INTERRUPT,
    /** An interrupt from outside the CPU (a PIC, a timer, lguest's interrupt injection): EXT = 1, benign. */
    EXTERNAL_INTERRUPT,
}
