package org.jlguest.testdata.vectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.constraints.IntRange;
import org.jlguest.cpu.vectors.CaseResult;
import org.jlguest.cpu.vectors.CaseRunner;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.VectorJson;
import org.jlguest.testdata.oracle.CaseGenerator;
import org.jlguest.testdata.oracle.CaseGenerator.Family;
import org.jlguest.testdata.oracle.NativeOracle;
import org.jlguest.testdata.oracle.Probe;

/**
 * Fresh random cases, run live on this machine's CPU and on the interpreter: they must agree.
 * Skipped (with the reason) where the native oracle cannot be built or run.
 */
@AddLifecycleHook(SkipWithoutOracle.class)
class LiveOracleProperties {

    private final CaseRunner runner = new CaseRunner();
    private NativeOracle oracle;

    private NativeOracle oracle() throws IOException {
        if (oracle == null) {
            NativeOracle.Availability a = NativeOracle.build(NativeOracle.moduleDir());
            oracle = NativeOracle.start(a.binary().orElseThrow(() -> new IllegalStateException(a.reason())));
        }
        return oracle;
    }

    @AfterProperty
    void stop() {
        if (oracle != null) oracle.close();
    }

    /** The integer families; the x87 families are covered by their committed vectors. */
    @Provide
    Arbitrary<Family> families() {
        return Arbitraries.of(Stream.of(Family.values()).filter(f -> !f.x87()).toList());
    }

    @Property(tries = 400)
    void interpreterAgreesWithTheHardware(@ForAll("families") Family family, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 1_000_000) int index) throws IOException {
        Probe probe = CaseGenerator.one(family, seed, index);
        CpuCase c = probe.complete(oracle().run(probe));
        CaseResult r = runner.run(c);
        assertTrue(r.passed(), () -> r.describe() + "\nas a vector:\n" + VectorJson.write(c));
    }
}
