package org.jlguest.testdata.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.testdata.oracle.NativeOracle;
import org.jlguest.testdata.oracle.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The oracle itself reports what the x86 architecture says, on cases whose answers are known. */
class OracleSelfTest {

    private static final int CODE = 0x1000_0000;
    private static final int DATA = 0x3000_0010;

    private NativeOracle oracle;

    @BeforeEach
    void start() throws IOException {
        NativeOracle.Availability a = NativeOracle.build(NativeOracle.moduleDir());
        assumeTrue(a.available(), () -> "native oracle unavailable: " + a.reason());
        oracle = NativeOracle.start(a.binary().orElseThrow());
    }

    @AfterEach
    void stop() {
        if (oracle != null) oracle.close();
    }

    private CpuCase run(String code, int eax, int ebx, int esp, List<CpuCase.Mem> mem) {
        CpuCase.Regs regs = new CpuCase.Regs(eax, 0, 0, ebx, esp, 0, 0, 0, CODE);
        Probe p = new Probe("self", HexFormat.of().parseHex(code), new CpuCase.Init(regs, 0x202), mem, CpuCase.USER_FLAGS);
        return p.complete(oracle.run(p));
    }

    @Test
    void addGivesTheSumAndFlags() {
        CpuCase c = run("01d8", 2, 3, 0, List.of()); // add eax, ebx
        assertTrue(c.expect().fault().isEmpty(), c.toString());
        assertEquals(5, c.expect().regs().eax());
        assertEquals(CODE + 2, c.expect().regs().eip());
        assertEquals(0x4, c.expect().eflags() & CpuCase.USER_FLAGS, "5 has even parity: PF only");
        CpuCase wrap = run("01d8", 0xFFFF_FFFF, 1, 0, List.of());
        assertEquals(0x1 | 0x4 | 0x10 | 0x40, wrap.expect().eflags() & CpuCase.USER_FLAGS, "CF PF AF ZF");
    }

    @Test
    void loadFromUnmappedMemoryIsAPageFault() {
        CpuCase c = run("8b03", 7, 0x5000_0004, 0, List.of()); // mov eax, [ebx]
        CpuCase.Fault f = c.expect().fault().orElseThrow();
        assertEquals(14, f.vector());
        assertEquals(OptionalInt.of(4), f.errorCode(), "user read of a not-present page");
        assertEquals(OptionalInt.of(0x5000_0004), f.cr2());
        assertEquals(CODE, c.expect().regs().eip(), "a fault reports the faulting instruction");
        assertEquals(7, c.expect().regs().eax());
    }

    @Test
    void storeToCodeAndFetchFromDataAreProtectionFaults() {
        CpuCase store = run("8903", 0, CODE + 0x100, 0, List.of()); // mov [ebx], eax
        assertEquals(OptionalInt.of(7), store.expect().fault().orElseThrow().errorCode(), "present, write, user");
        List<CpuCase.Mem> data = List.of(new CpuCase.Mem(DATA, new byte[] {(byte) 0x90}));
        CpuCase fetch = run("ffe0", DATA, 0, 0, data); // jmp eax
        CpuCase.Fault f = fetch.expect().fault().orElseThrow();
        assertEquals(OptionalInt.of(0x15), f.errorCode(), "present, user, instruction fetch");
        assertEquals(DATA, fetch.expect().regs().eip());
    }

    @Test
    void storesReachMemoryAndTrapsReportTheNextInstruction() {
        List<CpuCase.Mem> stack = List.of(new CpuCase.Mem(DATA, new byte[8]));
        CpuCase push = run("50", 0x1122_3344, 0, DATA + 8, stack); // push eax
        assertEquals("0000000044332211", HexFormat.of().formatHex(push.expect().mem().get(0).bytes()));
        assertEquals(DATA + 4, push.expect().regs().esp());
        CpuCase int3 = run("90cc", 0, 0, 0, List.of());
        assertEquals(3, int3.expect().fault().orElseThrow().vector());
        assertEquals(CODE + 2, int3.expect().regs().eip());
        CpuCase gp = run("cd21", 0, 0, 0, List.of());
        assertEquals(OptionalInt.of(0x21 * 8 + 2), gp.expect().fault().orElseThrow().errorCode());
        assertEquals(CODE, gp.expect().regs().eip());
    }

    @Test
    void divideByZeroIsVectorZero() {
        CpuCase c = run("f7f3", 1, 0, 0, List.of()); // div ebx
        assertEquals(0, c.expect().fault().orElseThrow().vector());
        assertTrue(c.expect().fault().orElseThrow().errorCode().isEmpty());
    }
}
