package org.jlguest.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jlguest.cpu.Tier;
import org.jlguest.host.Generation;
import org.jlguest.host.HostClock;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootException;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.KernelImageException;
import org.jlguest.launcher.boot.KernelLoader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.metrics.MetricsExport;
import org.jlguest.launcher.run.BlockSpec;
import org.jlguest.launcher.run.DeviceOptions;
import org.jlguest.launcher.run.InterruptKeys;
import org.jlguest.launcher.run.LauncherExit;
import org.jlguest.launcher.run.Machine;
import org.jlguest.launcher.run.TerminalMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jlguest run}: what lguest's Launcher does from its command line to the Guest's end
 * (§13): load the kernel and initrd, build the zero page, create the devices, INITIALIZE and
 * serve the Guest until it powers off, dies or asks to restart.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Boot a Linux (or test) kernel as an lguest Guest, with a virtio console on stdin/stdout.",
                "Without --kernel it boots a small bundled demo guest that prints a greeting and powers off."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the Guest powered itself off (a Linux panic powers off too: its message is printed on stderr)",
            "1:the Guest was killed; the reason is printed on stderr",
            "2:bad usage, or a kernel, initrd or disk that cannot be read or is malformed",
            "3:the Guest asked to be restarted"})
final class RunCommand implements Callable<Integer> {
    static final String DEMO = "/org/jlguest/launcher/demo/hello.bzImage";
    static final int POWER_OFF = 0;
    static final int KILLED = 1;
    static final int USAGE = 2;
    static final int RESTART = 3;
    /** Initrds at least this large get a progress line on stderr. */
    static final long PROGRESS_THRESHOLD = 16 << 20;

    @Spec
    private CommandSpec spec;

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "bzImage or uncompressed vmlinux to boot (default: the bundled demo guest).")
    private Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk, placed at the top of Guest RAM.")
    private Path initrd;

    @Option(names = "--append", paramLabel = "ARGS", defaultValue = "",
            description = "Kernel command line, e.g. \"console=hvc0 root=/dev/vda\" (at most 2047 bytes).")
    private String append;

    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "64M",
            description = "Guest RAM: a number with K, M or G (a bare number is MiB), 2M..2047M (default: ${DEFAULT-VALUE}).")
    private String mem;

    @Option(names = "--block", paramLabel = "FILE[,ro]",
            description = "Disk image for a virtio block device (vda, vdb, ... in order); \",ro\" makes it read-only. Repeatable.")
    private List<String> blocks = List.of();

    @Option(names = "--rng", description = "Give the Guest a virtio entropy source.")
    private boolean rng;

    @Option(names = "--generation", paramLabel = "3|4",
            description = "ABI generation: 4 = virtio-PCI (Linux 4.1-4.13), 3 = lguest bus (Linux 2.6.3x-4.0). "
                    + "Default: from the kernel's version string, else 4.")
    private Integer generation;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Serve Prometheus metrics at http://127.0.0.1:N/metrics while the Guest runs (0: any free port, printed on stderr), "
                    + "and the same meters as MBeans in the jlguest domain.")
    private Integer metricsPort;

    @Option(names = "--trace", description = "Print every exit the Launcher serves (trap, instruction bytes, address) on stderr.")
    private boolean trace;

    @Mixin
    private TierOption tier = new TierOption();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Tier cpuTier = tier.tier(spec.commandLine());
        Optional<Generation> requested;
        MemoryLayout layout;
        List<BlockSpec> disks;
        try {
            requested = generation();
            layout = MemoryLayout.parse(mem);
            disks = blocks.stream().map(BlockSpec::parse).toList();
        } catch (BootException | IllegalArgumentException e) {
            err.println("jlguest run: " + e.getMessage());
            return USAGE;
        }
        DeviceOptions devices = new DeviceOptions(disks, rng);
        PreparedGuest guest;
        try {
            byte[] image = kernel == null ? demoKernel() : KernelLoader.read(kernel, layout.ram());
            BootOptions options = new BootOptions(layout, append, Optional.ofNullable(initrd), requested,
                    Machine.lguestBusPages(devices));
            guest = Bootloader.prepare(image, options, progress(err));
        } catch (NoSuchFileException e) {
            err.println("jlguest run: " + e.getFile() + ": no such file");
            return USAGE;
        } catch (IOException e) {
            err.println("jlguest run: " + e.getMessage());
            return USAGE;
        } catch (KernelImageException e) {
            err.println("jlguest run: " + (kernel == null ? "demo guest" : kernel) + ": " + e.getMessage());
            return USAGE;
        } catch (BootException e) {
            err.println("jlguest run: " + e.getMessage());
            return USAGE;
        }
        return boot(guest, devices, cpuTier, err);
    }

    private Integer boot(PreparedGuest guest, DeviceOptions devices, Tier cpuTier, PrintWriter err) {
        WriterStream console = new WriterStream(spec.commandLine().getOut());
        AtomicReference<Machine> running = new AtomicReference<>();
        InputStream in = new InterruptKeys(System.in, () -> {
            Machine m = running.get();
            if (m != null) {
                m.launcher().stop("three ^C on the console");
            }
        });
        LauncherExit exit;
        try (Lguest lguest = Lguest.open(new LguestDevice(HostClock.SYSTEM, cpuTier));
             Machine machine = Machine.build(lguest, guest, devices, in, console, trace ? err::println : null);
             Metrics metrics = Metrics.start(metricsPort, lguest, machine, err);
             TerminalMode terminal = TerminalMode.rawIfTerminal()) {
            running.set(machine);
            exit = machine.run();
        } catch (IOException e) {
            err.println("jlguest run: " + e.getMessage());
            return USAGE;
        }
        console.flush();
        if (exit instanceof LauncherExit.PowerOff p) {
            if (!p.message().equals("Power down")) {
                err.println("jlguest run: the Guest powered off: " + p.message());
            }
            return POWER_OFF;
        }
        if (exit instanceof LauncherExit.Killed k) {
            err.println("jlguest run: " + k.reason());
            return KILLED;
        }
        err.println("jlguest run: the Guest asked to restart");
        return RESTART;
    }

    private Optional<Generation> generation() {
        if (generation == null) {
            return Optional.empty();
        }
        return switch (generation) {
            case 3 -> Optional.of(Generation.LGUEST_BUS);
            case 4 -> Optional.of(Generation.VIRTIO_PCI);
            default -> throw new IllegalArgumentException("--generation " + generation + " is neither 3 nor 4");
        };
    }

    private static byte[] demoKernel() throws IOException {
        try (InputStream in = RunCommand.class.getResourceAsStream(DEMO)) {
            if (in == null) {
                throw new IOException("this build has no demo guest (" + DEMO + "); give --kernel FILE");
            }
            return in.readAllBytes();
        }
    }

    /** A progress line on stderr for a large initrd, rewritten in place, percent by percent. */
    private static ProgressListener progress(PrintWriter err) {
        int[] shown = {-1};
        return (done, total) -> {
            if (total < PROGRESS_THRESHOLD) {
                return;
            }
            int percent = (int) (done * 100 / total);
            if (percent != shown[0]) {
                shown[0] = percent;
                err.printf("\rloading initrd: %3d%% of %d MiB", percent, total >> 20);
                if (done == total) {
                    err.println();
                }
                err.flush();
            }
        };
    }

    /** The Prometheus endpoint and the MBeans while the Guest runs, if a metrics port was asked for. */
    private record Metrics(MetricsExport export) implements AutoCloseable {
        static Metrics start(Integer port, Lguest lguest, Machine machine, PrintWriter err) throws IOException {
            if (port == null) {
                return new Metrics(null);
            }
            MetricsExport export = MetricsExport.start(port, lguest, machine.launcher().counters(), machine.devices());
            err.printf("jlguest run: metrics at http://127.0.0.1:%d/metrics and as MBeans in the jlguest domain%n", export.port());
            err.flush();
            return new Metrics(export);
        }

        @Override
        public void close() {
            if (export != null) {
                export.close();
            }
        }
    }

    /**
     * The Guest's console bytes onto picocli's output writer, decoded as UTF-8 (a character split
     * across two writes is kept until it is whole); flushes with every write so output appears as
     * the Guest produces it.
     */
    private static final class WriterStream extends OutputStream {
        private final Writer out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(4096);
        private final CharBuffer chars = CharBuffer.allocate(4096);

        WriterStream(Writer out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int at = off;
            int end = off + len;
            while (at < end) {
                int n = Math.min(pending.remaining(), end - at);
                pending.put(b, at, n);
                at += n;
                pending.flip();
                decoder.decode(pending, chars, false);
                pending.compact();
                chars.flip();
                out.write(chars.array(), chars.position(), chars.remaining());
                chars.clear();
            }
            out.flush();
        }

        @Override
        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
