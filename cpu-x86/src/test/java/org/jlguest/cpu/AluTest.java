package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class AluTest {
    @Test
    void addSetsCarryZeroAndAuxiliary() {
        UserCode u = new UserCode().reg(Cpu.EAX, 0xFFFFFFFF).reg(Cpu.EBX, 1);
        UserRun r = u.run("01 d8"); // add eax, ebx
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome());
        assertEquals(0, u.cpu.getReg(Cpu.EAX));
        int f = u.cpu.getEflags();
        assertEquals(Flags.CF | Flags.ZF | Flags.AF | Flags.PF, f & Flags.ARITHMETIC);
    }

    @Test
    void sbbBorrowsTheCarry() {
        UserCode u = new UserCode().reg(Cpu.EAX, 5).reg(Cpu.ECX, 5);
        u.run("f9 19 c8"); // stc; sbb eax, ecx
        assertEquals(0xFFFFFFFF, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void byteRegistersNameAhThroughBh() {
        UserCode u = new UserCode().reg(Cpu.EAX, 0x1234).reg(Cpu.EBX, 0x0100);
        u.run("00 fc"); // add ah, bh
        assertEquals(0x1334, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void memoryDestinationAndOverflow() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F})
                .reg(Cpu.EBX, UserCode.DATA);
        u.run("83 03 01"); // add dword [ebx], 1
        assertEquals(0x80000000, u.cpu.mmu().read32(UserCode.DATA));
        assertEquals(Flags.OF | Flags.SF | Flags.AF | Flags.PF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }

    @Test
    void storeToReadOnlyCodeFaultsWithoutChangingFlags() {
        UserCode u = new UserCode().reg(Cpu.EBX, UserCode.CODE);
        u.cpu.setEflags(0x202 | Flags.CF);
        UserRun r = u.run("83 03 01");
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
        assertEquals(0x7, r.errorCode()); // present, write, user
        assertEquals(UserCode.CODE, r.cr2());
        assertEquals(UserCode.CODE, u.cpu.getEip());
        assertTrue((u.cpu.getEflags() & Flags.CF) != 0);
    }

    @Test
    void incPreservesCarry() {
        UserCode u = new UserCode().reg(Cpu.EAX, 0x7FFFFFFF);
        u.run("f9 40"); // stc; inc eax
        assertEquals(Flags.CF | Flags.OF | Flags.SF | Flags.AF | Flags.PF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }
}
