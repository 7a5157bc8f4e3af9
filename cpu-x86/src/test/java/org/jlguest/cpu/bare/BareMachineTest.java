package org.jlguest.cpu.bare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlguest.cpu.Cpu;
import org.junit.jupiter.api.Test;

/** Machine code written out by hand, so these run without an assembler. */
class BareMachineTest {
    private static final int LOAD = 0x100000;
    private static final long MEG16 = 16L << 20;

    private static BareMachine machine(List<Image> images) {
        BareConsole none = new BareConsole() {
            @Override
            public void console(int b) {
            }

            @Override
            public void post(int port, int value, long instructions) {
            }
        };
        return new BareMachine(new ImageLayout(MEG16, images), none);
    }

    private static BareMachine flat(int... code) {
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            bytes[i] = (byte) code[i];
        }
        BareMachine m = machine(List.of(new Image("code", LOAD, bytes)));
        m.enterFlat(LOAD);
        return m;
    }

    @Test
    void flatEntryIsRingZeroProtectedModeWithInterruptsOff() {
        Cpu cpu = flat(0xEB, 0xFE).cpu();
        assertEquals(0, cpu.getCpl());
        assertEquals(1, cpu.getCr0() & 1);
        assertEquals(0, cpu.getEflags() & 0x200);
        assertEquals(BareMachine.FLAT_CODE, cpu.getSegmentSelector(Cpu.CS));
        assertEquals((int) MEG16, cpu.getReg(Cpu.ESP));
    }

    @Test
    void aLoopStopsAtTheInstructionLimit() {
        BareRun run = flat(0xEB, 0xFE).run(1000);
        assertEquals(ExitKind.INSTRUCTION_LIMIT, run.exit());
        assertTrue(run.instructions() >= 1000, run.summary());
        assertEquals(LOAD, run.eip());
    }

    @Test
    void anUndefinedOpcodeStopsTheRunWithTheCpuState() {
        BareRun run = flat(0xB8, 0x78, 0x56, 0x34, 0x12, 0x0F, 0x0B).run(1000);
        assertEquals(ExitKind.FAULT, run.exit());
        assertEquals(1, run.instructions());
        assertEquals(LOAD + 5, run.eip());
        assertTrue(run.fault().startsWith("#UD"), run.fault());
        assertTrue(run.state().describe().contains("EAX=12345678"), run.state().describe());
        assertTrue(run.summary().contains("at 0008:00100005"), run.summary());
    }

    @Test
    void theTopRomWindowReadsTheRomAndIgnoresWrites() {
        byte[] rom = new byte[16];
        rom[0] = 0x44;
        rom[1] = 0x33;
        rom[2] = 0x22;
        rom[3] = 0x11;
        // mov eax, [0xFFFFFFF0]; mov dword [0xFFFFFFF0], 0; mov ebx, [0xFFFFFFF0]; mov ecx, [0xFFFF0]; jmp $
        byte[] code = {(byte) 0xA1, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xC7, 0x05, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0,
            (byte) 0x8B, 0x1D, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0x8B, 0x0D, (byte) 0xF0, (byte) 0xFF, 0x0F, 0x00,
            (byte) 0xEB, (byte) 0xFE};
        BareMachine m = machine(List.of(new Image("code", LOAD, code), new Image("rom", 0xFFFFFFF0L, rom)));
        m.enterFlat(LOAD);
        BareRun run = m.run(100);
        assertEquals(ExitKind.INSTRUCTION_LIMIT, run.exit(), run.summary());
        assertEquals(0x11223344, m.cpu().getReg(Cpu.EAX));
        assertEquals(0x11223344, m.cpu().getReg(Cpu.EBX));
        assertEquals(0x11223344, m.cpu().getReg(Cpu.ECX));
    }

    @Test
    void anAccessBeyondRamOutsideTheRomStopsTheRunNamingTheAddress() {
        // mov eax, [0x20000000]
        BareRun run = flat(0xA1, 0x00, 0x00, 0x00, 0x20).run(100);
        assertEquals(ExitKind.FAULT, run.exit());
        assertTrue(run.fault().contains("0x20000000 is beyond RAM (0x1000000 bytes)"), run.fault());
    }
}
