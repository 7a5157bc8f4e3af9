package org.jlguest.testdata.vectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jlguest.cpu.vectors.CaseResult;
import org.jlguest.cpu.vectors.CaseRunner;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.VectorFiles;
import org.jlguest.testdata.oracle.CaseGenerator.Family;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed vector, recorded on real hardware, must pass on the interpreter.
 * One test per family; each prints its pass count and fails listing the first mismatches.
 */
class CommittedVectorsTest {

    private static final int SHOWN = 5;

    static List<CpuCase> load(Family family) {
        String resource = "/org/jlguest/testdata/vectors/" + family.fileStem() + ".jsonl.gz";
        try (InputStream in = CommittedVectorsTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing vector file " + resource);
            return VectorFiles.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFamilyPassesOnTheInterpreter() {
        CaseRunner runner = new CaseRunner();
        return Stream.of(Family.values()).map(family -> DynamicTest.dynamicTest(family.fileStem(), () -> {
            List<CpuCase> cases = load(family);
            assertFalse(cases.isEmpty(), family + " has no vectors");
            List<CaseResult> failures = new ArrayList<>();
            for (CpuCase c : cases) {
                CaseResult r = runner.run(c);
                if (!r.passed()) failures.add(r);
            }
            String summary = String.format("%-12s %6d of %6d passed", family.fileStem(), cases.size() - failures.size(),
                    cases.size());
            System.out.println(summary);
            StringBuilder report = new StringBuilder(summary);
            failures.stream().limit(SHOWN).forEach(f -> report.append('\n').append(f.describe()));
            if (failures.size() > SHOWN) report.append("\n... and ").append(failures.size() - SHOWN).append(" more");
            assertTrue(failures.isEmpty(), report.toString());
        }));
    }
}
