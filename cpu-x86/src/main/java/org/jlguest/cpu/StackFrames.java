package org.jlguest.cpu;

import org.jlguest.mmu.Fault;

/**
 * Writing a frame onto a stack that is not SS:ESP yet, or not yet moved: interrupt delivery and
 * call gates check the whole frame against the stack's limit first, then store it slot by slot,
 * and only after every store succeeded do they commit the new SS:ESP, CS:EIP and privilege.
 * Slot 0 is the first value pushed (the highest address).
 */
final class StackFrames {
    private StackFrames() {
    }

    /** The stack pointer {@code bytes} below {@code top} on a stack of the given size. */
    static int below(int top, int bytes, boolean big) {
        int sp = top - bytes;
        return big ? sp : sp & 0xFFFF;
    }

    /** Raises #SS(error) unless the {@code bytes} below {@code top} lie within the stack segment. */
    static void reserve(Cpu cpu, int attr, int limit, int top, boolean big, int bytes, int error) {
        if (!SegmentChecks.allows(attr, limit, below(top, bytes, big), bytes, true)) {
            throw cpu.fault.raise(Fault.SS, error);
        }
    }

    /** Stores slot {@code slot} of a frame of {@code size} (1 word, 2 dword) entries below {@code top}. */
    static void put(Cpu cpu, int base, int top, boolean big, int slot, int size, int value, boolean supervisor) {
        int bytes = size == 1 ? 2 : 4;
        int linear = base + below(top, (slot + 1) * bytes, big);
        if (supervisor) {
            cpu.writeSystem(linear, size, value);
        } else {
            cpu.writeMem(linear, size, value);
        }
    }
}
