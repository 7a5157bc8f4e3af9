package org.jlguest.cpu;

import static org.jlguest.cpu.UserCode.completes;
import static org.jlguest.cpu.UserCode.pageFault;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.junit.jupiter.api.Test;

class StackTest {
    private static final int DATA = UserCode.DATA;
    private static final int TOP = DATA + 0x800;

    /** A machine with one data page and ESP in its middle. */
    private static UserCode stack() {
        return new UserCode().data(DATA, new byte[4096]).reg(Cpu.ESP, TOP);
    }

    private static int mem32(UserCode u, int addr) {
        return u.cpu.mmu().read32(addr);
    }

    @Test
    void pushAndPopRegisters() {
        UserCode u = stack().reg(Cpu.EAX, 0x11223344).reg(Cpu.EBX, 0xAABBCCDD);
        completes(u.run("50 66 53 59 66 5a"));
        // push eax; push bx; pop ecx; pop dx
        assertEquals(0x3344CCDD, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x1122, u.cpu.getReg(Cpu.EDX));
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void pushEspPushesTheOldValueAndPopEspLoadsThePoppedOne() {
        UserCode u = stack();
        completes(u.run("54 5b"));
        assertEquals(TOP, u.cpu.getReg(Cpu.EBX));
        u = stack();
        u.cpu.mmu().write32(TOP, 0x12345678);
        completes(u.run("5c"));
        assertEquals(0x12345678, u.cpu.getReg(Cpu.ESP));
        u = stack();
        u.cpu.mmu().write32(TOP, 0x5678);
        completes(u.run("66 5c")); // pop sp: ESP += 2, then SP = popped word
        assertEquals((TOP & 0xFFFF0000) | 0x5678, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void pushImmediates() {
        UserCode u = stack();
        completes(u.run("68 78 56 34 12 6a 80 66 6a ff"));
        assertEquals(0x12345678, mem32(u, TOP - 4));
        assertEquals(0xFFFFFF80, mem32(u, TOP - 8));
        assertEquals(0xFFFF, u.cpu.mmu().read16(TOP - 10));
        assertEquals(TOP - 10, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void pushMemoryAddressedThroughEspUsesTheOldEsp() {
        UserCode u = stack();
        u.cpu.mmu().write32(TOP + 4, 0xCAFEF00D);
        completes(u.run("ff 74 24 04")); // push dword [esp+4]
        assertEquals(0xCAFEF00D, mem32(u, TOP - 4));
    }

    @Test
    void popMemoryAddressedThroughEspUsesTheNewEsp() {
        UserCode u = stack();
        u.cpu.mmu().write32(TOP, 1);
        u.cpu.mmu().write32(TOP + 4, 2);
        u.cpu.mmu().write32(TOP + 8, 3);
        completes(u.run("8f 44 24 04")); // pop dword [esp+4]
        assertEquals(TOP + 4, u.cpu.getReg(Cpu.ESP));
        assertEquals(2, mem32(u, TOP + 4));
        assertEquals(1, mem32(u, TOP + 8));
    }

    @Test
    void popIntoReadOnlyMemoryChangesNothing() {
        UserCode u = stack().reg(Cpu.EAX, UserCode.CODE);
        UserRun r = u.run("8f 00");
        pageFault(u, r, 0x7, UserCode.CODE);
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void pushIntoAbsentPageChangesNothing() {
        UserCode u = stack().reg(Cpu.ESP, DATA + 2).reg(Cpu.EAX, 0x11111111);
        UserRun r = u.run("50");
        pageFault(u, r, 0x6, DATA - 2);
        assertEquals(DATA + 2, u.cpu.getReg(Cpu.ESP));
        assertEquals(0, u.cpu.mmu().read16(DATA));
    }

    @Test
    void pushaAndPopa() {
        UserCode u = stack();
        for (int r = 0; r < 8; r++) {
            if (r != Cpu.ESP) {
                u.reg(r, 0x11111111 * (r + 1));
            }
        }
        completes(u.run("60"));
        assertEquals(TOP - 32, u.cpu.getReg(Cpu.ESP));
        int[] expected = {0x88888888, 0x77777777, 0x66666666, TOP, 0x44444444, 0x33333333, 0x22222222, 0x11111111};
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i], mem32(u, TOP - 32 + 4 * i));
        }
        u = stack().reg(Cpu.ESP, TOP - 32);
        for (int i = 0; i < 8; i++) {
            u.cpu.mmu().write32(TOP - 32 + 4 * i, 0x01010101 * (8 - i));
        }
        completes(u.run("61"));
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x01010101, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x02020202, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x03030303, u.cpu.getReg(Cpu.EDX));
        assertEquals(0x04040404, u.cpu.getReg(Cpu.EBX));
        assertEquals(0x06060606, u.cpu.getReg(Cpu.EBP));
        assertEquals(0x07070707, u.cpu.getReg(Cpu.ESI));
        assertEquals(0x08080808, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void sixteenBitPushaAndPopaTouchOnlyLowHalves() {
        UserCode u = stack().reg(Cpu.EAX, 0xAAAA0001).reg(Cpu.EBP, 0xBBBB0006);
        completes(u.run("66 60 66 61"));
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x0001, u.cpu.mmu().read16(TOP - 2));
        assertEquals(TOP & 0xFFFF, u.cpu.mmu().read16(TOP - 10));
        assertEquals(0xAAAA0001, u.cpu.getReg(Cpu.EAX));
        assertEquals(0xBBBB0006, u.cpu.getReg(Cpu.EBP));
    }

    @Test
    void pushaFaultingMidwayKeepsRegisters() {
        // The first four slots fit in the data page, the fifth does not: hardware writes the
        // first four and faults with ESP unchanged.
        UserCode u = stack().reg(Cpu.ESP, DATA + 16).reg(Cpu.EAX, 0x11111111).reg(Cpu.EBX, 0x44444444);
        UserRun r = u.run("60");
        pageFault(u, r, 0x6, DATA - 4);
        assertEquals(DATA + 16, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x11111111, mem32(u, DATA + 12));
        assertEquals(0x44444444, mem32(u, DATA));
    }

    @Test
    void popaFaultingChangesNoRegister() {
        UserCode u = stack().reg(Cpu.ESP, DATA + 4096 - 16).reg(Cpu.EDI, 0x77).reg(Cpu.ESI, 0x66);
        UserRun r = u.run("61");
        pageFault(u, r, 0x4, DATA + 4096);
        assertEquals(0x77, u.cpu.getReg(Cpu.EDI));
        assertEquals(0x66, u.cpu.getReg(Cpu.ESI));
        assertEquals(DATA + 4096 - 16, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void pushfClearsRfAndVmInTheImage() {
        UserCode u = stack();
        u.cpu.setEflags(0x202 | Flags.RF | Flags.CF | Flags.DF);
        completes(u.run("9c 66 9c"));
        assertEquals(0x202 | Flags.CF | Flags.DF, mem32(u, TOP - 4));
        assertEquals(0x202 | Flags.CF | Flags.DF, u.cpu.mmu().read16(TOP - 6));
    }

    @Test
    void popfAtCpl3KeepsIoplAndIf() {
        UserCode u = stack();
        u.cpu.mmu().write32(TOP, 0xFFFFFFFF);
        completes(u.run("9d"));
        // The value real hardware leaves: arithmetic, TF, DF, NT, AC, ID from the stack; IF and
        // IOPL unchanged; VM, VIF, VIP, RF and reserved bits clear.
        assertEquals(0x00244FD7, u.cpu.getEflags());
        assertEquals(TOP + 4, u.cpu.getReg(Cpu.ESP));

        u = stack();
        u.cpu.mmu().write32(TOP, 0);
        completes(u.run("9d"));
        assertEquals(0x202, u.cpu.getEflags());
    }

    @Test
    void sixteenBitPopfLeavesTheUpperHalf() {
        UserCode u = stack();
        u.cpu.setEflags(0x202 | Flags.AC);
        u.cpu.mmu().write32(TOP, 0xFFFF0000);
        completes(u.run("66 9d"));
        assertEquals(0x202 | Flags.AC, u.cpu.getEflags());
        assertEquals(TOP + 2, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void popfAtCpl0ChangesIoplAndIfAndClearsRf() {
        UserCode u = stack();
        u.cpu.cpl = 0;
        u.cpu.setEflags(0x202 | Flags.RF | Flags.VIP);
        u.cpu.mmu().write32(TOP, Flags.IOPL | Flags.CF | Flags.VM | Flags.VIF);
        completes(u.run("9d"));
        assertEquals(0x2 | Flags.IOPL | Flags.CF | Flags.VIP, u.cpu.getEflags());
    }

    @Test
    void popfWithIoplThreeLetsCpl3ChangeIf() {
        UserCode u = stack();
        u.cpu.setEflags(0x202 | Flags.IOPL);
        u.cpu.mmu().write32(TOP, 0);
        completes(u.run("9d"));
        assertEquals(0x2 | Flags.IOPL, u.cpu.getEflags());
    }

    @Test
    void enterLevelZeroAndLeave() {
        UserCode u = stack().reg(Cpu.EBP, 0x12345678);
        completes(u.run("c8 10 00 00"));
        assertEquals(TOP - 4, u.cpu.getReg(Cpu.EBP));
        assertEquals(TOP - 4 - 16, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x12345678, mem32(u, TOP - 4));
        completes(u.run("c9"));
        assertEquals(0x12345678, u.cpu.getReg(Cpu.EBP));
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void enterWithNestingCopiesFramePointers() {
        // Values recorded on hardware: enter 8,3 with EBP = TOP + 0x100.
        UserCode u = stack().reg(Cpu.EBP, TOP + 0x100);
        u.cpu.mmu().write32(TOP + 0xFC, 0x1D1C1B1A);
        u.cpu.mmu().write32(TOP + 0xF8, 0x19181716);
        completes(u.run("c8 08 00 03"));
        assertEquals(TOP - 0x18, u.cpu.getReg(Cpu.ESP));
        assertEquals(TOP - 4, u.cpu.getReg(Cpu.EBP));
        assertEquals(TOP + 0x100, mem32(u, TOP - 4));
        assertEquals(0x1D1C1B1A, mem32(u, TOP - 8));
        assertEquals(0x19181716, mem32(u, TOP - 12));
        assertEquals(TOP - 4, mem32(u, TOP - 16));
    }

    @Test
    void enterNestingLevelIsModulo32() {
        UserCode u = stack().reg(Cpu.EBP, 0x30000900);
        completes(u.run("c8 08 00 21"));
        assertEquals(TOP - 16, u.cpu.getReg(Cpu.ESP));
        assertEquals(TOP - 4, mem32(u, TOP - 8));
    }

    @Test
    void sixteenBitEnterOnA32BitStack() {
        UserCode u = stack().reg(Cpu.EBP, TOP + 0xF0);
        u.cpu.mmu().write16(TOP + 0xEE, 0x100F);
        completes(u.run("66 c8 08 00 02"));
        assertEquals(TOP - 0x0E, u.cpu.getReg(Cpu.ESP));
        assertEquals(TOP - 2, u.cpu.getReg(Cpu.EBP));
        assertEquals((TOP + 0xF0) & 0xFFFF, u.cpu.mmu().read16(TOP - 2));
        assertEquals(0x100F, u.cpu.mmu().read16(TOP - 4));
        assertEquals((TOP - 2) & 0xFFFF, u.cpu.mmu().read16(TOP - 6));
    }

    @Test
    void enterFaultsWhereTheFinalStackPointerCannotBeWritten() {
        UserCode u = stack().reg(Cpu.ESP, DATA + 0x404).reg(Cpu.EBP, 0x30000900);
        UserRun r = u.run("c8 00 08 01");
        pageFault(u, r, 0x6, DATA - 0x404);
        assertEquals(DATA + 0x404, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x30000900, u.cpu.getReg(Cpu.EBP));
        assertEquals(DATA + 0x400, mem32(u, DATA + 0x3FC));
    }

    @Test
    void enterFaultingOnTheEnclosingFrameKeepsRegisters() {
        UserCode u = stack().reg(Cpu.EBP, 0x30000900);
        UserRun r = u.run("c8 08 00 02");
        pageFault(u, r, 0x4, 0x300008FC);
        assertEquals(TOP, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x30000900, u.cpu.getReg(Cpu.EBP));
    }

    @Test
    void sixteenBitStackWrapsAndKeepsEspHighHalf() {
        UserCode u = new UserCode().data(0xF000, new byte[4096]).reg(Cpu.ESP, 0xABCD0000).reg(Cpu.EAX, 0x11223344);
        u.cpu.stack32 = false;
        completes(u.run("50 5b"));
        assertEquals(0x11223344, u.cpu.mmu().read32(0xFFFC));
        assertEquals(0x11223344, u.cpu.getReg(Cpu.EBX));
        assertEquals(0xABCD0000, u.cpu.getReg(Cpu.ESP));
    }

    @Test
    void thirtyTwoBitEnterOnASixteenBitStackUsesAllOfEsp() {
        // ESP = 0x10000: SP wraps to 0xFFFC and the frame pointer keeps ESP's high half
        UserCode u = new UserCode().data(0xF000, new byte[4096]).reg(Cpu.ESP, 0x10000).reg(Cpu.EBP, 0x5555FFF0);
        u.cpu.stack32 = false;
        u.cpu.mmu().write32(0xFFEC, 0x0BADF00D);
        completes(u.run("c8 08 00 02"));
        assertEquals(0x1FFFC, u.cpu.getReg(Cpu.EBP));
        assertEquals(0x1FFEC, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x5555FFF0, u.cpu.mmu().read32(0xFFFC));
        assertEquals(0x0BADF00D, u.cpu.mmu().read32(0xFFF8));
        assertEquals(0x1FFFC, u.cpu.mmu().read32(0xFFF4));
    }

    @Test
    void leaveOnSixteenBitStackUsesBp() {
        UserCode u = new UserCode().data(0xF000, new byte[4096]).reg(Cpu.ESP, 0xABCD0000).reg(Cpu.EBP, 0x5555F100);
        u.cpu.stack32 = false;
        u.cpu.mmu().write32(0xF100, 0x87654321);
        completes(u.run("c9"));
        assertEquals(0xABCDF104, u.cpu.getReg(Cpu.ESP));
        assertEquals(0x87654321, u.cpu.getReg(Cpu.EBP));
    }
}
