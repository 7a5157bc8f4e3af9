package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class FarTransferTest {
    private static final int TARGET = 0x11000;
    /** GDT entries for the tests. */
    private static final int CODE16 = 0x30, CONFORMING0 = 0x38, GATE_TO_RING0 = 0x40, GATE_DPL0 = 0x48,
            ABSENT_CODE = 0x50, GATE16 = 0x58, SMALL_CODE = 0x60;

    private static SystemCode machine() {
        SystemCode s = new SystemCode();
        s.interpreter.setDeliverExceptions(false);
        s.segment(6, 0, 0xFFFF, 0x009A);
        s.segment(7, 0, 0xFFFFF, 0xC09E);
        s.gateAt(SystemCode.GDT + 8 * 8, SystemCode.CODE0, TARGET, 0xC, 3, 2);
        s.gateAt(SystemCode.GDT + 9 * 8, SystemCode.CODE0, TARGET, 0xC, 0, 0);
        s.segment(10, 0, 0xFFFFF, 0xC01A);
        s.gateAt(SystemCode.GDT + 11 * 8, SystemCode.CODE0, 0x12345678, 0x4, 3, 1);
        s.segment(12, 0, 0x10FFF, 0x409A);
        return s;
    }

    private static void assertFault(SystemCode s, ExitReason exit, int vector, int errorCode) {
        assertEquals(ExitReason.FAULT, exit);
        assertEquals(vector, s.fault().vector(), "vector");
        assertEquals(errorCode, s.fault().errorCode(), "error code");
        assertEquals(SystemCode.CODE, s.cpu.getEip(), "restarts at the transfer");
    }

    private static String far(int opcode, int selector, int offset) {
        return String.format("%02x %02x %02x %02x %02x %02x %02x", opcode, offset & 0xFF, offset >>> 8 & 0xFF,
                offset >>> 16 & 0xFF, offset >>> 24, selector & 0xFF, selector >>> 8);
    }

    @Test
    void jumpToSixteenBitCodeChangesTheDecoding() {
        SystemCode s = machine();
        s.put(0x100, "b8 34 12 f4");
        s.cpu.setReg(Cpu.EAX, 0xAAAAAAAA);
        assertEquals(ExitReason.HALT, s.run(far(0xEA, CODE16, 0x100), 0));
        assertEquals(0xAAAA1234, s.cpu.getReg(Cpu.EAX));
        assertEquals(CODE16, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(0x104, s.cpu.getEip());
    }

    @Test
    void callAndReturnFar() {
        SystemCode s = machine();
        s.put(TARGET, "b8 01 00 00 00 cb");
        assertEquals(ExitReason.BREAKPOINT, s.run(far(0x9A, SystemCode.CODE0, TARGET)));
        assertEquals(1, s.cpu.getReg(Cpu.EAX));
        assertEquals(SystemCode.STACK0, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.CODE0, s.read32(SystemCode.STACK0 - 4));
        assertEquals(SystemCode.CODE + 7, s.read32(SystemCode.STACK0 - 8));
    }

    @Test
    void indirectFarFormsReadOffsetThenSelector() {
        SystemCode s = machine();
        s.put(SystemCode.DATA, "00 10 01 00 08 00");
        s.put(TARGET, "66 cb");
        // call far [DATA]; then, from the target, nothing: the breakpoint stops there
        assertEquals(ExitReason.BREAKPOINT, s.run("ff 1d 00 00 04 00 ff 2d 00 00 04 00", TARGET));
        assertEquals(SystemCode.STACK0 - 8, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.CODE + 6, s.read32(SystemCode.STACK0 - 8));
    }

    @Test
    void callGateToRingZeroCopiesParametersAndReturnsWithRelease() {
        SystemCode s = machine();
        s.put(TARGET, "8b 44 24 08 ca 08 00");
        s.ring3();
        // push 0x22; push 0x11; call far GATE_TO_RING0|3:0 (the offset is ignored)
        String code = "6a 22 6a 11 " + far(0x9A, GATE_TO_RING0 | 3, 0xDEADBEEF);
        s.put(SystemCode.CODE, code);
        s.cpu.setEip(SystemCode.CODE);
        assertEquals(ExitReason.BREAKPOINT, s.runTo(TARGET + 4));
        assertEquals(0, s.cpu.getCpl());
        assertEquals(SystemCode.STACK0 - 24, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA3, s.read32(SystemCode.STACK0 - 4));
        assertEquals(SystemCode.STACK3 - 8, s.read32(SystemCode.STACK0 - 8));
        assertEquals(0x22, s.read32(SystemCode.STACK0 - 12));
        assertEquals(0x11, s.read32(SystemCode.STACK0 - 16));
        assertEquals(SystemCode.CODE3, s.read32(SystemCode.STACK0 - 20));
        assertEquals(SystemCode.CODE + 11, s.read32(SystemCode.STACK0 - 24));
        assertEquals(0x11, s.cpu.getReg(Cpu.EAX));
        assertEquals(ExitReason.BREAKPOINT, s.runTo(SystemCode.CODE + 11));
        assertEquals(3, s.cpu.getCpl());
        assertEquals(SystemCode.STACK3, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA3, s.cpu.getSegmentSelector(Cpu.SS));
    }

    @Test
    void sixteenBitCallGatePushesWords() {
        SystemCode s = machine();
        s.put(0x5678, "f4");
        s.ring3();
        assertEquals(ExitReason.HALT, s.run("66 6a 07 " + far(0x9A, GATE16 | 3, 0), 0));
        assertEquals(0x5679, s.cpu.getEip(), "a 16-bit gate's offset is 16 bits: HLT at 0x5678");
        assertEquals(SystemCode.STACK0 - 10, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA3, s.read16(SystemCode.STACK0 - 2));
        assertEquals(SystemCode.STACK3 - 2 & 0xFFFF, s.read16(SystemCode.STACK0 - 4));
        assertEquals(7, s.read16(SystemCode.STACK0 - 6));
        assertEquals(SystemCode.CODE3, s.read16(SystemCode.STACK0 - 8));
        assertEquals(SystemCode.CODE + 10 & 0xFFFF, s.read16(SystemCode.STACK0 - 10));
    }

    @Test
    void gatePrivilegeChecks() {
        SystemCode s = machine();
        s.ring3();
        assertFault(s, s.run(far(0x9A, GATE_DPL0 | 3, 0)), Fault.GP, GATE_DPL0);
        assertFault(s, s.run(far(0xEA, GATE_TO_RING0 | 3, 0)), Fault.GP, SystemCode.CODE0);
        assertFault(s, s.run(far(0xEA, SystemCode.CODE0, 0)), Fault.GP, SystemCode.CODE0);
        assertFault(s, s.run(far(0x9A, SystemCode.TSS_SEL, 0)), Fault.GP, SystemCode.TSS_SEL);
        assertFault(s, s.run(far(0xEA, 0, 0)), Fault.GP, 0);
    }

    @Test
    void codeSegmentChecks() {
        SystemCode s = machine();
        assertFault(s, s.run(far(0xEA, ABSENT_CODE, 0)), Fault.NP, ABSENT_CODE);
        assertFault(s, s.run(far(0xEA, SystemCode.DATA0, 0)), Fault.GP, SystemCode.DATA0);
        assertFault(s, s.run(far(0xEA, SystemCode.CODE3, 0)), Fault.GP, SystemCode.CODE3 & 0xFFFC);
        assertFault(s, s.run(far(0xEA, SMALL_CODE, 0x11000)), Fault.GP, 0);
        assertEquals(SystemCode.CODE0, s.cpu.getSegmentSelector(Cpu.CS));
    }

    @Test
    void conformingCodeKeepsTheCallersPrivilege() {
        SystemCode s = machine();
        s.put(TARGET, "f4");
        s.ring3();
        s.interpreter.setDeliverExceptions(false);
        assertEquals(ExitReason.FAULT, s.run(far(0xEA, CONFORMING0, TARGET)));
        assertEquals(Fault.GP, s.fault().vector(), "HLT at CPL 3");
        assertEquals(3, s.cpu.getCpl());
        assertEquals(CONFORMING0 | 3, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(TARGET, s.cpu.getEip());
    }

    @Test
    void farReturnToAnOuterLevelNullsPrivilegedDataSegments() {
        SystemCode s = machine();
        // push DATA3|3; push STACK3; push CODE3|3; push CODE+0x40; retf
        s.put(SystemCode.CODE + 0x40, "90");
        String code = "6a 23 68 00 00 03 00 6a 1b 68 40 00 01 00 cb";
        assertEquals(ExitReason.BREAKPOINT, s.run(code, SystemCode.CODE + 0x40));
        assertEquals(3, s.cpu.getCpl());
        assertEquals(SystemCode.STACK3, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA3, s.cpu.getSegmentSelector(Cpu.SS));
        for (int seg : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
            assertEquals(0, s.cpu.getSegmentSelector(seg));
        }
        assertFalse(s.cpu.isShutdown());
    }

    @Test
    void farReturnToAMorePrivilegedLevelIsRefused() {
        SystemCode s = machine();
        s.ring3();
        // push CODE0; push 0; retf
        assertEquals(ExitReason.FAULT, s.run("6a 08 6a 00 cb"));
        assertEquals(Fault.GP, s.fault().vector());
        assertEquals(SystemCode.CODE0, s.fault().errorCode());
        assertEquals(SystemCode.CODE + 4, s.cpu.getEip());
        assertTrue(s.cpu.getReg(Cpu.ESP) == SystemCode.STACK3 - 8);
    }
}
