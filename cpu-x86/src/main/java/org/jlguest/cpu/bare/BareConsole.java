package org.jlguest.cpu.bare;

/** Where a bare machine's outputs go: the debug console and the POST-code display. */
public interface BareConsole {
    /** A byte written to the debug console port 0xE9. */
    void console(int b);

    /** A POST code written to {@code port} (0x80 or 0x190) after {@code instructions} instructions. */
    void post(int port, int value, long instructions);
}
