package org.jlguest.launcher.boot;

/**
 * A kernel image the Launcher will not load: truncated, of a format it does not know, or with a
 * header field out of range. The message names the field and the value found.
 */
public final class KernelImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public KernelImageException(String message) {
        super(message);
    }
}
