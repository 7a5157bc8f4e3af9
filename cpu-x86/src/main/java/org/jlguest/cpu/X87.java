package org.jlguest.cpu;

final class X87 {
    private X87() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
