package org.jlguest.testdata.vectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
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
import org.jlguest.testdata.oracle.Observation;
import org.jlguest.testdata.oracle.Probe;

/**
 * Fresh random cases, run live on this machine's CPU and on the interpreter: they must agree.
 * Skipped (with the reason) where the native oracle cannot be built or run.
 */
@AddLifecycleHook(SkipWithoutOracle.class)
class LiveOracleProperties {

    /** x87 cases go to the oracle in batches: one round trip per try keeps 100,000 cases cheap. */
    private static final int X87_BATCH = 500;

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

    /** The integer families: one case per try. */
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

    @Provide
    Arbitrary<Family> x87Families() {
        return Arbitraries.of(Stream.of(Family.values()).filter(Family::x87).toList());
    }

    /**
     * 200 tries of {@value #X87_BATCH} fresh x87 cases each, 100,000 in all (about 20 seconds on
     * two cores); a failure reports up to three disagreeing cases, each as a vector to keep, and is
     * not shrunk (each try is a whole batch).
     */
    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void interpreterAgreesWithTheHardwareOnTheX87(@ForAll("x87Families") Family family, @ForAll long seed)
            throws IOException {
        List<Probe> probes = CaseGenerator.generate(family, seed, X87_BATCH);
        List<Observation> observed = oracle().run(probes);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < probes.size() && failures.size() < 3; i++) {
            CpuCase c = probes.get(i).complete(observed.get(i));
            CaseResult r = runner.run(c);
            if (!r.passed()) failures.add(r.describe() + "\nas a vector:\n" + VectorJson.write(c));
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }
}
