package org.jlguest.host;

import static org.jlguest.host.LguestAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jlguest.mmu.GuestMemory;

/**
 * Shared pieces of the device property tests: raw request words, a little assembler that writes
 * straight into Guest memory, the small Guest programs the properties run, and a watchdog that
 * interrupts a read() that would otherwise never come back.
 */
final class DeviceKit {
    /** Where the programs below keep their lguest_data, stack, message and interrupt handler. */
    static final int CODE = 0x1000;
    static final int HANDLER = 0x3000;
    static final int DATA = 0x8000;
    static final int MESSAGE = 0x9000;
    static final int STACK = 0xF000;
    /** The address the notify programs hand back to the Launcher. */
    static final int NOTIFY_ADDRESS = 0x6000;

    private DeviceKit() {
    }

    static byte[] words(int... w) {
        ByteBuffer b = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }

    static int le32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static int write(LguestDevice device, LguestFile file, int... w) {
        byte[] b = words(w);
        return device.write(file, 0, b, b.length);
    }

    /** The text of a death report of {@code n} bytes, its NUL dropped. */
    static String text(byte[] b, int n) {
        int len = n > 0 && b[n - 1] == 0 ? n - 1 : n;
        return new String(b, 0, Math.max(len, 0), StandardCharsets.ISO_8859_1);
    }

    /** read() from a fresh thread (never an owner). */
    static int readFromAnotherThread(LguestDevice device, LguestFile file, long offset) {
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = new Thread(() -> result.set(device.read(file, offset, new byte[64], 64)), "not-the-owner");
        t.start();
        joinQuietly(t);
        return result.get();
    }

    /** write() from a fresh thread. */
    static int writeFromAnotherThread(LguestDevice device, LguestFile file, long offset, byte[] b, int length) {
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = new Thread(() -> result.set(device.write(file, offset, b, length)), "another-writer");
        t.start();
        joinQuietly(t);
        return result.get();
    }

    static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A tiny assembler writing 32-bit code straight into Guest memory. */
    static final class Asm {
        final GuestMemory memory;
        private int pc;

        Asm(GuestMemory memory, int origin) {
            this.memory = memory;
            this.pc = origin;
        }

        int pc() {
            return pc;
        }

        Asm bytes(int... b) {
            for (int x : b) {
                memory.write8(pc++, x);
            }
            return this;
        }

        Asm bytes(byte[] b) {
            memory.copyIn(pc, b, 0, b.length);
            pc += b.length;
            return this;
        }

        /** mov r32, imm32 (0 eax, 1 ecx, 2 edx, 3 ebx, 4 esp, 5 ebp, 6 esi, 7 edi). */
        Asm mov(int r, int imm) {
            return bytes(0xB8 + r, imm & 0xFF, (imm >>> 8) & 0xFF, (imm >>> 16) & 0xFF, imm >>> 24);
        }

        /** EAX = call, EBX, ECX, EDX, ESI = arguments, int $0x1f. */
        Asm hcall(int call, int a1, int a2, int a3, int a4) {
            return mov(0, call).mov(3, a1).mov(1, a2).mov(2, a3).mov(6, a4).bytes(0xCD, 0x1F);
        }

        Asm hcall(int call, int a1, int a2, int a3) {
            return hcall(call, a1, a2, a3, 0);
        }

        /** jmp rel32 to {@code target}. */
        Asm jmp(int target) {
            int rel = target - (pc + 5);
            return bytes(0xE9, rel & 0xFF, (rel >>> 8) & 0xFF, (rel >>> 16) & 0xFF, rel >>> 24);
        }

        /** An interrupt gate for {@code vector} pointing at {@code handler}. */
        Asm idtGate(int vector, int handler) {
            return hcall(LHCALL_LOAD_IDT_ENTRY, vector, (GUEST_CS << 16) | (handler & 0xFFFF),
                    (handler & 0xFFFF0000) | 0x8E00);
        }
    }

    /** A Guest image: memory with a 4.x lguest_data (empty async ring) and a program at {@link #CODE}. */
    static final class Image {
        final GuestMemory memory;
        final Asm code;

        Image(int pages) {
            memory = new GuestMemory(pages);
            memory.write32(DATA + LD4_SYSCALL_VEC, SYSCALL_VECTOR);
            memory.write32(DATA + LD4_KERNEL_ADDRESS, 0xC0000000);
            for (int i = 0; i < LHCALL_RING_SIZE; i++) {
                memory.write8(DATA + LD_HCALL_STATUS + i, 0xFF);
            }
            code = new Asm(memory, CODE);
        }

        Image() {
            this(64);
        }

        Image message(String text) {
            byte[] b = (text + "\0").getBytes(StandardCharsets.US_ASCII);
            memory.copyIn(MESSAGE, b, 0, b.length);
            return this;
        }

        /** INITIALIZE's words for this image mapped into {@code context}: 4.x with a 256-page window, or 3.x. */
        int[] initialize(LauncherContext context, boolean pci) {
            int base = context.map(memory);
            int pages = memory.pfnLimit();
            return pci ? new int[] {LHREQ_INITIALIZE, base, pages, CODE, pages + 256}
                    : new int[] {LHREQ_INITIALIZE, base, pages, CODE};
        }
    }

    /** The programs the state-machine property runs. */
    enum Program {
        /** INIT, then LHCALL_SHUTDOWN(poweroff) with a message: the first run dies. */
        POWER_OFF,
        /** INIT, then LHCALL_SHUTDOWN(restart): every run reports -ERESTART. */
        RESTART,
        /** INIT, then NOTIFY(0x6000) forever (3.x only): every run hands back 0x6000. */
        NOTIFY_LOOP,
        /** INIT, then a store to an absolute device-window address forever (4.x only): every run is a trap-14 record. */
        MMIO_LOOP,
        /** INIT, then {@code jmp $}: a run only ends when its thread is interrupted. */
        SPIN;

        static final String MESSAGE_TEXT = "bye from the guest";

        /** Builds the program into a fresh image; returns the loop address (EIP that resumes the loop). */
        int build(Image image) {
            Asm a = image.code;
            a.hcall(LHCALL_LGUEST_INIT, DATA, 0, 0);
            int loop = a.pc();
            switch (this) {
                case POWER_OFF -> {
                    image.message(MESSAGE_TEXT);
                    a.hcall(LHCALL_SHUTDOWN, MESSAGE, LGUEST_SHUTDOWN_POWEROFF, 0).jmp(loop);
                }
                case RESTART -> a.hcall(LHCALL_SHUTDOWN, MESSAGE, LGUEST_SHUTDOWN_RESTART, 0).jmp(loop);
                case NOTIFY_LOOP -> a.hcall(LHCALL_NOTIFY, NOTIFY_ADDRESS, 0, 0).jmp(loop);
                case MMIO_LOOP -> {
                    int window = windowAddress(image); // mov [window], eax: no register names the address
                    a.bytes(0xA3, window & 0xFF, (window >>> 8) & 0xFF, (window >>> 16) & 0xFF, window >>> 24).jmp(loop);
                }
                case SPIN -> a.bytes(0xEB, 0xFE);
                default -> throw new AssertionError(this);
            }
            return loop;
        }

        static int windowAddress(Image image) {
            return image.memory.pfnLimit() * 4096 + 0x40;
        }
    }
}
