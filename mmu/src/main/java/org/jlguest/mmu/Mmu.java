package org.jlguest.mmu;

import java.util.BitSet;

/**
 * The virtual CPU's view of memory: linear addresses in, guest RAM out, through a soft TLB.
 *
 * <p>Every access first looks in the current privilege level's {@link Tlb}: a hit is one array
 * compare and one array access. A miss walks the guest's page tables ({@link PageWalker}), checks
 * the frame against {@code pfn_limit}, and fills the entry. Accesses that cross a page, reach a
 * frame beyond RAM, or store into a frame holding decoded code take the slow path. This is the
 * Java image of lguest's shadow page tables: the guest's own tables are read, never trusted
 * beyond what they may map.
 *
 * <p>One thread (the vCPU's) uses an instance; it is not thread-safe.
 */
public final class Mmu {
    private static final int OFFSET = GuestMemory.PAGE_SIZE - 1;

    private final GuestMemory memory;
    private final PageWalker walker;
    private final Fault fault;
    private final Tlb supervisorTlb = new Tlb();
    private final Tlb userTlb = new Tlb();
    private final byte[] codeFrames;
    private DeviceWindow devices;
    private CodeWriteListener codeWriteListener = frame -> { };
    private BitSet executablePages;
    /** Linear addresses at or above this never translate (unsigned; 0 means no limit). */
    private int reservedTop;
    /** A physical window beyond RAM whose instruction bytes are RAM's at {@link #aliasRam}; size 0: none. */
    private int aliasBase;
    private int aliasSize;
    private int aliasRam;

    private int cr3;
    private boolean paging;
    private boolean writeProtect;
    private boolean pse;
    private boolean pge;
    private boolean user;
    private Tlb tlb = supervisorTlb;

    /**
     * Slow-path translations (TLB misses and write probes) and TLB flushes: plain counters read by
     * metrics.
     */
    private long tlbMisses;
    private long tlbFlushes;
    /** Changes whenever a cached translation may have (flushes, INVLPG, a privilege switch). */
    private int translationEpoch;

    public Mmu(GuestMemory memory, Fault fault) {
        this.memory = memory;
        this.fault = fault;
        this.walker = new PageWalker(memory, fault);
        this.codeFrames = new byte[memory.pfnLimit()];
        this.devices = new DeviceWindow() {
            @Override
            public int read(int physical, int size) {
                throw fault.beyondLimit(physical);
            }

            @Override
            public void write(int physical, int size, int value) {
                throw fault.beyondLimit(physical);
            }
        };
    }

    public GuestMemory memory() {
        return memory;
    }

    public Fault fault() {
        return fault;
    }

    public void setDeviceWindow(DeviceWindow devices) {
        this.devices = devices;
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeWriteListener = listener;
    }

    /**
     * Restricts instruction fetch to the given linear pages, as a PAE/NX host does for a process
     * whose data pages are not executable; fetch faults then report error-code bit 4. Null (the
     * i386 default) makes every readable page executable.
     */
    public void setExecutablePages(BitSet pages) {
        this.executablePages = pages;
        flushAll();
    }

    /**
     * Lets code run from a ROM window beyond RAM whose bytes RAM also holds, as a PC's BIOS ROM
     * below 4 GiB is the same ROM the chipset shows at 0xF0000: instruction fetches from
     * [{@code physical}, {@code physical + size}) read RAM at {@code ram} + offset. Data accesses
     * still go to the {@link DeviceWindow}.
     */
    public void setFetchAlias(int physical, int size, int ram) {
        this.aliasBase = physical;
        this.aliasSize = size;
        this.aliasRam = ram;
        flushAll();
    }

    /** Lets a hypervisor veto guest page-table entries as walks meet them. */
    public void setEntryCheck(EntryCheck check) {
        walker.setEntryCheck(check);
        flushAll();
    }

    /**
     * Reserves the top of the linear address space for the hypervisor, as lguest's switcher
     * reserves it: with paging on, any access at or above {@code linear} is a not-present page
     * fault, whatever the guest's tables say. 0 removes the reservation.
     */
    public void setReservedTop(int linear) {
        this.reservedTop = linear;
        flushAll();
    }

    // ---- control state -------------------------------------------------------------------

    /** CR0.PG, CR0.WP, CR4.PSE, CR4.PGE: any change flushes everything, as on hardware. */
    public void setPagingMode(boolean paging, boolean writeProtect, boolean pse, boolean pge) {
        if (paging != this.paging || writeProtect != this.writeProtect || pse != this.pse || pge != this.pge) {
            this.paging = paging;
            this.writeProtect = writeProtect;
            this.pse = pse;
            this.pge = pge;
            flushAll();
        }
    }

    /** A CR3 load: keeps global entries when CR4.PGE is on. */
    public void setCr3(int cr3) {
        this.cr3 = cr3;
        if (pge) {
            supervisorTlb.flushNonGlobal();
            userTlb.flushNonGlobal();
            tlbFlushes++;
            translationEpoch++;
        } else {
            flushAll();
        }
    }

    public int cr3() {
        return cr3;
    }

    public boolean pagingEnabled() {
        return paging;
    }

    /** Selects the user (CPL 3) or supervisor view; called on every CPL change. */
    public void setUser(boolean user) {
        this.user = user;
        this.tlb = user ? userTlb : supervisorTlb;
        translationEpoch++;
    }

    public void flushAll() {
        supervisorTlb.flushAll();
        userTlb.flushAll();
        tlbFlushes++;
        translationEpoch++;
    }

    /** INVLPG. */
    public void invalidate(int linear) {
        supervisorTlb.invalidate(linear >>> 12);
        userTlb.invalidate(linear >>> 12);
        translationEpoch++;
    }

    /**
     * A number that changes whenever a translation this MMU handed out may no longer hold: a
     * flush (CR3, paging mode, configuration), INVLPG or a switch between the user and supervisor
     * views. While it stays the same, a fetch translation that {@link #fetchCached} vouched for may
     * be reused for the rest of its page.
     */
    public int translationEpoch() {
        return translationEpoch;
    }

    /** Whether the fetch TLB holds {@code linear}'s page (so its translation is page-linear RAM). */
    public boolean fetchCached(int linear) {
        int page = linear >>> 12;
        return tlb.fetchTag[page & Tlb.MASK] == page;
    }

    public long tlbMisses() {
        return tlbMisses;
    }

    public long tlbFlushes() {
        return tlbFlushes;
    }

    // ---- decoded-code tracking ------------------------------------------------------------

    /** Marks a frame as holding decoded code: stores to it will be reported to the listener. */
    public void markCode(int frame) {
        if (codeFrames[frame] == 0) {
            codeFrames[frame] = 1;
            supervisorTlb.dropWritesTo(frame << 12);
            userTlb.dropWritesTo(frame << 12);
        }
    }

    // ---- the TLB for code compiled from guest instructions ---------------------------------

    /** The slot of page {@code page} in the arrays below is {@code page & TLB_MASK}. */
    public static final int TLB_MASK = Tlb.MASK;

    /**
     * The current view's read entries. Code compiled from guest instructions probes the TLB
     * itself, as the fast paths below do: entry {@code e = readEntries()[page & TLB_MASK]} holds
     * {@code page} in its high half ({@code (int) (e >>> 32) == page}) when the page is RAM from
     * {@code (int) e} on. An empty entry's page is -1, which matches none. The write entries never
     * hold frames of decoded code, so stores into code always take {@link #write32}'s slow path.
     * The arrays are the same objects while the view lasts; the view changes only with
     * {@link #setUser}.
     */
    public long[] readEntries() {
        return tlb.read;
    }

    public long[] writeEntries() {
        return tlb.write;
    }

    // ---- the fast paths -------------------------------------------------------------------

    public int read8(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.read[slot];
        if (Tlb.tag(e) == page) {
            return memory.read8((int) e | (linear & OFFSET));
        }
        return readSlow(linear, 1);
    }

    public int read16(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.read[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 1) {
            return memory.read16((int) e | (linear & OFFSET));
        }
        return readSlow(linear, 2);
    }

    public int read32(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.read[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 3) {
            return memory.read32((int) e | (linear & OFFSET));
        }
        return readSlow(linear, 4);
    }

    public void write8(int linear, int value) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page) {
            memory.write8((int) e | (linear & OFFSET), value);
            return;
        }
        writeSlow(linear, 1, value);
    }

    public void write16(int linear, int value) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 1) {
            memory.write16((int) e | (linear & OFFSET), value);
            return;
        }
        writeSlow(linear, 2, value);
    }

    public void write32(int linear, int value) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 3) {
            memory.write32((int) e | (linear & OFFSET), value);
            return;
        }
        writeSlow(linear, 4, value);
    }

    /**
     * The read half of a read-modify-write instruction (ADD to memory, XCHG, ...). Hardware reads
     * such an operand with write intent: a page fault reports the write bit and a read-only page
     * faults before anything changes. A hit in the write TLB is exactly that check.
     */
    public int readForWrite8(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page) {
            return memory.read8((int) e | (linear & OFFSET));
        }
        return readForWriteSlow(linear, 1);
    }

    public int readForWrite16(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 1) {
            return memory.read16((int) e | (linear & OFFSET));
        }
        return readForWriteSlow(linear, 2);
    }

    public int readForWrite32(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        long e = t.write[slot];
        if (Tlb.tag(e) == page && (linear & OFFSET) <= OFFSET - 3) {
            return memory.read32((int) e | (linear & OFFSET));
        }
        return readForWriteSlow(linear, 4);
    }

    /** One byte of instruction stream. */
    public int fetch8(int linear) {
        return memory.read8(fetchPhysical(linear));
    }

    /**
     * The physical address an instruction fetch at {@code linear} reads, or a fault. Instruction
     * bytes beyond RAM are not executable (a bare machine's ROM lives in RAM), so that is a
     * {@link Fault#HOST_BEYOND_LIMIT}.
     */
    public int fetchPhysical(int linear) {
        Tlb t = tlb;
        int page = linear >>> 12;
        int slot = page & Tlb.MASK;
        if (t.fetchTag[slot] == page) {
            return t.fetchBase[slot] | (linear & OFFSET);
        }
        int physical = translate(linear, PageWalker.FETCH);
        if (!isRam(physical)) {
            long offset = Integer.toUnsignedLong(physical) - Integer.toUnsignedLong(aliasBase);
            if (offset >= 0 && offset < aliasSize) {
                return aliasRam + (int) offset;
            }
            throw fault.beyondLimit(physical);
        }
        return physical;
    }

    /**
     * Checks that a store of {@code size} bytes at {@code linear} would succeed, without storing.
     * Used before instructions that write several places, so none is written if one would fault.
     */
    public void probeWrite(int linear, int size) {
        translate(linear, PageWalker.WRITE);
        if (((linear & OFFSET) + size - 1) > OFFSET) {
            translate((linear + size - 1) & ~OFFSET, PageWalker.WRITE);
        }
    }

    // ---- the slow paths -------------------------------------------------------------------

    private int readSlow(int linear, int size) {
        if (((linear & OFFSET) + size - 1) > OFFSET) {
            int value = 0;
            for (int i = 0; i < size; i++) {
                value |= read8(linear + i) << (8 * i);
            }
            return value;
        }
        int physical = translate(linear, 0);
        return isRam(physical) ? readRam(physical, size) : devices.read(physical, size);
    }

    private int readForWriteSlow(int linear, int size) {
        probeWrite(linear, size);
        return readSlow(linear, size);
    }

    private void writeSlow(int linear, int size, int value) {
        if (((linear & OFFSET) + size - 1) > OFFSET) {
            // Both pages must be writable before either is written: check in address order (so
            // CR2 names the first byte that faults), then store bytewise.
            translate(linear, PageWalker.WRITE);
            translate((linear + size - 1) & ~OFFSET, PageWalker.WRITE);
            for (int i = 0; i < size; i++) {
                write8(linear + i, value >>> (8 * i));
            }
            return;
        }
        int physical = translate(linear, PageWalker.WRITE);
        if (!isRam(physical)) {
            devices.write(physical, size, value);
            return;
        }
        int frame = physical >>> 12;
        if (codeFrames[frame] != 0) {
            codeFrames[frame] = 0;
            codeWriteListener.codeWritten(frame);
        }
        writeRam(physical, size, value);
    }

    /**
     * Walks (or, with paging off, maps 1:1) and fills the TLB for one access kind; returns the
     * physical address. Frames beyond RAM and stores into code frames are never cached.
     */
    private int translate(int linear, int kind) {
        tlbMisses++;
        int access = kind | (user ? PageWalker.USER : 0);
        int page = linear >>> 12;
        int entry;
        if (paging) {
            if (reservedTop != 0 && Integer.compareUnsigned(linear, reservedTop) >= 0) {
                throw fault.pageFault(linear, access & (PageWalker.WRITE | PageWalker.USER));
            }
            entry = walker.walk(cr3, linear, access, writeProtect, pse, executablePages != null);
        } else {
            entry = (linear & ~OFFSET) | PageWalker.RW | PageWalker.US | PageWalker.D;
        }
        if ((kind & PageWalker.FETCH) != 0 && executablePages != null && !executablePages.get(page)) {
            throw fault.pageFault(linear, access | PageWalker.P);
        }
        int base = entry & ~OFFSET;
        int physical = base | (linear & OFFSET);
        if (!isRam(physical)) {
            return physical;
        }
        Tlb t = tlb;
        int slot = page & Tlb.MASK;
        t.claim(slot, page, pge && (entry & PageWalker.G) != 0, (entry & PageWalker.LARGE) != 0);
        if ((kind & PageWalker.FETCH) != 0) {
            t.fetchTag[slot] = page;
            t.fetchBase[slot] = base;
            return physical;
        }
        t.read[slot] = Tlb.entry(page, base);
        if ((kind & PageWalker.WRITE) != 0 && codeFrames[base >>> 12] == 0) {
            t.write[slot] = Tlb.entry(page, base);
        }
        return physical;
    }

    private boolean isRam(int physical) {
        return Integer.compareUnsigned(physical, memory.size()) < 0;
    }

    private int readRam(int physical, int size) {
        return switch (size) {
            case 1 -> memory.read8(physical);
            case 2 -> memory.read16(physical);
            default -> memory.read32(physical);
        };
    }

    private void writeRam(int physical, int size, int value) {
        switch (size) {
            case 1 -> memory.write8(physical, value);
            case 2 -> memory.write16(physical, value);
            default -> memory.write32(physical, value);
        }
    }
}
