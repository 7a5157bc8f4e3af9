package org.jlguest.launcher.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The workload as a child process: the static i386 executable on the host processor, the same
 * executable under qemu-i386 (user-mode emulation), or the raw image under qemu-system-i386
 * (a whole PC, TCG). Each run writes the image with its round count to a temporary file and
 * times from starting the process to its exit, so the time includes starting it, on the wall
 * clock and in the processor time the child used; the instructions are not counted here.
 */
public final class ProcessEngine implements Engine {
    private static final Set<String> X86_ARCHES = Set.of("x86", "i386", "i486", "i586", "i686", "amd64", "x86_64");

    private final String name;
    private final String description;
    private final WorkloadImage image;
    private final List<String> command;
    private final int exitStatus;
    private final Path scratch;

    private ProcessEngine(String name, String description, WorkloadImage image, List<String> command, int exitStatus)
            throws BenchException {
        this.name = name;
        this.description = description;
        this.image = image;
        this.command = List.copyOf(command);
        this.exitStatus = exitStatus;
        try {
            scratch = Files.createTempDirectory("jlguest-bench-");
        } catch (IOException e) {
            throw new BenchException(name + ": no temporary directory: " + e.getMessage(), e);
        }
    }

    /** The executable on this processor, or why it cannot run here. */
    public static ProcessEngine nativeLinux(WorkloadImage executable) throws BenchException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux") || !X86_ARCHES.contains(arch)) {
            throw new BenchException("native: the workload is an i386 Linux executable and this is " + os + " on " + arch);
        }
        return new ProcessEngine("native", "the static i386 executable on this processor", executable, List.of(), 0);
    }

    /** The executable under qemu-i386 from PATH, if installed. */
    public static Optional<ProcessEngine> qemuUser(WorkloadImage executable) throws BenchException {
        Optional<Path> qemu = onPath("qemu-i386");
        if (qemu.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessEngine("qemu-i386", "the same executable under qemu-i386 (user mode, TCG)",
                executable, List.of(qemu.get().toString()), 0));
    }

    /**
     * The raw image as a multiboot kernel under qemu-system-i386 from PATH, if installed: TCG
     * (no KVM, so it emulates as jlguest does), the console port 0xE9 on stdout, and
     * isa-debug-exit at port 0xF4, where the workload writes 0 before it halts and QEMU exits
     * with status (0 << 1) | 1.
     */
    public static Optional<ProcessEngine> qemuSystem(WorkloadImage flat) throws BenchException {
        Optional<Path> qemu = onPath("qemu-system-i386");
        if (qemu.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessEngine("qemu-system-i386",
                "the raw image as a multiboot kernel under qemu-system-i386 (whole PC, TCG, BIOS boot included)", flat,
                List.of(qemu.get().toString(), "-accel", "tcg", "-m", "16", "-display", "none", "-serial", "none",
                        "-monitor", "none", "-no-reboot", "-debugcon", "stdio",
                        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel"),
                1));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Run run(int rounds) throws BenchException {
        Path file = scratch.resolve(rounds + "-" + image.name());
        List<String> line = new ArrayList<>(command);
        line.add(file.toString());
        Path errors = scratch.resolve("stderr");
        try {
            Files.write(file, image.withRounds(rounds).bytes());
            if (!file.toFile().setExecutable(true)) {
                throw new BenchException(name + ": cannot make " + file + " executable");
            }
            OptionalLong cpuStart = CpuClock.children();
            long start = System.nanoTime();
            Process process = new ProcessBuilder(line).redirectError(errors.toFile()).start();
            byte[] output = process.getInputStream().readAllBytes();
            int status = process.waitFor();
            long nanos = System.nanoTime() - start;
            OptionalLong cpu = CpuClock.between(cpuStart, CpuClock.children());
            if (status != exitStatus) {
                throw new BenchException(String.format("%s, %d rounds: exit status %d (expected %d): %s %s", name, rounds,
                        status, exitStatus, new String(output, StandardCharsets.UTF_8).strip(),
                        Files.readString(errors).strip()));
            }
            return Run.checked(name, rounds, nanos, cpu, new String(output, StandardCharsets.UTF_8), OptionalLong.empty());
        } catch (IOException e) {
            throw new BenchException(name + ", " + rounds + " rounds: cannot run " + String.join(" ", line) + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(name + ": interrupted", e);
        } finally {
            delete(file);
            delete(errors);
        }
    }

    @Override
    public void close() throws BenchException {
        delete(scratch);
    }

    private static void delete(Path path) throws BenchException {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new BenchException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
