package org.jlguest.launcher.bus;

/** How a device tells the Guest it has work: LHREQ_IRQ on one line. Safe from any thread. */
@FunctionalInterface
public interface InterruptLine {
    void raise(int line);
}
