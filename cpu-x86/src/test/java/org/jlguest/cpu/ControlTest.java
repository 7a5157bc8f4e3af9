package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class ControlTest {
    private static final int STACK = 0x30000000;
    private static final int STACK_TOP = STACK + 0x1000;

    /** A user machine with two pages of stack and ESP in the middle of them. */
    private static UserCode withStack() {
        return new UserCode().data(STACK, new byte[0x2000]).reg(Cpu.ESP, STACK_TOP);
    }

    private static void assertCompleted(UserRun r) {
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome(), () -> "ended with vector " + r.vector());
    }

    private static void assertFault(UserRun r, int vector, int eip, UserCode u) {
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(vector, r.vector());
        assertEquals(eip, u.cpu.getEip());
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    // ---- Jcc ----------------------------------------------------------------------------

    @Test
    void everyConditionInBothEncodings() {
        int[] interesting = {Flags.CF, Flags.ZF, Flags.SF, Flags.OF, Flags.PF};
        for (int cc = 0; cc < 16; cc++) {
            for (int mask = 0; mask < 32; mask++) {
                int f = 0;
                for (int i = 0; i < 5; i++) {
                    f |= (mask >>> i & 1) != 0 ? interesting[i] : 0;
                }
                String rel8 = String.format("%02x 05 b8 01 00 00 00", 0x70 + cc);
                String rel32 = String.format("0f %02x 05 00 00 00 b8 01 00 00 00", 0x80 + cc);
                for (String code : new String[] {rel8, rel32}) {
                    UserCode u = new UserCode();
                    u.cpu.setEflags(0x202 | f);
                    assertCompleted(u.run(code));
                    int eax = Conditions.holds(cc, f) ? 0 : 1;
                    assertEquals(eax, u.cpu.getReg(Cpu.EAX), code + " flags " + Integer.toHexString(f));
                }
            }
        }
    }

    @Test
    void backwardBranchLoopsUntilTheCountRunsOut() {
        UserCode u = new UserCode();
        assertCompleted(u.run("b9 03 00 00 00 40 49 75 fc")); // mov ecx,3; l: inc eax; dec ecx; jnz l
        assertEquals(3, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void sixteenBitOperandSizeTruncatesTheTarget() {
        UserCode u = new UserCode();
        u.cpu.setEflags(0x202 | Flags.ZF);
        UserRun r = u.run("66 0f 84 10 00"); // jz with a 16-bit displacement: IP = 0x0015
        assertFault(r, Fault.PF, 0x15, u);
        assertEquals(0x15, r.cr2());
    }

    // ---- JMP --------------------------------------------------------------------------

    @Test
    void jumpsRelativeAndIndirect() {
        UserCode u = new UserCode();
        assertCompleted(u.run("e9 05 00 00 00 b8 01 00 00 00")); // jmp over mov eax,1
        assertEquals(0, u.cpu.getReg(Cpu.EAX));

        u = new UserCode().reg(Cpu.EDX, UserCode.CODE + 7);
        assertCompleted(u.run("ff e2 b8 01 00 00 00")); // jmp edx
        assertEquals(0, u.cpu.getReg(Cpu.EAX));

        byte[] pointer = {0x07, 0x00, 0x00, 0x10};
        u = new UserCode().data(UserCode.DATA, pointer).reg(Cpu.EBX, UserCode.DATA);
        assertCompleted(u.run("ff 23 b8 01 00 00 00")); // jmp [ebx]
        assertEquals(0, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void shortJumpWithOperandPrefixWrapsToSixteenBits() {
        UserCode u = new UserCode();
        UserRun r = u.run("66 eb 00"); // jmp $+3 truncated: IP = 0x0003
        assertFault(r, Fault.PF, 3, u);
    }

    // ---- CALL and RET -----------------------------------------------------------------

    @Test
    void callAndReturn() {
        UserCode u = withStack();
        // call sub; inc eax; jmp end; sub: inc ebx; ret; end:
        assertCompleted(u.run("e8 03 00 00 00 40 eb 02 43 c3"));
        assertEquals(1, u.cpu.getReg(Cpu.EAX));
        assertEquals(1, u.cpu.getReg(Cpu.EBX));
        assertEquals(STACK_TOP, u.cpu.getReg(Cpu.ESP));
        assertEquals(UserCode.CODE + 5, u.cpu.mmu().read32(STACK_TOP - 4));
    }

    @Test
    void callThroughRegisterAndMemory() {
        UserCode u = withStack().reg(Cpu.EAX, UserCode.CODE + 2);
        assertCompleted(u.run("ff d0")); // call eax: "returns" nowhere, lands on the stop address
        assertEquals(STACK_TOP - 4, u.cpu.getReg(Cpu.ESP));
        assertEquals(UserCode.CODE + 2, u.cpu.mmu().read32(STACK_TOP - 4));

        u = withStack().data(UserCode.DATA, new byte[] {0x06, 0x00, 0x00, 0x10});
        assertCompleted(u.run("ff 15 00 00 00 20")); // call [0x20000000]
        assertEquals(UserCode.CODE + 6, u.cpu.mmu().read32(STACK_TOP - 4));
    }

    @Test
    void callThroughEspReadsTheTargetBeforePushing() {
        UserCode u = withStack();
        u.cpu.mmu().write32(STACK_TOP, UserCode.CODE + 3);
        assertCompleted(u.run("ff 14 24")); // call [esp]
        assertEquals(STACK_TOP - 4, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void callWhosePushFaultsChangesNothing() {
        UserCode u = new UserCode().reg(Cpu.ESP, 0x40000000);
        UserRun r = u.run("e8 00 00 00 00");
        assertFault(r, Fault.PF, UserCode.CODE, u);
        assertEquals(0x40000000 - 4, r.cr2());
        assertEquals(0x40000000, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void sixteenBitCallPushesIpAndTruncatesTheTarget() {
        UserCode u = withStack();
        UserRun r = u.run("66 e8 00 00"); // call $+4 with o16: pushes IP 0x0004, jumps to 0x0004
        assertFault(r, Fault.PF, 4, u);
        assertEquals(STACK_TOP - 2, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x0004, u.cpu.mmu().read16(STACK_TOP - 2));
    }

    @Test
    void returnReleasesArguments() {
        UserCode u = withStack();
        u.cpu.mmu().write32(STACK_TOP, UserCode.CODE + 3);
        assertCompleted(u.run("c2 08 00"));
        assertEquals(STACK_TOP + 12, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void sixteenBitReturnPopsAWord() {
        UserCode u = withStack();
        u.cpu.mmu().write32(STACK_TOP, 0xABCD1234);
        UserRun r = u.run("66 c3");
        assertFault(r, Fault.PF, 0x1234, u);
        assertEquals(STACK_TOP + 2, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void returnFromAnUnmappedStackFaultsWithoutMovingEsp() {
        UserCode u = new UserCode().reg(Cpu.ESP, 0x40000000);
        UserRun r = u.run("c3");
        assertFault(r, Fault.PF, UserCode.CODE, u);
        assertEquals(0x40000000, u.cpu.getReg(Cpu.ESP));
    }

    // ---- LOOP and JCXZ ----------------------------------------------------------------

    @Test
    void loopCountsDownEcxAndKeepsTheFlags() {
        UserCode u = new UserCode();
        u.cpu.setEflags(0x202 | Flags.CF | Flags.ZF);
        assertCompleted(u.run("b9 05 00 00 00 40 e2 fd")); // mov ecx,5; l: inc eax; loop l
        assertEquals(5, u.cpu.getReg(Cpu.EAX));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
        assertEquals(Flags.CF | Flags.PF, u.cpu.getEflags() & (Flags.CF | Flags.PF)); // inc kept CF
    }

    @Test
    void addressPrefixLoopsOnCxAlone() {
        UserCode u = new UserCode().reg(Cpu.ECX, 0x00010002);
        assertCompleted(u.run("40 67 e2 fc")); // l: inc eax; loopw l
        assertEquals(2, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x00010000, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void loopFromZeroCxRunsSixtyFiveThousandFiveHundredThirtySixTimes() {
        UserCode u = new UserCode().reg(Cpu.ECX, 0x12340000);
        byte[] code = bytes("40 67 e2 fc");
        u.machine.mapCode(UserCode.CODE, code);
        u.cpu.setEip(UserCode.CODE);
        assertCompleted(u.machine.run(UserCode.CODE + code.length, 1_000_000));
        assertEquals(65536, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x12340000, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void loopWhileNotEqualAndWhileEqual() {
        UserCode u = new UserCode();
        // mov ecx,5; l: inc eax; cmp eax,3; loopne l
        assertCompleted(u.run("b9 05 00 00 00 40 83 f8 03 e0 fa"));
        assertEquals(3, u.cpu.getReg(Cpu.EAX));
        assertEquals(2, u.cpu.getReg(Cpu.ECX));

        u = new UserCode();
        // mov ecx,5; l: inc eax; cmp eax,1; loope l
        assertCompleted(u.run("b9 05 00 00 00 40 83 f8 01 e1 fa"));
        assertEquals(2, u.cpu.getReg(Cpu.EAX));
        assertEquals(3, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void jecxzAndJcxzTestTheCountTheAddressSizeNames() {
        String jecxz = "e3 05 b8 01 00 00 00";
        String jcxz = "67 e3 05 b8 01 00 00 00";
        assertJumpsOverMov(jecxz, 0, true);
        assertJumpsOverMov(jecxz, 0x10000, false);
        assertJumpsOverMov(jcxz, 0x10000, true);
        assertJumpsOverMov(jcxz, 1, false);
    }

    private static void assertJumpsOverMov(String code, int ecx, boolean taken) {
        UserCode u = new UserCode().reg(Cpu.ECX, ecx);
        assertCompleted(u.run(code));
        assertEquals(taken ? 0 : 1, u.cpu.getReg(Cpu.EAX), code);
        assertEquals(ecx, u.cpu.getReg(Cpu.ECX));
    }

    // ---- software interrupts ----------------------------------------------------------

    @Test
    void breakpointAndSystemCallAreTrapsPastTheInstruction() {
        UserCode u = new UserCode();
        UserRun r = u.run("cc");
        assertFault(r, Fault.BP, UserCode.CODE + 1, u);
        assertFalse(r.hasErrorCode());

        u = new UserCode();
        assertFault(u.run("cd 80"), 0x80, UserCode.CODE + 2, u);

        u = new UserCode();
        assertFault(u.run("cd 03"), Fault.BP, UserCode.CODE + 2, u);
    }

    @Test
    void intThroughAKernelGateIsGeneralProtectionAtTheInstruction() {
        UserCode u = new UserCode();
        UserRun r = u.run("cd 21");
        assertFault(r, Fault.GP, UserCode.CODE, u);
        assertEquals(0x21 * 8 + 2, r.errorCode());

        u = new UserCode();
        r = u.run("66 cd 01"); // a prefixed INT 1 still points back at its first prefix
        assertFault(r, Fault.GP, UserCode.CODE, u);
        assertEquals(0x0A, r.errorCode());
    }

    @Test
    void intoTrapsOnlyOnOverflow() {
        UserCode u = new UserCode();
        assertCompleted(u.run("ce"));

        u = new UserCode();
        u.cpu.setEflags(0x202 | Flags.OF);
        UserRun r = u.run("ce");
        assertFault(r, Fault.OF, UserCode.CODE + 1, u);
    }

    @Test
    void icebpIsADebugTrapWithoutAGateCheck() {
        UserCode u = new UserCode();
        UserRun r = u.run("f1");
        assertFault(r, Fault.DB, UserCode.CODE + 1, u);
        assertFalse(r.hasErrorCode());
    }

    // ---- BOUND ------------------------------------------------------------------------

    @Test
    void boundComparesSignedAndRaisesBoundRangeAtTheInstruction() {
        byte[] bounds = {(byte) 0xFB, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 0}; // -5, 10
        int[] inside = {-5, 0, 10};
        for (int index : inside) {
            UserCode u = new UserCode().data(UserCode.DATA, bounds).reg(Cpu.EBX, UserCode.DATA).reg(Cpu.EAX, index);
            assertCompleted(u.run("62 03")); // bound eax, [ebx]
        }
        int[] outside = {-6, 11, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (int index : outside) {
            UserCode u = new UserCode().data(UserCode.DATA, bounds).reg(Cpu.EBX, UserCode.DATA).reg(Cpu.EAX, index);
            UserRun r = u.run("62 03");
            assertFault(r, Fault.BR, UserCode.CODE, u);
            assertFalse(r.hasErrorCode());
        }
    }

    @Test
    void sixteenBitBoundReadsWordsAndIgnoresTheHighHalf() {
        byte[] bounds = {(byte) 0xF0, (byte) 0xFF, 0x20, 0x00}; // -16, 32
        UserCode u = new UserCode().data(UserCode.DATA, bounds).reg(Cpu.EBX, UserCode.DATA).reg(Cpu.EAX, 0x7FFF0005);
        assertCompleted(u.run("66 62 03"));

        u = new UserCode().data(UserCode.DATA, bounds).reg(Cpu.EBX, UserCode.DATA).reg(Cpu.EAX, 0x0000FFEF); // -17
        assertFault(u.run("66 62 03"), Fault.BR, UserCode.CODE, u);
    }

    @Test
    void boundWithARegisterOperandIsUndefined() {
        UserCode u = new UserCode();
        assertFault(u.run("62 c0"), Fault.UD, UserCode.CODE, u);
    }

    // ---- far transfers ----------------------------------------------------------------

    @Test
    void farTransfersThroughANullSelectorAreGeneralProtection() {
        String[] far = {
            "9a 00 00 00 10 00 00", // callf 0:0x10000000
            "ea 00 00 00 10 00 00", // jmpf
            "ff 1b", // callf [ebx]
            "ff 2b", // jmpf [ebx]
            "ca 04 00", // retf 4
            "cb", // retf
            "cf", // iret
        };
        for (String code : far) {
            UserCode u = withStack().data(UserCode.DATA, new byte[8]).reg(Cpu.EBX, UserCode.DATA);
            UserRun r = u.run(code);
            assertFault(r, Fault.GP, UserCode.CODE, u);
            assertEquals(0, r.errorCode(), code);
        }
    }
}
