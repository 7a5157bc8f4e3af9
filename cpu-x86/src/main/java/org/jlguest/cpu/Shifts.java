package org.jlguest.cpu;

final class Shifts {
    private Shifts() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
