package org.jlguest.cpu;

/**
 * Handler families: the first level of dispatch. Each names one class of static handlers with the
 * same signature, {@code execute(Cpu, Insn)}. Ints rather than an enum so the dispatch switch is a
 * plain table jump.
 */
public final class Family {
    public static final int INVALID = 0;
    public static final int ALU = 1;
    public static final int MULDIV = 2;
    public static final int SHIFT = 3;
    public static final int BCD = 4;
    public static final int BIT = 5;
    public static final int MOVE = 6;
    public static final int STACK = 7;
    public static final int STRING = 8;
    public static final int CONTROL = 9;
    public static final int FLAG = 10;
    public static final int SEGMENT = 11;
    public static final int SYSTEM = 12;
    public static final int IO = 13;
    public static final int X87 = 14;
    /** An instruction longer than 15 bytes: #GP(0) when executed. */
    public static final int TOO_LONG = 15;

    static final String[] NAMES = {
        "invalid", "alu", "muldiv", "shift", "bcd", "bit", "move", "stack", "string", "control",
        "flag", "segment", "system", "io", "x87", "too-long",
    };

    private Family() {
    }

    static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown family " + name);
    }
}
