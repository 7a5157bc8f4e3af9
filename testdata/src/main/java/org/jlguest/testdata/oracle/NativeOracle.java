package org.jlguest.testdata.oracle;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.FpuImage;
import org.jlguest.cpu.vectors.FpuState;

/**
 * The host CPU as a reference: builds {@code testdata/oracle/oracle.c} with gcc
 * and streams cases through one long-lived oracle process.
 *
 * <p>It needs an x86 Linux host and a gcc that can emit 32-bit code ({@code -m32};
 * the program is freestanding, so no 32-bit libc is needed). Where that is
 * missing, {@link #build} says why and the callers skip rather than fail.
 */
public final class NativeOracle implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> GCC_FLAGS = List.of("-m32", "-ffreestanding", "-nostdlib", "-static", "-fno-pic",
            "-no-pie", "-O2", "-fno-stack-protector");

    private final Process process;
    private final Writer toOracle;
    private final BufferedReader fromOracle;

    /** Whether the oracle can run on this machine: the binary, or the reason it cannot. */
    public record Availability(Optional<Path> binary, String reason) {
        public boolean available() {
            return binary.isPresent();
        }
    }

    private NativeOracle(Process process) {
        this.process = process;
        this.toOracle = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        this.fromOracle = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /**
     * The testdata module's directory: the {@code jlguest.testdata.dir} system property if set,
     * else the working directory or its {@code testdata} child, whichever holds the oracle source.
     */
    public static Path moduleDir() {
        String configured = System.getProperty("jlguest.testdata.dir");
        if (configured != null) return Path.of(configured);
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("oracle/oracle.c")) ? here : here.resolve("testdata");
    }

    /** Builds the oracle under {@code <moduleDir>/target/oracle} unless it is up to date, then checks it runs. */
    public static Availability build(Path moduleDir) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) return unavailable("the oracle needs Linux, this is " + os);
        if (!List.of("amd64", "x86_64", "x86", "i386", "i686").contains(arch)) {
            return unavailable("the oracle needs an x86 CPU, this is " + arch);
        }
        Path source = moduleDir.resolve("oracle/oracle.c");
        if (!Files.isRegularFile(source)) return unavailable("no oracle source at " + source);
        Path binary = moduleDir.resolve("target/oracle/oracle");
        try {
            if (!Files.exists(binary) || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
                Files.createDirectories(binary.getParent());
                Path partial = Files.createTempFile(binary.getParent(), "oracle", ".partial");
                List<String> command = new ArrayList<>(List.of("gcc"));
                command.addAll(GCC_FLAGS);
                command.addAll(List.of("-o", partial.toString(), source.toString()));
                String failure = runTool(command);
                if (failure != null) {
                    Files.deleteIfExists(partial);
                    return unavailable("gcc cannot build the 32-bit oracle: " + failure);
                }
                Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            try (NativeOracle oracle = start(binary)) {
                oracle.selfCheck();
            }
            return new Availability(Optional.of(binary), "built " + binary);
        } catch (IOException | RuntimeException e) {
            return unavailable("the oracle does not run here: " + e.getMessage());
        }
    }

    private static Availability unavailable(String reason) {
        return new Availability(Optional.empty(), reason);
    }

    /** Runs a tool; null on success, else a short account of the failure. */
    private static String runTool(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command.get(0) + " not found (" + e.getMessage() + ")";
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "timed out";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (p.exitValue() == 0) return null;
        String trimmed = output.strip();
        return "exit " + p.exitValue() + (trimmed.isEmpty() ? "" : ": " + trimmed.lines().limit(5).reduce((a, b) -> a + " / " + b).orElse(""));
    }

    /** Starts a built oracle; {@link #close} ends it. */
    public static NativeOracle start(Path binary) throws IOException {
        return new NativeOracle(new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** A NOP must complete with nothing changed but EIP. */
    private void selfCheck() {
        CpuCase.Regs regs = new CpuCase.Regs(1, 2, 3, 4, 0x20000000, 6, 7, 8, 0x10000000);
        Observation o = run(new Probe("self-check", new byte[] {(byte) 0x90}, new CpuCase.Init(regs, 0x202), List.of(), 0));
        if (o.signal() != Observation.SIGILL || o.regs().eip() != 0x10000001 || o.regs().eax() != 1) {
            throw new IllegalStateException("self-check got " + o);
        }
    }

    public Observation run(Probe probe) {
        return run(List.of(probe)).get(0);
    }

    /** Runs the probes in order; a writer thread feeds the oracle so neither side's pipe can fill up and stall. */
    public List<Observation> run(List<Probe> probes) {
        Thread writer = new Thread(() -> {
            try {
                for (Probe p : probes) {
                    toOracle.write(encode(p));
                    toOracle.write('\n');
                }
                toOracle.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "oracle-writer");
        writer.setDaemon(true);
        writer.start();
        List<String> replies = new ArrayList<>(probes.size());
        try {
            for (Probe p : probes) {
                String line = fromOracle.readLine();
                if (line == null) throw new IllegalStateException("oracle exited while running " + p.id());
                replies.add(line);
            }
            writer.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<Observation> results = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) results.add(decode(probes.get(i), replies.get(i)));
        return results;
    }

    private static String encode(Probe p) {
        StringBuilder s = new StringBuilder(128);
        CpuCase.Regs r = p.init().regs();
        s.append(Integer.toHexString(r.eip())).append(' ').append(HEX.formatHex(p.code()));
        for (int i = 0; i < 8; i++) s.append(' ').append(Integer.toHexString(r.get(i)));
        s.append(' ').append(Integer.toHexString(p.init().eflags())).append(' ').append(Integer.toHexString(p.mem().size()));
        for (CpuCase.Mem m : p.mem()) s.append(' ').append(Integer.toHexString(m.addr())).append(' ').append(HEX.formatHex(m.bytes()));
        p.init().fpu().ifPresent(f -> s.append(" F ").append(HEX.formatHex(FpuImage.encode(f))));
        return s.toString();
    }

    private static Observation decode(Probe p, String line) {
        String[] f = line.split(" ");
        if (f[0].equals("E")) throw new IllegalArgumentException("oracle rejected " + p.id() + ": " + line.substring(1).strip());
        boolean x87 = p.init().fpu().isPresent();
        if (!f[0].equals("R") || f.length != 15 + p.mem().size() + (x87 ? 2 : 0)) {
            throw new IllegalStateException("malformed oracle reply for " + p.id() + ": " + line);
        }
        int[] v = new int[14];
        for (int i = 0; i < 14; i++) v[i] = Integer.parseUnsignedInt(f[i + 1], 16);
        List<byte[]> mem = new ArrayList<>();
        for (int i = 0; i < p.mem().size(); i++) mem.add(HEX.parseHex(f[15 + i]));
        CpuCase.Regs regs = new CpuCase.Regs(v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
        Optional<FpuState> fpu = x87 ? Optional.of(FpuImage.decode(HEX.parseHex(f[16 + p.mem().size()]))) : Optional.empty();
        return new Observation(v[0], v[1], v[2], v[3], regs, v[13], mem, fpu);
    }

    @Override
    public void close() {
        try {
            toOracle.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
