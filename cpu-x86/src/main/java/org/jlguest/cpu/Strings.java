package org.jlguest.cpu;

final class Strings {
    private Strings() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
