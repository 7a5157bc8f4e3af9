package org.jlguest.mmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final int PAGES = 4;
    private final GuestMemory memory = new GuestMemory(PAGES);

    @Test
    void sizeIsPfnLimitPages() {
        assertEquals(PAGES, memory.pfnLimit());
        assertEquals(PAGES * GuestMemory.PAGE_SIZE, memory.size());
        assertEquals(memory.size(), memory.array().length);
    }

    @Test
    void rejectsImpossiblePfnLimits() {
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory(0));
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory(-1));
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory((Integer.MAX_VALUE >>> 12) + 1));
    }

    @Test
    void everyWidthIsLittleEndian() {
        memory.write64(0x100, 0x0807060504030201L);
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, memory.array()[0x100 + i]);
        }
        assertEquals(0x01, memory.read8(0x100));
        assertEquals(0x0201, memory.read16(0x100));
        assertEquals(0x04030201, memory.read32(0x100));
        assertEquals(0x0807060504030201L, memory.read64(0x100));

        memory.write8(0x200, 0x1AB);
        memory.write16(0x202, 0x1CDEF);
        memory.write32(0x204, 0x89ABCDEF);
        assertArrayEquals(new byte[] {(byte) 0xAB, 0, (byte) 0xEF, (byte) 0xCD, (byte) 0xEF, (byte) 0xCD, (byte) 0xAB, (byte) 0x89},
                java.util.Arrays.copyOfRange(memory.array(), 0x200, 0x208));
    }

    @Test
    void theArrayAccessorsAgreeWithTheInstanceOnes() {
        byte[] ram = memory.array();
        GuestMemory.write32(ram, 0x203, 0x8765FEDC);
        assertEquals(0x8765FEDC, memory.read32(0x203));
        assertEquals(0x8765FEDC, GuestMemory.read32(ram, 0x203));
        assertEquals(0xFEDC, GuestMemory.read16(ram, 0x203));
        assertEquals(0x8765, GuestMemory.read16(ram, 0x205));
        assertThrows(IndexOutOfBoundsException.class, () -> GuestMemory.read32(ram, memory.size() - 3));
    }

    @Test
    void narrowReadsAreZeroExtended() {
        memory.write32(0x10, 0xFFFFFFFF);
        assertEquals(0xFF, memory.read8(0x10));
        assertEquals(0xFFFF, memory.read16(0x10));
        assertEquals(-1, memory.read32(0x10));
        memory.write16Release(0x20, 0x8001);
        assertEquals(0x8001, memory.read16Acquire(0x20));
    }

    @Test
    void unalignedAccessesWork() {
        memory.write32(0x301, 0x11223344);
        assertEquals(0x11223344, memory.read32(0x301));
        assertEquals(0x2233, memory.read16(0x302));
    }

    @Test
    void lastBytesOfRamAreReachable() {
        int end = memory.size();
        memory.write32(end - 4, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, memory.read32(end - 4));
        memory.write8(end - 1, 0x5A);
        assertEquals(0x5A, memory.read8(end - 1));
    }

    @Test
    void noAccessAtOrBeyondPfnLimitReachesMemory() {
        int end = memory.size();
        byte[] before = memory.array().clone();
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write8(end, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write16(end - 1, 0xFFFF));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write32(end - 3, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write64(end - 7, -1L));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write32(0x80000000, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write32(-4, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read8(end));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read32(end - 2));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read32(0xFFFFFFFC));
        assertArrayEquals(before, memory.array(), "a rejected store must not change any byte");
    }

    @Test
    void containsTreatsAddressesAsUnsigned() {
        assertTrue(memory.contains(0, memory.size()));
        assertTrue(memory.contains(memory.size(), 0));
        assertFalse(memory.contains(memory.size() - 1, 2));
        assertFalse(memory.contains(Integer.toUnsignedLong(0xFFFFF000), 4));
        assertFalse(memory.contains(-1, 1));
        assertFalse(memory.contains(0, -1));
    }

    @Test
    void copyInAndOutRoundTrip() {
        byte[] data = {1, 2, 3, 4, 5};
        memory.copyIn(0x1FFE, data, 1, 4);
        byte[] out = new byte[6];
        memory.copyOut(0x1FFE, out, 2, 4);
        assertArrayEquals(new byte[] {0, 0, 2, 3, 4, 5}, out);
    }

    @Test
    void copyInOutOfRangeFailsClearlyAndWritesNothing() {
        byte[] before = memory.array().clone();
        int end = memory.size();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> memory.copyIn(end - 2, new byte[4], 0, 4));
        assertTrue(e.getMessage().contains("outside guest memory"), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("0x%08x", end - 2)), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> memory.copyIn(0xFFFFFFFE, new byte[4], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.copyIn(0, new byte[4], 0, -1));
        assertArrayEquals(before, memory.array());
    }

    @Test
    void copyOutOutOfRangeFailsClearly() {
        byte[] out = new byte[8];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> memory.copyOut(memory.size() - 4, out, 0, 8));
        assertTrue(e.getMessage().contains("outside guest memory"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> memory.copyOut(0x80000000, out, 0, 1));
        assertArrayEquals(new byte[8], out);
    }
}
