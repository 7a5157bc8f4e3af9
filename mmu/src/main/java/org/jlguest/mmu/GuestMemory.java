package org.jlguest.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The guest's physical memory: one {@code byte[]} that guest-physical address 0 starts.
 *
 * <p>It is the Java image of the Launcher's memory block ({@code mem_base} in lguest). Its size
 * is the guest's {@code pfn_limit} in pages: nothing at or above it is RAM, and no access through
 * this class can reach beyond it. Accesses are little-endian, through {@link VarHandle}s, and
 * allocate nothing. Indexes are unsigned guest-physical addresses, checked by the array bound: a
 * caller that skipped the {@code pfn_limit} check gets an exception, never another guest's bytes.
 */
public final class GuestMemory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] ram;
    private final int pfnLimit;

    /** Allocates {@code pfnLimit} zeroed pages (at most 2 GiB minus one page: a Java array's bound). */
    public GuestMemory(int pfnLimit) {
        if (pfnLimit <= 0 || pfnLimit > (Integer.MAX_VALUE >>> PAGE_SHIFT)) {
            throw new IllegalArgumentException("pfn_limit " + pfnLimit + " pages is outside 1.." + (Integer.MAX_VALUE >>> PAGE_SHIFT));
        }
        this.pfnLimit = pfnLimit;
        this.ram = new byte[pfnLimit << PAGE_SHIFT];
    }

    /** The first page frame number that is not RAM. */
    public int pfnLimit() {
        return pfnLimit;
    }

    /** Size in bytes. */
    public int size() {
        return ram.length;
    }

    /** True if every byte of [{@code pa}, {@code pa + length}) is RAM; addresses are unsigned. */
    public boolean contains(long pa, long length) {
        return pa >= 0 && length >= 0 && pa + length <= ram.length;
    }

    /** The backing array, for the TLB fast path of the CPU (offset = guest-physical address). */
    public byte[] array() {
        return ram;
    }

    /**
     * {@link #read16} of the backing array ({@link #array}) itself: for compiled code, which
     * keeps the array in a local rather than loading it from this object at every access.
     */
    public static int read16(byte[] ram, int pa) {
        return (short) SHORT.get(ram, pa) & 0xFFFF;
    }

    /** {@link #read32} of the backing array itself, as {@link #read16(byte[], int)}. */
    public static int read32(byte[] ram, int pa) {
        return (int) INT.get(ram, pa);
    }

    /** {@link #write32} into the backing array itself, as {@link #read16(byte[], int)}. */
    public static void write32(byte[] ram, int pa, int value) {
        INT.set(ram, pa, value);
    }

    public int read8(int pa) {
        return ram[pa] & 0xFF;
    }

    public int read16(int pa) {
        return read16(ram, pa);
    }

    public int read32(int pa) {
        return read32(ram, pa);
    }

    public long read64(int pa) {
        return (long) LONG.get(ram, pa);
    }

    public void write8(int pa, int value) {
        ram[pa] = (byte) value;
    }

    public void write16(int pa, int value) {
        SHORT.set(ram, pa, (short) value);
    }

    public void write32(int pa, int value) {
        write32(ram, pa, value);
    }

    public void write64(int pa, long value) {
        LONG.set(ram, pa, value);
    }

    /** Acquire read of a 16-bit field shared with another thread (virtqueue indexes). */
    public int read16Acquire(int pa) {
        return (short) SHORT.getAcquire(ram, pa) & 0xFFFF;
    }

    /** Release write of a 16-bit field shared with another thread (virtqueue indexes). */
    public void write16Release(int pa, int value) {
        SHORT.setRelease(ram, pa, (short) value);
    }

    public void copyIn(int pa, byte[] src, int srcOffset, int length) {
        checkRange(pa, length);
        System.arraycopy(src, srcOffset, ram, pa, length);
    }

    public void copyOut(int pa, byte[] dst, int dstOffset, int length) {
        checkRange(pa, length);
        System.arraycopy(ram, pa, dst, dstOffset, length);
    }

    private void checkRange(int pa, int length) {
        if (!contains(Integer.toUnsignedLong(pa), length)) {
            throw new IndexOutOfBoundsException(String.format(
                    "guest-physical range 0x%08x+%d is outside guest memory (0x%x bytes)", pa, length, ram.length));
        }
    }
}
