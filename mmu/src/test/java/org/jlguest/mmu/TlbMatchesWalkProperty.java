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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The soft TLB is invisible: as long as the guest invalidates what it changes (INVLPG, or a CR3
 * load for non-global entries), every access through the {@link Mmu} has the outcome a fresh page
 * walk gives on a reference copy of memory: the same value, the same fault, the same A/D bits.
 *
 * <p>The guest is laid out so that only the generated steps ever change a page-table entry: data
 * frames and table frames are disjoint, whichever way PSE reads a directory entry.
 * <ul>
 *   <li>frame 0: the page directory (CR3 = 0); entries {@link #PD_INDEXES} are generated;
 *   <li>frames 1, 2 and 0x400 (the last one a table only when PSE is off): page tables, entries
 *       {@link #PT_INDEXES} generated;
 *   <li>frames 8-15: 4 KiB data pages; the 4 MiB page at 0x400000 reaches data frames 0x401-0x407,
 *       of which 0x406 and 0x407 lie beyond {@code pfn_limit}; frames 0x7D0 and the 4 MiB page at
 *       0xC00000 are beyond RAM altogether.
 * </ul>
 * Linear addresses use only directory indexes {@link #PD_INDEXES} and table indexes
 * {@link #PT_INDEXES}, so pages of different directory entries share TLB slots.
 */
class TlbMatchesWalkProperty {
    private static final int PFN_LIMIT = 0x406;
    private static final int[] PD_INDEXES = {0, 1, 2, 3};
    private static final int[] PT_INDEXES = {1, 2, 3, 5, 7};
    private static final int[] TABLE_FRAMES = {1, 2, 0x400};
    private static final int[] DATA_FRAMES = {8, 9, 10, 11, 12, 13, 14, 15, 0x7D0};
    private static final int[] TABLE_BASES = {0x1000, 0x2000, 0x400000, 0x5000000};
    private static final int[] LARGE_BASES = {0x400000, 0x400000, 0xC00000};

    sealed interface Step permits Access, Edit, Mode, Reload {
    }

    /** {@code kind} 0 read, 1 write, 2 fetch; {@code size} in bytes. */
    record Access(int kind, int size, boolean user, int pd, int pt, int offset, int value) implements Step {
        int linear() {
            return pd << 22 | pt << 12 | (offset & -size);
        }
    }

    /** Replaces one entry; {@code frame} 0 is the page directory. Then INVLPG, or a CR3 load. */
    record Edit(int frame, int index, int entry, boolean viaCr3) implements Step {
    }

    record Mode(boolean wp, boolean pse, boolean pge) implements Step {
    }

    record Reload() implements Step {
    }

    @Property(tries = 300)
    void everyAccessMatchesAFreshWalk(
            @ForAll("directoryEntries") List<Integer> pdes,
            @ForAll("tableEntries") List<Integer> ptes,
            @ForAll("modes") Mode initialMode,
            @ForAll("steps") List<Step> steps) {
        GuestMemory memory = new GuestMemory(PFN_LIMIT);
        for (int k = 0; k < PD_INDEXES.length; k++) {
            memory.write32(PD_INDEXES[k] * 4, pdes.get(k));
        }
        for (int t = 0; t < TABLE_FRAMES.length; t++) {
            for (int k = 0; k < PT_INDEXES.length; k++) {
                memory.write32(TABLE_FRAMES[t] << 12 | PT_INDEXES[k] * 4, ptes.get(t * PT_INDEXES.length + k));
            }
        }
        fillDataFrames(memory);
        GuestMemory reference = new GuestMemory(PFN_LIMIT);
        memory.copyOut(0, reference.array(), 0, memory.size());
        PageWalker walker = new PageWalker(reference, new Fault());
        Mmu mmu = new Mmu(memory, new Fault());
        Mode mode = initialMode;
        mmu.setPagingMode(true, mode.wp(), mode.pse(), mode.pge());
        mmu.setCr3(0);

        for (Step step : steps) {
            if (step instanceof Access a) {
                String expected = viaWalk(walker, reference, mode, a);
                String actual = viaMmu(mmu, a);
                assertEquals(expected, actual, () -> a + " at 0x" + Integer.toHexString(a.linear()));
                assertTablesEqual(reference, memory, a);
            } else if (step instanceof Edit e) {
                int address = e.frame() << 12 | e.index() * 4;
                boolean wasGlobal = mapsGlobalPage(reference, mode, e);
                memory.write32(address, e.entry());
                reference.write32(address, e.entry());
                invalidate(mmu, e, mode, wasGlobal);
            } else if (step instanceof Mode m) {
                mode = m;
                mmu.setPagingMode(true, m.wp(), m.pse(), m.pge());
            } else {
                mmu.setCr3(0);
            }
        }
        assertArrayEquals(reference.array(), memory.array(), "data and A/D bits after the whole run");
    }

    /** Every data frame holds its own pattern, so a read from the wrong frame shows. */
    private static void fillDataFrames(GuestMemory memory) {
        for (int frame = 8; frame < PFN_LIMIT; frame = frame == 15 ? 0x401 : frame + 1) {
            for (int offset = 0; offset < GuestMemory.PAGE_SIZE; offset += 4) {
                memory.write32(frame << 12 | offset, frame * 0x01000193 ^ offset * 0x9E3779B1);
            }
        }
    }

    /**
     * Invalidates every linear page whose walk may read the edited entry. A CR3 load keeps global
     * entries while PGE is on, so a guest that changed a global mapping must still INVLPG it.
     */
    private static void invalidate(Mmu mmu, Edit e, Mode mode, boolean wasGlobal) {
        if (e.viaCr3()) {
            mmu.setCr3(0);
            if (!mode.pge() || !wasGlobal) {
                return;
            }
        }
        if (e.frame() == 0) {
            for (int pt : PT_INDEXES) {
                mmu.invalidate(e.index() << 22 | pt << 12);
            }
        } else {
            for (int pd : PD_INDEXES) {
                mmu.invalidate(pd << 22 | e.index() << 12);
            }
        }
    }

    /**
     * Whether some linear page whose walk reads the edited entry may sit in the TLB as a global
     * entry: its last-level entry, before the edit, has G set.
     */
    private static boolean mapsGlobalPage(GuestMemory tables, Mode mode, Edit e) {
        for (int pd : e.frame() == 0 ? new int[] {e.index()} : PD_INDEXES) {
            int pde = tables.read32(pd * 4);
            if (mode.pse() && (pde & PS) != 0) {
                if ((pde & G) != 0) {
                    return true;
                }
                continue;
            }
            for (int pt : e.frame() == 0 ? PT_INDEXES : new int[] {e.index()}) {
                int pteAddr = (pde & 0xFFFFF000) | pt * 4;
                if (tables.contains(Integer.toUnsignedLong(pteAddr), 4) && (tables.read32(pteAddr) & G) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String viaMmu(Mmu mmu, Access a) {
        mmu.setUser(a.user());
        int linear = a.linear();
        try {
            if (a.kind() == 2) {
                return value(mmu.fetch8(linear));
            }
            if (a.kind() == 1) {
                switch (a.size()) {
                    case 1 -> mmu.write8(linear, a.value());
                    case 2 -> mmu.write16(linear, a.value());
                    default -> mmu.write32(linear, a.value());
                }
                return "written";
            }
            return value(switch (a.size()) {
                case 1 -> mmu.read8(linear);
                case 2 -> mmu.read16(linear);
                default -> mmu.read32(linear);
            });
        } catch (Fault f) {
            return fault(f);
        }
    }

    private static String viaWalk(PageWalker walker, GuestMemory reference, Mode mode, Access a) {
        int linear = a.linear();
        int access = (a.user() ? PageWalker.USER : 0)
                | (a.kind() == 1 ? PageWalker.WRITE : 0)
                | (a.kind() == 2 ? PageWalker.FETCH : 0);
        try {
            int entry = walker.walk(0, linear, access, mode.wp(), mode.pse(), false);
            int physical = (entry & 0xFFFFF000) | (linear & 0xFFF);
            if (Integer.compareUnsigned(physical, reference.size()) >= 0) {
                return fault(new Fault().beyondLimit(physical));
            }
            if (a.kind() == 1) {
                switch (a.size()) {
                    case 1 -> reference.write8(physical, a.value());
                    case 2 -> reference.write16(physical, a.value());
                    default -> reference.write32(physical, a.value());
                }
                return "written";
            }
            return value(switch (a.kind() == 2 ? 1 : a.size()) {
                case 1 -> reference.read8(physical);
                case 2 -> reference.read16(physical);
                default -> reference.read32(physical);
            });
        } catch (Fault f) {
            return fault(f);
        }
    }

    private static String value(int v) {
        return "value 0x" + Integer.toHexString(v);
    }

    private static String fault(Fault f) {
        return String.format("fault %d error 0x%x cr2 0x%08x", f.vector(), f.errorCode(), f.cr2());
    }

    /** After each access the page tables, A/D bits included, agree. */
    private static void assertTablesEqual(GuestMemory reference, GuestMemory memory, Access a) {
        for (int frame : new int[] {0, 1, 2, 0x400}) {
            int from = frame << 12;
            int to = from + GuestMemory.PAGE_SIZE;
            assertTrue(Arrays.equals(reference.array(), from, to, memory.array(), from, to),
                    () -> "page-table frame 0x" + Integer.toHexString(frame) + " differs after " + a);
        }
    }

    // ---- generators -----------------------------------------------------------------------

    private static Arbitrary<Integer> flags(int... bits) {
        Arbitrary<Integer> present = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(4, P), net.jqwik.api.Tuple.of(1, 0));
        Arbitrary<Integer> others = Arbitraries.integers().between(0, (1 << bits.length) - 1).map(mask -> {
            int f = 0;
            for (int i = 0; i < bits.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    f |= bits[i];
                }
            }
            return f;
        });
        return Combinators.combine(present, others).as((p, o) -> p | o);
    }

    private static Arbitrary<Integer> directoryEntry() {
        Arbitrary<Integer> table = Combinators.combine(Arbitraries.of(toList(TABLE_BASES)), flags(RW, US, A, G))
                .as((base, f) -> base | f);
        Arbitrary<Integer> large = Combinators.combine(Arbitraries.of(toList(LARGE_BASES)), flags(RW, US, A, D, G))
                .as((base, f) -> base | f | PS);
        return Arbitraries.oneOf(table, large);
    }

    private static Arbitrary<Integer> tableEntry() {
        return Combinators.combine(Arbitraries.of(toList(DATA_FRAMES)), flags(RW, US, A, D, G))
                .as((frame, f) -> frame << 12 | f);
    }

    @Provide
    Arbitrary<List<Integer>> directoryEntries() {
        return directoryEntry().list().ofSize(PD_INDEXES.length);
    }

    @Provide
    Arbitrary<List<Integer>> tableEntries() {
        return tableEntry().list().ofSize(TABLE_FRAMES.length * PT_INDEXES.length);
    }

    @Provide
    Arbitrary<Mode> modes() {
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, b, b).as(Mode::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Access> access = Combinators.combine(
                Arbitraries.of(0, 1, 2), Arbitraries.of(1, 2, 4), Arbitraries.of(true, false),
                Arbitraries.of(toList(PD_INDEXES)), Arbitraries.of(toList(PT_INDEXES)),
                Arbitraries.integers().between(0, 0xFFF), Arbitraries.integers())
                .as((kind, size, user, pd, pt, offset, value) -> new Access(kind, kind == 2 ? 1 : size, user, pd, pt, offset, value));
        Arbitrary<Edit> directoryEdit = Combinators.combine(
                Arbitraries.of(toList(PD_INDEXES)), directoryEntry(), Arbitraries.of(true, false))
                .as((index, entry, cr3) -> new Edit(0, index, entry, cr3));
        Arbitrary<Edit> tableEdit = Combinators.combine(
                Arbitraries.of(toList(TABLE_FRAMES)), Arbitraries.of(toList(PT_INDEXES)), tableEntry(), Arbitraries.of(true, false))
                .as(Edit::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, access),
                net.jqwik.api.Tuple.of(2, directoryEdit),
                net.jqwik.api.Tuple.of(3, tableEdit),
                net.jqwik.api.Tuple.of(1, modes()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reload())));
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    private static List<Integer> toList(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
