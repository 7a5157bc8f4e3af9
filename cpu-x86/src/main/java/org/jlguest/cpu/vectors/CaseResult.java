package org.jlguest.cpu.vectors;

import java.util.HexFormat;
import java.util.List;

/**
 * The interpreter's verdict on one case.
 *
 * @param testCase   the case that ran
 * @param mismatches every way the interpreter differed from the hardware, readable; empty if it passed
 */
public record CaseResult(CpuCase testCase, List<String> mismatches) {

    public CaseResult {
        mismatches = List.copyOf(mismatches);
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /** A multi-line report: the case, its code and each mismatch. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(testCase.id()).append(" code ").append(HexFormat.of().formatHex(testCase.code()))
                .append(String.format(" at %08x", testCase.init().regs().eip()))
                .append(passed() ? ": passed" : ": FAILED");
        for (String m : mismatches) s.append("\n  ").append(m);
        return s.toString();
    }
}
