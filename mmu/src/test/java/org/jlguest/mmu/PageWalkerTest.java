package org.jlguest.mmu;

import static org.jlguest.mmu.PageWalker.A;
import static org.jlguest.mmu.PageWalker.D;
import static org.jlguest.mmu.PageWalker.FETCH;
import static org.jlguest.mmu.PageWalker.G;
import static org.jlguest.mmu.PageWalker.LARGE;
import static org.jlguest.mmu.PageWalker.P;
import static org.jlguest.mmu.PageWalker.PS;
import static org.jlguest.mmu.PageWalker.RW;
import static org.jlguest.mmu.PageWalker.US;
import static org.jlguest.mmu.PageWalker.USER;
import static org.jlguest.mmu.PageWalker.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageWalkerTest {
    /** Page directory in frame 1, one page table in frame 2; linear 0x00403000 is PDE 1, PTE 3. */
    private static final int CR3 = 0x1000;
    private static final int TABLE = 0x2000;
    private static final int LINEAR = 0x00403ABC;
    private static final int PDE_ADDR = CR3 + 4;
    private static final int PTE_ADDR = TABLE + 3 * 4;
    private static final int FRAME = 0x5000;

    private final GuestMemory memory = new GuestMemory(16);
    private final Fault fault = new Fault();
    private final PageWalker walker = new PageWalker(memory, fault);

    private void map(int pde, int pte) {
        memory.write32(PDE_ADDR, pde);
        memory.write32(PTE_ADDR, pte);
    }

    private int walk(int access, boolean wp) {
        return walker.walk(CR3, LINEAR, access, wp, true, false);
    }

    private Fault walkFails(int access, boolean wp) {
        return assertThrows(Fault.class, () -> walk(access, wp));
    }

    @Test
    void fourKibPageTranslatesToItsFrame() {
        map(TABLE | P | RW | US, FRAME | P | RW | US);
        int entry = walk(0, true);
        assertEquals(FRAME, entry & 0xFFFFF000);
        assertEquals(RW | US, entry & (RW | US));
        assertEquals(0, entry & LARGE);
    }

    @Test
    void effectivePermissionsAreTheAndOfBothLevels() {
        map(TABLE | P | US, FRAME | P | RW);
        assertEquals(0, walk(0, true) & (RW | US));
    }

    @Test
    void fourMibPageNeedsPse() {
        memory.write32(PDE_ADDR, 0x00C00000 | P | RW | PS | G);
        int entry = walker.walk(CR3, LINEAR, 0, true, true, false);
        assertEquals(0x00C03000, entry & 0xFFFFF000, "frame of the 4 KiB piece inside the large page");
        assertEquals(LARGE, entry & LARGE);
        assertEquals(G, entry & G);

        // Without CR4.PSE the same entry names a page table at 0x00C00000: beyond this guest's RAM.
        memory.write32(PDE_ADDR, 0x00C00000 | P | RW | PS);
        Fault f = assertThrows(Fault.class, () -> walker.walk(CR3, LINEAR, 0, true, false, false));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(0x00C00000 + 3 * 4, f.cr2());
    }

    @Test
    void withoutPseAPsDirectoryEntryIsAPageTable() {
        map(TABLE | P | RW | PS, FRAME | P | RW);
        int entry = walker.walk(CR3, LINEAR, 0, true, false, false);
        assertEquals(FRAME, entry & 0xFFFFF000);
        assertEquals(0, entry & LARGE);
    }

    @Test
    void notPresentDirectoryEntryFaults() {
        map(TABLE | RW | US, FRAME | P | RW | US);
        Fault f = walkFails(WRITE | USER, true);
        assertEquals(Fault.PF, f.vector());
        assertEquals(WRITE | USER, f.errorCode(), "P clear: not-present fault, W and U as accessed");
        assertEquals(LINEAR, f.cr2());
    }

    @Test
    void notPresentTableEntryFaults() {
        map(TABLE | P | RW | US, FRAME | RW | US);
        Fault f = walkFails(0, true);
        assertEquals(0, f.errorCode());
        assertEquals(LINEAR, f.cr2());
        assertEquals(true, f.hasErrorCode());
    }

    @ParameterizedTest(name = "pde {0} pte {1} access {2} wp {3} -> error {4}")
    @CsvSource({
        // user may not touch supervisor pages, at either level
        "0x7, 0x3, 0x4, true,  0x5",
        "0x3, 0x7, 0x4, true,  0x5",
        "0x3, 0x3, 0x6, false, 0x7",
        // user may not write read-only pages, whatever WP says
        "0x7, 0x5, 0x6, false, 0x7",
        "0x5, 0x7, 0x6, true,  0x7",
        // supervisor writes to read-only pages fault only with CR0.WP
        "0x3, 0x1, 0x2, true,  0x3",
        "0x1, 0x3, 0x2, true,  0x3",
    })
    void protectionViolationsFaultWithPresentBit(int pde, int pte, int access, boolean wp, int errorCode) {
        map(TABLE | pde, FRAME | pte);
        Fault f = walkFails(access, wp);
        assertEquals(Fault.PF, f.vector());
        assertEquals(errorCode, f.errorCode());
        assertEquals(LINEAR, f.cr2());
    }

    @ParameterizedTest(name = "pde {0} pte {1} access {2} wp {3}")
    @CsvSource({
        "0x1, 0x1, 0x2, false", // supervisor write to read-only without WP
        "0x5, 0x5, 0x4, true",  // user read of a read-only user page
        "0x7, 0x7, 0x6, true",  // user write of a writable user page
        "0x1, 0x1, 0x0, true",  // supervisor read of a supervisor page
    })
    void permittedAccessesSucceed(int pde, int pte, int access, boolean wp) {
        map(TABLE | pde, FRAME | pte);
        assertEquals(FRAME, walk(access, wp) & 0xFFFFF000);
    }

    @Test
    void fetchFaultsReportBit4OnlyWhenAsked() {
        map(TABLE | P | RW | US, FRAME | RW | US);
        Fault f = assertThrows(Fault.class, () -> walker.walk(CR3, LINEAR, FETCH | USER, true, true, false));
        assertEquals(USER, f.errorCode());
        f = assertThrows(Fault.class, () -> walker.walk(CR3, LINEAR, FETCH | USER, true, true, true));
        assertEquals(FETCH | USER, f.errorCode());
        map(TABLE | P | RW, FRAME | P | RW);
        f = assertThrows(Fault.class, () -> walker.walk(CR3, LINEAR, FETCH | USER, true, true, true));
        assertEquals(FETCH | USER | P, f.errorCode());
    }

    @Test
    void readSetsAccessedOnBothLevelsButNotDirty() {
        map(TABLE | P | RW | US, FRAME | P | RW | US);
        int entry = walk(0, true);
        assertEquals(TABLE | P | RW | US | A, memory.read32(PDE_ADDR));
        assertEquals(FRAME | P | RW | US | A, memory.read32(PTE_ADDR));
        assertEquals(0, entry & D);
    }

    @Test
    void writeSetsDirtyOnTheLastLevelOnly() {
        map(TABLE | P | RW | US, FRAME | P | RW | US);
        int entry = walk(WRITE, true);
        assertEquals(TABLE | P | RW | US | A, memory.read32(PDE_ADDR), "no dirty bit in a directory entry");
        assertEquals(FRAME | P | RW | US | A | D, memory.read32(PTE_ADDR));
        assertEquals(D, entry & D);
    }

    @Test
    void fetchSetsAccessedOnly() {
        map(TABLE | P | US, FRAME | P | US);
        walk(FETCH | USER, true);
        assertEquals(FRAME | P | US | A, memory.read32(PTE_ADDR));
    }

    @Test
    void largePageGetsAccessedAndDirtyInTheDirectoryEntry() {
        memory.write32(PDE_ADDR, 0x00400000 | P | RW | PS);
        walker.walk(CR3, LINEAR, 0, true, true, false);
        assertEquals(0x00400000 | P | RW | PS | A, memory.read32(PDE_ADDR));
        int entry = walker.walk(CR3, LINEAR, WRITE, true, true, false);
        assertEquals(0x00400000 | P | RW | PS | A | D, memory.read32(PDE_ADDR));
        assertEquals(D, entry & D);
    }

    @Test
    void dirtyBitIsReportedFromAnEarlierWrite() {
        map(TABLE | P | RW, FRAME | P | RW | D);
        assertEquals(D, walk(0, true) & D);
    }

    @Test
    void globalBitComesFromTheTableEntry() {
        map(TABLE | P | RW | G, FRAME | P | RW);
        assertEquals(0, walk(0, true) & G);
        map(TABLE | P | RW, FRAME | P | RW | G);
        assertEquals(G, walk(0, true) & G);
    }

    @Test
    void failingWalkChangesNoAccessedOrDirtyBit() {
        map(TABLE | P | RW | US, FRAME | P | US);
        byte[] before = memory.array().clone();
        walkFails(WRITE | USER, true);
        assertArrayEquals(before, memory.array(), "protection fault");

        map(TABLE | P | RW | US, FRAME | RW | US);
        before = memory.array().clone();
        walkFails(0, true);
        assertArrayEquals(before, memory.array(), "not-present table entry");

        memory.write32(PDE_ADDR, 0x00400000 | P | PS);
        before = memory.array().clone();
        assertThrows(Fault.class, () -> walker.walk(CR3, LINEAR, WRITE | USER, true, true, false));
        assertArrayEquals(before, memory.array(), "large page protection fault");
    }

    @Test
    void pageDirectoryBeyondRamIsHostBeyondLimit() {
        Fault f = assertThrows(Fault.class, () -> walker.walk(0x00100000, LINEAR, 0, true, true, false));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(0x00100000 + 4, f.cr2(), "physical address of the entry");
    }

    @Test
    void pageTableBeyondRamIsHostBeyondLimit() {
        memory.write32(PDE_ADDR, 0x00010000 | P | RW);
        byte[] before = memory.array().clone();
        Fault f = walkFails(0, true);
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(0x00010000 + 3 * 4, f.cr2());
        assertArrayEquals(before, memory.array());
    }

    @Test
    void frameBeyondRamIsTranslatedNotRejected() {
        map(TABLE | P | RW, 0x00020000 | P | RW);
        assertEquals(0x00020000, walk(0, true) & 0xFFFFF000, "whether it is RAM is the caller's question");
    }
}
