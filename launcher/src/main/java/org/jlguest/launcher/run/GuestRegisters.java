package org.jlguest.launcher.run;

import org.jlguest.host.Request.Register;

/** The vCPU registers the Launcher reads and writes to finish an instruction (GETREG / SETREG). */
interface GuestRegisters {
    int get(Register register);

    void set(Register register, int value);
}
