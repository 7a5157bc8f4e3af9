package org.jlguest.launcher.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The prebuilt workload: a directory holding {@code bench.bin} (the raw image for the bare
 * machine and for qemu-system-i386) and {@code bench-linux-i386} (the static i386 Linux
 * executable for the host processor and qemu-i386). They are built from {@code testdata/bench}
 * and committed in the repository under {@link #RELATIVE}, where {@link #locate} finds them.
 */
public record Workload(Path directory) {
    /** Where the builds live, relative to the repository. */
    public static final Path RELATIVE = Path.of("testdata", "src", "main", "resources", "org", "jlguest", "testdata", "bench");
    public static final String FLAT = "bench.bin";
    public static final String NATIVE = "bench-linux-i386";
    /** Where the raw image is loaded and entered. */
    public static final int FLAT_ADDRESS = 0x100000;

    /** The raw image, loaded and entered at {@link #FLAT_ADDRESS}. */
    public WorkloadImage flatImage() throws IOException {
        return read(FLAT);
    }

    /** The static i386 Linux executable. */
    public WorkloadImage nativeExecutable() throws IOException {
        return read(NATIVE);
    }

    private WorkloadImage read(String file) throws IOException {
        Path path = directory.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IOException("workload " + path + ": no such file");
        }
        return new WorkloadImage(file, Files.readAllBytes(path));
    }

    /**
     * The workload in {@code directory} if given, else the repository's, found above the working
     * directory or above the jar jlguest runs from.
     */
    public static Workload locate(Optional<Path> directory) throws IOException {
        if (directory.isPresent()) {
            if (!Files.isRegularFile(directory.get().resolve(FLAT))) {
                throw new IOException("workload directory " + directory.get() + " has no " + FLAT);
            }
            return new Workload(directory.get());
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        codeLocation().ifPresent(starts::add);
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(RELATIVE).resolve(FLAT))) {
                    return new Workload(dir.resolve(RELATIVE));
                }
            }
        }
        throw new IOException("no workload found: " + RELATIVE.resolve(FLAT) + " is not above " + starts
                + "; run from the jlguest repository or give --workload DIR");
    }

    private static Optional<Path> codeLocation() {
        CodeSource source = Workload.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
