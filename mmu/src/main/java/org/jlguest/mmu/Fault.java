package org.jlguest.mmu;

/**
 * An x86 exception on its way to whoever runs the CPU: vector, error code and, for a page fault,
 * the linear address that becomes CR2.
 *
 * <p>Faults are the normal control flow of a guest (every demand page-in is one), so this is not
 * an exception in the Java sense: one instance is preallocated per virtual CPU, carries no stack
 * trace, and its fields are overwritten by each raise. Only the thread that owns the CPU throws or
 * reads it.
 */
public final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Vectors the architecture defines; the numbers are the IDT slots. */
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
            TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18;

    /**
     * Not an x86 vector: the guest reached a physical frame at or beyond {@code pfn_limit} that
     * no device claims. The CPU cannot deliver it; whoever runs the CPU decides (lguest kills the
     * guest). {@link #cr2()} holds the physical address.
     */
    public static final int HOST_BEYOND_LIMIT = 256;

    private int vector;
    private int errorCode;
    private boolean hasErrorCode;
    private int cr2;
    private boolean trap;
    private boolean softwareInterrupt;
    private int instructionLength;

    public Fault() {
        super(null, null, false, false);
    }

    /** Fills this fault for an exception without an error code and returns it, ready to throw. */
    public Fault raise(int vector) {
        this.vector = vector;
        this.errorCode = 0;
        this.hasErrorCode = false;
        this.cr2 = 0;
        this.trap = false;
        this.softwareInterrupt = false;
        return this;
    }

    /** Fills this fault for an exception with an error code and returns it, ready to throw. */
    public Fault raise(int vector, int errorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = true;
        this.cr2 = 0;
        this.trap = false;
        this.softwareInterrupt = false;
        return this;
    }

    /** Fills this fault as a page fault at {@code linear} and returns it, ready to throw. */
    public Fault pageFault(int linear, int errorCode) {
        raise(PF, errorCode);
        this.cr2 = linear;
        return this;
    }

    /** Fills this fault as a physical access beyond guest memory and returns it, ready to throw. */
    public Fault beyondLimit(int physical) {
        raise(HOST_BEYOND_LIMIT);
        this.cr2 = physical;
        return this;
    }

    /**
     * Marks this as a trap: reported after the instruction completed (INT3, INT n, INTO), so the
     * saved EIP is the next instruction's rather than the faulting one's.
     */
    public Fault asTrap() {
        this.trap = true;
        return this;
    }

    /**
     * Marks this as a software interrupt (INT3, INT n, INTO): a trap whose gate DPL the delivering
     * side must check against CPL. When the check fails the CPU raises #GP at the INT instruction
     * itself, so the trap carries the instruction's length to find it again (as VMX reports an
     * instruction length with software-interrupt exits).
     */
    public Fault asSoftwareInterrupt(int instructionLength) {
        this.trap = true;
        this.softwareInterrupt = true;
        this.instructionLength = instructionLength;
        return this;
    }

    public boolean isSoftwareInterrupt() {
        return softwareInterrupt;
    }

    /** The length of the software-interrupt instruction, prefixes included. */
    public int instructionLength() {
        return instructionLength;
    }

    public boolean isTrap() {
        return trap;
    }

    public int vector() {
        return vector;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean hasErrorCode() {
        return hasErrorCode;
    }

    /** The faulting linear address of a page fault; 0 for every other vector. */
    public int cr2() {
        return cr2;
    }

    @Override
    public String getMessage() {
        return hasErrorCode
                ? String.format("vector %d error code 0x%x cr2 0x%08x", vector, errorCode, cr2)
                : String.format("vector %d", vector);
    }
}
