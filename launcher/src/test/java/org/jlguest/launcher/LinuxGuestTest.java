package org.jlguest.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlguest.launcher.cli.Main;
import org.jlguest.launcher.linux.BusyboxInitramfs;
import org.jlguest.launcher.linux.GuestConsole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Boots a real lguest Linux kernel through {@code jlguest run}, in-process, to a busybox shell and
 * drives a console session: the shell, /proc and /sys, a virtio disk read and written, the
 * entropy device, timekeeping, an idle Guest that sleeps, and power-off.
 *
 * <p>Runs only when {@code JLGUEST_LINUX_KERNEL} names a kernel (docs/linux-guest.md says how to
 * build one). {@code JLGUEST_LINUX_INITRD} may name an initramfs whose init ends in a shell on the
 * console; without it one is built around Debian's busybox-static:i386, from
 * {@code JLGUEST_BUSYBOX} (a .deb or a static busybox) or fetched with {@code apt-get download}.
 */
@EnabledIfEnvironmentVariable(named = LinuxGuestTest.KERNEL_VARIABLE, matches = ".*\\S.*",
        disabledReason = LinuxGuestTest.SKIPPED)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinuxGuestTest {
    static final String KERNEL_VARIABLE = "JLGUEST_LINUX_KERNEL";
    static final String INITRD_VARIABLE = "JLGUEST_LINUX_INITRD";
    static final String BUSYBOX_VARIABLE = "JLGUEST_BUSYBOX";
    static final String SKIPPED = "set JLGUEST_LINUX_KERNEL to an i386 Linux 4.x kernel built with CONFIG_LGUEST_GUEST "
            + "(vmlinux or bzImage; docs/linux-guest.md) to boot it; optionally JLGUEST_LINUX_INITRD to an initramfs "
            + "whose init starts a shell on hvc0 (default: one built around Debian's busybox-static:i386, from "
            + "JLGUEST_BUSYBOX, a .deb or a static busybox, or else fetched with apt-get download)";
    private static final Duration BOOT = Duration.ofMinutes(5);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final int SECTOR = 512;
    private static final int DISK_BYTES = 1 << 20;
    private static final Pattern METRICS = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    static Path dir;

    private final GuestConsole console = new GuestConsole();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger status = new AtomicInteger(-1);
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private InputStream savedIn;
    private Thread vcpu;
    private Path disk;
    private byte[] diskBytes;
    private String bootLog;

    @BeforeAll
    void boot() throws Exception {
        String kernel = System.getenv(KERNEL_VARIABLE);
        assumeTrue(kernel != null && !kernel.isBlank(), SKIPPED);
        String initrdPath = System.getenv(INITRD_VARIABLE);
        Path initrd = initrdPath != null && !initrdPath.isBlank()
                ? Path.of(initrdPath)
                : BusyboxInitramfs.build(Files.createDirectories(dir.resolve("initramfs")), System.getenv(BUSYBOX_VARIABLE));
        disk = dir.resolve("disk.img");
        diskBytes = new byte[DISK_BYTES];
        new Random(4404).nextBytes(diskBytes);
        Files.write(disk, diskBytes);

        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(console.output(), true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = {"run", "--kernel", kernel, "--initrd", initrd.toString(), "--mem", "128M",
            "--append", "console=hvc0", "--block", disk.toString(), "--rng", "--metrics-port", "0"};
        savedIn = System.in;
        System.setIn(console.input());
        vcpu = new Thread(null, () -> {
            try {
                status.set(cli.execute(args));
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "linux-guest-vcpu", 64 << 20);
        long start = System.nanoTime();
        vcpu.start();

        boolean ownInit = initrdPath == null || initrdPath.isBlank();
        String firstUserspace = ownInit ? BusyboxInitramfs.USERSPACE_UP : "Freeing unused kernel memory";
        awaitBoot(firstUserspace);
        double seconds = (System.nanoTime() - start) / 1e9;
        long instructions = instructionsRetired();
        System.out.printf("LinuxGuestTest: %s: \"%s\" %.1f s after start, %d Guest instructions (%.1f MIPS)%n",
                kernel, firstUserspace, seconds, instructions, instructions / seconds / 1e6);
        awaitBoot("# ");
        bootLog = console.transcript();
        GuestConsole.Result ready = run("echo ready");
        assertEquals("ready\n", ready.output(), this::context);
    }

    @AfterAll
    void powerOffOrStop() throws Exception {
        try {
            if (vcpu != null && vcpu.isAlive()) {
                for (int i = 0; i < 3; i++) {
                    console.type("\u0003");
                    Thread.sleep(100);
                }
                vcpu.join(Duration.ofSeconds(30).toMillis());
            }
        } finally {
            console.hangUp();
            if (savedIn != null) {
                System.setIn(savedIn);
            }
        }
    }

    @Test
    @Order(1)
    void theBootLogShowsAnLguestGuestWithItsDevices() {
        for (String line : List.of("Booting paravirtualized kernel on lguest", "lguest: Console via virtio-pci emerg_wr",
                "clocksource: lguest: mask", "Switched to clocksource lguest", "virtio-pci 0000:00:01.0",
                "virtio-pci 0000:00:02.0", "virtio-pci 0000:00:03.0", "Unpacking initramfs...", "Freeing initrd memory",
                "Freeing unused kernel memory")) {
            assertTrue(bootLog.contains(line), () -> "the boot log lacks \"" + line + "\"" + context());
        }
        if (System.getenv(INITRD_VARIABLE) == null || System.getenv(INITRD_VARIABLE).isBlank()) {
            assertTrue(bootLog.contains(BusyboxInitramfs.USERSPACE_UP), this::context);
        }
        for (String bad : List.of("Kernel panic", "BUG:", "Oops", "Call Trace")) {
            assertTrue(!bootLog.contains(bad), () -> "the boot log shows \"" + bad + "\"" + context());
        }
    }

    @Test
    @Order(2)
    void theShellRunsCommandsArithmeticAndLoops() throws Exception {
        GuestConsole.Result uname = run("uname -a");
        assertTrue(Pattern.compile("^Linux \\S+ [34]\\.\\d+\\.\\d+.* i[3-6]86", Pattern.MULTILINE).matcher(uname.output()).find(),
                () -> "uname -a printed " + uname.output() + context());
        assertEquals("42\n", run("echo $((6 * 7))").output(), this::context);
        assertEquals("5050\n", run("s=0; for i in $(seq 1 100); do s=$((s + i)); done; echo $s").output(), this::context);
        assertEquals("a-b-c-\n", run("for w in a b c; do echo -n $w-; done; echo").output(), this::context);
        GuestConsole.Result md5 = run("seq 1 5 | md5sum");
        assertEquals(md5("1\n2\n3\n4\n5\n".getBytes(StandardCharsets.US_ASCII)) + "  -\n", md5.output(), this::context);
    }

    @Test
    @Order(3)
    void procAndSysAreMounted() throws Exception {
        String mounts = run("mount").output();
        assertTrue(mounts.contains("proc on /proc type proc"), () -> "mount printed " + mounts + context());
        assertTrue(mounts.contains("sysfs on /sys type sysfs"), () -> "mount printed " + mounts + context());
        String cpuinfo = run("cat /proc/cpuinfo").output();
        assertTrue(cpuinfo.contains("processor") && cpuinfo.contains("vendor_id"), () -> "cpuinfo: " + cpuinfo + context());
        String blocks = run("ls /sys/block").output();
        assertTrue(blocks.contains("vda"), () -> "ls /sys/block printed " + blocks + context());
        String lguest = run("dmesg | grep -i lguest").output();
        assertTrue(lguest.contains("Booting paravirtualized kernel on lguest"), () -> "dmesg | grep: " + lguest + context());
    }

    @Test
    @Order(4)
    void theDiskReadsAsTheHostFile() throws Exception {
        assertEquals(md5(Arrays.copyOf(diskBytes, SECTOR)) + "  -\n",
                run("dd if=/dev/vda bs=512 count=1 2>/dev/null | md5sum").output(), this::context);
        assertEquals(md5(diskBytes) + "  /dev/vda\n", run("md5sum /dev/vda").output(), this::context);
    }

    @Test
    @Order(5)
    void aWriteToTheDiskLandsInTheHostFile() throws Exception {
        GuestConsole.Result write = run("echo data | dd of=/dev/vda bs=512 seek=1 conv=notrunc; sync");
        assertEquals(0, write.status(), () -> "dd printed " + write.output() + context());
        byte[] expected = diskBytes.clone();
        System.arraycopy("data\n".getBytes(StandardCharsets.US_ASCII), 0, expected, SECTOR, 5);
        byte[] now = Files.readAllBytes(disk);
        assertEquals("data\n", new String(now, SECTOR, 5, StandardCharsets.US_ASCII), this::context);
        assertTrue(Arrays.equals(expected, now), () -> "bytes besides the 5 written changed" + context());
    }

    @Test
    @Order(6)
    void theEntropyDeviceGivesBytes() throws Exception {
        assertEquals("16\n", run("head -c 16 /dev/hwrng | wc -c").output(), this::context);
    }

    @Test
    @Order(7)
    void theClockKeepsWallClockTime() throws Exception {
        GuestConsole.Result dates = run("date; sleep 1; date");
        Matcher m = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d)").matcher(dates.output());
        assertTrue(m.find(), () -> "date printed " + dates.output() + context());
        int first = Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
        assertTrue(m.find(), () -> "date printed " + dates.output() + context());
        int second = Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
        int step = Math.floorMod(second - first, 86400);
        assertTrue(step >= 1 && step <= 3, () -> "date; sleep 1; date advanced " + step + " s" + context());

        long guestEpoch = Long.parseLong(run("date +%s").output().trim());
        long hostEpoch = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(guestEpoch - hostEpoch) <= 5,
                () -> "the Guest's date is " + guestEpoch + ", the host's " + hostEpoch + context());

        GuestConsole.Result sleep = run("cat /proc/uptime; sleep 1; cat /proc/uptime");
        String[] lines = sleep.output().split("\n");
        double slept = uptime(lines[1]) - uptime(lines[0]);
        assertTrue(slept >= 1.0 && slept < 2.0, () -> "sleep 1 took " + slept + " s of Guest uptime" + context());
        assertTrue(sleep.elapsed().toMillis() >= 1000 && sleep.elapsed().toMillis() < 5000,
                () -> "sleep 1 took " + sleep.elapsed().toMillis() + " ms on the host" + context());

        // The first uptime is read between sending the first command and receiving its output,
        // the second likewise: the Guest's interval lies between the inner and outer host ones.
        long sent = System.nanoTime();
        double guestStart = uptime(run("cat /proc/uptime").output());
        long received = System.nanoTime();
        Thread.sleep(5000);
        long sentAgain = System.nanoTime();
        double guestEnd = uptime(run("cat /proc/uptime").output());
        long receivedAgain = System.nanoTime();
        double guest = guestEnd - guestStart;
        double inner = (sentAgain - received) / 1e9;
        double outer = (receivedAgain - sent) / 1e9;
        System.out.printf("LinuxGuestTest: Guest uptime advanced %.2f s while the host saw %.2f-%.2f s%n", guest, inner, outer);
        assertTrue(guest >= 0.97 * inner && guest <= 1.03 * outer,
                () -> "Guest uptime advanced " + guest + " s while the host saw " + inner + "-" + outer + " s" + context());
    }

    @Test
    @Order(8)
    void anIdleShellLeavesTheHostIdle() throws Exception {
        run("echo idle");
        Thread.sleep(2000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long vcpuStart = threads.getThreadCpuTime(vcpu.getId());
        long processStart = os.getProcessCpuTime();
        long wallStart = System.nanoTime();
        Thread.sleep(10_000);
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double vcpuSeconds = (threads.getThreadCpuTime(vcpu.getId()) - vcpuStart) / 1e9;
        double processSeconds = (os.getProcessCpuTime() - processStart) / 1e9;
        System.out.printf("LinuxGuestTest: idle shell for %.1f s: vCPU thread %.2f s of CPU, whole JVM %.2f s%n",
                wall, vcpuSeconds, processSeconds);
        assertTrue(vcpuSeconds < 0.2 * wall, () -> "the idle Guest's vCPU thread used " + vcpuSeconds + " s of CPU in "
                + wall + " s" + context());
        assertTrue(processSeconds < 0.5 * wall, () -> "the JVM used " + processSeconds + " s of CPU in " + wall
                + " s while the Guest idled" + context());
    }

    @Test
    @Order(9)
    void poweroffEndsTheRunWithStatusZero() throws Exception {
        int mark = console.mark();
        console.type("poweroff -f\n");
        try {
            console.awaitAfter(mark, "Power down", COMMAND);
        } catch (TimeoutException e) {
            fail(e.getMessage() + context());
        }
        vcpu.join(COMMAND.toMillis());
        assertTrue(!vcpu.isAlive(), () -> "jlguest run did not return after the power-off" + context());
        assertEquals(0, status.get(), this::context);
    }

    private void awaitBoot(String text) throws InterruptedException {
        try {
            console.await(text, BOOT);
        } catch (TimeoutException e) {
            fail(e.getMessage() + context());
        }
        if (!vcpu.isAlive() && !console.transcript().contains(text)) {
            fail("jlguest run ended with status " + status.get() + context());
        }
    }

    private GuestConsole.Result run(String command) throws InterruptedException {
        try {
            GuestConsole.Result r = console.run(command, COMMAND);
            assertEquals(0, r.status(), () -> "`" + command + "` exited with " + r.status() + context());
            return r;
        } catch (TimeoutException e) {
            return fail(e.getMessage() + (vcpu.isAlive() ? "" : "; jlguest run ended with status " + status.get()) + context());
        }
    }

    /** Guest instructions retired so far, from the run's metrics endpoint. */
    private long instructionsRetired() throws Exception {
        Matcher m = METRICS.matcher(err.toString());
        if (!m.find()) {
            return -1;
        }
        String metrics = new String(URI.create(m.group(1)).toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher i = Pattern.compile("(?m)^jlguest_guest_instructions_total (\\S+)$").matcher(metrics);
        return i.find() ? (long) Double.parseDouble(i.group(1)) : -1;
    }

    private String context() {
        Throwable t = crash.get();
        return "\n--- console ---\n" + console.transcript() + "\n--- stderr ---\n" + err
                + (t == null ? "" : "\n--- jlguest run threw ---\n" + t);
    }

    private static double uptime(String procUptime) {
        return Double.parseDouble(procUptime.trim().split("\\s+")[0]);
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
