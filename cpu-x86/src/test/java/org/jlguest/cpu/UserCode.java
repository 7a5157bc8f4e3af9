package org.jlguest.cpu;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;

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

    UserRun run(String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        machine.mapCode(CODE, code);
        cpu.setEip(CODE);
        return machine.run(CODE + code.length, 10_000);
    }
}
