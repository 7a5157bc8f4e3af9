package org.jlguest.host;

import org.jlguest.mmu.EntryCheck;
import org.jlguest.mmu.Fault;

/**
 * lguest's checks on the Guest's page-table entries (page_tables.c {@code check_gpgd},
 * {@code check_gpte}), applied as the MMU walks them: a directory entry may carry only
 * {@code _PAGE_TABLE} flags (present, RW, user, accessed, dirty: no 4 MiB pages, no cache
 * attributes, no global) and must point at RAM; a table entry must not set bit 7 (the PAT bit).
 * A bad entry kills the Guest; the walk stops with a beyond-RAM fault the run loop turns into
 * that death.
 */
final class PageTableRules implements EntryCheck {
    /** {@code CHECK_GPGD_MASK}: what a non-PAE directory entry may say. */
    private static final int GPGD_FLAGS = 0x67;
    private static final int PAT = 0x80;
    /** Not in any device window: the run loop's beyond-RAM path kills. */
    private static final int NOWHERE = 0xFFFFFFFF;

    private final Guest guest;
    private final Fault fault;

    PageTableRules(Guest guest, Fault fault) {
        this.guest = guest;
        this.fault = fault;
    }

    @Override
    public void check(int entry, boolean directory) {
        if (directory) {
            if ((entry & 0xFFF & ~GPGD_FLAGS) != 0 || Integer.compareUnsigned(entry >>> 12, guest.pfnLimit) >= 0) {
                guest.death.kill("bad page directory entry");
                throw fault.beyondLimit(NOWHERE);
            }
        } else if ((entry & PAT) != 0) {
            guest.death.kill("bad page table entry");
            throw fault.beyondLimit(NOWHERE);
        }
    }
}
