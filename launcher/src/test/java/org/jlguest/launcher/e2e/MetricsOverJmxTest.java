package org.jlguest.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.metrics.GuestMBeans;
import org.jlguest.launcher.metrics.MetricsExport;
import org.jlguest.launcher.run.DeviceOptions;
import org.jlguest.launcher.run.LauncherExit;
import org.jlguest.launcher.run.Machine;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;

/** The meters of a booted Guest, read as MBeans through the platform MBeanServer. */
class MetricsOverJmxTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    private static PreparedGuest hello() throws Exception {
        BootOptions options = new BootOptions(MemoryLayout.parse("8M"), "console=virtio", Optional.empty(), Optional.empty(), 0);
        return Bootloader.prepare(TestGuests.image("hello"), options, ProgressListener.SILENT);
    }

    private static long count(ObjectName name) throws Exception {
        return (Long) PLATFORM.getAttribute(name, GuestMBeans.COUNT);
    }

    @Test
    void aGuestsInstructionsAndDeviceRequestsAreMBeanAttributes() throws Exception {
        ObjectName instructions = GuestMBeans.objectName("jlguest.guest.instructions", Tags.empty());
        ObjectName console = GuestMBeans.objectName("jlguest.device.requests", Tags.of("device", "console", "type", "console"));
        try (Lguest lguest = Lguest.open(new LguestDevice());
             Machine machine = Machine.build(lguest, hello(), new DeviceOptions(List.of(), true),
                     new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())) {
            try (GuestMBeans mbeans = GuestMBeans.register(lguest, machine.launcher().counters(), machine.devices())) {
                assertEquals(0, count(instructions));
                assertEquals(new LauncherExit.PowerOff("PASS"), machine.run());
                assertTrue(count(instructions) > 1000, "instructions " + count(instructions));
                assertTrue(count(console) > 10, "early-console characters " + count(console));
                assertTrue(PLATFORM.isRegistered(GuestMBeans.objectName("jlguest.launcher.exits", Tags.of("reason", "port_io"))));
                ObjectName mips = GuestMBeans.objectName("jlguest.guest.mips", Tags.empty());
                assertTrue(PLATFORM.getAttribute(mips, GuestMBeans.VALUE) instanceof Double);
            }
            assertFalse(PLATFORM.isRegistered(instructions), "MBeans outlive close()");
        }
    }

    @Test
    void theMetricsPortExportsTheSameMetersOverHttpAndJmx() throws Exception {
        ObjectName hypercalls = GuestMBeans.objectName("jlguest.host.hypercalls", Tags.empty());
        try (Lguest lguest = Lguest.open(new LguestDevice());
             Machine machine = Machine.build(lguest, hello(), new DeviceOptions(List.of(), false),
                     new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
             MetricsExport export = MetricsExport.start(0, lguest, machine.launcher().counters(), machine.devices())) {
            assertEquals(new LauncherExit.PowerOff("PASS"), machine.run());
            URI uri = URI.create("http://127.0.0.1:" + export.port() + "/metrics");
            String body = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            String line = body.lines().filter(l -> l.startsWith("jlguest_host_hypercalls_total ")).findFirst().orElseThrow();
            double overHttp = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            assertTrue(overHttp >= 2, body);
            assertEquals((long) overHttp, count(hypercalls));
        }
        assertFalse(PLATFORM.isRegistered(hypercalls));
    }
}
