package org.jlguest.mmu;

/**
 * A hypervisor's veto over the guest's page-table entries: called for every present entry a walk
 * uses, before the walk trusts it. lguest kills a guest whose directory entry has flags beyond
 * {@code _PAGE_TABLE} (no 4 MiB pages) or whose table entry sets the PAT bit; a check stops the
 * access by throwing the CPU's {@link Fault} (e.g. {@link Fault#beyondLimit}) after recording why.
 */
@FunctionalInterface
public interface EntryCheck {
    /**
     * @param entry     the entry as read from the guest's table
     * @param directory true for a page-directory entry, false for a page-table entry
     */
    void check(int entry, boolean directory);
}
