package org.jlguest.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MeasurementTest {
    private static Run run(int rounds, long nanos) {
        return new Run(rounds, nanos, OptionalLong.of(nanos / 2), "jlguest-bench rounds=" + rounds + " checksum=00000000",
                OptionalLong.empty());
    }

    @Test
    void theMedianIsTakenOverPairDifferences() {
        Measurement m = new Measurement("e",
                List.of(run(1, 100), run(1, 500), run(1, 100)),
                List.of(run(4, 400), run(4, 700), run(4, 1100)));
        assertEquals(300, m.medianDifferenceNanos(), "differences 300, 200, 1000");
        assertEquals(700, m.medianHighNanos());
        assertEquals(150, m.medianDifferenceCpuNanos().getAsLong(), "processor time is half the wall time here");
    }

    @Test
    void anEvenCountAveragesTheMiddleTwo() {
        Measurement m = new Measurement("e", List.of(run(1, 0), run(1, 0)), List.of(run(2, 10), run(2, 20)));
        assertEquals(15, m.medianDifferenceNanos());
    }

    @Test
    void runsComeInPairs() {
        assertThrows(IllegalArgumentException.class, () -> new Measurement("e", List.of(run(1, 1)), List.of()));
    }

    @Test
    void aPlanNeedsABaseBelowTheRounds() {
        assertThrows(IllegalArgumentException.class, () -> new Plan(4, 4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Plan(4, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Plan(4, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Plan(4, 1, 1, -1));
        assertEquals(64, Plan.defaultBase(256));
        assertEquals(1, Plan.defaultBase(3));
    }
}
