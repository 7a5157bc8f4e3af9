package org.jlguest.cpu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The comparison: a right expectation passes, each kind of wrong one names its field. */
class CaseRunnerTest {

    private final CaseRunner runner = new CaseRunner();
    private final CpuCase add = VectorJson.parse(VectorJsonTest.ADD, "add");

    private CpuCase withExpect(CpuCase.Expect e) {
        return new CpuCase(add.id(), add.mode(), add.code(), add.init(), add.mem(), e);
    }

    @Test
    void aCorrectExpectationPasses() {
        CaseResult r = runner.run(add);
        assertTrue(r.passed(), r.describe());
    }

    @Test
    void aWrongRegisterIsReported() {
        CpuCase.Expect e = add.expect();
        CpuCase.Regs regs = e.regs();
        CpuCase.Regs wrong = new CpuCase.Regs(6, regs.ecx(), regs.edx(), regs.ebx(), regs.esp(), regs.ebp(), regs.esi(),
                regs.edi(), regs.eip());
        CaseResult r = runner.run(withExpect(new CpuCase.Expect(wrong, e.eflags(), e.eflagsMask(), e.mem(), e.fault())));
        assertFalse(r.passed());
        assertEquals(List.of("eax: expected 0x00000006, actual 0x00000005"), r.mismatches());
        assertTrue(r.describe().contains("code 01d8"), r.describe());
    }

    @Test
    void wrongFlagsCountOnlyUnderTheMask() {
        CpuCase.Expect e = add.expect();
        CaseResult masked = runner.run(withExpect(new CpuCase.Expect(e.regs(), e.eflags() ^ 0x41, 0xCD5 & ~0x41, e.mem(), e.fault())));
        assertTrue(masked.passed(), masked.describe());
        CaseResult checked = runner.run(withExpect(new CpuCase.Expect(e.regs(), e.eflags() ^ 0x41, 0xCD5, e.mem(), e.fault())));
        assertEquals(1, checked.mismatches().size(), checked.describe());
        assertTrue(checked.mismatches().get(0).startsWith("eflags:") && checked.mismatches().get(0).endsWith("differing CF ZF"),
                checked.describe());
    }

    @Test
    void wrongMemoryAndAMissingFaultAreReported() {
        CpuCase.Expect e = add.expect();
        List<CpuCase.Mem> mem = List.of(new CpuCase.Mem(e.mem().get(0).addr(), new byte[] {0, 1}));
        CpuCase.Fault pf = new CpuCase.Fault(14, OptionalInt.of(4), OptionalInt.of(0x50000000));
        CaseResult r = runner.run(withExpect(new CpuCase.Expect(e.regs(), e.eflags(), e.eflagsMask(), mem, Optional.of(pf))));
        String all = String.join("\n", r.mismatches());
        assertTrue(all.contains("outcome: expected vector 14 error 0x4 cr2 0x50000000, actual completion"), all);
        assertTrue(all.contains("mem[0] at 0x1ffffff4: first difference at +1"), all);
    }

    private static final String ZERO = "\"00000000000000000000\", ";

    /** FLD1 onto an empty stack: TOP becomes 7 and physical register 7 holds 1.0, tagged valid. */
    static final String FLD1 = "{\"id\": \"fld1-1\", \"mode\": \"user32\", \"code\": \"d9e8\", \"init\": {\"eax\": 0,"
            + " \"ecx\": 0, \"edx\": 0, \"ebx\": 0, \"esp\": 0, \"ebp\": 0, \"esi\": 0, \"edi\": 0, \"eip\": 268435456,"
            + " \"eflags\": 514, \"fpu\": {\"cw\": 895, \"sw\": 0, \"tw\": 65535, \"top\": 0, \"regs\": ["
            + ZERO.repeat(7) + "\"00000000000000000000\"]}}, \"mem\": [], \"expect\": {\"regs\": {\"eax\": 0, \"ecx\": 0,"
            + " \"edx\": 0, \"ebx\": 0, \"esp\": 0, \"ebp\": 0, \"esi\": 0, \"edi\": 0, \"eip\": 268435458}, \"eflags\": 514,"
            + " \"eflags_mask\": 3285, \"mem\": [], \"fault\": null, \"fpu\": {\"cw\": 895, \"sw\": 14336, \"tw\": 16383,"
            + " \"top\": 7, \"regs\": [" + ZERO.repeat(7) + "\"3fff8000000000000000\"]}}}";

    private final CpuCase fld1 = VectorJson.parse(FLD1, "fld1");

    private CpuCase withFpu(FpuExpect f) {
        CpuCase.Expect e = fld1.expect();
        return new CpuCase(fld1.id(), fld1.mode(), fld1.code(), fld1.init(), fld1.mem(),
                new CpuCase.Expect(e.regs(), e.eflags(), e.eflagsMask(), e.mem(), e.fault(), Optional.of(f)));
    }

    @Test
    void theFpuStateGoesInAndComesOut() {
        CaseResult r = runner.run(fld1);
        assertTrue(r.passed(), r.describe());
    }

    @Test
    void fpuDifferencesAreReportedUnderTheStatusMaskAndTolerance() {
        FpuState s = fld1.expect().fpu().orElseThrow().state();
        List<FpuState.Register> regs = new java.util.ArrayList<>(s.regs());
        regs.set(7, new FpuState.Register(0x3FFF, 0x8000_0000_0000_0010L));
        FpuState off = new FpuState(s.cw(), s.sw() | 0x4200, s.tw(), s.top(), regs);
        CaseResult exact = runner.run(withFpu(FpuExpect.exact(off)));
        assertEquals(List.of("fpu.sw: expected 0x7a00, actual 0x3800 under mask 0xffff, differing C1 C3",
                "fpu.regs[7] (ST(0)): expected 3fff8000000000000010, actual 3fff8000000000000000"), exact.mismatches());
        CaseResult loose = runner.run(withFpu(new FpuExpect(off, 0xFFFF & ~0x4200, 16)));
        assertTrue(loose.passed(), loose.describe());
        CaseResult tooLoose = runner.run(withFpu(new FpuExpect(off, 0xFFFF & ~0x4200, 15)));
        assertEquals(1, tooLoose.mismatches().size(), tooLoose.describe());
    }

    @Test
    void ulpDistanceCountsAcrossAPowerOfTwo() {
        FpuState.Register below = new FpuState.Register(0x3FFE, -1L);
        FpuState.Register one = new FpuState.Register(0x3FFF, Long.MIN_VALUE);
        assertEquals(1, CaseRunner.ulpDistance(below, one));
        assertEquals(Long.MAX_VALUE, CaseRunner.ulpDistance(one, new FpuState.Register(0xBFFF, Long.MIN_VALUE)));
    }
}
