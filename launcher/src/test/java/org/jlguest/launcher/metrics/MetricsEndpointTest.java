package org.jlguest.launcher.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.launcher.boot.BootOptions;
import org.jlguest.launcher.boot.Bootloader;
import org.jlguest.launcher.boot.MemoryLayout;
import org.jlguest.launcher.boot.PreparedGuest;
import org.jlguest.launcher.boot.ProgressListener;
import org.jlguest.launcher.run.DeviceOptions;
import org.jlguest.launcher.run.LauncherExit;
import org.jlguest.launcher.run.Machine;
import org.jlguest.testdata.guests.TestGuests;
import org.junit.jupiter.api.Test;

/** Boots a guest with its meters bound and scrapes them over real HTTP on a loopback port. */
class MetricsEndpointTest {
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E+-]+)$").matcher(scrape);
        assertTrue(m.find(), series + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aBootedGuestsCountersAreScrapedOverHttp() throws Exception {
        BootOptions options = new BootOptions(MemoryLayout.parse("8M"), "console=virtio", Optional.empty(), Optional.empty(), 0);
        PreparedGuest guest = Bootloader.prepare(TestGuests.image("hello"), options, ProgressListener.SILENT);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Lguest lguest = Lguest.open(new LguestDevice());
             Machine machine = Machine.build(lguest, guest, new DeviceOptions(List.of(), true),
                     new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
             MetricsServer server = MetricsServer.start(registry, 0)) {
            GuestMetrics.bind(registry, lguest, machine.launcher().counters(), machine.devices());
            assertEquals(new LauncherExit.PowerOff("PASS"), machine.run());

            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String body = response.body();
            assertTrue(value(body, "jlguest_guest_instructions_total") > 1000, body);
            assertTrue(value(body, "jlguest_host_hypercalls_total") >= 2);
            assertTrue(value(body, "jlguest_launcher_exits_total{reason=\"port_io\"}") > 10);
            assertTrue(value(body, "jlguest_launcher_exits_total{reason=\"mmio\"}") >= 0);
            assertTrue(value(body, "jlguest_launcher_port_accesses_total{direction=\"write\"}") > 10);
            assertEquals(0, value(body, "jlguest_device_errors_total{device=\"console\",type=\"console\"}"));
            assertTrue(body.contains("jlguest_guest_mips"), body);
            assertTrue(body.contains("jlguest_device_requests_total{device=\"rng\",type=\"rng\"}"), body);

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri.resolve("/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    @Test
    void mipsIsTheRateSinceThePreviousReading() {
        long[] instructions = {0};
        long[] nanos = {0};
        GuestRate rate = new GuestRate(() -> instructions[0], () -> nanos[0]);
        instructions[0] = 50_000_000;
        nanos[0] = 1_000_000_000;
        assertEquals(50.0, rate.mips(), 1e-9);
        instructions[0] = 60_000_000;
        nanos[0] = 1_500_000_000;
        assertEquals(20.0, rate.mips(), 1e-9);
        assertEquals(0.0, rate.mips(), 1e-9);
    }
}
