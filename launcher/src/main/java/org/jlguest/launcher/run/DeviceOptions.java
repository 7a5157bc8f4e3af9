package org.jlguest.launcher.run;

import java.util.List;

/**
 * The devices a Guest gets besides its console.
 *
 * @param blocks disks, in the order the Guest sees them (vda, vdb, ...)
 * @param rng    whether it gets a virtio entropy source
 */
public record DeviceOptions(List<BlockSpec> blocks, boolean rng) {
    public DeviceOptions {
        blocks = List.copyOf(blocks);
    }
}
