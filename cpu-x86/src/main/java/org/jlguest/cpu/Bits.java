package org.jlguest.cpu;

final class Bits {
    private Bits() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
