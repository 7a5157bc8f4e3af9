package org.jlguest.cpu;

import static org.jlguest.cpu.RegisterCases.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BT, BTS, BTR, BTC, BSF and BSR. Expected values were recorded on an AMD processor, undefined
 * flags included (BT* keep all but CF; BSF/BSR clear all but ZF and PF).
 */
class BitsTest {
    /** 32 bytes: byte 8 holds 0x0F and byte 16 holds 0x80. */
    private static UserCode bitmap() {
        byte[] bytes = new byte[32];
        bytes[8] = 0x0F;
        bytes[16] = (byte) 0x80;
        return new UserCode().data(UserCode.DATA, bytes).reg(Cpu.EBX, UserCode.DATA);
    }
    @ParameterizedTest(name = "{9}")
    @CsvSource(delimiter = '|', textBlock = """
            # code     | eax      | ecx      | edx      | ebx      | fl  | eax out  | edx out  | fl  | what
            0fa3c8       | 80000000 | 0000001f | 00000000 | 00000000 | 202 | 80000000 | 00000000 | 001 | bt eax,ecx: bit 31
            0fa3c8       | 80000000 | 0000003f | 00000000 | 00000000 | ad7 | 80000000 | 00000000 | 8d5 | bt eax,ecx: 63 wraps to 31, other flags kept
            0fabc8       | 00000000 | ffffffe5 | 00000000 | 00000000 | ad7 | 00000020 | 00000000 | 8d4 | bts eax,ecx: -27 is bit 5
            0fb3c8       | ffffffff | 00000000 | 00000000 | 00000000 | 202 | fffffffe | 00000000 | 001 | btr eax,ecx: bit 0
            0fbbc8       | 00000010 | 00000004 | 00000000 | 00000000 | 202 | 00000000 | 00000000 | 001 | btc eax,ecx: clears bit 4
            660fabc8     | 12340000 | 0000001f | 00000000 | 00000000 | 202 | 12348000 | 00000000 | 000 | bts ax,cx: 31 wraps to 15
            0fbae01f     | 7fffffff | 00000000 | 00000000 | 00000000 | 202 | 7fffffff | 00000000 | 000 | bt eax,31
            0fbae821     | 00000000 | 00000000 | 00000000 | 00000000 | 202 | 00000002 | 00000000 | 000 | bts eax,33: bit 1
            0fbaf000     | 00000001 | 00000000 | 00000000 | 00000000 | ad7 | 00000000 | 00000000 | 8d5 | btr eax,0
            660fbaf81f   | ffff0000 | 00000000 | 00000000 | 00000000 | 202 | ffff8000 | 00000000 | 000 | btc ax,31: bit 15
            0fbcc3       | 12345678 | 00000000 | 00000000 | 00000000 | ad7 | 12345678 | 00000000 | 044 | bsf eax,ebx: zero source keeps eax, ZF
            0fbcc3       | 12345678 | 00000000 | 00000000 | 80000000 | ad7 | 0000001f | 00000000 | 000 | bsf eax,ebx: bit 31
            0fbcc3       | 12345678 | 00000000 | 00000000 | 00001800 | 202 | 0000000b | 00000000 | 000 | bsf eax,ebx: bit 11
            0fbdc3       | 12345678 | 00000000 | 00000000 | 00001800 | 202 | 0000000c | 00000000 | 004 | bsr eax,ebx: bit 12
            0fbdc3       | 12345678 | 00000000 | 00000000 | 00000001 | ad7 | 00000000 | 00000000 | 004 | bsr eax,ebx: bit 0
            0fbdc3       | 12345678 | 00000000 | 00000000 | ffffffff | 202 | 0000001f | 00000000 | 000 | bsr eax,ebx: bit 31
            660fbdc3     | 12345678 | 00000000 | 00000000 | ffff0000 | 202 | 12345678 | 00000000 | 044 | bsr ax,bx: zero word
            660fbcc3     | 12345678 | 00000000 | 00000000 | 00008000 | 202 | 1234000f | 00000000 | 004 | bsf ax,bx: bit 15
            """)
    void testAndScan(String code, String eax, String ecx, String edx, String ebx, String flags, String eaxOut,
            String edxOut, String flagsOut, String what) {
        check(code, eax, ecx, edx, ebx, flags, eaxOut, edxOut, flagsOut);
    }

    @Test
    void registerOffsetReachesBeyondTheOperand() {
        UserCode u = bitmap().reg(Cpu.ECX, 0x43);
        u.run("0f a3 0b"); // bt [ebx], ecx: bit 3 of the dword at ebx+8
        assertEquals(Flags.CF, u.cpu.getEflags() & Flags.CF);
    }

    @Test
    void negativeOffsetReachesBelowTheOperand() {
        UserCode u = bitmap().reg(Cpu.ECX, -62);
        u.run("0f b3 4b 10"); // btr [ebx+16], ecx: -62 is bit 2 of the dword at ebx+8
        assertEquals(Flags.CF, u.cpu.getEflags() & Flags.CF);
        assertEquals(0x0B, u.cpu.mmu().read8(UserCode.DATA + 8));
    }

    @Test
    void wordOffsetIsASignedWord() {
        UserCode u = bitmap().reg(Cpu.ECX, 0xFFFF_FF80);
        u.run("66 0f bb 4b 10"); // btc [ebx+16], cx: -128 is bit 0 of the word at ebx
        assertEquals(0, u.cpu.getEflags() & Flags.CF);
        assertEquals(0x01, u.cpu.mmu().read8(UserCode.DATA));
    }

    @Test
    void wordOffsetIgnoresTheHighHalf() {
        UserCode u = bitmap().reg(Cpu.ECX, 0x10081);
        u.run("66 0f ab 0b"); // bts [ebx], cx: 0x81 is bit 1 of the word at ebx+16
        assertEquals(0x82, u.cpu.mmu().read8(UserCode.DATA + 16));
    }

    @Test
    void immediateOffsetStaysInTheOperand() {
        UserCode u = bitmap();
        u.run("0f ba 2b 27"); // bts dword [ebx], 0x27: bit 7
        assertEquals(0x80, u.cpu.mmu().read8(UserCode.DATA));
        assertEquals(0, u.cpu.getEflags() & Flags.CF);
    }

    @Test
    void testingReadsButSettingWrites() {
        UserCode u = new UserCode().reg(Cpu.EBX, UserCode.CODE);
        assertEquals(UserRun.Outcome.COMPLETED, u.run("0f ba 23 00").outcome()); // bt dword [ebx], 0 on code
        UserRun r = u.run("0f ba 2b 00"); // bts dword [ebx], 0 on code
        assertEquals(Fault.PF, r.vector());
        assertEquals(0x7, r.errorCode()); // present, write, user
    }

    @Test
    void scanOfAMemoryOperand() {
        UserCode u = bitmap().reg(Cpu.EBX, UserCode.DATA + 13);
        u.run("0f bc 03"); // bsf eax, [ebx]: the dword at 13 has byte 16 = 0x80 as its top byte
        assertEquals(31, u.cpu.getReg(Cpu.EAX));
        assertEquals(0, u.cpu.getEflags() & Flags.ZF);
    }
}
