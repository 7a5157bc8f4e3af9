package org.jlguest.cpu;

final class Bcd {
    private Bcd() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
