package org.jlguest.launcher.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jlguest.host.Lguest;
import org.jlguest.launcher.run.LauncherCounters;
import org.jlguest.launcher.virtio.VirtioDevice;

/**
 * The meters of one Guest as MBeans in an {@link MBeanServer} (the platform one for
 * {@code jlguest run}), for JConsole, VisualVM, Java Mission Control or a JMX exporter.
 *
 * <p>Each meter is one MBean named after it, its tags as further key properties, in the
 * {@value #DOMAIN} domain: {@code jlguest:name=jlguest.guest.instructions} or
 * {@code jlguest:name=jlguest.device.requests,device=vda,type=block}. A counter's {@code Count}
 * attribute (a gauge's {@code Value}) is read from the same counters as the Prometheus series,
 * when it is read; the rate attributes Dropwizard adds to counters are computed every five
 * seconds. The meters
 * are bound afresh here (not shared with the Prometheus registry) so that the MIPS gauge keeps
 * its own "since the previous reading" for each consumer.
 */
public final class GuestMBeans implements AutoCloseable {
    public static final String DOMAIN = "jlguest";
    /** The attribute that holds a counter's count (a long). */
    public static final String COUNT = "Count";
    /** The attribute that holds a gauge's value (the MIPS gauge). */
    public static final String VALUE = "Value";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    private final JmxMeterRegistry registry;

    private GuestMBeans(JmxMeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of the Guest {@code host} runs in {@code server} until {@link #close}. */
    public static GuestMBeans register(MBeanServer server, Lguest host, LauncherCounters launcher,
                                       List<VirtioDevice> devices) {
        MetricRegistry dropwizard = new MetricRegistry();
        JmxReporter reporter = JmxReporter.forRegistry(dropwizard)
                .registerWith(server)
                .inDomain(DOMAIN)
                .createsObjectNamesWith((type, domain, name) -> objectName(domain, name))
                .build();
        JmxConfig config = new JmxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String domain() {
                return DOMAIN;
            }
        };
        JmxMeterRegistry registry = new JmxMeterRegistry(config, Clock.SYSTEM,
                (id, convention) -> keyProperties(id.getName(), id.getTagsAsIterable()), dropwizard, reporter);
        GuestMetrics.bind(registry, host, launcher, devices);
        return new GuestMBeans(registry);
    }

    /** As {@link #register(MBeanServer, Lguest, LauncherCounters, List)}, in the platform MBeanServer. */
    public static GuestMBeans register(Lguest host, LauncherCounters launcher, List<VirtioDevice> devices) {
        return register(ManagementFactory.getPlatformMBeanServer(), host, launcher, devices);
    }

    /** The ObjectName of the meter {@code meter} with {@code tags}, as registered here. */
    public static ObjectName objectName(String meter, Tags tags) {
        return objectName(DOMAIN, keyProperties(meter, tags));
    }

    /** The key-property list Dropwizard gets as the metric's name: the meter's name, then its tags. */
    private static String keyProperties(String meter, Iterable<Tag> tags) {
        StringBuilder properties = new StringBuilder("name=").append(quoted(meter));
        for (Tag tag : tags) {
            properties.append(',').append(tag.getKey()).append('=').append(quoted(tag.getValue()));
        }
        return properties.toString();
    }

    private static String quoted(String value) {
        return PLAIN.matcher(value).matches() ? value : ObjectName.quote(value);
    }

    private static ObjectName objectName(String domain, String properties) {
        try {
            return new ObjectName(domain + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an MBean name: " + domain + ":" + properties, e);
        }
    }

    /** Unregisters every MBean. */
    @Override
    public void close() {
        registry.close();
    }
}
