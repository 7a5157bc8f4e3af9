package org.jlguest.launcher.boot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jlguest.host.LguestAbi;

/**
 * Small, hand-built kernel images for tests: a bzImage or ELF wrapper around a payload, and a
 * tiny Guest program (INIT hypercall, port I/O, power-off) loaded at 0x100000.
 */
public final class TinyKernels {
    public static final int LOAD = 0x100000;
    /** Offsets inside the payload. */
    public static final int DATA = 0x1000;
    public static final int STRINGS = 0x2000;
    public static final int PAYLOAD_SIZE = 0x3000;

    private TinyKernels() {
    }

    /** A bzImage (protocol 2.10, one setup sector) around {@code payload}, with a version string. */
    public static byte[] bzImage(byte[] payload, String version) {
        int setupSects = 1;
        int payloadOffset = (setupSects + 1) * 512;
        ByteBuffer b = ByteBuffer.allocate(payloadOffset + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) setupSects);
        b.putInt(0x1F4, (payload.length + 15) / 16);
        b.putShort(0x1FE, (short) 0xAA55);
        b.putInt(0x202, SetupHeader.MAGIC);
        b.putShort(0x206, (short) 0x020A);
        if (version != null) {
            b.putShort(0x20E, (short) 0x100);
            byte[] v = (version + "\0").getBytes(StandardCharsets.US_ASCII);
            b.put(0x300, v);
        }
        b.put(0x211, (byte) SetupHeader.LOADED_HIGH);
        b.putInt(0x214, LOAD);
        b.putInt(0x230, 0x1000000);
        b.put(payloadOffset, payload);
        return b.array();
    }

    /** An ELF32 i386 executable with one PT_LOAD segment of {@code payload} at physical {@code paddr}. */
    public static byte[] elf(byte[] payload, int paddr, int bss) {
        int phoff = 52;
        int offset = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(offset + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, ElfKernel.MAGIC);
        b.put(4, (byte) 1).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1);
        b.putInt(24, paddr).putInt(28, phoff).putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(phoff, 1).putInt(phoff + 4, offset).putInt(phoff + 8, 0xC0000000 + paddr).putInt(phoff + 12, paddr)
                .putInt(phoff + 16, payload.length).putInt(phoff + 20, payload.length + bss).putInt(phoff + 24, 7);
        b.put(offset, payload);
        return b.array();
    }

    /** Builds a Guest program at 0x100000 with an {@code lguest_data} (4.x layout) and strings beside it. */
    public static final class Program {
        private final ByteArrayOutputStream code = new ByteArrayOutputStream();
        private final ByteBuffer image = ByteBuffer.allocate(PAYLOAD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        private int stringsUsed;

        public Program() {
            image.putInt(DATA + LguestAbi.LD4_SYSCALL_VEC, LguestAbi.SYSCALL_VECTOR);
            image.putInt(DATA + LguestAbi.LD4_KERNEL_ADDRESS, 0xC0000000);
            for (int i = 0; i < LguestAbi.LHCALL_RING_SIZE; i++) {
                image.put(DATA + LguestAbi.LD_HCALL_STATUS + i, (byte) 0xFF);
            }
        }

        public Program bytes(int... b) {
            for (int x : b) {
                code.write(x);
            }
            return this;
        }

        /** mov r32, imm32 (0 eax, 1 ecx, 2 edx, 3 ebx, ...). */
        public Program mov(int r, int imm) {
            return bytes(0xB8 + r, imm & 0xFF, (imm >>> 8) & 0xFF, (imm >>> 16) & 0xFF, imm >>> 24);
        }

        public Program hcall(int call, int a1, int a2) {
            return mov(0, call).mov(3, a1).mov(1, a2).bytes(0xCD, 0x1F);
        }

        public Program init() {
            return hcall(LguestAbi.LHCALL_LGUEST_INIT, LOAD + DATA, 0);
        }

        /** Writes {@code text} to port {@code port} a byte at a time with {@code out dx, al}. */
        public Program print(int port, String text) {
            mov(2, port);
            for (byte c : text.getBytes(StandardCharsets.US_ASCII)) {
                bytes(0xB0, c & 0xFF, 0xEE);
            }
            return this;
        }

        /** Puts a NUL-terminated string beside the code; returns its Guest-physical address. */
        public int string(String text) {
            byte[] b = (text + "\0").getBytes(StandardCharsets.US_ASCII);
            int at = STRINGS + stringsUsed;
            image.put(at, b);
            stringsUsed += b.length;
            return LOAD + at;
        }

        public Program shutdown(String message, int how) {
            return hcall(LguestAbi.LHCALL_SHUTDOWN, string(message), how);
        }

        public Program powerOff() {
            return shutdown("Power down", LguestAbi.LGUEST_SHUTDOWN_POWEROFF);
        }

        /** The payload: code at 0, {@code lguest_data} at {@link #DATA}, strings at {@link #STRINGS}. */
        public byte[] payload() {
            byte[] c = code.toByteArray();
            if (c.length > DATA) {
                throw new IllegalStateException("program of " + c.length + " bytes runs into lguest_data");
            }
            image.put(0, c);
            return image.array().clone();
        }
    }
}
