package org.jlguest.launcher.boot;

/** The two kernel image formats the Launcher loads (§5.1 of the ABI). */
public enum KernelFormat {
    /** A compressed kernel with a real-mode setup header ("HdrS" at 0x202). */
    BZIMAGE,
    /** An uncompressed 32-bit ELF {@code vmlinux}. */
    ELF
}
