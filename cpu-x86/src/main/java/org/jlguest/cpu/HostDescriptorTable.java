package org.jlguest.cpu;

/**
 * A GDT kept by a hypervisor instead of in guest memory. lguest's Guest never owns its GDT: it
 * hands entries to the Host by hypercall and the Host keeps the table where the Guest cannot
 * write it. With one installed, every GDT selector (TI = 0) is looked up here rather than at
 * GDTR; LDT selectors are unaffected.
 */
public interface HostDescriptorTable {
    /** How many 8-byte entries the table has. */
    int entries();

    /** Entry {@code index} as the descriptor's two words (low word in bits 0-31). */
    long read(int index);

    /** Writes back entry {@code index} (the processor setting the accessed or busy bit). */
    void write(int index, long descriptor);
}
