/**
 * A bare PC-like machine for running hand-written test ROMs and firmware on the interpreter: RAM,
 * raw images placed at physical addresses, a BIOS ROM window at the top of the 4 GiB space, a
 * debug console on port 0xE9 and POST-code ports, and a run loop that stops on HLT, a fault or an
 * instruction limit.
 *
 * <p>{@link org.jlguest.cpu.bare.ImageLayout} checks where images go,
 * {@link org.jlguest.cpu.bare.BareMachine} assembles and runs the machine, and
 * {@link org.jlguest.cpu.bare.BareRun} says how the run ended. Nothing here prints: console bytes
 * and POST codes go to a {@link org.jlguest.cpu.bare.BareConsole} the caller supplies.
 */
package org.jlguest.cpu.bare;
