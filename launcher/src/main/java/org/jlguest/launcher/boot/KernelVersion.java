package org.jlguest.launcher.boot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlguest.host.Generation;

/**
 * The release a kernel's version string starts with ("4.4.0-rc3 (builder@host) #1 ..."), and
 * which lguest generation it speaks: Rusty Russell's virtio-PCI conversion landed in 4.1, so
 * 4.1 and later use virtio-PCI and earlier kernels the lguest bus (§1.1, §14).
 */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4}).*", Pattern.DOTALL);
    private static final KernelVersion FIRST_VIRTIO_PCI = new KernelVersion(4, 1);

    /** The release at the start of {@code versionString}; none if it does not start with "N.N". */
    public static Optional<KernelVersion> parse(String versionString) {
        Matcher m = RELEASE.matcher(versionString);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }

    public Generation generation() {
        return compareTo(FIRST_VIRTIO_PCI) >= 0 ? Generation.VIRTIO_PCI : Generation.LGUEST_BUS;
    }

    /**
     * The generation to boot with: the one asked for, else the kernel's by its version string,
     * else virtio-PCI (the generation of every kernel lguest supported last).
     */
    public static Generation choose(Optional<Generation> requested, Optional<String> versionString) {
        return requested.or(() -> versionString.flatMap(KernelVersion::parse).map(KernelVersion::generation))
                .orElse(Generation.VIRTIO_PCI);
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
