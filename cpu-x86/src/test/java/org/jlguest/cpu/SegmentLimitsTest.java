package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

/**
 * String and multi-slot stack instructions check every access against its segment like any other
 * operand: the limit, writability, and #SS(0) rather than #GP(0) through SS.
 */
class SegmentLimitsTest {
    /** GDT 0x30: 4 KiB byte-granular writable data at 0x50000; 0x38: the same, read-only. */
    private static final int SMALL = 0x30, READ_ONLY = 0x38, BASE = 0x50000;

    private static SystemCode machine() {
        SystemCode s = new SystemCode();
        s.segment(6, BASE, 0xFFF, 0x4092);
        s.segment(7, BASE, 0xFFF, 0x4090);
        s.interpreter.setDeliverExceptions(false);
        return s;
    }

    private static void assertFault(SystemCode s, String code, int vector) {
        assertEquals(ExitReason.FAULT, s.run(code), code);
        assertEquals(vector, s.fault().vector(), code);
        assertEquals(0, s.fault().errorCode(), code);
        assertEquals(SystemCode.CODE, s.cpu.getEip(), code);
    }

    @Test
    void stringSourceAndDestinationAreCheckedAgainstTheirLimits() {
        SystemCode s = machine();
        s.load(Cpu.DS, SMALL);
        s.cpu.setReg(Cpu.ESI, 0xFFE);
        s.cpu.setReg(Cpu.EDI, SystemCode.DATA);
        assertFault(s, "a5", Fault.GP); // movsd reads 0xFFE-0x1001
        assertEquals(0xFFE, s.cpu.getReg(Cpu.ESI));
        assertFault(s, "ad", Fault.GP); // lodsd
        assertFault(s, "a7", Fault.GP); // cmpsd
        assertEquals(ExitReason.BREAKPOINT, s.run("a4"), "movsb at 0xFFE is inside");
        assertEquals(0xFFF, s.cpu.getReg(Cpu.ESI));
    }

    @Test
    void repeatedStoreStopsAtTheLimitWithTheRegistersAtTheFaultingElement() {
        SystemCode s = machine();
        s.load(Cpu.ES, SMALL);
        s.cpu.setReg(Cpu.EDI, 0xFF8);
        s.cpu.setReg(Cpu.ECX, 0x10);
        s.cpu.setReg(Cpu.EAX, 0x5A);
        assertFault(s, "f3 aa", Fault.GP);
        assertEquals(8, s.cpu.getReg(Cpu.ECX));
        assertEquals(0x1000, s.cpu.getReg(Cpu.EDI));
        assertEquals(0x5A, s.memory.read8(BASE + 0xFFF));
        assertEquals(0, s.memory.read8(BASE + 0x1000));
    }

    @Test
    void stringStoresNeedAWritableEs() {
        SystemCode s = machine();
        s.load(Cpu.ES, READ_ONLY);
        s.cpu.setReg(Cpu.EDI, 0);
        s.cpu.setReg(Cpu.ESI, SystemCode.DATA);
        s.cpu.setReg(Cpu.ECX, 4);
        assertFault(s, "aa", Fault.GP); // stosb
        assertFault(s, "f3 a4", Fault.GP); // rep movsb
        assertEquals(4, s.cpu.getReg(Cpu.ECX));
        assertEquals(ExitReason.BREAKPOINT, s.run("ae"), "scasb only reads ES");
    }

    @Test
    void aStringSourceThroughSsIsAStackFault() {
        SystemCode s = machine();
        s.load(Cpu.SS, SMALL);
        s.cpu.setReg(Cpu.ESP, 0x800);
        s.cpu.setReg(Cpu.ESI, 0x1000);
        assertFault(s, "36 ac", Fault.SS); // lodsb ss:[esi]
    }

    @Test
    void pushaPopaEnterLeaveAndPopMemoryCheckTheStackLimit() {
        SystemCode s = machine();
        s.load(Cpu.SS, SMALL);
        s.cpu.setReg(Cpu.ESP, 0x10);
        assertFault(s, "60", Fault.SS); // pusha needs 32 bytes
        assertEquals(0x10, s.cpu.getReg(Cpu.ESP));
        s.cpu.setReg(Cpu.ESP, 0xFF0);
        assertFault(s, "61", Fault.SS); // popa reads 32 bytes
        s.cpu.setReg(Cpu.ESP, 0xFFE);
        assertFault(s, "8f 05 00 00 04 00", Fault.SS); // pop dword [0x40000] reads 0xFFE-0x1001
        assertEquals(0xFFE, s.cpu.getReg(Cpu.ESP));
        s.cpu.setReg(Cpu.ESP, 0x800);
        s.cpu.setReg(Cpu.EBP, 0x1000);
        assertFault(s, "c9", Fault.SS); // leave
        assertEquals(0x800, s.cpu.getReg(Cpu.ESP));
        s.cpu.setReg(Cpu.EBP, 0x2000);
        assertFault(s, "c8 10 00 02", Fault.SS); // enter 16,2 copies a link from [ebp-4]
        s.cpu.setReg(Cpu.ESP, 0x4);
        assertFault(s, "c8 10 00 00", Fault.SS); // enter 16,0 allocates below 0
        assertEquals(0x4, s.cpu.getReg(Cpu.ESP));
    }
}
