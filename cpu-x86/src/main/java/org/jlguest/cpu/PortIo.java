package org.jlguest.cpu;

final class PortIo {
    private PortIo() {
    }

    static void execute(Cpu cpu, Insn in) {
        throw cpu.ud();
    }
}
