package org.jlguest.launcher.cli;

import org.jlguest.cpu.Tier;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --tier}: how the CPU runs guest code, for the commands that run one machine. */
final class TierOption {
    @Option(names = "--tier", paramLabel = "TIER",
            description = "interpreter (the reference) or compiled: hot code compiled to JVM bytecode, several "
                    + "times faster on loops (default: the " + Tier.PROPERTY + " system property, else interpreter).")
    private String tier;

    /** The tier asked for, or the one the system property names; a name other than the two is a usage error. */
    Tier tier(CommandLine commandLine) {
        if (tier == null) {
            return Tier.fromProperty();
        }
        try {
            return Tier.parse(tier);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--tier: interpreter or compiled, not " + tier);
        }
    }
}
