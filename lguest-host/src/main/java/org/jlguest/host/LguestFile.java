package org.jlguest.host;

/** One open of the device: at most one Guest, created by INITIALIZE (lguest's {@code file->private_data}). */
public final class LguestFile {
    final LauncherContext context;
    Guest guest;
    boolean closed;

    LguestFile(LauncherContext context) {
        this.context = context;
    }
}
