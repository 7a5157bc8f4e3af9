package org.jlguest.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jlguest.cpu.Tier;
import org.jlguest.cpu.bare.BareConsole;
import org.jlguest.cpu.bare.BareMachine;
import org.jlguest.cpu.bare.BareRun;
import org.jlguest.cpu.bare.Image;
import org.jlguest.cpu.bare.ImageLayout;
import org.jlguest.cpu.bare.PhysicalSyntax;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jlguest bare}: runs raw images on a bare machine with no devices but a debug console
 * (port 0xE9, to stdout) and POST-code ports (0x80 and 0x190, listed on stderr). It is how test
 * ROMs and small firmware exercise the CPU without a Host or a kernel.
 */
@Command(name = "bare",
        mixinStandardHelpOptions = true,
        description = {
            "Run raw images on a bare machine with RAM, a 64K BIOS ROM and a debug console.",
            "%nAn image wholly inside 0xFFFF0000..0xFFFFFFFF or 0xF0000..0xFFFFF is a ROM image: it appears at both "
                    + "places, read-only below 4 GiB and as a writable copy in RAM. Bytes written to port 0xE9 go to "
                    + "stdout, POST codes written to ports 0x80 and 0x190 are listed on stderr, other ports read all "
                    + "ones.",
            "%nThe run stops on HLT, a triple fault, an access beyond RAM and ROM, or the instruction limit, and "
                    + "prints a one-line summary on stderr."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the program halted (HLT)",
            "1:an unhandled exception or a triple fault stopped it",
            "2:bad arguments",
            "3:the instruction limit was reached"})
final class BareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--image", paramLabel = "FILE@ADDR", required = true, converter = ImageArgument.Converter.class,
            description = "A raw image and the physical address of its first byte (hex as 0x..., or decimal). Repeatable.")
    private List<ImageArgument> images;

    @ArgGroup(exclusive = true)
    private Start start;

    /** Where the CPU starts: one of the two, or by default the reset vector when an image covers it. */
    static final class Start {
        @Option(names = "--reset", required = true,
                description = "Start at the reset vector in real mode, CS:IP = F000:FFF0 (the default when an image "
                        + "covers 0xFFFFFFF0).")
        private boolean reset;

        @Option(names = "--entry", paramLabel = "ADDR", required = true,
                description = "Start at ADDR in flat 32-bit ring-0 protected mode: paging off, interrupts disabled, "
                        + "ESP at the top of RAM, no IDT yet.")
        private String entry;
    }

    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "16M",
            description = "RAM size in bytes, with an optional K, M or G suffix (default: ${DEFAULT-VALUE}).")
    private String memory;

    @Option(names = "--max-insns", paramLabel = "N", defaultValue = "1000000000",
            description = "Stop after N instructions (default: ${DEFAULT-VALUE}).")
    private long maxInstructions;

    @Mixin
    private TierOption tier = new TierOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Tier cpuTier = tier.tier(spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        if (maxInstructions <= 0) {
            throw usage("--max-insns " + maxInstructions + " must be positive");
        }
        boolean flat = start != null && start.entry != null;
        long entry = flat ? parse(() -> PhysicalSyntax.address(start.entry)) : 0;
        ImageLayout layout = layout();
        if (!flat && !layout.coversResetVector()) {
            throw usage(String.format("no image covers the reset vector 0x%X (place a ROM image there, e.g. "
                    + "FILE@0xFFFF0000 for a 64K ROM), and no --entry ADDR was given", ImageLayout.RESET_VECTOR));
        }
        BareMachine machine = new BareMachine(layout, new Terminal(out, err));
        machine.interpreter().setTier(cpuTier);
        if (flat) {
            machine.enterFlat((int) entry);
        } else {
            machine.reset();
        }
        BareRun run = machine.run(maxInstructions);
        out.flush();
        err.println("bare: " + run.summary());
        return switch (run.exit()) {
            case HALTED, HALTED_WAITING -> 0;
            case FAULT, TRIPLE_FAULT -> {
                err.println(run.state().describe());
                yield 1;
            }
            case INSTRUCTION_LIMIT -> {
                err.println(run.state().describe());
                yield 3;
            }
        };
    }

    private ImageLayout layout() {
        long ram = parse(() -> PhysicalSyntax.size(memory));
        List<Image> loaded = new ArrayList<>();
        for (ImageArgument image : images) {
            loaded.add(parse(() -> image.load()));
        }
        return parse(() -> new ImageLayout(ram, loaded));
    }

    private interface Check<T> {
        T get() throws IOException;
    }

    /** Runs a check of the arguments, turning its complaint into a usage error (exit status 2). */
    private <T> T parse(Check<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException | IOException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code FILE@ADDR} as given; the file is read when the machine is built. */
    record ImageArgument(Path file, long address) {
        Image load() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IOException("image file " + file + ": no such file");
            }
            return new Image(file.getFileName().toString(), address, Files.readAllBytes(file));
        }

        static final class Converter implements ITypeConverter<ImageArgument> {
            @Override
            public ImageArgument convert(String value) {
                int at = value.lastIndexOf('@');
                if (at <= 0 || at == value.length() - 1) {
                    throw new TypeConversionException("'" + value + "' is not FILE@ADDR");
                }
                try {
                    return new ImageArgument(Path.of(value.substring(0, at)), PhysicalSyntax.address(value.substring(at + 1)));
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException("image " + value + ": " + e.getMessage());
                }
            }
        }
    }

    /** The console port on stdout, flushed at each line; POST codes on stderr. */
    private record Terminal(PrintWriter out, PrintWriter err) implements BareConsole {
        @Override
        public void console(int b) {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        }

        @Override
        public void post(int port, int value, long instructions) {
            err.printf("post 0x%x = 0x%02x after %d instructions%n", port, value, instructions);
        }
    }
}
