package org.jlguest.cpu;

/**
 * The I/O port space behind IN, OUT, INS and OUTS, once the CPU has checked that the access is
 * allowed (CPL <= IOPL). A bare machine answers with a console port and all-ones reads; an
 * lguest Host never gets here (its guest kernel runs at CPL 1 with IOPL 0, so I/O traps).
 */
public interface IoPorts {
    /** Reads {@code size} (0 = byte, 1 = word, 2 = dword) from {@code port}. */
    int in(int port, int size);

    /** Writes the low byte, word or dword of {@code value} to {@code port}. */
    void out(int port, int size, int value);

    /** No devices: reads return all ones, writes vanish (an unclaimed ISA bus). */
    IoPorts NONE = new IoPorts() {
        @Override
        public int in(int port, int size) {
            return size == 0 ? 0xFF : size == 1 ? 0xFFFF : 0xFFFFFFFF;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    };
}
