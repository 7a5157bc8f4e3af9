package org.jlguest.launcher.boot;

/**
 * A boot setting that cannot work with this Guest: a memory size out of range, a command line
 * longer than the Guest reads, an initrd that does not fit beside the kernel. The message names
 * the setting and its value.
 */
public final class BootException extends Exception {
    private static final long serialVersionUID = 1L;

    public BootException(String message) {
        super(message);
    }
}
