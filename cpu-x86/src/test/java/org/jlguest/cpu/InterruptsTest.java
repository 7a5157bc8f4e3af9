package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class InterruptsTest {
    private static final int HANDLER = 0x11000;
    private static final int INTERRUPT_GATE = 0xE, TRAP_GATE = 0xF;

    private static SystemCode withHandler(int vector, int type, int dpl) {
        SystemCode s = new SystemCode();
        s.gate(vector, SystemCode.CODE0, HANDLER, type, dpl);
        s.put(HANDLER, "f4");
        return s;
    }

    @Test
    void systemCallFromRingThreeSwitchesToTheTssStack() {
        SystemCode s = withHandler(0x80, TRAP_GATE, 3);
        s.ring3();
        s.cpu.setEflags(0x202);
        assertEquals(ExitReason.HALT, s.run("90 cd 80", 0));
        assertEquals(0, s.cpu.getCpl());
        assertEquals(SystemCode.CODE0, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(SystemCode.DATA0, s.cpu.getSegmentSelector(Cpu.SS));
        assertEquals(SystemCode.STACK0 - 20, s.cpu.getReg(Cpu.ESP));
        assertEquals(SystemCode.DATA3, s.read32(SystemCode.STACK0 - 4));
        assertEquals(SystemCode.STACK3, s.read32(SystemCode.STACK0 - 8));
        assertEquals(0x202, s.read32(SystemCode.STACK0 - 12));
        assertEquals(SystemCode.CODE3, s.read32(SystemCode.STACK0 - 16));
        assertEquals(SystemCode.CODE + 3, s.read32(SystemCode.STACK0 - 20));
        assertEquals(0x202, s.cpu.getEflags(), "a trap gate leaves IF set");
    }

    @Test
    void iretToRingThreeRestoresTheStackAndDropsKernelDataSegments() {
        SystemCode s = withHandler(0x80, INTERRUPT_GATE, 3);
        // handler: mov ax,0x10; mov ds,ax; mov fs,ax; iret
        s.put(HANDLER, "66 b8 10 00 8e d8 8e e0 cf");
        s.ring3();
        s.cpu.setEflags(0x202);
        s.cpu.setReg(Cpu.ESP, SystemCode.STACK3 - 8);
        assertEquals(ExitReason.BREAKPOINT, s.run("cd 80"));
        assertEquals(3, s.cpu.getCpl());
        assertEquals(SystemCode.CODE3, s.cpu.getSegmentSelector(Cpu.CS));
        assertEquals(SystemCode.DATA3, s.cpu.getSegmentSelector(Cpu.SS));
        assertEquals(SystemCode.STACK3 - 8, s.cpu.getReg(Cpu.ESP));
        assertEquals(0x202, s.cpu.getEflags());
        assertEquals(0, s.cpu.getSegmentSelector(Cpu.DS));
        assertEquals(0, s.cpu.getSegmentSelector(Cpu.FS));
        assertEquals(SystemCode.DATA3, s.cpu.getSegmentSelector(Cpu.ES));
        // the nulled DS is unusable: mov eax,[0x40000]
        s.interpreter.setDeliverExceptions(false);
        assertEquals(ExitReason.FAULT, s.run("a1 00 00 04 00"));
        assertEquals(Fault.GP, s.fault().vector());
    }

    @Test
    void interruptGateClearsIf() {
        SystemCode s = withHandler(0x40, INTERRUPT_GATE, 0);
        s.cpu.setEflags(0x302 & ~Flags.TF);
        assertEquals(ExitReason.HALT, s.run("cd 40", 0));
        assertEquals(0x002, s.cpu.getEflags());
        assertEquals(0x202, s.read32(SystemCode.STACK0 - 4));
        assertEquals(SystemCode.STACK0 - 12, s.cpu.getReg(Cpu.ESP));
    }

    @Test
    void softwareInterruptThroughAPrivilegedGateIsGeneralProtectionAtTheInstruction() {
        SystemCode s = withHandler(Fault.GP, INTERRUPT_GATE, 0);
        s.gate(0x40, SystemCode.CODE0, 0x12000, INTERRUPT_GATE, 0);
        s.ring3();
        assertEquals(ExitReason.HALT, s.run("90 cd 40", 0));
        assertEquals(0x40 * 8 + 2, s.read32(SystemCode.STACK0 - 24));
        assertEquals(SystemCode.CODE + 1, s.read32(SystemCode.STACK0 - 20));
        assertEquals(HANDLER + 1, s.cpu.getEip());
    }

    @Test
    void softwareInterruptToAnOuterLevelHandlerIsGeneralProtectionAtTheInstruction() {
        SystemCode s = withHandler(Fault.GP, INTERRUPT_GATE, 0);
        s.gate(0x22, SystemCode.CODE3, 0x12000, INTERRUPT_GATE, 3);
        // nop; int 0x22 from ring 0 into ring-3 code: #GP(selector) at the INT, not past it
        assertEquals(ExitReason.HALT, s.run("90 cd 22", 0));
        assertEquals(SystemCode.CODE3 & 0xFFFC, s.read32(SystemCode.STACK0 - 16));
        assertEquals(SystemCode.CODE + 1, s.read32(SystemCode.STACK0 - 12));
        assertEquals(SystemCode.CODE0, s.read32(SystemCode.STACK0 - 8));
    }

    @Test
    void faultsPushTheirErrorCodeAndRestartAddress() {
        SystemCode s = withHandler(Fault.GP, INTERRUPT_GATE, 0);
        // mov ax,0x0F8; mov ds,ax (beyond the GDT limit)
        assertEquals(ExitReason.HALT, s.run("66 b8 f8 0f 8e d8", 0));
        assertEquals(0xFF8, s.read32(SystemCode.STACK0 - 16));
        assertEquals(SystemCode.CODE + 4, s.read32(SystemCode.STACK0 - 12));
        assertEquals(SystemCode.CODE0, s.read32(SystemCode.STACK0 - 8));
    }

    @Test
    void contributoryDuringContributoryIsADoubleFault() {
        SystemCode s = withHandler(Fault.DF, INTERRUPT_GATE, 0);
        s.gate(Fault.GP, SystemCode.CODE0, HANDLER, INTERRUPT_GATE, 0);
        s.memory.write32(SystemCode.IDT + Fault.GP * 8 + 4, s.read32(SystemCode.IDT + Fault.GP * 8 + 4) & ~0x8000);
        assertEquals(ExitReason.HALT, s.run("66 b8 f8 0f 8e d8", 0));
        assertEquals(0, s.read32(SystemCode.STACK0 - 16), "#DF pushes error code 0");
        assertEquals(SystemCode.CODE + 4, s.read32(SystemCode.STACK0 - 12));
    }

    @Test
    void aFaultDeliveringADoubleFaultShutsDown() {
        SystemCode s = new SystemCode();
        assertEquals(ExitReason.SHUTDOWN, s.run("66 b8 f8 0f 8e d8", 0));
        assertTrue(s.cpu.isShutdown());
        assertEquals(SystemCode.CODE + 4, s.cpu.getEip());
        assertEquals(ExitReason.SHUTDOWN, s.interpreter.run(10));
    }

    @Test
    void benignThenContributoryIsHandledSerially() {
        SystemCode s = withHandler(Fault.NP, INTERRUPT_GATE, 0);
        s.gate(Fault.BP, SystemCode.CODE0, HANDLER, INTERRUPT_GATE, 0);
        s.memory.write32(SystemCode.IDT + Fault.BP * 8 + 4, s.read32(SystemCode.IDT + Fault.BP * 8 + 4) & ~0x8000);
        assertEquals(ExitReason.HALT, s.run("cc", 0));
        assertEquals(Fault.BP * 8 + 2, s.read32(SystemCode.STACK0 - 16), "INT3 is software: EXT clear");
        assertEquals(SystemCode.CODE, s.read32(SystemCode.STACK0 - 12), "the #NP is a fault at the INT3");
    }

    @Test
    void pageFaultDeliveryOntoAnUnmappedStackIsADoubleFault() {
        SystemCode s = withHandler(Fault.DF, INTERRUPT_GATE, 0);
        s.gate(Fault.PF, SystemCode.CODE0, HANDLER, INTERRUPT_GATE, 0);
        s.memory.write32(0x5000, 0x83);
        s.cpu.setControlRegisters(0x80000011, 0x5000, 0x10);
        s.cpu.setReg(Cpu.ESP, 0x800000);
        s.memory.write32(SystemCode.TSS + 4, 0x800000);
        // mov eax,[0x900000]: the #PF cannot be pushed, nor can the #DF: the CPU shuts down
        assertEquals(ExitReason.SHUTDOWN, s.run("a1 00 00 90 00", 0));
        assertEquals(0x7FFFFC, s.cpu.getCr2());
    }

    @Test
    void externalInterruptWaitsForIfAndTheStiShadow() {
        SystemCode s = withHandler(0x20, INTERRUPT_GATE, 0);
        s.interpreter.raiseInterrupt(0x20);
        assertTrue(s.interpreter.interruptPending());
        // nop; sti; nop; nop
        assertEquals(ExitReason.HALT, s.run("90 fb 90 90", 0));
        assertEquals(SystemCode.CODE + 3, s.read32(SystemCode.STACK0 - 12), "taken after the instruction following STI");
        assertEquals(0x202, s.read32(SystemCode.STACK0 - 4));
        assertFalse(s.interpreter.interruptPending());
    }

    @Test
    void movSsHoldsInterruptsForOneInstruction() {
        SystemCode s = withHandler(0x21, INTERRUPT_GATE, 0);
        s.cpu.setEflags(0x202);
        s.cpu.setIoPorts(new IoPorts() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
                s.interpreter.raiseInterrupt(0x21);
            }
        });
        s.cpu.setReg(Cpu.EAX, 0x10);
        // out 0x80,al (the interrupt arrives); mov ss,ax; mov esp,0x1F000; nop
        assertEquals(ExitReason.HALT, s.run("e6 80 8e d0 bc 00 f0 01 00 90", 0));
        assertEquals(SystemCode.CODE + 9, s.read32(0x1F000 - 12), "taken after the instruction following MOV SS");
    }

    @Test
    void anInterruptWakesHlt() {
        SystemCode s = withHandler(0x30, INTERRUPT_GATE, 0);
        s.put(HANDLER, "cf");
        s.cpu.setEflags(0x202);
        // hlt; mov eax,1
        assertEquals(ExitReason.HALT, s.run("f4 b8 01 00 00 00"));
        assertEquals(ExitReason.HALT, s.interpreter.run(100));
        s.interpreter.raiseInterrupt(0x30);
        assertEquals(ExitReason.BREAKPOINT, s.interpreter.run(100));
        assertEquals(1, s.cpu.getReg(Cpu.EAX));
        assertFalse(s.cpu.isHalted());
        assertEquals(SystemCode.STACK0, s.cpu.getReg(Cpu.ESP));
    }

    @Test
    void highestPendingVectorFirst() {
        SystemCode s = withHandler(0x50, INTERRUPT_GATE, 0);
        s.gate(0x31, SystemCode.CODE0, 0x12000, INTERRUPT_GATE, 0);
        s.interpreter.raiseInterrupt(0x31);
        s.interpreter.raiseInterrupt(0x50);
        s.cpu.setEflags(0x202);
        assertEquals(ExitReason.HALT, s.run("90", 0));
        assertEquals(HANDLER + 1, s.cpu.getEip());
        assertTrue(s.interpreter.interruptPending());
    }

    @Test
    void singleStepTrapsAfterEachInstruction() {
        SystemCode s = withHandler(Fault.DB, INTERRUPT_GATE, 0);
        s.cpu.setEflags(0x302);
        assertEquals(ExitReason.HALT, s.run("40 40 40", 0));
        assertEquals(1, s.cpu.getReg(Cpu.EAX));
        assertEquals(SystemCode.CODE + 1, s.read32(SystemCode.STACK0 - 12));
        assertEquals(0x302, s.read32(SystemCode.STACK0 - 4));
        assertEquals(0x002, s.cpu.getEflags() & ~Flags.ARITHMETIC, "the interrupt gate cleared IF and TF");
        assertEquals(DebugRegisters.DR6_SINGLE_STEP, s.cpu.sys.dr[6] & DebugRegisters.DR6_SINGLE_STEP);
    }

    @Test
    void sixteenBitGatesPushWords() {
        SystemCode s = new SystemCode();
        s.gateAt(SystemCode.IDT + 0x41 * 8, SystemCode.CODE0, 0x12F000, 0x6, 0, 0);
        s.put(0xF000, "f4");
        s.cpu.setEflags(0x246);
        assertEquals(ExitReason.HALT, s.run("cd 41", 0));
        assertEquals(SystemCode.STACK0 - 6, s.cpu.getReg(Cpu.ESP));
        assertEquals(0x246, s.read16(SystemCode.STACK0 - 2));
        assertEquals(SystemCode.CODE0, s.read16(SystemCode.STACK0 - 4));
        assertEquals((SystemCode.CODE + 2) & 0xFFFF, s.read16(SystemCode.STACK0 - 6));
    }

    @Test
    void iretAtRingThreeCannotChangeIoplOrIf() {
        SystemCode s = new SystemCode();
        s.ring3();
        s.cpu.setEflags(0x202);
        // push 0x3001 | DF; push CODE3; push CODE+0x20; iret
        s.put(SystemCode.CODE + 0x20, "90");
        String code = "68 d7 34 00 00 6a 1b 68 20 00 01 00 cf";
        assertEquals(ExitReason.BREAKPOINT, s.run(code, SystemCode.CODE + 0x20));
        assertEquals(0x4D7 | 0x202, s.cpu.getEflags(), "arithmetic flags and DF change, IF and IOPL do not");
        assertEquals(SystemCode.STACK3, s.cpu.getReg(Cpu.ESP));
    }

    @Test
    void iretWithNestedTaskIsNotSupported() {
        SystemCode s = new SystemCode();
        s.interpreter.setDeliverExceptions(false);
        s.cpu.setEflags(0x4002);
        assertEquals(ExitReason.FAULT, s.run("cf"));
        assertEquals(Fault.GP, s.fault().vector());
    }

    @Test
    void reportingModeLeavesDeliveryToTheCaller() {
        SystemCode s = withHandler(0x80, TRAP_GATE, 3);
        s.interpreter.setDeliverExceptions(false);
        assertEquals(ExitReason.FAULT, s.run("cd 80"));
        assertEquals(0x80, s.fault().vector());
        assertEquals(SystemCode.CODE + 2, s.cpu.getEip());
        assertEquals(null, s.interpreter.deliver(0x80, 0, false, EventKind.SOFTWARE_INTERRUPT));
        assertEquals(HANDLER, s.cpu.getEip());
    }
}
