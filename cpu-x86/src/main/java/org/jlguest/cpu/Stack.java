package org.jlguest.cpu;

final class Stack {
    private Stack() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
