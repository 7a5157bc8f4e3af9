package org.jlguest.cpu;

final class SystemOps {
    private SystemOps() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
