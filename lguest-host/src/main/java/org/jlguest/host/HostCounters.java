package org.jlguest.host;

/**
 * A snapshot of the Host's plain counters for one Guest, for metrics: read from the fields the
 * vCPU thread bumps, so values may lag by a run-loop pass but never cost the hot path anything.
 *
 * @param instructions        guest instructions retired
 * @param hypercalls          hypercalls executed (synchronous and from the async ring)
 * @param trapsReflected      traps and interrupts delivered into the Guest through its IDT
 * @param interruptsDelivered virtual interrupt lines delivered
 * @param launcherExits       read() returns that needed the Launcher (notify, pending trap)
 * @param tlbMisses           soft-TLB misses (page walks)
 * @param tlbFlushes          soft-TLB flushes
 * @param blockDecodes        basic blocks decoded (decoded-block cache misses)
 */
public record HostCounters(long instructions, long hypercalls, long trapsReflected, long interruptsDelivered,
        long launcherExits, long tlbMisses, long tlbFlushes, long blockDecodes) {
    static HostCounters of(Vcpu v) {
        return new HostCounters(v.cpu.instructions(), v.hypercalls, v.trapsReflected, v.interruptsDelivered,
                v.launcherExits, v.mmu.tlbMisses(), v.mmu.tlbFlushes(), v.interpreter.blockDecodes());
    }
}
