package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class SystemOpsTest {
    private static void assertFault(SystemCode s, ExitReason exit, int vector, int errorCode, int eip) {
        assertEquals(ExitReason.FAULT, exit);
        assertEquals(vector, s.fault().vector());
        assertEquals(errorCode, s.fault().errorCode());
        assertEquals(eip, s.cpu.getEip());
    }

    private static SystemCode reporting() {
        SystemCode s = new SystemCode();
        s.interpreter.setDeliverExceptions(false);
        return s;
    }

    @Test
    void controlRegisterZeroKeepsDefinedBitsAndEt() {
        SystemCode s = new SystemCode();
        // mov eax, 0x60050127; mov cr0, eax; mov ebx, cr0
        assertEquals(ExitReason.BREAKPOINT, s.run("b8 27 01 05 60 0f 22 c0 0f 20 c3"));
        assertEquals(0x60050037, s.cpu.getReg(Cpu.EBX));
    }

    @Test
    void pagingWithoutProtectionAndNotWriteThroughWithoutCacheDisableAreGeneralProtection() {
        for (String value : new String[] {"00 00 00 80", "11 00 00 20"}) {
            SystemCode s = reporting();
            assertFault(s, s.run("b8 " + value + " 0f 22 c0"), Fault.GP, 0, SystemCode.CODE + 5);
            assertEquals(0x11, s.cpu.getCr0());
        }
    }

    @Test
    void controlRegisterFourAcceptsOnlyAdvertisedFeatures() {
        SystemCode s = new SystemCode();
        // mov eax, 0x94; mov cr4, eax; mov ecx, cr4
        assertEquals(ExitReason.BREAKPOINT, s.run("b8 94 00 00 00 0f 22 e0 0f 20 e1"));
        assertEquals(0x94, s.cpu.getReg(Cpu.ECX));
        for (String bit : new String[] {"01", "08", "20", "00 02"}) {
            SystemCode r = reporting();
            String imm = (bit + " 00 00 00").substring(0, 11);
            assertFault(r, r.run("b8 " + imm + " 0f 22 e0"), Fault.GP, 0, SystemCode.CODE + 5);
        }
    }

    @Test
    void cr1AndCr5AreUndefined() {
        SystemCode s = reporting();
        assertFault(s, s.run("0f 20 c8"), Fault.UD, 0, SystemCode.CODE);
    }

    @Test
    void pagingTurnsOnWithLargePagesAndFaultsReportCr2() {
        SystemCode s = new SystemCode();
        s.memory.write32(0x5000, 0x83);
        s.gate(Fault.PF, SystemCode.CODE0, 0x11000, 0xE, 0);
        s.put(0x11000, "f4");
        // mov eax,0x5000; mov cr3,eax; mov eax,0x10; mov cr4,eax; mov eax,cr0; or eax,0x80000000;
        // mov cr0,eax; mov ebx,[0x40000]; mov ecx,[0x400000]
        String code = "b8 00 50 00 00 0f 22 d8 b8 10 00 00 00 0f 22 e0 0f 20 c0 0d 00 00 00 80 0f 22 c0"
                + " 8b 1d 00 00 04 00 8b 0d 00 00 40 00";
        s.memory.write32(0x40000, 0x12345678);
        assertEquals(ExitReason.HALT, s.run(code, 0));
        assertEquals(0x12345678, s.cpu.getReg(Cpu.EBX));
        assertEquals(0x400000, s.cpu.getCr2());
        assertEquals(0x80000011, s.cpu.getCr0());
        assertEquals(0x5000, s.mmu.cr3());
        assertEquals(0, s.read32(SystemCode.STACK0 - 16), "error code: supervisor read, not present");
        assertEquals(SystemCode.CODE + 33, s.read32(SystemCode.STACK0 - 12), "the faulting instruction");
        assertEquals(SystemCode.CODE0, s.read32(SystemCode.STACK0 - 8));
    }

    @Test
    void privilegedInstructionsAtRingThreeAreGeneralProtection() {
        String[] privileged = {
            "0f 20 c0", "0f 22 d8", "0f 21 f8", "0f 23 f8", "f4", "0f 01 15 00 00 04 00", "0f 01 1d 00 00 04 00",
            "0f 00 d0", "0f 00 d8", "0f 01 f0", "0f 06", "0f 01 38", "0f 08", "0f 09", "0f 30", "0f 32",
        };
        for (String code : privileged) {
            SystemCode s = reporting();
            s.ring3();
            assertFault(s, s.run(code), Fault.GP, 0, SystemCode.CODE);
        }
    }

    @Test
    void descriptorTableRegistersInBothOperandSizes() {
        SystemCode s = new SystemCode();
        s.put(SystemCode.DATA, "ff 01 78 56 34 12");
        // lgdt [DATA]; sgdt [DATA+8]; o16 sgdt [DATA+16]; lidt [DATA]; sidt [DATA+24]
        String code = "0f 01 15 00 00 04 00 0f 01 05 08 00 04 00 66 0f 01 05 10 00 04 00"
                + " 0f 01 1d 00 00 04 00 0f 01 0d 18 00 04 00";
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x12345678, s.cpu.getGdtBase());
        assertEquals(0x01FF, s.read16(SystemCode.DATA + 8));
        assertEquals(0x12345678, s.read32(SystemCode.DATA + 10));
        assertEquals(0x00345678, s.read32(SystemCode.DATA + 18), "o16 stores 24 bits of base");
        assertEquals(0x12345678, s.cpu.getIdtBase());
        assertEquals(0x12345678, s.read32(SystemCode.DATA + 26));

        SystemCode t = new SystemCode();
        t.put(SystemCode.DATA, "ff 01 78 56 34 12");
        assertEquals(ExitReason.BREAKPOINT, t.run("66 0f 01 1d 00 00 04 00"));
        assertEquals(0x00345678, t.cpu.getIdtBase(), "o16 loads 24 bits of base");
    }

    @Test
    void taskRegisterAndLocalTable() {
        SystemCode s = new SystemCode();
        s.segment(6, 0x6000, 0x27, 0x82);
        // mov ax,0x30; lldt ax; mov ax,0x28; ltr ax; sldt ecx; str edx; str [DATA]
        String code = "66 b8 30 00 0f 00 d0 66 b8 28 00 0f 00 d8 0f 00 c1 0f 00 ca 0f 00 0d 00 00 04 00";
        s.cpu.setReg(Cpu.ECX, 0xFFFFFFFF);
        s.cpu.setReg(Cpu.EDX, 0xFFFFFFFF);
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x30, s.cpu.getReg(Cpu.ECX));
        assertEquals(0x28, s.cpu.getReg(Cpu.EDX));
        assertEquals(0x28, s.read16(SystemCode.DATA));
        assertEquals(0x8B, (s.read32(SystemCode.GDT + 0x2C) >>> 8) & 0xFF, "TSS marked busy");
        assertEquals(0x6000, s.cpu.sys.ldtBase);
        assertEquals(0x27, s.cpu.sys.ldtLimit);
    }

    @Test
    void taskRegisterRejectsBusyTssAndNonTss() {
        SystemCode s = reporting();
        s.segment(5, SystemCode.TSS, 0x67, 0x8B);
        assertFault(s, s.run("66 b8 28 00 0f 00 d8"), Fault.GP, 0x28, SystemCode.CODE + 4);
        SystemCode t = reporting();
        assertFault(t, t.run("66 b8 10 00 0f 00 d8"), Fault.GP, 0x10, SystemCode.CODE + 4);
        SystemCode u = reporting();
        assertFault(u, u.run("66 b8 00 00 0f 00 d8"), Fault.GP, 0, SystemCode.CODE + 4);
        SystemCode v = reporting();
        v.segment(5, SystemCode.TSS, 0x67, 0x09);
        assertFault(v, v.run("66 b8 28 00 0f 00 d8"), Fault.NP, 0x28, SystemCode.CODE + 4);
    }

    @Test
    void machineStatusWordCannotClearProtection() {
        SystemCode s = new SystemCode();
        // mov ax, 0x000E; lmsw ax; smsw ebx; smsw [DATA]
        s.cpu.setReg(Cpu.EBX, 0xFFFFFFFF);
        assertEquals(ExitReason.BREAKPOINT, s.run("66 b8 0e 00 0f 01 f0 0f 01 e3 0f 01 25 00 00 04 00"));
        assertEquals(0x1F, s.cpu.getCr0());
        assertEquals(0x1F, s.cpu.getReg(Cpu.EBX));
        assertEquals(0x1F, s.read32(SystemCode.DATA));
        // clts
        assertEquals(ExitReason.BREAKPOINT, s.run("0f 06"));
        assertEquals(0x17, s.cpu.getCr0());
    }

    @Test
    void debugRegistersStoreAndAlias() {
        SystemCode s = new SystemCode();
        // mov eax,-1; mov dr0,eax; mov dr5,eax; mov dr6,eax; mov ebx,dr0; mov ecx,dr7; mov edx,dr4
        String code = "b8 ff ff ff ff 0f 23 c0 0f 23 e8 0f 23 f0 0f 21 c3 0f 21 f9 0f 21 e2";
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0xFFFFFFFF, s.cpu.getReg(Cpu.EBX));
        assertEquals(0xFFFF27FF, s.cpu.getReg(Cpu.ECX));
        assertEquals(0xFFFFEFFF, s.cpu.getReg(Cpu.EDX));
    }

    @Test
    void timeStampCounterMsrReadsAndWrites() {
        SystemCode s = new SystemCode();
        // mov ecx,0x10; mov eax,5; mov edx,1; wrmsr; rdtsc; mov esi,eax; mov edi,edx
        assertEquals(ExitReason.BREAKPOINT, s.run("b9 10 00 00 00 b8 05 00 00 00 ba 01 00 00 00 0f 30 0f 31"));
        assertEquals(5, s.cpu.getReg(Cpu.EAX));
        assertEquals(1, s.cpu.getReg(Cpu.EDX));
        assertEquals(ExitReason.BREAKPOINT, s.run("0f 32"));
        assertEquals(5, s.cpu.getReg(Cpu.EAX));
        SystemCode r = reporting();
        assertFault(r, r.run("b9 74 01 00 00 0f 32"), Fault.GP, 0, SystemCode.CODE + 5);
    }

    @Test
    void interruptFlagInstructionsFollowIopl() {
        SystemCode s = reporting();
        s.ring3();
        s.cpu.setEflags(0x3202);
        assertEquals(ExitReason.BREAKPOINT, s.run("fa"));
        assertEquals(0x3002, s.cpu.getEflags());
        assertEquals(ExitReason.BREAKPOINT, s.run("fb"));
        assertEquals(0x3202, s.cpu.getEflags());
        SystemCode t = reporting();
        t.ring3();
        t.cpu.setEflags(0x2202);
        assertFault(t, t.run("fa"), Fault.GP, 0, SystemCode.CODE);
        assertFault(t, t.run("fb"), Fault.GP, 0, SystemCode.CODE);
    }

    @Test
    void haltStopsTheRunLoop() {
        SystemCode s = new SystemCode();
        assertEquals(ExitReason.HALT, s.run("90 f4 90"));
        assertTrue(s.cpu.isHalted());
        assertEquals(SystemCode.CODE + 2, s.cpu.getEip());
        assertEquals(ExitReason.HALT, s.interpreter.run(100));
    }

    @Test
    void invlpgForgetsAStaleTranslation() {
        SystemCode s = new SystemCode();
        s.memory.write32(0x5000, 0x6003);
        for (int page = 0; page < 256; page++) {
            s.memory.write32(0x6000 + page * 4, page << 12 | 3);
        }
        s.memory.write32(0x40000, 0x11111111);
        s.memory.write32(0x41000, 0x22222222);
        s.cpu.setControlRegisters(0x80000011, 0x5000, 0);
        // mov eax,[0x40000]; mov dword [0x6100],0x41003; mov ebx,[0x40000]; invlpg [0x40000]; mov ecx,[0x40000]
        String code = "a1 00 00 04 00 c7 05 00 61 00 00 03 10 04 00 8b 1d 00 00 04 00 0f 01 3d 00 00 04 00"
                + " 8b 0d 00 00 04 00";
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x11111111, s.cpu.getReg(Cpu.EAX));
        assertEquals(0x11111111, s.cpu.getReg(Cpu.EBX), "the TLB still holds the old mapping");
        assertEquals(0x22222222, s.cpu.getReg(Cpu.ECX));
        assertFalse(s.cpu.isShutdown());
    }
}
