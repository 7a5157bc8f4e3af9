package org.jlguest.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jlguest.mmu.GuestMemory;

/**
 * A tiny hand-assembled Guest for device tests: code at {@link #CODE}, an {@code lguest_data}
 * (4.x layout, syscall vector 0x80) at {@link #DATA}, a message at {@link #MESSAGE}.
 */
final class TestGuest {
    static final int PAGES = 64;
    static final int CODE = 0x1000;
    static final int DATA = 0x8000;
    static final int MESSAGE = 0x9000;
    static final int STACK = 0xF000;

    final GuestMemory memory = new GuestMemory(PAGES);
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();

    TestGuest() {
        memory.write32(DATA + LguestAbi.LD4_SYSCALL_VEC, LguestAbi.SYSCALL_VECTOR);
        memory.write32(DATA + LguestAbi.LD4_KERNEL_ADDRESS, 0xC0000000);
        for (int i = 0; i < LguestAbi.LHCALL_RING_SIZE; i++) {
            memory.write8(DATA + LguestAbi.LD_HCALL_STATUS + i, 0xFF);
        }
    }

    TestGuest bytes(int... b) {
        for (int x : b) {
            code.write(x);
        }
        return this;
    }

    /** mov r32, imm32 (r: 0 eax, 1 ecx, 2 edx, 3 ebx, 4 esp, 5 ebp, 6 esi, 7 edi). */
    TestGuest mov(int r, int imm) {
        return bytes(0xB8 + r, imm & 0xFF, (imm >>> 8) & 0xFF, (imm >>> 16) & 0xFF, imm >>> 24);
    }

    /** A hypercall: EAX = call, EBX/ECX/EDX = arguments, int $0x1f. */
    TestGuest hcall(int call, int a1, int a2, int a3) {
        return mov(0, call).mov(3, a1).mov(1, a2).mov(2, a3).bytes(0xCD, 0x1F);
    }

    TestGuest init() {
        return hcall(LguestAbi.LHCALL_LGUEST_INIT, DATA, 0, 0);
    }

    TestGuest message(String text) {
        byte[] b = (text + "\0").getBytes(StandardCharsets.US_ASCII);
        memory.copyIn(MESSAGE, b, 0, b.length);
        return this;
    }

    TestGuest powerOff(String text) {
        return message(text).hcall(LguestAbi.LHCALL_SHUTDOWN, MESSAGE, LguestAbi.LGUEST_SHUTDOWN_POWEROFF, 0);
    }

    /** Copies the code into memory; returns this for chaining. */
    TestGuest load() {
        byte[] b = code.toByteArray();
        memory.copyIn(CODE, b, 0, b.length);
        return this;
    }
}
