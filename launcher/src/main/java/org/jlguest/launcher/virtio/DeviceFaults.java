package org.jlguest.launcher.virtio;

/**
 * Where transports report what a driver did wrong, for the Launcher to log or act on. Called from
 * the vCPU thread (register accesses) or a device's service thread (queue contents).
 */
public interface DeviceFaults {
    /** {@code device} stopped serving its driver; the Guest runs on without it. */
    void broken(String device, String reason);

    /**
     * {@code device}'s driver broke a rule the reference Launcher treats as fatal ("bad driver"):
     * the Launcher should kill the Guest with this reason. The access itself was ignored.
     */
    void fatal(String device, String reason);
}
