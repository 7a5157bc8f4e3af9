package org.jlguest.mmu;

import static org.jlguest.mmu.PageWalker.A;
import static org.jlguest.mmu.PageWalker.D;
import static org.jlguest.mmu.PageWalker.G;
import static org.jlguest.mmu.PageWalker.P;
import static org.jlguest.mmu.PageWalker.PS;
import static org.jlguest.mmu.PageWalker.RW;
import static org.jlguest.mmu.PageWalker.US;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MmuTest {
    private static final int CR3 = 0x1000;
    private static final int TABLE = 0x2000;
    /** pfn_limit of the test guest: frames 0x40 and above are not RAM. */
    private static final int PAGES = 0x40;
    private static final int LINEAR = 0x00005000;

    private final GuestMemory memory = new GuestMemory(PAGES);
    private final Mmu mmu = new Mmu(memory, new Fault());
    private final List<Integer> codeWrites = new ArrayList<>();

    @BeforeEach
    void enablePaging() {
        memory.write32(CR3, TABLE | P | RW | US);
        mmu.setPagingMode(true, true, true, true);
        mmu.setCr3(CR3);
        mmu.setCodeWriteListener(codeWrites::add);
    }

    private void map(int linear, int frame, int flags) {
        memory.write32(pteAddr(linear), frame << 12 | flags);
    }

    private static int pteAddr(int linear) {
        return TABLE + ((linear >>> 12) & 0x3FF) * 4;
    }

    private Fault faultOf(Runnable access) {
        return assertThrows(Fault.class, access::run);
    }

    // ---- TLB hits and invalidation --------------------------------------------------------

    @Test
    void secondAccessHitsTheTlb() {
        map(LINEAR, 0x10, P | RW);
        memory.write32(0x10000 + 0x40, 0x12345678);
        long misses = mmu.tlbMisses();
        assertEquals(0x12345678, mmu.read32(LINEAR + 0x40));
        assertEquals(misses + 1, mmu.tlbMisses());
        assertEquals(0x5678, mmu.read16(LINEAR + 0x40));
        assertEquals(0x78, mmu.read8(LINEAR + 0x40));
        assertEquals(misses + 1, mmu.tlbMisses(), "same page, same kind: no walk");
    }

    @Test
    void pteChangeIsNotSeenUntilInvlpg() {
        map(LINEAR, 0x10, P | RW);
        memory.write32(0x10000, 0x1111);
        memory.write32(0x11000, 0x2222);
        assertEquals(0x1111, mmu.read32(LINEAR));
        map(LINEAR, 0x11, P | RW);
        assertEquals(0x1111, mmu.read32(LINEAR), "the TLB still holds the old translation");
        mmu.invalidate(LINEAR + 0x123);
        assertEquals(0x2222, mmu.read32(LINEAR));
    }

    @Test
    void pteChangeIsSeenAfterCr3Reload() {
        map(LINEAR, 0x10, P | RW);
        memory.write32(0x10000, 0x1111);
        memory.write32(0x11000, 0x2222);
        assertEquals(0x1111, mmu.read32(LINEAR));
        map(LINEAR, 0x11, P | RW);
        mmu.setCr3(CR3);
        assertEquals(0x2222, mmu.read32(LINEAR));
    }

    @Test
    void revokedWriteAccessIsEnforcedAfterInvlpg() {
        map(LINEAR, 0x10, P | RW);
        mmu.write32(LINEAR, 1);
        map(LINEAR, 0x10, P | D | A);
        mmu.write32(LINEAR, 2);
        assertEquals(2, memory.read32(0x10000), "stale writable entry until INVLPG, as on hardware");
        mmu.invalidate(LINEAR);
        Fault f = faultOf(() -> mmu.write32(LINEAR, 3));
        assertEquals(Fault.PF, f.vector());
        assertEquals(P | 2, f.errorCode());
        assertEquals(LINEAR, f.cr2());
    }

    @Test
    void globalPagesSurviveCr3ReloadWithPge() {
        map(LINEAR, 0x10, P | RW | G);
        memory.write32(0x10000, 0x1111);
        memory.write32(0x11000, 0x2222);
        assertEquals(0x1111, mmu.read32(LINEAR));
        map(LINEAR, 0x11, P | RW | G);
        mmu.setCr3(CR3);
        assertEquals(0x1111, mmu.read32(LINEAR), "global entry kept across CR3 load");
        mmu.invalidate(LINEAR);
        assertEquals(0x2222, mmu.read32(LINEAR), "INVLPG drops global entries too");
    }

    @Test
    void globalBitIsIgnoredWithoutPge() {
        mmu.setPagingMode(true, true, true, false);
        map(LINEAR, 0x10, P | RW | G);
        memory.write32(0x10000, 0x1111);
        memory.write32(0x11000, 0x2222);
        assertEquals(0x1111, mmu.read32(LINEAR));
        map(LINEAR, 0x11, P | RW | G);
        mmu.setCr3(CR3);
        assertEquals(0x2222, mmu.read32(LINEAR));
    }

    @Test
    void nonGlobalPagesAreDroppedByCr3ReloadWithPge() {
        map(LINEAR, 0x10, P | RW);
        map(LINEAR + 0x1000, 0x12, P | RW | G);
        assertEquals(0, mmu.read32(LINEAR));
        assertEquals(0, mmu.read32(LINEAR + 0x1000));
        map(LINEAR, 0x11, P | RW);
        map(LINEAR + 0x1000, 0x13, P | RW | G);
        memory.write32(0x11000, 7);
        memory.write32(0x13000, 9);
        mmu.setCr3(CR3);
        assertEquals(7, mmu.read32(LINEAR));
        assertEquals(0, mmu.read32(LINEAR + 0x1000));
    }

    @Test
    void invlpgDropsEveryPieceOfALargePage() {
        GuestMemory big = new GuestMemory(3 << 10);
        Mmu large = new Mmu(big, new Fault());
        big.write32(CR3 + 4, 0x00400000 | P | RW | PS);
        large.setPagingMode(true, true, true, true);
        large.setCr3(CR3);
        big.write32(0x00401000, 0xA1);
        big.write32(0x00402000, 0xA2);
        big.write32(0x00801000, 0xB1);
        big.write32(0x00802000, 0xB2);
        assertEquals(0xA1, large.read32(0x00401000));
        assertEquals(0xA2, large.read32(0x00402000));
        big.write32(CR3 + 4, 0x00800000 | P | RW | PS);
        large.invalidate(0x00401000);
        assertEquals(0xB1, large.read32(0x00401000));
        assertEquals(0xB2, large.read32(0x00402000), "INVLPG of one address drops the whole 4 MiB page");
    }

    @Test
    void pagingModeChangeFlushes() {
        map(LINEAR, 0x10, P);
        assertEquals(0, mmu.read32(LINEAR));
        mmu.setPagingMode(true, false, true, true);
        mmu.write32(LINEAR, 5);
        assertEquals(5, memory.read32(0x10000), "supervisor may write read-only pages without WP");
        mmu.setPagingMode(true, true, true, true);
        assertEquals(P | 2, faultOf(() -> mmu.write32(LINEAR, 6)).errorCode());
    }

    @Test
    void withoutPagingLinearIsPhysical() {
        mmu.setPagingMode(false, false, false, false);
        mmu.write32(0x3004, 0xBEEF);
        assertEquals(0xBEEF, memory.read32(0x3004));
        assertEquals(0xBEEF, mmu.read32(0x3004));
    }

    // ---- accessed and dirty bits ----------------------------------------------------------

    @Test
    void firstWriteAfterReadsSetsDirty() {
        map(LINEAR, 0x10, P | RW);
        mmu.read32(LINEAR);
        assertEquals(0x10000 | P | RW | A, memory.read32(pteAddr(LINEAR)));
        mmu.write8(LINEAR, 1);
        assertEquals(0x10000 | P | RW | A | D, memory.read32(pteAddr(LINEAR)));
    }

    @Test
    void readEntryDoesNotPermitWrites() {
        map(LINEAR, 0x10, P);
        mmu.read32(LINEAR);
        Fault f = faultOf(() -> mmu.write32(LINEAR, 1));
        assertEquals(P | 2, f.errorCode());
        assertEquals(0, memory.read32(0x10000));
        assertEquals(0x10000 | P | A, memory.read32(pteAddr(LINEAR)), "no dirty bit after a failed write");
    }

    // ---- page-crossing accesses -----------------------------------------------------------

    @Test
    void pageCrossingReadJoinsTwoFrames() {
        map(LINEAR, 0x12, P | RW);
        map(LINEAR + 0x1000, 0x10, P | RW);
        memory.write16(0x12FFE, 0x2211);
        memory.write16(0x10000, 0x4433);
        assertEquals(0x44332211, mmu.read32(LINEAR + 0xFFE));
        assertEquals(0x3322, mmu.read16(LINEAR + 0xFFF));
    }

    @Test
    void pageCrossingWriteSplitsAcrossTwoFrames() {
        map(LINEAR, 0x12, P | RW);
        map(LINEAR + 0x1000, 0x10, P | RW);
        mmu.write32(LINEAR + 0xFFD, 0x44332211);
        assertEquals(0x332211, memory.read32(0x12FFC) >>> 8);
        assertEquals(0x44, memory.read8(0x10000));
        mmu.write16(LINEAR + 0xFFF, 0xBBAA);
        assertEquals(0xAA, memory.read8(0x12FFF));
        assertEquals(0xBB, memory.read8(0x10000));
    }

    @Test
    void pageCrossingWriteChecksBothPagesBeforeWritingAnyByte() {
        map(LINEAR, 0x12, P | RW);
        map(LINEAR + 0x1000, 0x10, P);
        Fault f = faultOf(() -> mmu.write32(LINEAR + 0xFFE, -1));
        assertEquals(LINEAR + 0x1000, f.cr2(), "CR2 names the first byte of the page that faults");
        assertEquals(P | 2, f.errorCode());
        assertEquals(0, memory.read16(0x12FFE), "first page untouched");

        map(LINEAR + 0x1000, 0x10, P | RW);
        mmu.invalidate(LINEAR + 0x1000);
        map(LINEAR, 0x12, 0);
        mmu.invalidate(LINEAR);
        f = faultOf(() -> mmu.write32(LINEAR + 0xFFE, -1));
        assertEquals(LINEAR + 0xFFE, f.cr2());
        assertEquals(2, f.errorCode());
        assertEquals(0, memory.read16(0x10000), "second page untouched");
    }

    @Test
    void pageCrossingReadFaultNamesTheUnmappedPage() {
        map(LINEAR, 0x12, P | RW);
        Fault f = faultOf(() -> mmu.read32(LINEAR + 0xFFF));
        assertEquals(LINEAR + 0x1000, f.cr2());
        assertEquals(0, f.errorCode());
    }

    @Test
    void probeWriteChecksWithoutWriting() {
        map(LINEAR, 0x12, P | RW);
        map(LINEAR + 0x1000, 0x10, P);
        mmu.probeWrite(LINEAR + 0x10, 4);
        Fault f = faultOf(() -> mmu.probeWrite(LINEAR + 0xFFC, 8));
        assertEquals(LINEAR + 0x1000, f.cr2());
        assertEquals(0, memory.read32(0x12FFC));
    }

    @Test
    void bothPagesFaultingReportsTheFirst() {
        Fault f = faultOf(() -> mmu.write32(LINEAR + 0xFFE, -1));
        assertEquals(LINEAR + 0xFFE, f.cr2());
    }

    @Test
    void readForWriteFaultsOnReadOnlyPagesWithTheWriteBit() {
        map(LINEAR, 0x10, P | US);
        memory.write32(0x10000, 77);
        mmu.setUser(true);
        assertEquals(77, mmu.read32(LINEAR));
        Fault f = faultOf(() -> mmu.readForWrite32(LINEAR));
        assertEquals(P | 4 | 2, f.errorCode());
        assertEquals(0x10000 | P | US | A, memory.read32(pteAddr(LINEAR)));
    }

    @Test
    void readForWriteReadsAndMarksDirty() {
        map(LINEAR, 0x10, P | RW);
        memory.write32(0x10FFE, 0x44332211);
        memory.write32(0x10000, 0x05060708);
        assertEquals(0x08, mmu.readForWrite8(LINEAR));
        assertEquals(0x0708, mmu.readForWrite16(LINEAR));
        assertEquals(0x05060708, mmu.readForWrite32(LINEAR));
        assertEquals(0x10000 | P | RW | A | D, memory.read32(pteAddr(LINEAR)));
        Fault f = faultOf(() -> mmu.readForWrite32(LINEAR + 0xFFE));
        assertEquals(LINEAR + 0x1000, f.cr2());
        assertEquals(2, f.errorCode(), "a page-crossing operand is checked for writing on both pages");
    }

    // ---- privilege views ------------------------------------------------------------------

    @Test
    void userViewCannotUseSupervisorEntries() {
        map(LINEAR, 0x10, P | RW);
        memory.write32(0x10000, 42);
        assertEquals(42, mmu.read32(LINEAR));
        mmu.setUser(true);
        Fault f = faultOf(() -> mmu.read32(LINEAR));
        assertEquals(P | 4, f.errorCode());
        assertEquals(LINEAR, f.cr2());
        mmu.setUser(false);
        assertEquals(42, mmu.read32(LINEAR));
    }

    @Test
    void userWritesToReadOnlyPagesFaultEvenWithoutWp() {
        mmu.setPagingMode(true, false, true, true);
        map(LINEAR, 0x10, P | US);
        mmu.setUser(true);
        assertEquals(0, mmu.read32(LINEAR));
        assertEquals(P | 4 | 2, faultOf(() -> mmu.write32(LINEAR, 1)).errorCode());
        mmu.setUser(false);
        mmu.write32(LINEAR, 1);
        assertEquals(1, memory.read32(0x10000));
    }

    @Test
    void userFetchOutsideExecutablePagesReportsInstructionFetch() {
        map(LINEAR, 0x10, P | US);
        map(LINEAR + 0x1000, 0x11, P | US | RW);
        BitSet executable = new BitSet();
        executable.set(LINEAR >>> 12);
        mmu.setExecutablePages(executable);
        mmu.setUser(true);
        memory.write8(0x10000, 0x90);
        assertEquals(0x90, mmu.fetch8(LINEAR));
        Fault f = faultOf(() -> mmu.fetch8(LINEAR + 0x1000));
        assertEquals(0x10 | 4 | P, f.errorCode());
        assertEquals(LINEAR + 0x1000, f.cr2());
        assertEquals(0, mmu.read32(LINEAR + 0x1000), "data reads are still allowed");
    }

    // ---- physical addresses beyond RAM ----------------------------------------------------

    @Test
    void framesBeyondRamGoToTheDeviceWindow() {
        int frame = PAGES + 2;
        map(LINEAR, frame, P | RW);
        List<String> log = new ArrayList<>();
        mmu.setDeviceWindow(new DeviceWindow() {
            @Override
            public int read(int physical, int size) {
                log.add(String.format("r %x %d", physical, size));
                return 0xDEADBEEF;
            }

            @Override
            public void write(int physical, int size, int value) {
                log.add(String.format("w %x %d %x", physical, size, value));
            }
        });
        assertEquals(0xDEADBEEF, mmu.read32(LINEAR + 8));
        mmu.write16(LINEAR + 12, 0x1234);
        mmu.read8(LINEAR + 1);
        assertEquals(List.of("r 42008 4", "w 4200c 2 1234", "r 42001 1"), log, "every access reaches the device");
    }

    @Test
    void withoutADeviceWindowBeyondRamIsHostBeyondLimit() {
        map(LINEAR, PAGES, P | RW);
        Fault f = faultOf(() -> mmu.read32(LINEAR + 0x10));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(PAGES << 12 | 0x10, f.cr2());
        f = faultOf(() -> mmu.write8(LINEAR, 1));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
    }

    @Test
    void fetchBeyondRamIsNeverADeviceAccess() {
        map(LINEAR, PAGES, P | RW);
        mmu.setDeviceWindow(new DeviceWindow() {
            @Override
            public int read(int physical, int size) {
                throw new AssertionError("fetch reached the device window");
            }

            @Override
            public void write(int physical, int size, int value) {
                throw new AssertionError();
            }
        });
        Fault f = faultOf(() -> mmu.fetch8(LINEAR));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(PAGES << 12, f.cr2());
    }

    // ---- decoded-code tracking ------------------------------------------------------------

    @Test
    void storeToACodeFrameIsReportedOncePerMarking() {
        map(LINEAR, 0x10, P | RW);
        mmu.markCode(0x10);
        mmu.write8(LINEAR, 1);
        mmu.write32(LINEAR + 4, 2);
        assertEquals(List.of(0x10), codeWrites);
        assertEquals(1, memory.read8(0x10000), "the store itself happens");
        mmu.markCode(0x10);
        mmu.write16(LINEAR + 8, 3);
        mmu.write16(LINEAR + 8, 4);
        assertEquals(List.of(0x10, 0x10), codeWrites);
    }

    @Test
    void markingDropsCachedWriteEntriesOfEveryAlias() {
        int alias = LINEAR + 0x3000;
        map(LINEAR, 0x10, P | RW);
        map(alias, 0x10, P | RW);
        mmu.write32(LINEAR, 1);
        mmu.write32(alias, 2);
        mmu.setUser(true);
        map(LINEAR, 0x10, P | RW | US | A | D);
        mmu.invalidate(LINEAR);
        mmu.write32(LINEAR, 3);
        mmu.setUser(false);
        mmu.markCode(0x10);
        mmu.write32(alias + 4, 4);
        mmu.setUser(true);
        mmu.markCode(0x10);
        mmu.write32(LINEAR + 8, 5);
        assertEquals(List.of(0x10, 0x10), codeWrites, "both privilege views lost their write entries");
    }

    @Test
    void readsAndFetchesOfCodeFramesAreNotReported() {
        map(LINEAR, 0x10, P | RW);
        mmu.markCode(0x10);
        mmu.read32(LINEAR);
        mmu.fetch8(LINEAR);
        assertEquals(List.of(), codeWrites);
    }

    @Test
    void pageCrossingStoreIntoCodeIsReported() {
        map(LINEAR, 0x10, P | RW);
        map(LINEAR + 0x1000, 0x11, P | RW);
        mmu.markCode(0x11);
        mmu.write32(LINEAR + 0xFFE, 0x11223344);
        assertEquals(List.of(0x11), codeWrites);
        assertArrayEquals(new byte[] {0x22, 0x11}, new byte[] {(byte) memory.read8(0x11000), (byte) memory.read8(0x11001)});
    }
}
