package org.jlguest.host;

/** A request the device refused, with the errno it returned. */
public final class LguestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public LguestException(String request, int errno) {
        super(request + " failed: " + name(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    private static String name(int errno) {
        return switch (errno) {
            case LguestAbi.EPERM -> "EPERM";
            case LguestAbi.ENOENT -> "ENOENT";
            case LguestAbi.EBADF -> "EBADF";
            case LguestAbi.ENOMEM -> "ENOMEM";
            case LguestAbi.EFAULT -> "EFAULT";
            case LguestAbi.EBUSY -> "EBUSY";
            case LguestAbi.EINVAL -> "EINVAL";
            case LguestAbi.ERESTART -> "ERESTART";
            default -> "errno " + errno;
        };
    }
}
