package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

/** The requests a Launcher writes to the device, as values: each knows its words. */
public sealed interface Request {
    /** The words of the raw {@code write()}: request number first. */
    int[] words();

    /** The lguest-bus generation's three-word INITIALIZE. */
    record InitializeBus(int base, int pfnLimit, int start) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_INITIALIZE, base, pfnLimit, start};
        }
    }

    /** The virtio-PCI generation's four-word INITIALIZE. */
    record InitializePci(int base, int pfnLimit, int start, int deviceLimit) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_INITIALIZE, base, pfnLimit, start, deviceLimit};
        }
    }

    record Irq(int line) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_IRQ, line};
        }
    }

    /** Binds a NOTIFY address to an eventfd (by its descriptor number in the {@link LauncherContext}). */
    record BindEventFd(int address, int fd) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_EVENTFD, address, fd};
        }
    }

    record GetReg(Register register) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_GETREG, register.offset};
        }
    }

    record SetReg(Register register, int value) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_SETREG, register.offset, value};
        }
    }

    record Trap(int vector) implements Request {
        @Override
        public int[] words() {
            return new int[] {LHREQ_TRAP, vector};
        }
    }

    /** The registers GETREG and SETREG name, by their {@code struct pt_regs} offset. */
    enum Register {
        EBX(0), ECX(4), EDX(8), ESI(12), EDI(16), EBP(20), EAX(24), DS(28), ES(32), FS(36), GS(40),
        EIP(48), CS(52), EFLAGS(56), ESP(60), SS(64);

        final int offset;

        Register(int offset) {
            this.offset = offset;
        }

        /** The general register with ModRM number {@code n} (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI). */
        public static Register general(int n) {
            return switch (n & 7) {
                case 0 -> EAX;
                case 1 -> ECX;
                case 2 -> EDX;
                case 3 -> EBX;
                case 4 -> ESP;
                case 5 -> EBP;
                case 6 -> ESI;
                default -> EDI;
            };
        }
    }
}
