package org.jlguest.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jlguest} command. This package is the only place that prints to the terminal or
 * ends the process; everything below it returns values or throws.
 */
@Command(name = "jlguest",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A pure-Java, interpreter-based x86 hypervisor that re-implements Linux's lguest.",
        subcommands = {CpuVectorsCommand.class, BareCommand.class, RunCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
