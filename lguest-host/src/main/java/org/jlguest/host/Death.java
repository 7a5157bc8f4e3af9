package org.jlguest.host;

/**
 * Why a Guest died. Only the first reason counts (lguest's {@code kill_guest} keeps the first),
 * and a death is final: the only way on is closing the file.
 */
final class Death {
    private volatile String reason;
    private volatile boolean restart;

    /** Records the reason if none is recorded yet. Safe from any thread. */
    synchronized void kill(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /**
     * LHCALL_SHUTDOWN with LGUEST_SHUTDOWN_RESTART: the reason is "restart" and every read
     * reports -ERESTART, unless the Guest already died of something else.
     */
    synchronized void restart() {
        if (reason == null) {
            reason = "restart";
            restart = true;
        }
    }

    boolean isDead() {
        return reason != null;
    }

    boolean isRestart() {
        return restart;
    }

    String reason() {
        return reason;
    }
}
