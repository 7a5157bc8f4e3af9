package org.jlguest.cpu;

final class Moves {
    private Moves() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
