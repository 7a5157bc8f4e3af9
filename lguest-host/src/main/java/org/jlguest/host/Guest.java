package org.jlguest.host;

import org.jlguest.cpu.Tier;
import org.jlguest.mmu.GuestMemory;

/**
 * One Guest (lguest's {@code struct lguest}): its memory and limits, its tables, its eventfd
 * bindings, its death, and its single vCPU.
 */
final class Guest {
    final Generation generation;
    final GuestPhysical physical;
    final int pfnLimit;
    /** 4.x: frames in [pfnLimit, deviceLimit) are the Launcher's MMIO window. */
    final int deviceLimit;
    final Death death = new Death();
    final GuestTables tables = new GuestTables();
    final NotifyTable notify = new NotifyTable();
    final HostClock clock;
    final Vcpu vcpu;

    Guest(Generation generation, GuestMemory memory, int pfnLimit, int deviceLimit, int start, Thread owner,
            HostClock clock, Tier tier) {
        this.generation = generation;
        this.pfnLimit = pfnLimit;
        this.deviceLimit = deviceLimit;
        this.clock = clock;
        this.physical = new GuestPhysical(memory, pfnLimit, death);
        this.vcpu = new Vcpu(this, owner, start, clock, tier);
    }

    /** Whether a physical frame is in the 4.x device window. */
    boolean isDeviceFrame(int frame) {
        return generation == Generation.VIRTIO_PCI
                && Integer.compareUnsigned(frame, pfnLimit) >= 0 && Integer.compareUnsigned(frame, deviceLimit) < 0;
    }
}
