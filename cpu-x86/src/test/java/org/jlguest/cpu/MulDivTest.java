package org.jlguest.cpu;

import static org.jlguest.cpu.RegisterCases.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MUL, IMUL, DIV and IDIV. Expected values were recorded on an AMD processor; the flags the SDM
 * leaves undefined are checked too, as that processor produced them (MUL/IMUL keep SF, ZF, AF and
 * PF; DIV/IDIV keep CF and OF, set AF and clear the rest).
 */
class MulDivTest {
    @ParameterizedTest(name = "{9}")
    @CsvSource(delimiter = '|', textBlock = """
            # code     | eax      | ecx      | edx      | ebx      | fl  | eax out  | edx out  | fl  | what
            f7e3         | ffffffff | 00000000 | 00001234 | ffffffff | 202 | 00000001 | fffffffe | 801 | mul ebx: max*max
            f7e3         | 80000000 | 00000000 | 00000000 | 00000002 | ad7 | 00000000 | 00000001 | 8d5 | mul ebx: exactly 2^32
            f7e3         | 00010000 | 00000000 | 00000000 | 0000ffff | 202 | ffff0000 | 00000000 | 000 | mul ebx: fits, high half zero
            66f7e3       | abcd8000 | 00000000 | 12340000 | 00000002 | 202 | abcd0000 | 12340001 | 801 | mul bx: DX gets the carry bit
            f6e3         | 1234ff10 | 00000000 | 00000000 | 00000010 | 202 | 12340100 | 00000000 | 801 | mul bl: 0x100 sets CF/OF
            f6e3         | 12340f11 | 00000000 | 00000000 | 0000000f | ad7 | 123400ff | 00000000 | 0d4 | mul bl: 0xff fits
            f6e4         | 00000310 | 00000000 | 00000000 | 00000000 | 202 | 00000030 | 00000000 | 000 | mul ah
            f7eb         | 80000000 | 00000000 | 00000000 | ffffffff | 202 | 80000000 | 00000000 | 801 | imul ebx: -2^31 * -1 = 2^31 overflows
            f7eb         | 80000000 | 00000000 | 00000000 | 00000001 | 202 | 80000000 | ffffffff | 000 | imul ebx: -2^31 * 1 fits
            f7eb         | fffffffe | 00000000 | 00000000 | 00000003 | 202 | fffffffa | ffffffff | 000 | imul ebx: -6
            66f7eb       | 00007fff | 00000000 | 00000000 | 00000002 | 202 | 0000fffe | 00000000 | 801 | imul bx: 0xfffe overflows
            66f7eb       | 0000c000 | 00000000 | 00000000 | 00000002 | 202 | 00008000 | 0000ffff | 000 | imul bx: -0x8000 fits
            f6eb         | 00000080 | 00000000 | 00000000 | 000000ff | 202 | 00000080 | 00000000 | 801 | imul bl: -128 * -1 overflows
            f6eb         | 00000040 | 00000000 | 00000000 | 000000fe | ad7 | 0000ff80 | 00000000 | 0d4 | imul bl: -128 fits
            0fafc3       | 00010000 | 00000000 | 00005555 | 00010000 | 202 | 00000000 | 00005555 | 801 | imul eax,ebx: 2^32 truncates to 0
            0fafc3       | ffffffff | 00000000 | 00000000 | 80000000 | 202 | 80000000 | 00000000 | 801 | imul eax,ebx: -1 * -2^31
            660fafc3     | 12340100 | 00000000 | 00000000 | 00000080 | 202 | 12348000 | 00000000 | 801 | imul ax,bx: 0x8000 overflows
            69c300000100 | 00000000 | 00000000 | 00000000 | 00000100 | 202 | 01000000 | 00000000 | 000 | imul eax,ebx,0x10000: 2^24
            6bc3ff       | 00005555 | 00000000 | 00000000 | 80000000 | 202 | 80000000 | 00000000 | 801 | imul eax,ebx,-1: -(-2^31) overflows
            666bc3fe     | ffffffff | 00000000 | 00000000 | 00004000 | 202 | ffff8000 | 00000000 | 000 | imul ax,bx,-2: -0x8000 fits
            6669c30080   | ffffffff | 00000000 | 00000000 | 0000ffff | 202 | ffff8000 | 00000000 | 801 | imul ax,bx,0x8000: -1 * -0x8000 overflows
            f7f3         | ffffffff | 00000000 | fffffffe | ffffffff | 202 | ffffffff | fffffffe | 010 | div ebx: largest quotient
            f7f3         | 00000000 | 00000000 | 00000001 | 00000001 | 202 | #DE      |          |     | div ebx: quotient 2^32 -> #DE
            f7f3         | 00000005 | 00000000 | 00000000 | 00000000 | 202 | #DE      |          |     | div ebx: by zero -> #DE
            f7f3         | 00000064 | 00000000 | 00000000 | 00000007 | ad7 | 0000000e | 00000002 | 811 | div ebx: 100/7
            66f7f3       | 1234ffff | 00000000 | 5678fffe | 0000ffff | 202 | 1234ffff | 5678fffe | 010 | div bx: DX:AX = 0xfffeffff / 0xffff
            66f7f3       | 00000000 | 00000000 | 00000010 | 00000010 | 202 | #DE      |          |     | div bx: overflow -> #DE
            f6f3         | aaaa1234 | 00000000 | 00000000 | 00000012 | 202 | #DE      |          |     | div bl: AX / 0x12 overflow -> #DE
            f6f3         | aaaa11ff | 00000000 | 00000000 | 00000012 | 202 | aaaa11ff | 00000000 | 010 | div bl: AX=0x11ff / 0x12
            f7fb         | 00000000 | 00000000 | 80000000 | ffffffff | 202 | #DE      |          |     | idiv ebx: -2^63 / -1 -> #DE
            f7fb         | 80000000 | 00000000 | ffffffff | ffffffff | 202 | #DE      |          |     | idiv ebx: -2^31 / -1 -> #DE
            f7fb         | 80000000 | 00000000 | ffffffff | 00000001 | 202 | 80000000 | 00000000 | 010 | idiv ebx: -2^31 / 1
            f7fb         | fffffff9 | 00000000 | ffffffff | 00000002 | 202 | fffffffd | ffffffff | 010 | idiv ebx: -7 / 2 truncates, remainder -1
            f7fb         | 00000007 | 00000000 | 00000000 | fffffffe | 202 | fffffffd | 00000001 | 010 | idiv ebx: 7 / -2
            66f7fb       | 00008000 | 00000000 | 0000ffff | 0000ffff | 202 | #DE      |          |     | idiv bx: -0x8000 / -1 -> #DE
            66f7fb       | 1111fff9 | 00000000 | 2222ffff | 00000002 | 202 | 1111fffd | 2222ffff | 010 | idiv bx: -7 / 2
            f6fb         | 0000ff80 | 00000000 | 00000000 | 000000ff | 202 | #DE      |          |     | idiv bl: -128 / -1 -> #DE
            f6fb         | 0000ff80 | 00000000 | 00000000 | 00000001 | 202 | 00000080 | 00000000 | 010 | idiv bl: -128 / 1
            f6fb         | 00000080 | 00000000 | 00000000 | 00000001 | 202 | #DE      |          |     | idiv bl: 128 / 1 -> #DE
            f6fb         | 0000fff9 | 00000000 | 00000000 | 00000002 | 202 | 0000fffd | 00000000 | 010 | idiv bl: -7 / 2
            f6fb         | 00000000 | 00000000 | 00000000 | 00000000 | 202 | #DE      |          |     | idiv bl: by zero -> #DE
            """)
    void multiplyAndDivide(String code, String eax, String ecx, String edx, String ebx, String flags, String eaxOut,
            String edxOut, String flagsOut, String what) {
        check(code, eax, ecx, edx, ebx, flags, eaxOut, edxOut, flagsOut);
    }

    @Test
    void multipliesAMemoryOperand() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[] {0, 0, 0, (byte) 0x80})
                .reg(Cpu.EBX, UserCode.DATA).reg(Cpu.EAX, 4);
        u.run("f7 23"); // mul dword [ebx]
        assertEquals(0, u.cpu.getReg(Cpu.EAX));
        assertEquals(2, u.cpu.getReg(Cpu.EDX));
        assertEquals(Flags.CF | Flags.OF, u.cpu.getEflags() & (Flags.CF | Flags.OF));
    }

    @Test
    void threeOperandImulReadsMemory() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[] {(byte) 0xF6, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})
                .reg(Cpu.EBX, UserCode.DATA);
        u.run("6b 0b 07"); // imul ecx, [ebx], 7
        assertEquals(-70, u.cpu.getReg(Cpu.ECX));
        assertEquals(0, u.cpu.getEflags() & (Flags.CF | Flags.OF));
    }

    @Test
    void divideByZeroInMemoryChangesNothing() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[4]).reg(Cpu.EBX, UserCode.DATA)
                .reg(Cpu.EAX, 0x1234).reg(Cpu.EDX, 0x5678);
        UserRun r = u.run("90 f7 33"); // nop; div dword [ebx]
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.DE, r.vector());
        assertEquals(UserCode.CODE + 1, u.cpu.getEip());
        assertEquals(0x1234, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x5678, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void unreadableDivisorFaultsBeforeTheDivideCheck() {
        UserCode u = new UserCode().reg(Cpu.EBX, 0x30000000);
        UserRun r = u.run("f7 33"); // div dword [ebx], unmapped
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
    }
}
