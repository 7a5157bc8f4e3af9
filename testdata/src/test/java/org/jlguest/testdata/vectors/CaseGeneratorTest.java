package org.jlguest.testdata.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.testdata.oracle.CaseGenerator;
import org.jlguest.testdata.oracle.CaseGenerator.Family;
import org.jlguest.testdata.oracle.Probe;

/** Generated cases are reproducible and keep to the address plan that makes them safe to run natively. */
class CaseGeneratorTest {

    @Property(tries = 2000)
    void casesAreDeterministicAndStayInTheirRanges(@ForAll Family family, @ForAll long seed, @ForAll int index) {
        int i = index & 0xFFFFF;
        Probe p = CaseGenerator.one(family, seed, i);
        assertEquals(p, CaseGenerator.one(family, seed, i));
        int eip = p.init().regs().eip();
        assertTrue(eip >= 0x1000_0000 && eip < 0x2000_0000, p::toString);
        assertEquals(eip >>> 12, (p.endEip() + 1) >>> 12, () -> "code and the oracle's sentinel share a page: " + p);
        assertTrue(p.code().length > 0 && p.code().length <= 250, p::toString);
        Set<Integer> pages = new HashSet<>();
        for (CpuCase.Mem m : p.mem()) {
            assertTrue(m.addr() >= 0x2000_0000 && m.addr() + m.length() <= 0x5000_0000, p::toString);
            for (int page = m.addr() >>> 12; page <= (m.addr() + m.length() - 1) >>> 12; page++) {
                assertTrue(pages.add(page), () -> "regions share a page: " + p);
            }
        }
        assertEquals(0x202, p.init().eflags() & ~CpuCase.USER_FLAGS, p::toString);
    }
}
