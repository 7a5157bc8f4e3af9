package org.jlguest.launcher.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jlguest.cpu.vectors.CaseResult;
import org.jlguest.cpu.vectors.CaseRunner;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.VectorFiles;
import org.jlguest.cpu.vectors.VectorFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jlguest cpu-vectors FILE...}: runs CPU test vectors ("jlguest-cpu-vectors v1", plain or
 * gzip) through the interpreter and reports, per file, how many cases passed and the first
 * mismatches in readable form. Exits 1 on any mismatch, 2 on an unreadable or malformed file.
 */
@Command(name = "cpu-vectors",
        mixinStandardHelpOptions = true,
        description = "Run CPU test vectors (JSON Lines, \"jlguest-cpu-vectors v1\", plain or .gz) through the interpreter "
                + "and print a pass/fail count per file with the first mismatches.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every case passed", "1:a case failed", "2:a file could not be read or is malformed"})
final class CpuVectorsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Vector files to run.")
    private List<Path> files;

    @Option(names = "--show", paramLabel = "N", defaultValue = "5",
            description = "How many mismatching cases to print per file (default: ${DEFAULT-VALUE}).")
    private int show;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaseRunner runner = new CaseRunner();
        int status = 0;
        long totalPassed = 0;
        long totalFailed = 0;
        for (Path file : files) {
            List<CpuCase> cases;
            try {
                if (!Files.isRegularFile(file)) {
                    err.printf("%s: no such file%n", file);
                    status = 2;
                    continue;
                }
                cases = VectorFiles.read(file);
            } catch (VectorFormatException | UncheckedIOException e) {
                err.printf("%s: %s%n", file, e.getMessage());
                status = 2;
                continue;
            }
            int passed = 0;
            int shown = 0;
            for (CpuCase c : cases) {
                CaseResult r = runner.run(c);
                if (r.passed()) {
                    passed++;
                } else if (shown++ < show) {
                    out.println(r.describe());
                }
            }
            int failed = cases.size() - passed;
            out.printf("%s: %d passed, %d failed%n", file, passed, failed);
            totalPassed += passed;
            totalFailed += failed;
            if (failed > 0 && status == 0) {
                status = 1;
            }
        }
        if (files.size() > 1) {
            out.printf("total: %d passed, %d failed%n", totalPassed, totalFailed);
        }
        return status;
    }
}
