package org.jlguest.launcher.virtio;

/**
 * A virtqueue the Guest laid out or filled in a way the split-ring rules forbid.
 *
 * <p>It is the only exception a {@link Virtqueue} operation throws for anything the Guest wrote;
 * the message names the offending field with its address, index or length, so the reason a device
 * was marked broken can be read straight from the log.
 */
public final class VirtqueueException extends Exception {
    private static final long serialVersionUID = 1L;

    public VirtqueueException(String reason) {
        super(reason);
    }
}
