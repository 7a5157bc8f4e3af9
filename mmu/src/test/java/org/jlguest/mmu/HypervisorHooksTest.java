package org.jlguest.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hooks a hypervisor uses to police a guest's page tables. */
class HypervisorHooksTest {
    private final GuestMemory memory = new GuestMemory(64);
    private final Fault fault = new Fault();
    private final Mmu mmu = new Mmu(memory, fault);

    /** Page directory at frame 1, one page table at frame 2 mapping 4 MiB at 0xFFC00000 and 0. */
    private void mapPage(int linear, int frame, int flags) {
        int pdeAddr = 0x1000 + ((linear >>> 22) << 2);
        if ((memory.read32(pdeAddr) & PageWalker.P) == 0) {
            int table = 0x2000 + 0x1000 * ((linear >>> 22) == 0 ? 0 : 1);
            memory.write32(pdeAddr, table | 0x67);
        }
        int table = memory.read32(pdeAddr) & 0xFFFFF000;
        memory.write32(table + (((linear >>> 12) & 0x3FF) << 2), (frame << 12) | flags);
    }

    @Test
    void reservedTopNeverTranslatesEvenWhenMapped() {
        mapPage(0xFFC01000, 10, 0x67);
        mapPage(0x00005000, 11, 0x67);
        mmu.setPagingMode(true, true, false, false);
        mmu.setCr3(0x1000);
        mmu.setReservedTop(0xFFC00000);
        Fault f = assertThrows(Fault.class, () -> mmu.read32(0xFFC01000));
        assertEquals(Fault.PF, f.vector());
        assertEquals(0, f.errorCode() & PageWalker.P, "reported as not present");
        assertEquals(0xFFC01000, f.cr2());
        mmu.write32(0x5000, 42);
        assertEquals(42, memory.read32(11 << 12));
    }

    @Test
    void entryCheckSeesEveryPresentEntryAndCanStopTheAccess() {
        mapPage(0x00005000, 11, 0x67 | 0x80);
        mmu.setPagingMode(true, true, false, false);
        mmu.setCr3(0x1000);
        List<String> seen = new ArrayList<>();
        mmu.setEntryCheck((entry, directory) -> {
            seen.add((directory ? "pde " : "pte ") + Integer.toHexString(entry & 0xFFF));
            if (!directory && (entry & 0x80) != 0) {
                throw fault.beyondLimit(entry & 0xFFFFF000);
            }
        });
        Fault f = assertThrows(Fault.class, () -> mmu.read32(0x5000));
        assertEquals(Fault.HOST_BEYOND_LIMIT, f.vector());
        assertEquals(List.of("pde 67", "pte e7"), seen);
    }
}
