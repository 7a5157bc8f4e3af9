package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class StringsTest {
    private static final int DATA = UserCode.DATA;
    private static final int SRC = DATA + 0x100;
    private static final int DST = DATA + 0x800;

    private static UserCode data(String hexAtSrc) {
        UserCode u = new UserCode().data(DATA, new byte[4096]).reg(Cpu.ESI, SRC).reg(Cpu.EDI, DST);
        byte[] bytes = HexFormat.of().parseHex(hexAtSrc.replace(" ", ""));
        for (int i = 0; i < bytes.length; i++) {
            u.cpu.mmu().write8(SRC + i, bytes[i]);
        }
        return u;
    }

    private static void completes(UserRun r) {
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome());
    }

    private static int arithmetic(UserCode u) {
        return u.cpu.getEflags() & Flags.ARITHMETIC;
    }

    @Test
    void singleMovsInBothDirections() {
        UserCode u = data("11 22 33 44");
        completes(u.run("a5 a4"));
        assertEquals(0x44332211, u.cpu.mmu().read32(DST));
        assertEquals(0, u.cpu.mmu().read8(DST + 4));
        assertEquals(SRC + 5, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST + 5, u.cpu.getReg(Cpu.EDI));

        u = data("11 22 33 44");
        completes(u.run("fd 66 a5 fc"));
        assertEquals(0x2211, u.cpu.mmu().read16(DST));
        assertEquals(SRC - 2, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST - 2, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void repMovsdCopiesAndCountsDown() {
        UserCode u = data("01 02 03 04 05 06 07 08 09 0a 0b 0c").reg(Cpu.ECX, 3);
        completes(u.run("f3 a5"));
        assertEquals(0x08070605, u.cpu.mmu().read32(DST + 4));
        assertEquals(0x0C0B0A09, u.cpu.mmu().read32(DST + 8));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
        assertEquals(SRC + 12, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST + 12, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void repMovsBackwards() {
        UserCode u = data("01 02 03 04 05 06 07 08").reg(Cpu.ESI, SRC + 4).reg(Cpu.EDI, DST + 4).reg(Cpu.ECX, 2);
        completes(u.run("fd f3 a5 fc"));
        assertEquals(0x04030201, u.cpu.mmu().read32(DST));
        assertEquals(0x08070605, u.cpu.mmu().read32(DST + 4));
        assertEquals(SRC - 4, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST - 4, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void overlappingRepMovsbReplicatesBytewise() {
        UserCode u = data("5a").reg(Cpu.EDI, SRC + 1).reg(Cpu.ECX, 7);
        completes(u.run("f3 a4"));
        assertEquals(0x5A5A5A5A, u.cpu.mmu().read32(SRC));
        assertEquals(0x5A5A5A5A, u.cpu.mmu().read32(SRC + 4));
        assertEquals(0, u.cpu.mmu().read8(SRC + 8));
    }

    @Test
    void repneMovsActsAsRep() {
        UserCode u = data("01 02 03 04").reg(Cpu.ECX, 3);
        completes(u.run("f2 a4"));
        assertEquals(0x00030201, u.cpu.mmu().read32(DST));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void repStosAllSizes() {
        UserCode u = data("").reg(Cpu.EAX, 0x11223344).reg(Cpu.ECX, 3);
        completes(u.run("f3 aa"));
        assertEquals(0x00444444, u.cpu.mmu().read32(DST));
        u.reg(Cpu.ECX, 2);
        completes(u.run("f3 66 ab f3 ab"));
        assertEquals(0x33443344, u.cpu.mmu().read32(DST + 3));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
        assertEquals(DST + 7, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void repWithZeroCountDoesNothing() {
        UserCode u = data("01").reg(Cpu.EAX, 0xFF).reg(Cpu.ECX, 0);
        u.cpu.setEflags(0x202 | Flags.CF | Flags.ZF);
        completes(u.run("f3 a4 f3 aa f3 a6 f2 ae f3 ac"));
        assertEquals(SRC, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST, u.cpu.getReg(Cpu.EDI));
        assertEquals(0xFF, u.cpu.getReg(Cpu.EAX));
        assertEquals(0, u.cpu.mmu().read8(DST));
        assertEquals(Flags.CF | Flags.ZF, arithmetic(u));
    }

    @Test
    void repeCmpsStopsAtTheFirstDifference() {
        UserCode u = data("01 02 03 04 05").reg(Cpu.ECX, 5);
        u.cpu.mmu().write32(DST, 0x04050201);
        completes(u.run("f3 a6"));
        // Recorded on hardware: stops after comparing 03 with 05.
        assertEquals(2, u.cpu.getReg(Cpu.ECX));
        assertEquals(SRC + 3, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST + 3, u.cpu.getReg(Cpu.EDI));
        assertEquals(Flags.CF | Flags.AF | Flags.SF, arithmetic(u));
    }

    @Test
    void repeCmpsOfEqualStringsRunsOut() {
        UserCode u = data("01 00 02 00").reg(Cpu.ECX, 2);
        u.cpu.mmu().write32(DST, 0x00020001);
        completes(u.run("f3 66 a7"));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
        assertEquals(Flags.ZF | Flags.PF, arithmetic(u));
    }

    @Test
    void repneScasFindsTheByte() {
        UserCode u = data("").reg(Cpu.EDI, SRC).reg(Cpu.EAX, 3).reg(Cpu.ECX, 5);
        for (int i = 0; i < 5; i++) {
            u.cpu.mmu().write8(SRC + i, i + 1);
        }
        completes(u.run("f2 ae"));
        assertEquals(2, u.cpu.getReg(Cpu.ECX));
        assertEquals(SRC + 3, u.cpu.getReg(Cpu.EDI));
        assertEquals(Flags.ZF | Flags.PF, arithmetic(u));
    }

    @Test
    void scasdCompareTheAccumulatorMinusMemory() {
        UserCode u = data("").reg(Cpu.EAX, 1);
        u.cpu.mmu().write32(DST, 2);
        completes(u.run("af"));
        assertEquals(DST + 4, u.cpu.getReg(Cpu.EDI));
        assertEquals(Flags.CF | Flags.SF | Flags.AF | Flags.PF, arithmetic(u));
    }

    @Test
    void lodsLoadsTheAccumulatorKeepingItsUpperPart() {
        UserCode u = data("81 82 83 84").reg(Cpu.EAX, 0x11111111);
        completes(u.run("66 ad ac"));
        assertEquals(0x11118283, u.cpu.getReg(Cpu.EAX));
        assertEquals(SRC + 3, u.cpu.getReg(Cpu.ESI));
        u = data("81 82 83 84").reg(Cpu.ECX, 3);
        completes(u.run("f3 ac"));
        assertEquals(0x83, u.cpu.getReg(Cpu.EAX));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void sourceSegmentOverrideAppliesAndDestinationStaysEs() {
        UserCode u = data("00 00 00 00 77").reg(Cpu.ESI, SRC).reg(Cpu.EAX, 0x99);
        u.cpu.segBase[Cpu.FS] = 4;
        completes(u.run("64 a4 64 aa"));
        assertEquals(0x77, u.cpu.mmu().read8(DST));
        assertEquals(0x99, u.cpu.mmu().read8(DST + 1));
    }

    @Test
    void sixteenBitAddressingWrapsDiAndKeepsHighHalves() {
        UserCode u = new UserCode().data(0, new byte[4096]).data(0xF000, new byte[4096])
                .reg(Cpu.EDI, 0x1234FFFE).reg(Cpu.ECX, 0xABCD0002).reg(Cpu.EAX, 0x5566);
        completes(u.run("67 f3 66 ab"));
        assertEquals(0x5566, u.cpu.mmu().read16(0xFFFE));
        assertEquals(0x5566, u.cpu.mmu().read16(0));
        assertEquals(0x12340002, u.cpu.getReg(Cpu.EDI));
        assertEquals(0xABCD0000, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void faultMidwayLeavesTheCompletedIterations() {
        UserCode u = data("").reg(Cpu.ESI, SRC).reg(Cpu.EDI, DATA + 4096 - 8).reg(Cpu.ECX, 4).reg(Cpu.EAX, 7);
        UserRun r = u.run("f3 ab");
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
        assertEquals(0x6, r.errorCode());
        assertEquals(DATA + 4096, r.cr2());
        assertEquals(UserCode.CODE, u.cpu.getEip());
        assertEquals(2, u.cpu.getReg(Cpu.ECX));
        assertEquals(DATA + 4096, u.cpu.getReg(Cpu.EDI));
        assertEquals(7, u.cpu.mmu().read32(DATA + 4092));
    }

    @Test
    void faultOnTheFirstIterationChangesNothing() {
        UserCode u = data("").reg(Cpu.ESI, 0x30000000).reg(Cpu.ECX, 4);
        u.cpu.setEflags(0x202 | Flags.CF);
        UserRun r = u.run("f3 a6");
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(0x4, r.errorCode());
        assertEquals(4, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x30000000, u.cpu.getReg(Cpu.ESI));
        assertEquals(DST, u.cpu.getReg(Cpu.EDI));
        assertEquals(Flags.CF, arithmetic(u));
    }

    @Test
    void longRepeatsRunInBurstsAndRestartThemselves() {
        UserCode u = new UserCode().data(DATA, new byte[3 * 4096]).reg(Cpu.EDI, DATA).reg(Cpu.ECX, 10000).reg(Cpu.EAX, 0xA5);
        u.machine.mapCode(UserCode.CODE, new byte[] {(byte) 0xF3, (byte) 0xAA});
        u.cpu.setEip(UserCode.CODE);
        u.machine.interpreter().run(1);
        assertEquals(10000 - Strings.BURST, u.cpu.getReg(Cpu.ECX));
        assertEquals(DATA + Strings.BURST, u.cpu.getReg(Cpu.EDI));
        assertEquals(UserCode.CODE, u.cpu.getEip());

        completes(u.machine.run(UserCode.CODE + 2, 100));
        assertEquals(0, u.cpu.getReg(Cpu.ECX));
        assertEquals(DATA + 10000, u.cpu.getReg(Cpu.EDI));
        assertEquals(0xA5A5A5A5, u.cpu.mmu().read32(DATA + 9996));
        assertEquals(0, u.cpu.mmu().read8(DATA + 10000));
    }

    @Test
    void repneScasAcrossBurstsStopsOnTheMatch() {
        UserCode u = new UserCode().data(DATA, new byte[3 * 4096]).reg(Cpu.EDI, DATA).reg(Cpu.ECX, -1);
        u.cpu.mmu().write8(DATA + 9000, 0x2A);
        u.reg(Cpu.EAX, 0x2A);
        completes(u.run("f2 ae"));
        assertEquals(DATA + 9001, u.cpu.getReg(Cpu.EDI));
        assertEquals(-1 - 9001, u.cpu.getReg(Cpu.ECX));
        assertEquals(Flags.ZF | Flags.PF, arithmetic(u));
    }
}
