package org.jlguest.host;

/** What one {@link Lguest#run()} came back with. */
public sealed interface RunResult {
    /** Lguest-bus generation: the Guest notified an address no eventfd is bound to. */
    record Notify(int address) implements RunResult { }

    /**
     * Virtio-PCI generation: the Guest needs the Launcher to emulate an instruction: trap 13
     * (a #GP(0): port I/O and friends) or 14 (an access to {@code address} in the device window).
     */
    record Pending(int trap, byte[] instruction, int address) implements RunResult {
        public Pending {
            instruction = instruction.clone();
        }

        @Override
        public byte[] instruction() {
            return instruction.clone();
        }
    }

    /** The Guest is dead; {@code reason} is what it died of ("CRASH: Power down" for a power-off). */
    record Died(String reason) implements RunResult { }

    /** The Guest asked to be restarted. */
    record Restart() implements RunResult { }

    /** The running thread was interrupted; run again to continue. */
    record Interrupted() implements RunResult { }
}
