package org.jlguest.launcher.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gzipped initramfs around Debian's static i386 busybox: {@code /init} installs the applets,
 * mounts proc, sysfs and devtmpfs, prints {@value #USERSPACE_UP} and execs a shell on the console.
 */
public final class BusyboxInitramfs {
    /** What {@code /init} prints once it runs. */
    public static final String USERSPACE_UP = "init: userspace up";

    static final String INIT = """
            #!/bin/sh
            /bin/busybox --install -s /bin
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs dev /dev
            echo "%s"
            exec setsid cttyhack sh
            """.formatted(USERSPACE_UP);

    private BusyboxInitramfs() {
    }

    /**
     * Builds {@code dir/initrd.cpio.gz}. The busybox binary comes from {@code busybox}, a
     * {@code busybox-static} .deb or a busybox executable, when given; otherwise
     * {@code apt-get download busybox-static:i386} fetches the package into {@code dir}.
     */
    public static Path build(Path dir, String busybox) throws IOException, InterruptedException {
        byte[] binary = busyboxBinary(dir, busybox);
        byte[] cpio = new NewcArchive()
                .directory("bin").directory("dev").directory("proc").directory("sys").directory("tmp")
                .charDevice("dev/console", 0600, 5, 1)
                .file("bin/busybox", 0755, binary)
                .symlink("bin/sh", "busybox")
                .file("init", 0755, INIT.getBytes(StandardCharsets.US_ASCII))
                .gzipped();
        Path initrd = dir.resolve("initrd.cpio.gz");
        Files.write(initrd, cpio);
        return initrd;
    }

    private static byte[] busyboxBinary(Path dir, String busybox) throws IOException, InterruptedException {
        Path deb;
        if (busybox != null && !busybox.isEmpty()) {
            Path given = Path.of(busybox);
            if (!given.getFileName().toString().endsWith(".deb")) {
                return Files.readAllBytes(given);
            }
            deb = given;
        } else {
            run(dir, List.of("apt-get", "download", "busybox-static:i386"),
                    "downloading busybox-static:i386 (it needs `dpkg --add-architecture i386 && apt-get update`; "
                            + "or set JLGUEST_BUSYBOX to a busybox-static .deb or a static i386 busybox, "
                            + "or JLGUEST_LINUX_INITRD to an initramfs)");
            deb = onlyDeb(dir);
        }
        Path tree = Files.createDirectories(dir.resolve("busybox-static"));
        run(dir, List.of("dpkg-deb", "-x", deb.toAbsolutePath().toString(), tree.toString()),
                "unpacking " + deb + " (needs dpkg-deb; or set JLGUEST_BUSYBOX to a static i386 busybox executable)");
        Path binary = tree.resolve("bin/busybox");
        if (!Files.isRegularFile(binary)) {
            throw new IOException(deb + " has no bin/busybox");
        }
        return Files.readAllBytes(binary);
    }

    private static Path onlyDeb(Path dir) throws IOException {
        List<Path> debs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "busybox-static_*.deb")) {
            s.forEach(debs::add);
        }
        if (debs.size() != 1) {
            throw new IOException("expected one busybox-static .deb in " + dir + ", found " + debs);
        }
        return debs.get(0);
    }

    private static void run(Path dir, List<String> command, String what) throws IOException, InterruptedException {
        Path log = dir.resolve("command.log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(what + ": " + String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + ": " + String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }
}
