package org.jlguest.mmu;

/**
 * The i386 two-level page walk (no PAE): page directory, page table, or a 4 MiB page when CR4.PSE
 * is on and the directory entry has PS set.
 *
 * <p>A successful walk sets the accessed bit in every entry it used, and the dirty bit in the last
 * one on a write, writing them back to the guest's tables as hardware does; a failed one changes
 * nothing and raises #PF with the architectural error code. Page-table frames at or beyond
 * {@code pfn_limit} are not RAM: the walk stops with {@link Fault#HOST_BEYOND_LIMIT}.
 */
public final class PageWalker {
    /** Entry bits. */
    public static final int P = 0x1, RW = 0x2, US = 0x4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;

    /** Access kinds, encoded as the page-fault error code encodes them. */
    public static final int WRITE = 0x2, USER = 0x4, FETCH = 0x10;

    /** Marks a result as coming from a 4 MiB page (kept out of the frame bits, which are aligned). */
    public static final int LARGE = 0x800;

    private final GuestMemory memory;
    private final Fault fault;
    private EntryCheck entryCheck;

    public PageWalker(GuestMemory memory, Fault fault) {
        this.memory = memory;
        this.fault = fault;
    }

    /** Installs a hypervisor's check of every present entry a walk uses (null: none). */
    public void setEntryCheck(EntryCheck check) {
        this.entryCheck = check;
    }

    /**
     * Translates {@code linear} for an access of kind {@code access} (a combination of
     * {@link #WRITE}, {@link #USER}, {@link #FETCH}).
     *
     * @param faultIdBit whether instruction-fetch faults report bit 4 (hardware does with NX or SMEP)
     * @return the 4 KiB frame's physical base ORed with the effective {@link #RW}, {@link #US},
     *         {@link #G}, {@link #D} bits and {@link #LARGE} for a 4 MiB page
     */
    public int walk(int cr3, int linear, int access, boolean wp, boolean pse, boolean faultIdBit) {
        int reported = access & (faultIdBit ? WRITE | USER | FETCH : WRITE | USER);
        int pdeAddr = (cr3 & 0xFFFFF000) | ((linear >>> 22) << 2);
        int pde = readEntry(pdeAddr);
        if ((pde & P) == 0) {
            throw fault.pageFault(linear, reported);
        }
        if (entryCheck != null) {
            entryCheck.check(pde, true);
        }
        if (pse && (pde & PS) != 0) {
            int perms = pde & (RW | US);
            check(perms, linear, access, reported, wp);
            int updated = pde | A | ((access & WRITE) != 0 ? D : 0);
            if (updated != pde) {
                memory.write32(pdeAddr, updated);
            }
            return (pde & 0xFFC00000) | (linear & 0x003FF000) | perms | (updated & (G | D)) | LARGE;
        }
        int pteAddr = (pde & 0xFFFFF000) | (((linear >>> 12) & 0x3FF) << 2);
        int pte = readEntry(pteAddr);
        if ((pte & P) == 0) {
            throw fault.pageFault(linear, reported);
        }
        if (entryCheck != null) {
            entryCheck.check(pte, false);
        }
        int perms = pde & pte & (RW | US);
        check(perms, linear, access, reported, wp);
        if ((pde & A) == 0) {
            memory.write32(pdeAddr, pde | A);
        }
        int updatedPte = pte | A | ((access & WRITE) != 0 ? D : 0);
        if (updatedPte != pte) {
            memory.write32(pteAddr, updatedPte);
        }
        return (pte & 0xFFFFF000) | perms | (updatedPte & (G | D));
    }

    private void check(int perms, int linear, int access, int reported, boolean wp) {
        boolean write = (access & WRITE) != 0;
        boolean ok = (access & USER) != 0
                ? (perms & US) != 0 && (!write || (perms & RW) != 0)
                : !write || !wp || (perms & RW) != 0;
        if (!ok) {
            throw fault.pageFault(linear, reported | P);
        }
    }

    private int readEntry(int pa) {
        if (Integer.toUnsignedLong(pa) + 4 > memory.size()) {
            throw fault.beyondLimit(pa);
        }
        return memory.read32(pa);
    }
}
