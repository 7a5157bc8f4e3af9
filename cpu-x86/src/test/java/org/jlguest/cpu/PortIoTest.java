package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

class PortIoTest {
    /** Reads answer port + size; writes are recorded as "port:size:value". */
    private static final class Recorder implements IoPorts {
        final List<String> writes = new ArrayList<>();
        int reads;

        @Override
        public int in(int port, int size) {
            reads++;
            return port + size + reads;
        }

        @Override
        public void out(int port, int size, int value) {
            writes.add(Integer.toHexString(port) + ":" + size + ":" + Integer.toHexString(value));
        }
    }

    private static SystemCode machine(Recorder ports) {
        SystemCode s = new SystemCode();
        s.cpu.setIoPorts(ports);
        return s;
    }

    @Test
    void immediateAndDxPortsInEverySize() {
        Recorder ports = new Recorder();
        SystemCode s = machine(ports);
        s.cpu.setReg(Cpu.EAX, 0xAABBCCDD);
        s.cpu.setReg(Cpu.EDX, 0x12340070);
        // out 0x80,al; out dx,ax; out dx,eax; in al,0x60; mov ebx,eax; in ax,dx; mov ecx,eax; in eax,dx
        String code = "e6 80 66 ef ef e4 60 89 c3 66 ed 89 c1 ed";
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(List.of("80:0:dd", "70:1:ccdd", "70:2:aabbccdd"), ports.writes);
        assertEquals(0xAABBCC61, s.cpu.getReg(Cpu.EBX), "in al writes only AL");
        assertEquals(0xAABB0073, s.cpu.getReg(Cpu.ECX), "in ax writes only AX");
        assertEquals(0x75, s.cpu.getReg(Cpu.EAX));
    }

    @Test
    void repeatedStringInputAndOutput() {
        Recorder ports = new Recorder();
        SystemCode s = machine(ports);
        s.put(SystemCode.DATA + 0x100, "01 00 00 00 02 00 00 00");
        // mov ecx,3; mov edi,DATA; mov dx,0x10; rep insb; mov ecx,2; mov esi,DATA+0x100; rep outsd
        String code = "b9 03 00 00 00 bf 00 00 04 00 66 ba 10 00 f3 6c b9 02 00 00 00 be 00 01 04 00 f3 6f";
        assertEquals(ExitReason.BREAKPOINT, s.run(code));
        assertEquals(0x131211, s.read32(SystemCode.DATA));
        assertEquals(SystemCode.DATA + 3, s.cpu.getReg(Cpu.EDI));
        assertEquals(0, s.cpu.getReg(Cpu.ECX));
        assertEquals(SystemCode.DATA + 0x108, s.cpu.getReg(Cpu.ESI));
        assertEquals(List.of("10:2:1", "10:2:2"), ports.writes);
    }

    @Test
    void stringInputBackwardsWithSixteenBitAddresses() {
        Recorder ports = new Recorder();
        SystemCode s = machine(ports);
        s.cpu.setReg(Cpu.EDI, 0xFFFF0004);
        s.cpu.setReg(Cpu.ECX, 0xFFFF0002);
        s.cpu.setReg(Cpu.EDX, 0x20);
        // std; a16 rep insw
        s.load(Cpu.ES, SystemCode.DATA0);
        assertEquals(ExitReason.BREAKPOINT, s.run("fd 67 f3 66 6d"));
        assertEquals(0xFFFF0000, s.cpu.getReg(Cpu.EDI));
        assertEquals(0xFFFF0000, s.cpu.getReg(Cpu.ECX));
        assertEquals(0x22, s.read16(4));
        assertEquals(0x23, s.read16(2));
    }

    @Test
    void ringThreeNeedsIopl() {
        Recorder ports = new Recorder();
        SystemCode s = machine(ports);
        s.interpreter.setDeliverExceptions(false);
        s.ring3();
        s.cpu.setEflags(0x1002);
        for (String code : new String[] {"e4 60", "e6 80", "ec", "ef", "6c", "6f"}) {
            assertEquals(ExitReason.FAULT, s.run(code), code);
            assertEquals(Fault.GP, s.fault().vector());
            assertEquals(0, s.fault().errorCode());
            assertEquals(SystemCode.CODE, s.cpu.getEip());
        }
        assertEquals(0, ports.reads + ports.writes.size());
        s.cpu.setEflags(0x3002);
        assertEquals(ExitReason.BREAKPOINT, s.run("e6 80"));
        assertEquals(1, ports.writes.size());
    }
}
