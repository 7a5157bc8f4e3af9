package org.jlguest.cpu.vectors;

/** A vector file that does not follow "jlguest-cpu-vectors v1"; the message names the line and field. */
public final class VectorFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VectorFormatException(String message) {
        super(message);
    }
}
