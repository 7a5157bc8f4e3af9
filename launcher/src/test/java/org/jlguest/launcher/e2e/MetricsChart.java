package org.jlguest.launcher.e2e;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.jlguest.launcher.JlguestRun;
import org.jlguest.launcher.cli.Main;
import picocli.CommandLine;

/**
 * Makes docs/images/metrics.png from a real run: {@code jlguest run} boots the virtio-load test
 * guest (compute, disk and idle phases) with {@code --metrics-port}, {@code /metrics} is scraped
 * every quarter second for as long as the Guest runs, and the series are drawn with {@link Chart}.
 *
 * <pre>java -cp launcher/target/test-classes:launcher/target/classes:&lt;dependencies&gt; \
 *     org.jlguest.launcher.e2e.MetricsChart docs/images/metrics.png [seconds per phase]</pre>
 */
public final class MetricsChart {
    private static final long INTERVAL_MILLIS = 250;
    private static final String VDA = "jlguest_device_requests_total{device=\"vda\",type=\"block\"}";
    private static final String RNG = "jlguest_device_requests_total{device=\"rng\",type=\"rng\"}";

    private MetricsChart() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "docs/images/metrics.png");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("jlguest-metrics-chart");
        List<Scrape> scrapes = scrapeRun(dir, seconds);
        String caption = String.format("jlguest run --metrics-port: the virtio-load test guest, %d s each of compute, "
                + "disk and idle; /metrics scraped every %d ms (%d scrapes)", seconds, INTERVAL_MILLIS, scrapes.size());
        Files.createDirectories(output.toAbsolutePath().getParent());
        ImageIO.write(Chart.render("jlguest metrics during a run", caption, panels(), scrapes), "png", output.toFile());
    }

    static List<Chart.Panel> panels() {
        return List.of(
                new Chart.Panel("Guest MIPS (jlguest_guest_mips)", "MIPS", List.of(
                        new Chart.Line("guest", new Color(0x0969DA), (s, i) -> s.get(i).value("jlguest_guest_mips")))),
                new Chart.Panel("Device requests per second (rate of jlguest_device_requests_total)", "requests/s", List.of(
                        new Chart.Line("vda", new Color(0xCF222E), (s, i) -> rate(s, i, VDA)),
                        new Chart.Line("rng", new Color(0x1A7F37), (s, i) -> rate(s, i, RNG)))),
                new Chart.Panel("Exits and interrupts per second", "per second", List.of(
                        new Chart.Line("mmio exits", new Color(0x8250DF),
                                (s, i) -> rate(s, i, "jlguest_launcher_exits_total{reason=\"mmio\"}")),
                        new Chart.Line("port I/O exits", new Color(0xBF8700),
                                (s, i) -> rate(s, i, "jlguest_launcher_exits_total{reason=\"port_io\"}")),
                        new Chart.Line("interrupts delivered", new Color(0x0969DA),
                                (s, i) -> rate(s, i, "jlguest_host_interrupts_delivered_total")))));
    }

    /** A counter's increase per second between scrape i - 1 and scrape i. */
    static double rate(List<Scrape> scrapes, int i, String series) {
        Scrape now = scrapes.get(i);
        Scrape before = scrapes.get(i - 1);
        return (now.value(series) - before.value(series)) / (now.seconds() - before.seconds());
    }

    private static List<Scrape> scrapeRun(Path dir, int seconds) throws Exception {
        Path kernel = JlguestRun.guest(dir, "virtio-load");
        Path disk = TestDisk.create(dir);
        int port = freePort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("run",
                "--kernel", kernel.toString(), "--mem", "16M", "--block", disk.toString(), "--rng",
                "--append", "seconds=" + seconds, "--metrics-port", String.valueOf(port)));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        List<Scrape> scrapes = new ArrayList<>();
        long start = 0;
        while (!run.isDone()) {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                long now = System.nanoTime();
                if (scrapes.isEmpty()) {
                    start = now;
                }
                scrapes.add(Scrape.parse((now - start) / 1e9, body));
            } catch (IOException notYetOrGone) {
                // the endpoint is not up yet, or the Guest has just powered off
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
        if (run.get() != 0 || !out.toString().contains("PASS virtio-load") || scrapes.size() < 3) {
            throw new IllegalStateException("the load run failed (exit " + run.get() + ", " + scrapes.size()
                    + " scrapes):\n" + out + err);
        }
        return scrapes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
