package org.jlguest.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jlguest.host.Request.Register;
import org.jlguest.launcher.bus.MmioBus;
import org.jlguest.launcher.bus.PortBus;
import org.junit.jupiter.api.Test;

class TrapEmulatorTest {
    private static final int EIP = 0x100000;
    private static final int WINDOW = 0x4100000;

    /** GETREG/SETREG against a map, CS 0x61 (ring 1) unless changed. */
    static final class Registers implements GuestRegisters {
        final Map<Register, Integer> values = new EnumMap<>(Register.class);

        Registers() {
            for (Register r : Register.values()) {
                values.put(r, 0);
            }
            values.put(Register.CS, 0x61);
            values.put(Register.EIP, EIP);
        }

        @Override
        public int get(Register register) {
            return values.get(register);
        }

        @Override
        public void set(Register register, int value) {
            values.put(register, value);
        }
    }

    /** Records accesses; port 0x70 refuses writes, port 0x80 reads 0x12345678; MMIO reads 0x89ABCDEF. */
    private final List<String> log = new ArrayList<>();
    private final PortBus ports = new PortBus() {
        @Override
        public boolean claims(int port) {
            return port == 0x70 || port == 0x80;
        }

        @Override
        public int in(int port, int size) {
            log.add("in " + Integer.toHexString(port) + "/" + size);
            return 0x12345678;
        }

        @Override
        public boolean out(int port, int size, int value) {
            log.add("out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
            return port != 0x70;
        }
    };
    private final MmioBus mmio = new MmioBus() {
        @Override
        public boolean claims(int address) {
            return address >= WINDOW && address < WINDOW + 0x1000;
        }

        @Override
        public int read(int address, int size) {
            log.add("read " + Integer.toHexString(address) + "/" + size);
            return 0x89ABCDEF;
        }

        @Override
        public void write(int address, int size, int value) {
            log.add("write " + Integer.toHexString(address) + "/" + size + "=" + Integer.toHexString(value));
        }
    };
    private final LauncherCounters counters = new LauncherCounters();
    private final TrapEmulator emulator = new TrapEmulator(new Ports(List.of(ports)), List.of(mmio), counters);
    private final Registers regs = new Registers();

    private static byte[] code(int... b) {
        byte[] out = new byte[7];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private int eip() {
        return regs.get(Register.EIP) - EIP;
    }

    @Test
    void outDxAlGoesToTheClaimingBus() {
        regs.set(Register.EDX, 0xABCD0080);
        regs.set(Register.EAX, 0x11223344);
        assertTrue(emulator.portIo(code(0xEE), regs));
        assertEquals(List.of("out 80/1=44"), log);
        assertEquals(1, eip());
        assertEquals(1, counters.portWrites());
    }

    @Test
    void inWidthsMergeIntoEax() {
        regs.set(Register.EAX, 0xAAAAAAAA);
        assertTrue(emulator.portIo(code(0xE4, 0x80), regs));
        assertEquals(0xAAAAAA78, regs.get(Register.EAX));
        assertTrue(emulator.portIo(code(0x66, 0xE5, 0x80), regs));
        assertEquals(0xAAAA5678, regs.get(Register.EAX));
        assertTrue(emulator.portIo(code(0xE5, 0x80), regs));
        assertEquals(0x12345678, regs.get(Register.EAX));
        assertEquals(List.of("in 80/1", "in 80/2", "in 80/4"), log);
        assertEquals(2 + 3 + 2, eip());
    }

    @Test
    void unclaimedPortsReadAllOnesExceptThePs2Status() {
        regs.set(Register.EDX, 0x3F8);
        assertTrue(emulator.portIo(code(0x66, 0xED), regs));
        assertEquals(0xFFFF, regs.get(Register.EAX));
        assertTrue(emulator.portIo(code(0xE4, 0x64), regs));
        assertEquals(0xFF01, regs.get(Register.EAX));
        assertTrue(emulator.portIo(code(0xE7, 0x43), regs));
        assertEquals(List.of(), log);
        assertEquals(2 + 2 + 2, eip());
    }

    @Test
    void cliIsSkipped() {
        assertTrue(emulator.portIo(code(0xFA), regs));
        assertEquals(1, eip());
    }

    @Test
    void refusedWritesOtherInstructionsAndUserModeAreGivenBack() {
        assertFalse(emulator.portIo(code(0xE6, 0x70), regs));
        assertFalse(emulator.portIo(code(0xF4), regs));
        assertFalse(emulator.portIo(code(0xF3, 0x6E), regs));
        regs.set(Register.CS, 0x73);
        assertFalse(emulator.portIo(code(0xE6, 0x80), regs));
        assertEquals(0, eip());
    }

    @Test
    void mmioLoadsAndStoresOfEveryAddressingForm() {
        regs.set(Register.EAX, 0x01020304);
        regs.set(Register.ECX, 0xCAFEBEEF);
        regs.set(Register.EBX, 0x0000A5B6);
        assertTrue(emulator.mmio(code(0x8B, 0x43, 0x10), WINDOW + 0x10, regs));
        assertEquals(0x89ABCDEF, regs.get(Register.EAX));
        assertTrue(emulator.mmio(code(0x89, 0x8C, 0x24, 0x00, 0x01, 0x00, 0x00), WINDOW + 0x100, regs));
        assertTrue(emulator.mmio(code(0x88, 0x3D, 0x08, 0x00, 0x10, 0x04), WINDOW + 8, regs));
        assertTrue(emulator.mmio(code(0x8A, 0x63, 0x04), WINDOW + 4, regs));
        assertEquals(0x89ABEFEF, regs.get(Register.EAX));
        assertTrue(emulator.mmio(code(0x66, 0x89, 0x08), WINDOW, regs));
        assertTrue(emulator.mmio(code(0x66, 0x8B, 0x4C, 0x85, 0x10), WINDOW + 0xC, regs));
        assertEquals(0xCAFECDEF, regs.get(Register.ECX));
        assertEquals(List.of("read 4100010/4", "write 4100100/4=cafebeef", "write 4100008/1=a5", "read 4100004/1",
                "write 4100000/2=beef", "read 410000c/2"), log);
        assertEquals(3 + 7 + 6 + 3 + 3 + 5, eip());
        assertEquals(3, counters.mmioReads());
        assertEquals(3, counters.mmioWrites());
    }

    @Test
    void mmioOutsideEveryBarOrNotAMoveIsGivenBack() {
        assertFalse(emulator.mmio(code(0x8B, 0x03), WINDOW + 0x1000, regs));
        assertFalse(emulator.mmio(code(0xC7, 0x03, 1, 0, 0, 0), WINDOW, regs));
        assertFalse(emulator.mmio(code(0x0F, 0xB6, 0x03), WINDOW, regs));
        assertEquals(0, eip());
        assertEquals(List.of(), log);
    }
}
