package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

/**
 * x87 instructions run as guest code. Expected values were recorded on real x87 hardware running
 * the same instruction sequences.
 */
class X87Test {
    private static UserCode withData(String hex) {
        byte[] data = new byte[64];
        byte[] given = HexFormat.of().parseHex(hex.replace(" ", ""));
        System.arraycopy(given, 0, data, 0, given.length);
        return new UserCode().data(UserCode.DATA, data).reg(Cpu.EBX, UserCode.DATA);
    }

    private static String bytes(UserCode u, int offset, int length) {
        return HexFormat.of().formatHex(u.machine.read(UserCode.DATA + offset, length));
    }

    @Test
    void loadPiRoundsByTheRoundingControl() {
        UserCode u = withData("");
        u.run("d9 eb db 3b"); // fldpi; fstp tword [ebx]
        assertEquals("35c26821a2da0fc90040", bytes(u, 0, 10));
        u = withData("7f07"); // control word: round down
        u.run("d9 2b d9 eb db 7b 10"); // fldcw [ebx]; fldpi; fstp tword [ebx+16]
        assertEquals("34c26821a2da0fc90040", bytes(u, 16, 10));
    }

    @Test
    void addTwoDoublesAndStoreTheDouble() {
        UserCode u = withData("9a9999999999b93f 9a9999999999c93f"); // 0.1, 0.2
        UserRun r = u.run("dd 03 dc 43 08 dd 5b 10"); // fld qword [ebx]; fadd qword [ebx+8]; fstp qword [ebx+16]
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome());
        assertEquals("343333333333d33f", bytes(u, 16, 8));
        assertEquals(0x0220, u.cpu.fpu.status() & 0xFFFF); // inexact, rounded up
    }

    @Test
    void unmaskedZeroDivideIsReportedAtTheNextWaitingInstruction() {
        UserCode u = withData("7b03"); // control word with ZE unmasked
        UserRun r = u.run("d9 2b d9 e8 d9 ee de f9 9b"); // fldcw; fld1; fldz; fdivp; fwait
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.MF, r.vector());
        assertEquals(UserCode.CODE + 8, u.cpu.getEip());
        int status = u.cpu.fpu.status();
        assertEquals(0x04 | 0x80 | 0x8000, status & 0x80FF);
        assertEquals(6, status >>> 11 & 7); // the division did not pop
    }

    @Test
    void taskSwitchedRaisesDeviceNotAvailable() {
        UserCode u = new UserCode();
        u.cpu.setControlRegisters(u.cpu.getCr0() | 0x8, u.cpu.mmu().cr3(), 0);
        UserRun r = u.run("d9 e8");
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.NM, r.vector());
    }

    @Test
    void fcomiSetsCarryForLess() {
        UserCode u = new UserCode();
        u.cpu.setEflags(0x202 | Flags.ZF | Flags.SF | Flags.OF);
        u.run("d9 e8 d9 ee db f1"); // fld1; fldz; fcomi st, st(1)
        assertEquals(Flags.CF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }

    @Test
    void examineAnEmptyRegister() {
        UserCode u = new UserCode();
        u.run("db e3 d9 e5 df e0"); // fninit; fxam; fnstsw ax
        assertEquals(0x4100, u.cpu.getReg(Cpu.EAX) & 0xFFFF);
    }

    @Test
    void storeEnvironmentLayout() {
        UserCode u = withData("");
        u.run("db e3 d9 e8 d9 33"); // fninit; fld1; fnstenv [ebx]
        String ip = HexFormat.of().formatHex(new byte[] {2, 0, 0, 0x10});
        assertEquals("7f03ffff" + "0038ffff" + "ff3fffff" + ip + "2300e801" + "00000000" + "0000ffff", bytes(u, 0, 28));
        assertEquals(0x3F, u.cpu.fpu.control() & 0x3F);
    }

    @Test
    void partialRemainderOfAHugeQuotient() {
        UserCode u = withData("34c26821a2da0fc9c840" + "01000000000000b0ff3f"); // 2^201·π-ish, 1.375
        u.run("db 6b 0a db 2b d9 f8 df e0 db 7b 14"); // fld tword [ebx+10]; fld tword [ebx]; fprem; fnstsw ax; fstp tword [ebx+20]
        assertEquals("7185b217b7658481" + "9f40", bytes(u, 20, 10));
        assertEquals(0x3400, u.cpu.getReg(Cpu.EAX) & 0xFFFF); // C2: incomplete; TOP 6
    }

    @Test
    void packedBcdStore() {
        UserCode u = withData("eb32a4f8"); // -123456789
        u.run("db 03 df 73 08"); // fild dword [ebx]; fbstp [ebx+8]
        assertArrayEquals(HexFormat.of().parseHex("89674523010000000080"), u.machine.read(UserCode.DATA + 8, 10));
    }
}
