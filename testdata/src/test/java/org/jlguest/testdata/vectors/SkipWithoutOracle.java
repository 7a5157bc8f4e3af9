package org.jlguest.testdata.vectors;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.jlguest.testdata.oracle.NativeOracle;

/**
 * Skips a jqwik property, saying why, where the native oracle cannot run (jqwik
 * would count a failed assumption in every try as a rejection, then fail as exhausted).
 */
public final class SkipWithoutOracle implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        NativeOracle.Availability a = NativeOracle.build(NativeOracle.moduleDir());
        return a.available() ? SkipResult.doNotSkip() : SkipResult.skip("native oracle unavailable: " + a.reason());
    }
}
