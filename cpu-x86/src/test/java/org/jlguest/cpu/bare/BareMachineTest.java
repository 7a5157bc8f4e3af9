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
    void anExceptionWithNoIdtEndsInATripleFaultWithTheCpuState() {
        // mov eax, 0x12345678; xor ecx, ecx; div ecx
        BareRun run = flat(0xB8, 0x78, 0x56, 0x34, 0x12, 0x31, 0xC9, 0xF7, 0xF1).run(1000);
        assertEquals(ExitKind.TRIPLE_FAULT, run.exit());
        assertEquals(2, run.instructions());
        assertEquals(LOAD + 7, run.eip());
        assertTrue(run.state().describe().contains("EAX=12345678"), run.state().describe());
        assertTrue(run.summary().contains("triple fault"), run.summary());
        assertTrue(run.summary().contains("at 0008:00100007"), run.summary());
    }

    @Test
    void consoleBytesAndPostCodesReachTheConsole() {
        StringBuilder console = new StringBuilder();
        StringBuilder posts = new StringBuilder();
        BareConsole capture = new BareConsole() {
            @Override
            public void console(int b) {
                console.append((char) b);
            }

            @Override
            public void post(int port, int value, long instructions) {
                posts.append(String.format("%x=%x@%d ", port, value, instructions));
            }
        };
        // mov al, 'A'; out 0xE9, al; mov al, 0x3A; out 0x80, al; mov dx, 0x190; out dx, al; in al, 0x60; cli; hlt
        byte[] code = {(byte) 0xB0, 0x41, (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 0x3A, (byte) 0xE6, (byte) 0x80,
            0x66, (byte) 0xBA, (byte) 0x90, 0x01, (byte) 0xEE, (byte) 0xE4, 0x60, (byte) 0xFA, (byte) 0xF4};
        BareMachine m = new BareMachine(new ImageLayout(MEG16, List.of(new Image("code", LOAD, code))), capture);
        m.enterFlat(LOAD);
        BareRun run = m.run(100);
        assertEquals(ExitKind.HALTED, run.exit(), run.summary());
        assertEquals(9, run.instructions());
        assertEquals("A", console.toString());
        assertEquals("80=3a@3 190=3a@5 ", posts.toString());
        assertEquals(0xFF, m.cpu().getReg(Cpu.EAX) & 0xFF);
    }

    @Test
    void hltWithInterruptsEnabledStopsSayingNothingCanWakeIt() {
        BareRun run = flat(0xFB, 0xF4).run(100);
        assertEquals(ExitKind.HALTED_WAITING, run.exit());
        assertEquals(LOAD + 2, run.eip());
    }

    @Test
    void resetStartsInRealModeAtF000Fff0AndLeavesMemoryAsLoaded() {
        // mov ax, [0]; mov bx, [0xFFFA]; jmp $
        byte[] rom = new byte[16];
        byte[] code = {(byte) 0xA1, 0x00, 0x00, (byte) 0x8B, 0x1E, (byte) 0xFA, (byte) 0xFF, (byte) 0xEB, (byte) 0xFE};
        System.arraycopy(code, 0, rom, 0, code.length);
        BareMachine m = machine(List.of(new Image("ivt", 0, new byte[] {0x11, 0x22, 0x33, 0x44}),
                new Image("stack", 0xFFFA, new byte[] {0x55, 0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xAA}),
                new Image("rom", 0xFFFFFFF0L, rom)));
        m.reset();
        Cpu cpu = m.cpu();
        assertEquals(0xF000, cpu.getSegmentSelector(Cpu.CS));
        assertEquals(0xFFF0, cpu.getEip());
        assertEquals(0, cpu.getReg(Cpu.ESP));
        assertEquals(0x2, cpu.getEflags());
        assertEquals(0, cpu.getCr0() & 1);
        BareRun run = m.run(50);
        assertEquals(ExitKind.INSTRUCTION_LIMIT, run.exit(), run.summary());
        assertEquals(0x2211, cpu.getReg(Cpu.EAX) & 0xFFFF);
        assertEquals(0x6655, cpu.getReg(Cpu.EBX) & 0xFFFF);
        assertEquals(0xFFF7, run.eip());
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
