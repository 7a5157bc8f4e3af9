package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    /** GDT entries for the tests: index 6 upward, selectors 0x30 upward. */
    private static final int SMALL = 0x30, EXPAND_DOWN = 0x38, READ_ONLY = 0x40, EXECUTE_ONLY = 0x48, ABSENT = 0x50,
            RING3_DATA = 0x58;

    private static SystemCode machine() {
        SystemCode s = new SystemCode();
        s.interpreter.setDeliverExceptions(false);
        s.segment(6, SystemCode.DATA, 0xFF, 0x4092);
        s.segment(7, SystemCode.DATA, 0xFFF, 0x4096);
        s.segment(8, SystemCode.DATA, 0xFFFFF, 0xC090);
        s.segment(9, 0, 0xFFFFF, 0xC098);
        s.segment(10, 0, 0xFFFFF, 0x4012);
        s.segment(11, 0, 0xFFFFF, 0xC0F2);
        return s;
    }

    private static void assertFault(SystemCode s, ExitReason exit, int vector, int errorCode, int eip) {
        assertEquals(ExitReason.FAULT, exit);
        assertEquals(vector, s.fault().vector(), "vector");
        assertEquals(errorCode, s.fault().errorCode(), "error code");
        assertEquals(eip, s.cpu.getEip());
    }

    /** mov ax, selector; mov Sreg, ax — then the given code. */
    private static String load(int sreg, int selector, String then) {
        return String.format("66 b8 %02x %02x 8e %02x %s", selector & 0xFF, selector >>> 8, 0xC0 | sreg << 3, then);
    }

    @Test
    void loadingFillsTheCacheAndSetsTheAccessedBit() {
        SystemCode s = machine();
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.DS, SMALL, "")));
        assertEquals(SMALL, s.cpu.getSegmentSelector(Cpu.DS));
        assertEquals(SystemCode.DATA, s.cpu.getSegmentBase(Cpu.DS));
        assertEquals(0xFF, s.cpu.getSegmentLimit(Cpu.DS));
        assertEquals(0x4093, s.cpu.getSegmentAttributes(Cpu.DS));
        assertEquals(0x93, (s.read32(SystemCode.GDT + 6 * 8 + 4) >>> 8) & 0xFF);
    }

    @Test
    void limitsAreCheckedToTheLastByte() {
        SystemCode s = machine();
        s.memory.write32(SystemCode.DATA + 0xFC, 0xCAFEF00D);
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.DS, SMALL, "a1 fc 00 00 00")));
        assertEquals(0xCAFEF00D, s.cpu.getReg(Cpu.EAX));
        assertFault(s, s.run("a1 fd 00 00 00"), Fault.GP, 0, SystemCode.CODE);
        assertFault(s, s.run("c7 05 00 01 00 00 01 00 00 00"), Fault.GP, 0, SystemCode.CODE);
    }

    @Test
    void stackSegmentLimitsRaiseStackFaults() {
        SystemCode s = machine();
        s.cpu.setReg(Cpu.EBP, 0xFE);
        // mov ss,ax (SMALL); mov esp,0x100; push eax; push eax ... then [ebp] beyond the limit
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.SS, SMALL, "bc 00 01 00 00 50")));
        assertEquals(0xFC, s.cpu.getReg(Cpu.ESP));
        assertFault(s, s.run("8b 45 00"), Fault.SS, 0, SystemCode.CODE);
        s.cpu.setReg(Cpu.ESP, 0x102);
        assertFault(s, s.run("58"), Fault.SS, 0, SystemCode.CODE);
        assertEquals(0x102, s.cpu.getReg(Cpu.ESP));
    }

    @Test
    void expandDownSegmentsAllowOnlyAboveTheLimit() {
        SystemCode s = machine();
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.ES, EXPAND_DOWN, "26 a1 00 10 00 00 26 a1 fc ff ff ff")));
        assertFault(s, s.run("26 a1 ff 0f 00 00"), Fault.GP, 0, SystemCode.CODE);
        assertFault(s, s.run("26 a1 fd ff ff ff"), Fault.GP, 0, SystemCode.CODE);
    }

    @Test
    void readOnlyDataAndCodeRefuseWrites() {
        SystemCode s = machine();
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.FS, READ_ONLY, "64 a1 00 00 00 00")));
        assertFault(s, s.run("64 89 05 00 00 00 00"), Fault.GP, 0, SystemCode.CODE);
        assertFault(s, s.run("2e 89 05 00 00 04 00"), Fault.GP, 0, SystemCode.CODE);
        assertEquals(ExitReason.BREAKPOINT, s.run("2e a1 00 00 04 00"));
    }

    @Test
    void everyKindOfStoreIsCheckedAgainstAReadOnlySegment() {
        SystemCode s = machine();
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.FS, READ_ONLY, "")));
        String[] stores = {
            "64 a3 00 00 00 00", // mov fs:[0],eax (moffs)
            "64 01 05 00 00 00 00", // add fs:[0],eax
            "64 f7 15 00 00 00 00", // not dword fs:[0]
            "64 f7 1d 00 00 00 00", // neg dword fs:[0]
            "64 ff 05 00 00 00 00", // inc dword fs:[0]
            "64 87 05 00 00 00 00", // xchg fs:[0],eax
            "64 0f c1 05 00 00 00 00", // xadd fs:[0],eax
            "64 0f b1 0d 00 00 00 00", // cmpxchg fs:[0],ecx
            "64 0f c7 0d 00 00 00 00", // cmpxchg8b fs:[0]
            "64 d1 25 00 00 00 00", // shl dword fs:[0],1
            "64 0f a4 05 00 00 00 00 01", // shld fs:[0],eax,1
            "64 0f ab 05 00 00 00 00", // bts fs:[0],eax
            "64 8f 05 00 00 00 00", // pop dword fs:[0]
        };
        for (String store : stores) {
            assertFault(s, s.run(store), Fault.GP, 0, SystemCode.CODE);
        }
        // reads through it still work: cmp fs:[0],eax; bt fs:[0],eax
        assertEquals(ExitReason.BREAKPOINT, s.run("64 39 05 00 00 00 00 64 0f a3 05 00 00 00 00"));
    }

    @Test
    void bitTestsAndBoundAreLimitChecked() {
        SystemCode s = machine();
        s.cpu.setReg(Cpu.EAX, 0);
        // bt ds:[0xFE],eax with DS = SMALL (limit 0xFF): the dword crosses the limit
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.DS, SMALL, "")));
        assertFault(s, s.run("0f a3 05 fe 00 00 00"), Fault.GP, 0, SystemCode.CODE);
        // bound eax,[0xFC]: the upper bound lies beyond the limit
        assertFault(s, s.run("62 05 fc 00 00 00"), Fault.GP, 0, SystemCode.CODE);
    }

    @Test
    void nullSelectorsLoadButCannotBeUsed() {
        SystemCode s = machine();
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.GS, 3, "")));
        assertEquals(3, s.cpu.getSegmentSelector(Cpu.GS));
        assertFault(s, s.run("65 a1 00 00 00 00"), Fault.GP, 0, SystemCode.CODE);
        assertFault(s, s.run(load(Cpu.SS, 0, "")), Fault.GP, 0, SystemCode.CODE + 4);
    }

    @Test
    void descriptorChecksNameTheSelector() {
        SystemCode s = machine();
        assertFault(s, s.run(load(Cpu.DS, EXECUTE_ONLY, "")), Fault.GP, EXECUTE_ONLY, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.DS, ABSENT | 3, "")), Fault.GP, ABSENT, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.DS, ABSENT, "")), Fault.NP, ABSENT, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.DS, 0x107, "")), Fault.GP, 0x104, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.SS, READ_ONLY, "")), Fault.GP, READ_ONLY, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.SS, RING3_DATA | 3, "")), Fault.GP, RING3_DATA, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.SS, SystemCode.DATA0 | 1, "")), Fault.GP, SystemCode.DATA0, SystemCode.CODE + 4);
        s.segment(10, 0, 0xFFFFF, 0x4012);
        s.memory.write32(SystemCode.GDT + 10 * 8 + 4, s.read32(SystemCode.GDT + 10 * 8 + 4) | 0x200);
        assertFault(s, s.run(load(Cpu.SS, ABSENT, "")), Fault.SS, ABSENT, SystemCode.CODE + 4);
        s.ring3();
        assertFault(s, s.run(load(Cpu.DS, SystemCode.DATA0, "")), Fault.GP, SystemCode.DATA0, SystemCode.CODE + 4);
        assertFault(s, s.run(load(Cpu.SS, RING3_DATA, "")), Fault.GP, RING3_DATA, SystemCode.CODE + 4);
        assertEquals(ExitReason.BREAKPOINT, s.run(load(Cpu.DS, RING3_DATA, "")), "RPL 0 is no obstacle to DPL 3 data");
    }

    @Test
    void csAndNonexistentRegistersAreUndefined() {
        SystemCode s = machine();
        assertFault(s, s.run("8e c8"), Fault.UD, 0, SystemCode.CODE);
        assertFault(s, s.run("8e f0"), Fault.UD, 0, SystemCode.CODE);
        assertFault(s, s.run("8c f0"), Fault.UD, 0, SystemCode.CODE);
    }

    @Test
    void pushAndStoreOfSegmentRegisters() {
        SystemCode s = machine();
        s.memory.write32(SystemCode.STACK0 - 4, 0xFFFFFFFF);
        s.memory.write32(SystemCode.DATA, 0xFFFFFFFF);
        s.cpu.setReg(Cpu.EBX, 0xFFFFFFFF);
        s.cpu.setReg(Cpu.ECX, 0xFFFFFFFF);
        // push ds; o16 push es; mov ebx,ds; o16 mov cx,ss; mov [DATA],cs
        assertEquals(ExitReason.BREAKPOINT, s.run("1e 66 06 8c db 66 8c d1 8c 0d 00 00 04 00"));
        assertEquals(SystemCode.DATA0, s.read32(SystemCode.STACK0 - 4), "a zero-extended dword");
        assertEquals(SystemCode.DATA0, s.read16(SystemCode.STACK0 - 6));
        assertEquals(SystemCode.STACK0 - 6, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA0, s.cpu.getReg(Cpu.EBX));
        assertEquals(0xFFFF0000 | SystemCode.DATA0, s.cpu.getReg(Cpu.ECX));
        assertEquals(0xFFFF0000 | SystemCode.CODE0, s.read32(SystemCode.DATA));
    }

    @Test
    void popLoadsOnlyWhenTheDescriptorIsGood() {
        SystemCode s = machine();
        // push SMALL; pop es
        assertEquals(ExitReason.BREAKPOINT, s.run("6a 30 07"));
        assertEquals(SMALL, s.cpu.getSegmentSelector(Cpu.ES));
        assertEquals(SystemCode.STACK0, s.cpu.getReg(Cpu.ESP));
        assertFault(s, s.run("6a 48 0f a1"), Fault.GP, EXECUTE_ONLY, SystemCode.CODE + 2);
        assertEquals(SystemCode.STACK0 - 4, s.cpu.getReg(Cpu.ESP), "ESP unchanged by the faulting POP");
    }

    @Test
    void farPointerLoads() {
        SystemCode s = machine();
        s.put(SystemCode.DATA, "78 56 34 12 30 00 00 f0 10 00");
        s.cpu.setReg(Cpu.EBX, SystemCode.DATA);
        // o16 lss sp,[ebx+6]; lds eax,[ebx]
        assertEquals(ExitReason.BREAKPOINT, s.run("66 0f b2 63 06 c5 03"));
        assertEquals(0x12345678, s.cpu.getReg(Cpu.EAX));
        assertEquals(SMALL, s.cpu.getSegmentSelector(Cpu.DS));
        assertEquals(SystemCode.DATA0, s.cpu.getSegmentSelector(Cpu.SS));
        assertEquals((SystemCode.STACK0 & 0xFFFF0000) | 0xF000, s.cpu.getReg(Cpu.ESP));
        assertFault(s, s.run("c5 03"), Fault.GP, 0, SystemCode.CODE);
    }

    @Test
    void localDescriptorTableSelectors() {
        SystemCode s = machine();
        s.segment(12, 0x6000, 0x17, 0x82);
        s.memory.write32(0x6008, 0x0000FFFF);
        s.memory.write32(0x600C, 0x00CF9300 | 0x05);
        // mov ax,0x60; lldt ax; mov ax,0x0C (index 1, TI); mov ds,ax
        assertEquals(ExitReason.BREAKPOINT, s.run("66 b8 60 00 0f 00 d0 " + load(Cpu.DS, 0x0C, "")));
        assertEquals(0x00050000, s.cpu.getSegmentBase(Cpu.DS));
        assertFault(s, s.run(load(Cpu.DS, 0x1C, "")), Fault.GP, 0x1C, SystemCode.CODE + 4);
    }

    @Test
    void segmentQueriesAnswerInZf() {
        SystemCode s = machine();
        s.cpu.setEflags(0x2);
        // lar eax,ecx ; setz bl ; lsl edx,ecx ; setz bh
        String code = "0f 02 c1 0f 94 c3 0f 03 d1 0f 94 c7";
        s.cpu.setReg(Cpu.ECX, SMALL);
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x00409200, s.cpu.getReg(Cpu.EAX));
        assertEquals(0xFF, s.cpu.getReg(Cpu.EDX));
        assertEquals(0x0101, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
        s.cpu.setReg(Cpu.ECX, SystemCode.TSS_SEL);
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x67, s.cpu.getReg(Cpu.EDX));
        assertEquals(0x0101, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
        s.cpu.setReg(Cpu.ECX, 0x200);
        s.cpu.setReg(Cpu.EAX, 0x1234);
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x1234, s.cpu.getReg(Cpu.EAX), "unchanged when ZF is clear");
        assertEquals(0, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
        // verr cx; setz bl; verw cx; setz bh
        String verify = "0f 00 e1 0f 94 c3 0f 00 e9 0f 94 c7";
        s.cpu.setReg(Cpu.ECX, READ_ONLY);
        assertEquals(ExitReason.BREAKPOINT, s.run(verify));
        assertEquals(0x0001, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
        s.cpu.setReg(Cpu.ECX, EXECUTE_ONLY);
        assertEquals(ExitReason.BREAKPOINT, s.run(verify));
        assertEquals(0, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
        s.ring3();
        s.cpu.setReg(Cpu.ECX, SystemCode.DATA0);
        assertEquals(ExitReason.BREAKPOINT, s.run(verify));
        assertEquals(0, s.cpu.getReg(Cpu.EBX) & 0xFFFF, "DPL 0 data is invisible from ring 3");
    }

    @Test
    void arplRaisesTheRequestedPrivilege() {
        SystemCode s = machine();
        s.cpu.setReg(Cpu.EAX, 0xAAAA0010);
        s.cpu.setReg(Cpu.ECX, 0x0003);
        // arpl ax,cx; setz bl; arpl ax,cx; setz bh
        assertEquals(ExitReason.BREAKPOINT, s.run("63 c8 0f 94 c3 63 c8 0f 94 c7"));
        assertEquals(0xAAAA0013, s.cpu.getReg(Cpu.EAX));
        assertEquals(0x0001, s.cpu.getReg(Cpu.EBX) & 0xFFFF);
    }
}
