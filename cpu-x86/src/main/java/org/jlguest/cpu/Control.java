package org.jlguest.cpu;

final class Control {
    private Control() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
