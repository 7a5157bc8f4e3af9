package org.jlguest.launcher.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import org.jlguest.host.Lguest;
import org.jlguest.launcher.run.LauncherCounters;
import org.jlguest.launcher.virtio.VirtioDevice;

/**
 * Everything {@code jlguest run --metrics-port N} exports while the Guest runs: the Prometheus
 * endpoint on loopback port N and the same meters as MBeans in the platform MBeanServer
 * ({@link GuestMBeans}). Closing it stops the endpoint and unregisters the MBeans.
 */
public final class MetricsExport implements AutoCloseable {
    private final MetricsServer server;
    private final GuestMBeans mbeans;

    private MetricsExport(MetricsServer server, GuestMBeans mbeans) {
        this.server = server;
        this.mbeans = mbeans;
    }

    /** Binds the meters of the Guest {@code host} runs and starts both exports; port 0 picks a free one. */
    public static MetricsExport start(int port, Lguest host, LauncherCounters launcher, List<VirtioDevice> devices)
            throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GuestMetrics.bind(registry, host, launcher, devices);
        MetricsServer server;
        try {
            server = MetricsServer.start(registry, port);
        } catch (IOException e) {
            throw new IOException("--metrics-port " + port + ": " + e.getMessage(), e);
        }
        return new MetricsExport(server, GuestMBeans.register(host, launcher, devices));
    }

    /** The port the Prometheus endpoint is bound to. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        mbeans.close();
        server.close();
    }
}
