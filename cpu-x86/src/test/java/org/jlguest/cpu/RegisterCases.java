package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;

/** Table-driven instruction cases in hex, shared by the arithmetic families' tests. */
final class RegisterCases {
    private RegisterCases() {
    }

    /**
     * Runs {@code code} with EAX, ECX, EDX, EBX and EFLAGS set, then checks EAX, EDX and the six
     * arithmetic flags, or that it raised #DE and changed nothing.
     */
    static void check(String code, String eax, String ecx, String edx, String ebx, String flags,
            String eaxOut, String edxOut, String flagsOut) {
        UserCode u = new UserCode().reg(Cpu.EAX, hex(eax)).reg(Cpu.ECX, hex(ecx)).reg(Cpu.EDX, hex(edx))
                .reg(Cpu.EBX, hex(ebx));
        u.cpu.setEflags(hex(flags));
        UserRun r = u.run(code);
        if (eaxOut.equals("#DE")) {
            assertEquals(UserRun.Outcome.FAULT, r.outcome());
            assertEquals(Fault.DE, r.vector());
            assertEquals(UserCode.CODE, u.cpu.getEip());
            assertEquals(hex(eax), u.cpu.getReg(Cpu.EAX));
            assertEquals(hex(edx), u.cpu.getReg(Cpu.EDX));
            assertEquals(hex(flags) & Flags.ARITHMETIC, u.cpu.getEflags() & Flags.ARITHMETIC);
            return;
        }
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome());
        assertEquals(hex(eaxOut), u.cpu.getReg(Cpu.EAX), "eax");
        assertEquals(hex(edxOut), u.cpu.getReg(Cpu.EDX), "edx");
        assertEquals(hex(ecx), u.cpu.getReg(Cpu.ECX), "ecx");
        assertEquals(hex(ebx), u.cpu.getReg(Cpu.EBX), "ebx");
        assertEquals(hex(flagsOut), u.cpu.getEflags() & Flags.ARITHMETIC, "flags");
    }

    static int hex(String s) {
        return Integer.parseUnsignedInt(s, 16);
    }
}
