package org.jlguest.host.guests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jlguest.cpu.Decoder;
import org.jlguest.cpu.Insn;
import org.jlguest.host.Lguest;
import org.jlguest.host.LguestDevice;
import org.jlguest.host.Request;
import org.jlguest.host.Request.Register;
import org.jlguest.host.RunResult;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.testdata.guests.BzImage;

/**
 * The smallest Launcher that boots the SDK's test guests: it loads a bzImage as lguest's
 * Launcher does (payload at 1 MiB, a zero page built from scratch, the command line at 0x1000),
 * runs the Guest, and serves the three exits a test guest makes:
 * <ul>
 * <li>the test console: {@code outb %al, $0xE9} (a trap-13 exit) prints AL; {@code inb $0xE9}
 * reads 0xE9, as on Bochs; other ports are logged, and read as all-ones;
 * <li>the device window: a {@code mov} load from it reads its own guest-physical address, a
 * store is logged;
 * <li>Linux's 4.x early console, through the {@link PciConsole} on ports 0xCF8/0xCFC;
 * <li>the 3.x early console: a NOTIFY address is a NUL-terminated string to print.
 * </ul>
 * A #GP(0) from Guest user mode, or an instruction it does not know, goes back into the Guest
 * with LHREQ_TRAP, as the real Launcher does.
 */
final class TestLauncher {
    /** 8 MiB of RAM, then the 4.x Launcher's 1 MiB of device pages as the device window. */
    static final int RAM_PAGES = 2048;
    static final int DEVICE_PAGES = 256;
    static final int TEST_CONSOLE_PORT = 0xE9;
    private static final int KERNEL_START = 0x100000;
    private static final int COMMAND_LINE = 0x1000;
    /** Exits after which a Guest that has not finished is taken to be stuck. */
    private static final int EXIT_LIMIT = 1_000_000;

    /** The Generation a Launcher picks from the version string: lguest-bus Guests send NOTIFY. */
    enum Generation { LGUEST_BUS, VIRTIO_PCI }

    /** How a boot ended: what the console said, the death reason, and the Launcher's log. */
    record Outcome(String console, String death, List<String> log) {
    }

    private final StringBuilder console = new StringBuilder();
    private final List<String> log = new ArrayList<>();
    private final PciConsole pci = new PciConsole(console);
    private final Decoder decoder = new Decoder();
    private final Insn insn = new Insn();
    private GuestMemory memory;
    private Lguest lguest;

    /** Boots {@code file} in the generation its version string names, with an empty command line. */
    static Outcome boot(byte[] file) {
        BzImage image = BzImage.parse(file);
        Generation g = image.release() >= 401 ? Generation.VIRTIO_PCI : Generation.LGUEST_BUS;
        return boot(file, g, g == Generation.LGUEST_BUS ? "console=notify" : "");
    }

    static Outcome boot(byte[] file, Generation generation, String commandLine) {
        return new TestLauncher().run(BzImage.parse(file), generation, commandLine);
    }

    private Outcome run(BzImage image, Generation generation, String commandLine) {
        memory = new GuestMemory(RAM_PAGES);
        byte[] payload = image.payload();
        memory.copyIn(KERNEL_START, payload, 0, payload.length);
        writeZeroPage(commandLine);
        try (Lguest lg = Lguest.open(new LguestDevice())) {
            lguest = lg;
            int base = lg.map(memory);
            lg.send(generation == Generation.VIRTIO_PCI
                    ? new Request.InitializePci(base, RAM_PAGES, image.code32Start(), RAM_PAGES + DEVICE_PAGES)
                    : new Request.InitializeBus(base, RAM_PAGES, image.code32Start()));
            for (int exits = 0; exits < EXIT_LIMIT; exits++) {
                RunResult r = lg.run();
                if (r instanceof RunResult.Died d) {
                    return new Outcome(console.toString(), d.reason(), List.copyOf(log));
                } else if (r instanceof RunResult.Restart) {
                    return new Outcome(console.toString(), "restart", List.copyOf(log));
                } else if (r instanceof RunResult.Notify n) {
                    console.append(string(n.address()));
                } else if (r instanceof RunResult.Pending p && p.trap() == 13) {
                    portIo(p.instruction());
                } else if (r instanceof RunResult.Pending p && p.trap() == 14) {
                    deviceWindow(p.instruction(), p.address());
                } else if (!(r instanceof RunResult.Interrupted)) {
                    throw new AssertionError("unexpected exit " + r);
                }
            }
            return new Outcome(console.toString(), "still running after " + EXIT_LIMIT + " exits", List.copyOf(log));
        }
    }

    /** lguest's zero page (§5.2 of the ABI notes): one e820 RAM entry, protocol 2.07, subarch lguest. */
    private void writeZeroPage(String commandLine) {
        memory.write8(0x1E8, 1);
        memory.write32(0x2D0, 0);
        memory.write32(0x2D8, RAM_PAGES * GuestMemory.PAGE_SIZE);
        memory.write32(0x2E0, 1);
        memory.write16(0x206, 0x0207);
        memory.write8(0x211, 0x40);
        memory.write32(0x228, COMMAND_LINE);
        memory.write32(0x230, 0x1000000);
        memory.write32(0x23C, 1);
        byte[] line = (commandLine + "\0").getBytes(StandardCharsets.US_ASCII);
        memory.copyIn(COMMAND_LINE, line, 0, line.length);
    }

    private String string(int address) {
        StringBuilder s = new StringBuilder();
        for (int a = address; a < memory.size() && memory.read8(a) != 0; a++) {
            s.append((char) memory.read8(a));
        }
        return s.toString();
    }

    /** Trap 13: {@code in} and {@code out} from the Guest kernel; anything else is the Guest's #GP. */
    private void portIo(byte[] code) {
        if ((lguest.getRegister(Register.CS) & 3) != 1) {
            log.add("reinject #GP from CS " + Integer.toHexString(lguest.getRegister(Register.CS)));
            lguest.send(new Request.Trap(13));
            return;
        }
        int at = 0;
        int width = 4;
        if ((code[0] & 0xFF) == 0x66) {
            width = 2;
            at = 1;
        }
        int op = code[at] & 0xFF;
        boolean immediate = op >= 0xE4 && op <= 0xE7;
        boolean register = op >= 0xEC && op <= 0xEF;
        if (!immediate && !register) {
            log.add("reinject #GP for opcode " + Integer.toHexString(op));
            lguest.send(new Request.Trap(13));
            return;
        }
        if ((op & 1) == 0) {
            width = 1;
        }
        boolean out = (op & 2) != 0;
        int port = immediate ? code[at + 1] & 0xFF : lguest.getRegister(Register.EDX) & 0xFFFF;
        int length = at + (immediate ? 2 : 1);
        int mask = width == 4 ? -1 : (1 << (8 * width)) - 1;
        int eax = lguest.getRegister(Register.EAX);
        if (PciConsole.owns(port)) {
            if (out) {
                pci.out(port, width, eax & mask);
            } else {
                lguest.setRegister(Register.EAX, (eax & ~mask) | (pci.in(port, width) & mask));
            }
        } else if (out) {
            if (port == TEST_CONSOLE_PORT && width == 1) {
                console.append((char) (eax & 0xFF));
            } else {
                log.add(String.format("out %#x %#x/%d", port, eax & mask, width));
            }
        } else {
            int value = port == TEST_CONSOLE_PORT ? TEST_CONSOLE_PORT : -1;
            log.add(String.format("in %#x/%d", port, width));
            lguest.setRegister(Register.EAX, (eax & ~mask) | (value & mask));
        }
        lguest.setRegister(Register.EIP, lguest.getRegister(Register.EIP) + length);
    }

    /** Trap 14: a 32-bit {@code mov} to or from the device window. */
    private void deviceWindow(byte[] code, int address) {
        decoder.decode(insn, code, true);
        Register reg = Register.general(insn.reg());
        switch (insn.op()) {
            case 0x8B -> {
                log.add(String.format("mmio read %#x", address));
                lguest.setRegister(reg, address);
            }
            case 0x89 -> log.add(String.format("mmio write %#x %#x", address, lguest.getRegister(reg)));
            default -> {
                log.add(String.format("reinject #PF for opcode %#x at %#x", insn.op(), address));
                lguest.send(new Request.Trap(14));
                return;
            }
        }
        lguest.setRegister(Register.EIP, lguest.getRegister(Register.EIP) + insn.length());
    }
}
