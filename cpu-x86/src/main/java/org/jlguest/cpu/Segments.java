package org.jlguest.cpu;

final class Segments {
    private Segments() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
