package org.jlguest.launcher.run;

import java.util.List;
import org.jlguest.launcher.lguestbus.LguestBus;
import org.jlguest.launcher.lguestbus.NotifyResult;

/**
 * 3.x: the device model that owns NOTIFY addresses, the lguest bus's device descriptors and
 * virtqueues. Ring notifications are bound to eventfds once the Guest is initialized, so the Host
 * serves them; the rest reach the run loop.
 */
public interface NotifyHandler {
    /** No devices: every NOTIFY is early-console output. */
    NotifyHandler NONE = new NotifyHandler() {
        @Override
        public List<LguestBus.Binding> bindings() {
            return List.of();
        }

        @Override
        public NotifyResult notify(int address) {
            return new NotifyResult.NotDevice();
        }
    };

    /** The ring addresses the Host should turn into eventfd signals, bound after INITIALIZE. */
    List<LguestBus.Binding> bindings();

    /** What a NOTIFY of {@code address} that reached the Launcher means. */
    NotifyResult notify(int address);

    /** The handler for the devices on {@code bus}. */
    static NotifyHandler of(LguestBus bus) {
        return new NotifyHandler() {
            @Override
            public List<LguestBus.Binding> bindings() {
                return bus.bindings();
            }

            @Override
            public NotifyResult notify(int address) {
                return bus.notify(address);
            }
        };
    }
}
