package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;

/** Test helper: runs a few instruction bytes in a fresh user32 machine. */
final class UserCode {
    static final int CODE = 0x10000000;
    static final int DATA = 0x20000000;

    final UserMachine machine = new UserMachine();
    final Cpu cpu = machine.cpu();

    UserCode data(int addr, byte[] bytes) {
        machine.mapData(addr, bytes);
        return this;
    }

    UserCode reg(int r, int value) {
        cpu.setReg(r, value);
        return this;
    }

    /** Asserts the run reached the end of its code. */
    static void completes(UserRun r) {
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome());
    }

    /** Asserts the run stopped on a page fault with this error code and CR2, at the first instruction. */
    static void pageFault(UserCode u, UserRun r, int errorCode, int cr2) {
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
        assertEquals(errorCode, r.errorCode());
        assertEquals(cr2, r.cr2());
        assertEquals(CODE, u.cpu.getEip());
    }

    UserRun run(String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        machine.mapCode(CODE, code);
        cpu.setEip(CODE);
        return machine.run(CODE + code.length, 10_000);
    }
}
