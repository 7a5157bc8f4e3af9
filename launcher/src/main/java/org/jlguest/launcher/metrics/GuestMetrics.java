package org.jlguest.launcher.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jlguest.host.HostCounters;
import org.jlguest.host.Lguest;
import org.jlguest.launcher.run.ExitKind;
import org.jlguest.launcher.run.LauncherCounters;
import org.jlguest.launcher.virtio.DeviceCounters;
import org.jlguest.launcher.virtio.VirtioDevice;

/**
 * Registers the meters of one Guest. Every meter reads a plain counter the Host, the run loop or
 * a device already keeps, and only when the registry is scraped; nothing here runs per
 * instruction or per exit. docs/metrics.md lists each meter.
 */
public final class GuestMetrics {
    private GuestMetrics() {
    }

    /**
     * Binds the Host's counters for the Guest {@code host} runs, the run loop's and each device's
     * to {@code registry}. Micrometer holds the objects meters read only weakly, so the meters
     * read these long-lived objects themselves (never a lambda made here) and the caller keeps
     * them alive while the registry is scraped.
     */
    public static void bind(MeterRegistry registry, Lguest host, LauncherCounters launcher,
                            List<VirtioDevice> devices) {
        bindHost(registry, host);
        bindLauncher(registry, launcher);
        for (VirtioDevice device : devices) {
            bindDevice(registry, device);
        }
    }

    private static void bindHost(MeterRegistry registry, Lguest host) {
        hostCounter(registry, host, "jlguest.guest.instructions", "Guest instructions retired", HostCounters::instructions);
        hostCounter(registry, host, "jlguest.host.hypercalls", "Hypercalls executed, synchronous and from the async ring", HostCounters::hypercalls);
        hostCounter(registry, host, "jlguest.host.traps.reflected", "Traps and interrupts delivered through the Guest's IDT", HostCounters::trapsReflected);
        hostCounter(registry, host, "jlguest.host.interrupts.delivered", "Virtual interrupt lines delivered", HostCounters::interruptsDelivered);
        hostCounter(registry, host, "jlguest.host.launcher.exits", "Runs that returned to the Launcher", HostCounters::launcherExits);
        hostCounter(registry, host, "jlguest.host.tlb.misses", "Soft-TLB misses (page walks)", HostCounters::tlbMisses);
        hostCounter(registry, host, "jlguest.host.tlb.flushes", "Soft-TLB flushes", HostCounters::tlbFlushes);
        hostCounter(registry, host, "jlguest.host.blocks.decoded", "Basic blocks decoded (decoded-block cache misses)", HostCounters::blockDecodes);
        GuestRate rate = new GuestRate(() -> host.counters().instructions(), System::nanoTime);
        Gauge.builder("jlguest.guest.mips", rate, GuestRate::mips)
                .description("Millions of Guest instructions per second since the previous scrape")
                .strongReference(true)
                .register(registry);
    }

    private static void hostCounter(MeterRegistry registry, Lguest host, String name, String description,
                                    ToDoubleFunction<HostCounters> field) {
        FunctionCounter.builder(name, host, h -> field.applyAsDouble(h.counters()))
                .description(description)
                .register(registry);
    }

    private static void bindLauncher(MeterRegistry registry, LauncherCounters launcher) {
        for (ExitKind kind : ExitKind.values()) {
            FunctionCounter.builder("jlguest.launcher.exits", launcher, l -> l.exits(kind))
                    .description("Exits the run loop served, by reason")
                    .tag("reason", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        FunctionCounter.builder("jlguest.launcher.traps.reinjected", launcher, LauncherCounters::reinjected)
                .description("Traps given back to the Guest because the Launcher does not emulate the instruction")
                .register(registry);
        FunctionCounter.builder("jlguest.launcher.port.accesses", launcher, LauncherCounters::portReads)
                .description("Emulated in/out instructions").tag("direction", "read").register(registry);
        FunctionCounter.builder("jlguest.launcher.port.accesses", launcher, LauncherCounters::portWrites)
                .description("Emulated in/out instructions").tag("direction", "write").register(registry);
        FunctionCounter.builder("jlguest.launcher.mmio.accesses", launcher, LauncherCounters::mmioReads)
                .description("Emulated device-register moves").tag("direction", "read").register(registry);
        FunctionCounter.builder("jlguest.launcher.mmio.accesses", launcher, LauncherCounters::mmioWrites)
                .description("Emulated device-register moves").tag("direction", "write").register(registry);
    }

    private static void bindDevice(MeterRegistry registry, VirtioDevice device) {
        DeviceCounters counters = device.counters();
        String type = device.type().name().toLowerCase(Locale.ROOT);
        FunctionCounter.builder("jlguest.device.requests", counters, c -> c.snapshot().requests())
                .description("Virtqueue requests a device completed")
                .tags("device", device.name(), "type", type).register(registry);
        FunctionCounter.builder("jlguest.device.bytes", counters, c -> c.snapshot().bytes())
                .description("Bytes a device moved to or from the Guest").baseUnit("bytes")
                .tags("device", device.name(), "type", type).register(registry);
        FunctionCounter.builder("jlguest.device.errors", counters, c -> c.snapshot().errors())
                .description("Failed requests and faults that broke a device")
                .tags("device", device.name(), "type", type).register(registry);
    }
}
