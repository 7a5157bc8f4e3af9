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
}
