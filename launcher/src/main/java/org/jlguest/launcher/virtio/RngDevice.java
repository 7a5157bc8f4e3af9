package org.jlguest.launcher.virtio;

import java.security.SecureRandom;
import java.util.List;

/** The virtio entropy device (type 4): fills every buffer the Guest offers from a {@link SecureRandom}. */
public final class RngDevice extends VirtioDevice {
    private final SecureRandom random;

    public RngDevice(SecureRandom random) {
        super(DeviceType.RNG, "rng", 1);
        this.random = random;
    }

    public RngDevice() {
        this(new SecureRandom());
    }

    @Override
    public long deviceFeatures() {
        return 0;
    }

    @Override
    public int configSize() {
        return 0;
    }

    @Override
    public int readConfig(int offset, int size) {
        return 0;
    }

    @Override
    protected List<Service> services(Activation activation) {
        return List.of(new Service("input", new RngService(this, activation)::run));
    }

    SecureRandom random() {
        return random;
    }
}
