package org.jlguest.cpu;

final class MulDiv {
    private MulDiv() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
