package org.jlguest.launcher.run;

/** How a Guest's run ended: the three outcomes lguest's Launcher tells apart. */
public sealed interface LauncherExit {
    /**
     * The Guest shut itself down (LHCALL_SHUTDOWN with LGUEST_SHUTDOWN_POWEROFF): Linux says
     * "Power down" on a clean power-off and its panic message on a panic.
     */
    record PowerOff(String message) implements LauncherExit { }

    /** The Host killed the Guest, or the Launcher gave up on it; {@code reason} says why. */
    record Killed(String reason) implements LauncherExit { }

    /** The Guest asked to be rebooted (LGUEST_SHUTDOWN_RESTART). */
    record Restart() implements LauncherExit { }

    /**
     * What a death reason from the Host means: the Host prefixes "CRASH: " to the message of a
     * Guest's own power-off (lguest's {@code kill_guest(cpu, "CRASH: %s", msg)}); anything else
     * is a kill.
     */
    static LauncherExit ofDeath(String reason) {
        String crash = "CRASH: ";
        return reason.startsWith(crash) ? new PowerOff(reason.substring(crash.length())) : new Killed(reason);
    }
}
