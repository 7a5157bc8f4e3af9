package org.jlguest.cpu;

/** First-level dispatch: the family of a decoded instruction picks its handler class. */
final class Executor {
    private Executor() {
    }

    static void execute(Cpu cpu, Insn in) {
        switch (in.family) {
            case Family.ALU -> Alu.execute(cpu, in);
            case Family.MULDIV -> MulDiv.execute(cpu, in);
            case Family.SHIFT -> Shifts.execute(cpu, in);
            case Family.BCD -> Bcd.execute(cpu, in);
            case Family.BIT -> Bits.execute(cpu, in);
            case Family.MOVE -> Moves.execute(cpu, in);
            case Family.STACK -> Stack.execute(cpu, in);
            case Family.STRING -> Strings.execute(cpu, in);
            case Family.CONTROL -> Control.execute(cpu, in);
            case Family.FLAG -> FlagOps.execute(cpu, in);
            case Family.SEGMENT -> Segments.execute(cpu, in);
            case Family.SYSTEM -> SystemOps.execute(cpu, in);
            case Family.IO -> PortIo.execute(cpu, in);
            case Family.X87 -> X87.execute(cpu, in);
            case Family.TOO_LONG -> throw cpu.gp(0);
            default -> throw cpu.ud();
        }
    }
}
