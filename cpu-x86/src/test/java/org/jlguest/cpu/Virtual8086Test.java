package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

/**
 * Virtual-8086 mode: entry by IRET, real-mode style segments, interrupts and exceptions to the
 * ring-0 monitor, the IOPL-sensitive instructions, and the TSS I/O permission bitmap (which also
 * governs protected mode at CPL &gt; IOPL).
 */
class Virtual8086Test {
    private static final int VM = Flags.VM, IOPL3 = Flags.IOPL;
    /** Ring-0 handlers (flat CS, so EIP is the linear address). */
    private static final int MONITOR = 0x11000, OTHER = 0x11100, ENTRY = 0x12000;
    /** Virtual-8086 code at 1000:0000 (SystemCode.CODE); stack at 2800:1000; data at 4000:0000. */
    private static final int V86_CS = 0x1000, V86_SS = 0x2800, V86_SP = 0x1000, V86_DS = 0x4000;
    private static final int INTERRUPT_GATE = 0xE;
    private static final int BITMAP = 0x68, TSS_LIMIT = BITMAP + 0x20;

    /** Ports that answer their own number and record writes. */
    private static final class Ports implements IoPorts {
        final List<Integer> accessed = new ArrayList<>();

        @Override
        public int in(int port, int size) {
            accessed.add(port);
            return port;
        }

        @Override
        public void out(int port, int size, int value) {
            accessed.add(port);
        }
    }

    /**
     * A machine at ring 0 about to execute IRETD (at ENTRY) into virtual-8086 mode at 1000:0000
     * with {@code eflags} (VM added), a #GP handler at MONITOR and a catch-all at OTHER, both HLT.
     */
    private static SystemCode v86(int eflags, String code) {
        SystemCode s = new SystemCode();
        s.put(SystemCode.CODE, code);
        s.put(ENTRY, "cf");
        s.put(MONITOR, "f4");
        s.put(OTHER, "f4");
        for (int vector = 0; vector < 0x50; vector++) {
            s.gate(vector, SystemCode.CODE0, vector == Fault.GP ? MONITOR : OTHER, INTERRUPT_GATE, 3);
        }
        int[] frame = {0, V86_CS, eflags | VM | 0x2, V86_SP, V86_SS, V86_DS, V86_DS, 0x4100, 0x4200};
        int sp = SystemCode.STACK0 - 4 * frame.length;
        for (int i = 0; i < frame.length; i++) {
            s.memory.write32(sp + 4 * i, frame[i]);
        }
        s.cpu.setReg(Cpu.ESP, sp);
        s.cpu.setEip(ENTRY);
        return s;
    }

    /** Runs to offset {@code stop} in the virtual-8086 code segment. */
    private static ExitReason runTo(SystemCode s, int stop) {
        return s.runTo(stop);
    }

    /** The ring-0 stack slot {@code n} below STACK0 (1 = the first dword pushed). */
    private static int slot(SystemCode s, int n) {
        return s.read32(SystemCode.STACK0 - 4 * n);
    }

    /** Asserts the CPU stopped in the #GP handler with error code {@code error} for the instruction at {@code ip}. */
    private static void assertGeneralProtection(SystemCode s, int error, int ip) {
        assertEquals(MONITOR + 1, s.cpu.getEip(), "in the #GP handler");
        assertEquals(ip, slot(s, 9), "EIP of the faulting instruction");
        assertEquals(V86_CS, slot(s, 8));
        assertTrue((slot(s, 7) & VM) != 0, "the pushed EFLAGS has VM");
        assertEquals(error, slot(s, 10), "error code");
    }

    @Test
    void iretEntersVirtual8086ModeWithRealModeSegments() {
        // mov ax,[0x10]; mov bx,0x5000; mov es,bx
        SystemCode s = v86(0, "a1 10 00 bb 00 50 8e c3");
        s.memory.write16(0x40010, 0xBEEF);
        s.cpu.setReg(Cpu.EAX, 0x12340000);
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 8));
        Cpu c = s.cpu;
        assertEquals(3, c.getCpl());
        assertEquals(0x1234BEEF, c.getReg(Cpu.EAX), "16-bit code: only AX changes");
        assertEquals(VM | 0x2, c.getEflags());
        assertEquals(V86_CS, c.getSegmentSelector(Cpu.CS));
        assertEquals(0x10000, c.getSegmentBase(Cpu.CS));
        assertEquals(0xFFFF, c.getSegmentLimit(Cpu.CS));
        assertEquals(0x28000, c.getSegmentBase(Cpu.SS));
        assertEquals(V86_SP, c.getReg(Cpu.ESP));
        assertEquals(0x40000, c.getSegmentBase(Cpu.DS));
        assertEquals(0x41000, c.getSegmentBase(Cpu.FS));
        assertEquals(0x42000, c.getSegmentBase(Cpu.GS));
        assertEquals(0x5000, c.getSegmentSelector(Cpu.ES));
        assertEquals(0x50000, c.getSegmentBase(Cpu.ES));
        assertEquals(0xFFFF, c.getSegmentLimit(Cpu.ES));
        assertEquals(3, (c.getSegmentAttributes(Cpu.ES) >>> 5) & 3, "DPL 3");
    }

    @Test
    void accessBeyondSixtyFourKilobytesIsGeneralProtection() {
        // mov eax,[0xFFFE] (a dword crossing the 64 KiB limit)
        SystemCode s = v86(0, "66 a1 fe ff");
        assertEquals(ExitReason.HALT, runTo(s, -1));
        assertGeneralProtection(s, 0, 0);
    }

    @Test
    void interruptFromVirtual8086ModeSavesAndNullsTheDataSegments() {
        SystemCode s = v86(IOPL3 | Flags.IF, "90 cd 40");
        assertEquals(ExitReason.HALT, runTo(s, -1));
        Cpu c = s.cpu;
        assertEquals(OTHER + 1, c.getEip());
        assertEquals(0, c.getCpl());
        assertEquals(SystemCode.CODE0, c.getSegmentSelector(Cpu.CS));
        assertEquals(SystemCode.DATA0, c.getSegmentSelector(Cpu.SS));
        for (int seg : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
            assertEquals(0, c.getSegmentSelector(seg));
        }
        assertEquals(SystemCode.STACK0 - 36, c.getReg(Cpu.ESP));
        assertEquals(0x4200, slot(s, 1), "GS");
        assertEquals(0x4100, slot(s, 2), "FS");
        assertEquals(V86_DS, slot(s, 3), "DS");
        assertEquals(V86_DS, slot(s, 4), "ES");
        assertEquals(V86_SS, slot(s, 5), "SS");
        assertEquals(V86_SP, slot(s, 6), "ESP");
        assertEquals(VM | IOPL3 | Flags.IF | 0x2, slot(s, 7), "EFLAGS");
        assertEquals(V86_CS, slot(s, 8), "CS");
        assertEquals(3, slot(s, 9), "EIP after INT");
        assertEquals(IOPL3 | 0x2, c.getEflags(), "VM and, for an interrupt gate, IF cleared");
    }

    @Test
    void iretFromTheMonitorReturnsToVirtual8086Mode() {
        SystemCode s = v86(IOPL3, "cd 40 b0 07");
        s.put(OTHER, "cf");
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 4));
        Cpu c = s.cpu;
        assertEquals(3, c.getCpl());
        assertEquals(7, c.getReg(Cpu.EAX) & 0xFF);
        assertEquals(0x41000, c.getSegmentBase(Cpu.FS));
        assertEquals(V86_SP, c.getReg(Cpu.ESP));
        assertEquals(VM | IOPL3 | 0x2, c.getEflags());
    }

    @Test
    void ioplSensitiveInstructionsFaultBelowIoplThree() {
        // cli, sti, pushf, pushfd, popf, popfd, int 0x40, iret
        for (String code : new String[] {"fa", "fb", "9c", "66 9c", "9d", "66 9d", "cd 40", "cf"}) {
            SystemCode s = v86(0x1000, code);
            assertEquals(ExitReason.HALT, runTo(s, -1), code);
            assertGeneralProtection(s, 0, 0);
            assertEquals(V86_SP, slot(s, 6), code + " left SP alone");
        }
    }

    @Test
    void int3AndIntoAreNotIoplSensitive() {
        for (String code : new String[] {"cc", "ce"}) {
            SystemCode s = v86(Flags.OF, code);
            assertEquals(ExitReason.HALT, runTo(s, -1), code);
            assertEquals(OTHER + 1, s.cpu.getEip(), code + " reaches its handler");
            assertEquals(1, slot(s, 9), code + " is a trap");
        }
    }

    @Test
    void atIoplThreeTheyRunAndCannotChangeIoplOrVm() {
        // cli; sti; pushf; pop ax; push word 0; popf; push dword 0; popfd; pushfd; pop ebx
        SystemCode s = v86(IOPL3, "fa fb 9c 58 6a 00 9d 66 6a 00 66 9d 66 9c 66 5b");
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 16));
        Cpu c = s.cpu;
        assertEquals(IOPL3 | Flags.IF | 0x2, c.getReg(Cpu.EAX) & 0xFFFF, "PUSHF");
        assertEquals(VM | IOPL3 | 0x2, c.getEflags(), "IF cleared, IOPL and VM kept");
        assertEquals(IOPL3 | 0x2, c.getReg(Cpu.EBX), "PUSHFD does not show VM");
    }

    @Test
    void iretInVirtual8086ModeAtIoplThreeIsARealModeReturn() {
        // push word 0x0C1 (flags: CF, ZF, SF); push cs; push word 0x0a; iret; (nop nop); mov al,5
        SystemCode s = v86(IOPL3 | Flags.IF, "68 c1 00 0e 68 0a 00 cf 90 90 b0 05");
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 12));
        assertEquals(5, s.cpu.getReg(Cpu.EAX) & 0xFF);
        assertEquals(VM | IOPL3 | 0xC3, s.cpu.getEflags(), "IF from the image, IOPL and VM kept");
        assertEquals(V86_SP, s.cpu.getReg(Cpu.ESP));
        // 32-bit: push dword 0x20001 (VM, CF); push cs (dword); push dword 0x10; iretd; ...; mov al,6
        s = v86(IOPL3, "66 68 01 00 02 00 66 0e 66 68 10 00 00 00 66 cf b0 06");
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 18));
        assertEquals(6, s.cpu.getReg(Cpu.EAX) & 0xFF);
        assertEquals(VM | IOPL3 | 0x3, s.cpu.getEflags());
    }

    @Test
    void interruptToAnythingButADplZeroNonConformingSegmentIsGeneralProtection() {
        SystemCode s = v86(IOPL3, "cd 41");
        s.gate(0x41, SystemCode.CODE3, OTHER, INTERRUPT_GATE, 3);
        assertEquals(ExitReason.HALT, runTo(s, -1));
        assertGeneralProtection(s, SystemCode.CODE3 & ~3, 0);

        s = v86(IOPL3, "cd 42");
        s.segment(6, 0, 0xFFFFF, SystemCode.FLAT_CODE | 0x4);
        s.gate(0x42, 0x30, OTHER, INTERRUPT_GATE, 3);
        assertEquals(ExitReason.HALT, runTo(s, -1));
        assertGeneralProtection(s, 0x30, 0);
    }

    @Test
    void privilegedAndProtectedModeOnlyInstructions() {
        // hlt (at any IOPL), then lar ax,bx and arpl (undefined in virtual-8086 mode)
        SystemCode s = v86(IOPL3, "f4");
        assertEquals(ExitReason.HALT, runTo(s, -1));
        assertGeneralProtection(s, 0, 0);
        for (String code : new String[] {"0f 02 c3", "63 c3", "0f 00 c8"}) {
            s = v86(IOPL3, code);
            s.interpreter.setDeliverExceptions(false);
            assertEquals(ExitReason.FAULT, runTo(s, -1), code);
            assertEquals(Fault.UD, s.fault().vector(), code);
        }
    }

    /** A TSS with an I/O bitmap for ports 0-0xFF, all denied but {@code granted}. */
    private static void bitmap(SystemCode s, int... granted) {
        s.memory.write16(SystemCode.TSS + 0x66, BITMAP);
        for (int i = 0; i <= 0x20; i++) {
            s.memory.write8(SystemCode.TSS + BITMAP + i, 0xFF);
        }
        for (int port : granted) {
            int at = SystemCode.TSS + BITMAP + port / 8;
            s.memory.write8(at, s.memory.read8(at) & ~(1 << (port & 7)));
        }
        s.cpu.sys.trLimit = TSS_LIMIT;
    }

    @Test
    void portIoInVirtual8086ModeFollowsTheBitmapWhateverIopl() {
        Ports ports = new Ports();
        // in al,0x64; in al,0x60
        SystemCode s = v86(IOPL3, "e4 64 e4 60");
        s.cpu.setIoPorts(ports);
        bitmap(s, 0x64);
        assertEquals(ExitReason.HALT, runTo(s, -1));
        assertEquals(List.of(0x64), ports.accessed);
        assertGeneralProtection(s, 0, 2);

        s = v86(0, "e4 64");
        s.cpu.setIoPorts(ports);
        bitmap(s, 0x64);
        assertEquals(ExitReason.BREAKPOINT, runTo(s, 2), "granted at IOPL 0 too");

        s = v86(IOPL3, "e4 64");
        assertEquals(ExitReason.HALT, runTo(s, -1), "a bitmap beyond the TSS limit grants nothing");
        assertGeneralProtection(s, 0, 0);
    }

    private static SystemCode ringThree(Ports ports, int eflags) {
        SystemCode s = new SystemCode();
        s.cpu.setIoPorts(ports);
        s.interpreter.setDeliverExceptions(false);
        s.ring3();
        s.cpu.setEflags(eflags);
        return s;
    }

    @Test
    void protectedModeAboveIoplChecksEveryByteAgainstTheBitmap() {
        Ports ports = new Ports();
        SystemCode s = ringThree(ports, 0x2);
        bitmap(s, 0x64, 0x65, 0x80);
        // in al,0x64; in ax,0x64; out 0x80,al; mov dx,0x65; in al,dx
        assertEquals(ExitReason.BREAKPOINT, s.run("e4 64 66 e5 64 e6 80 66 ba 65 00 ec"));
        assertEquals(List.of(0x64, 0x64, 0x80, 0x65), ports.accessed);
        // in eax,0x64 (0x66 and 0x67 denied); in ax,0x63; mov dx,0x3f8 (beyond the bitmap); in al,dx
        for (String code : new String[] {"e5 64", "66 e5 63", "66 ba f8 03 ec"}) {
            assertEquals(ExitReason.FAULT, s.run(code), code);
            assertEquals(Fault.GP, s.fault().vector(), code);
            assertEquals(0, s.fault().errorCode());
        }
        // outsb to port 0x80 (granted), then insb from 0x81 (denied)
        s.cpu.setReg(Cpu.ESI, SystemCode.DATA);
        s.cpu.setReg(Cpu.EDI, SystemCode.DATA);
        s.cpu.setReg(Cpu.EDX, 0x80);
        assertEquals(ExitReason.BREAKPOINT, s.run("6e"));
        s.cpu.setReg(Cpu.EDX, 0x81);
        assertEquals(ExitReason.FAULT, s.run("6c"));
        assertEquals(List.of(0x64, 0x64, 0x80, 0x65, 0x80), ports.accessed);
    }

    @Test
    void theBitmapIsNotConsultedAtCplAtMostIopl() {
        Ports ports = new Ports();
        SystemCode s = ringThree(ports, 0x3002);
        bitmap(s);
        assertEquals(ExitReason.BREAKPOINT, s.run("e4 60"));
        assertEquals(List.of(0x60), ports.accessed);
    }

    @Test
    void aTaskRegisterNeverLoadedGrantsNoPorts() {
        Ports ports = new Ports();
        SystemCode s = ringThree(ports, 0x2);
        bitmap(s, 0x60);
        s.cpu.sys.trSelector = 0;
        assertEquals(ExitReason.FAULT, s.run("e4 60"));
        assertEquals(Fault.GP, s.fault().vector());
        assertTrue(ports.accessed.isEmpty());
    }
}
