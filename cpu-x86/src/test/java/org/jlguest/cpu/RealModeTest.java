package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class RealModeTest {
    private static final int BOOT = 0x7C00;

    /** Real mode at 0000:7C00 with SS:SP = 0000:7000 and the given IVT entry. */
    private static SystemCode boot(String code) {
        SystemCode s = new SystemCode();
        s.realMode(0, BOOT);
        s.cpu.setReg(Cpu.ESP, 0x7000);
        s.put(BOOT, code);
        return s;
    }

    private static void vector(SystemCode s, int vector, int cs, int ip) {
        s.memory.write16(vector * 4, ip);
        s.memory.write16(vector * 4 + 2, cs);
    }

    @Test
    void resetState() {
        SystemCode s = new SystemCode();
        s.cpu.reset();
        assertEquals(0xF000, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(0xFFFF0000, s.cpu.getSegmentBase(Cpu.CS));
        assertEquals(0xFFFF, s.cpu.getSegmentLimit(Cpu.CS));
        assertEquals(0xFFF0, s.cpu.getEip());
        assertEquals(0x60000010, s.cpu.getCr0());
        assertEquals(2, s.cpu.getEflags());
        assertEquals(0x611, s.cpu.getReg(Cpu.EDX));
        assertEquals(0, s.cpu.getCpl());
        assertFalse(s.cpu.isProtectedMode());
        for (int seg : new int[] {Cpu.ES, Cpu.SS, Cpu.DS, Cpu.FS, Cpu.GS}) {
            assertEquals(0, s.cpu.getSegmentBase(seg));
            assertEquals(0xFFFF, s.cpu.getSegmentLimit(seg));
        }
        assertEquals(0, s.mmu.cr3());
        assertFalse(s.cpu.code32);
    }

    @Test
    void sixteenBitCodeWithSegmentArithmetic() {
        // mov ax,0x2000; mov ds,ax; mov [0x10],ax; hlt
        SystemCode s = boot("b8 00 20 8e d8 a3 10 00 f4");
        assertEquals(ExitReason.HALT, s.runTo(0));
        assertEquals(0x2000, s.read16(0x20010));
        assertEquals(0x2000, s.cpu.getSegmentSelector(Cpu.DS));
        assertEquals(0x20000, s.cpu.getSegmentBase(Cpu.DS));
    }

    @Test
    void softwareInterruptThroughTheVectorTableAndBack() {
        // int 0x21; mov bx,1; hlt — the handler: mov ax,0x55; iret
        SystemCode s = boot("cd 21 bb 01 00 f4");
        vector(s, 0x21, 0x0050, 0x0010);
        s.put(0x510, "b8 55 00 cf");
        s.cpu.setEflags(0x203);
        s.interpreter.setBreakpoint(0x13);
        assertEquals(ExitReason.BREAKPOINT, s.interpreter.run(100));
        assertEquals(0x50, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(0x6FFA, s.cpu.getReg(Cpu.ESP));
        assertEquals(BOOT + 2, s.read16(0x6FFA));
        assertEquals(0, s.read16(0x6FFC));
        assertEquals(0x203, s.read16(0x6FFE));
        assertEquals(0x003, s.cpu.getEflags() & 0x303, "IF and TF cleared");
        assertEquals(ExitReason.HALT, s.runTo(1));
        assertEquals(0x55, s.cpu.getReg(Cpu.EAX));
        assertEquals(1, s.cpu.getReg(Cpu.EBX));
        assertEquals(0x7000, s.cpu.getReg(Cpu.ESP));
        assertEquals(0x203, s.cpu.getEflags());
    }

    @Test
    void faultsRestartAndSegmentLimitsHold() {
        // mov ax,[0xFFFF] runs into DS's 64 KiB limit: #GP through vector 13, no error code
        SystemCode s = boot("a1 ff ff f4");
        vector(s, Fault.GP, 0x0050, 0x0000);
        s.put(0x500, "f4");
        assertEquals(ExitReason.HALT, s.runTo(1));
        assertEquals(1, s.cpu.getEip(), "past the HLT at 0050:0000");
        assertEquals(BOOT, s.read16(0x6FFA));
        assertEquals(0x6FFA, s.cpu.getReg(Cpu.ESP));
    }

    @Test
    void externalInterruptInRealMode() {
        SystemCode s = boot("fb 90 90 f4");
        vector(s, 0x08, 0x0050, 0x0000);
        s.put(0x500, "f4");
        s.interpreter.raiseInterrupt(0x08);
        assertEquals(ExitReason.HALT, s.runTo(1));
        assertEquals(1, s.cpu.getEip(), "past the HLT at 0050:0000");
        assertEquals(BOOT + 2, s.read16(0x6FFA));
    }

    @Test
    void intoProtectedModeAndBackToUnrealMode() {
        SystemCode s = boot(
                "0f 01 16 00 7b" // lgdt [0x7B00]
                + " 0f 20 c0 0c 01 0f 22 c0" // mov eax,cr0; or al,1; mov cr0,eax
                + " 66 ea 00 7d 00 00 08 00"); // jmp dword 0x08:0x7D00
        s.put(0x7B00, "ff 00 00 10 00 00");
        s.segment(6, 0, 0xFFFF, 0x009A);
        // 32-bit: mov ax,0x10; mov ds,ax; mov ss,ax; mov esp,0x7C00; jmp word 0x30:0x7E00
        s.put(0x7D00, "66 b8 10 00 8e d8 8e d0 bc 00 7c 00 00 66 ea 00 7e 30 00");
        // 16-bit protected: mov eax,cr0; and al,0xFE; mov cr0,eax; jmp 0x0000:0x7F00
        s.put(0x7E00, "0f 20 c0 24 fe 0f 22 c0 ea 00 7f 00 00");
        // real: xor ax,ax; mov ds,ax; mov eax,[esi]; hlt
        s.put(0x7F00, "31 c0 8e d8 67 66 8b 06 f4");
        s.memory.write32(0x40000, 0xDEADBEEF);
        s.cpu.setReg(Cpu.ESI, 0x40000);
        s.interpreter.setBreakpoint(0x7D00);
        assertEquals(ExitReason.BREAKPOINT, s.interpreter.run(100));
        assertTrue(s.cpu.isProtectedMode());
        assertTrue(s.cpu.code32);
        assertEquals(ExitReason.HALT, s.runTo(1));
        assertFalse(s.cpu.isProtectedMode());
        assertFalse(s.cpu.code32);
        assertEquals(0, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(0xDEADBEEF, s.cpu.getReg(Cpu.EAX), "DS keeps its 4 GiB limit: unreal mode");
        assertEquals(0xFFFFFFFF, s.cpu.getSegmentLimit(Cpu.DS));
        assertEquals(0x10, s.cpu.getSegmentSelector(Cpu.SS), "SS was not reloaded");
        assertTrue(s.cpu.stack32);
    }

    @Test
    void protectedModeOnlyInstructionsAreUndefinedInRealMode() {
        for (String code : new String[] {"0f 00 c0", "0f 00 d0", "0f 02 c1", "0f 03 c1", "63 c8"}) {
            SystemCode s = boot(code);
            s.interpreter.setDeliverExceptions(false);
            assertEquals(ExitReason.FAULT, s.runTo(BOOT + 3), code);
            assertEquals(Fault.UD, s.fault().vector());
        }
    }

    @Test
    void aVectorTableTooSmallShutsDown() {
        // lidt [0x7B00] with limit 3: INT 1 is beyond it, then #GP and #DF are too
        SystemCode s = boot("0f 01 1e 00 7b cd 01");
        s.put(0x7B00, "03 00 00 00 00 00");
        assertEquals(ExitReason.SHUTDOWN, s.runTo(1));
    }
}
