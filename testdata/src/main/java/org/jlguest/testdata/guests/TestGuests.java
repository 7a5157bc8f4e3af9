package org.jlguest.testdata.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The prebuilt test guests: bzImages built from {@code testdata/guests} with its Makefile and
 * committed as resources, so tests need no toolchain to boot them.
 */
public final class TestGuests {
    /** Guests that end with "PASS &lt;name&gt;" on a healthy Host. */
    public static final List<String> PASSING = List.of("hello", "hypercalls", "traps", "paging", "timer", "pending");

    /**
     * Guests that drive the devices of the lguest bus (3.x generation), so they need jlguest's
     * Launcher (jlguest run --generation 3) rather than the Host's test Launcher.
     */
    public static final List<String> LGUEST_BUS = List.of("lguestbus");

    /**
     * Guests that drive virtio devices over PCI through the SDK's driver (or ask for a restart),
     * so they need jlguest's Launcher (jlguest run) and its devices.
     */
    public static final List<String> VIRTIO_PCI = List.of("virtio-console", "virtio-blk", "virtio-rng", "virtio-load",
            "restart");

    /** Guests that misbehave on purpose: the Host must kill them and stay healthy. */
    public static final List<String> HOSTILE = List.of("hostile-before-init", "hostile-bad-hypercall",
            "hostile-garbage", "hostile-switcher-pte", "hostile-pte-limit");

    private TestGuests() {
    }

    /** All guest names, in build order. */
    public static List<String> all() {
        return java.util.stream.Stream.of(PASSING, LGUEST_BUS, VIRTIO_PCI, HOSTILE).flatMap(List::stream).toList();
    }

    /** The committed bzImage of guest {@code name}. */
    public static byte[] image(String name) {
        String resource = name + ".bzImage";
        try (InputStream in = TestGuests.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test guest " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
