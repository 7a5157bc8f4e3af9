/*
 * Paging: the Guest's own two-level tables, shadowed by the Host. Accessed and dirty bits
 * appear in the Guest's PTEs; SET_PTE, SET_PGD, FLUSH_TLB and a second NEW_PGTABLE each make a
 * changed mapping visible; a missing or read-only mapping is a page fault the Guest fixes
 * itself, with the address in lguest_data.cr2.
 */
#include "lguest.h"

GUEST_NAME("paging");

#define ALIGNED __attribute__((aligned(4096)))
#define TEST_VA 0x00400000u /* first page of the second 4 MiB: nothing else is there */

static u32 pgdir[1024] ALIGNED, pgdir2[1024] ALIGNED;
static u32 tables[1][1024] ALIGNED;
static u32 test_table[1024] ALIGNED, other_table[1024] ALIGNED;
static u32 page_a[1024] ALIGNED, page_b[1024] ALIGNED, page_c[1024] ALIGNED;

static volatile u32 faults, fault_cr2, fault_error;
static volatile u32 fix_with;

/* Maps TEST_VA to fix_with (writable) and retries. */
static void page_fault(struct trap_frame *f)
{
    faults++;
    fault_cr2 = lguest_data.cr2;
    fault_error = f->error;
    test_table[0] = fix_with | PTE_P | PTE_RW;
    set_pte(pgdir, TEST_VA, test_table[0]);
}

static u32 at_test_va(void)
{
    return *(volatile u32 *)TEST_VA;
}

static void accessed_and_dirty(void)
{
    volatile u32 *pte = pte_of(pgdir, (u32)page_a);
    check(!(*pte & (PTE_A | PTE_D)), "A or D set before any access");
    (void)*(volatile u32 *)page_a;
    check(*pte & PTE_A, "a read did not set A");
    check(!(*pte & PTE_D), "a read set D");
    *(volatile u32 *)page_a = 0xAAAAAAAA;
    check(*pte & PTE_D, "a write did not set D");
    printk("A and D: set by the first read and the first write\n");
}

static void remapping(void)
{
    page_b[0] = 0xBBBBBBBB;
    page_c[0] = 0xCCCCCCCC;
    pgdir[TEST_VA >> 22] = (u32)test_table | PGD_FLAGS;
    set_pgd(pgdir, TEST_VA >> 22);
    test_table[0] = (u32)page_a | PTE_P | PTE_RW;
    set_pte(pgdir, TEST_VA, test_table[0]);
    check(at_test_va() == 0xAAAAAAAA, "new mapping after SET_PTE not seen");
    check(*pte_of(pgdir, TEST_VA) & PTE_A, "A not set through the new mapping");

    test_table[0] = (u32)page_b | PTE_P | PTE_RW;
    set_pte(pgdir, TEST_VA, test_table[0]);
    check(at_test_va() == 0xBBBBBBBB, "SET_PTE remap not seen");

    test_table[0] = (u32)page_c | PTE_P | PTE_RW;
    flush_tlb(1);
    check(at_test_va() == 0xCCCCCCCC, "FLUSH_TLB(1) did not make the remap visible");

    test_table[0] = (u32)page_a | PTE_P | PTE_RW;
    flush_tlb(0);
    check(at_test_va() == 0xAAAAAAAA, "FLUSH_TLB(0) did not flush a user address");

    other_table[0] = (u32)page_b | PTE_P | PTE_RW;
    pgdir[TEST_VA >> 22] = (u32)other_table | PGD_FLAGS;
    set_pgd(pgdir, TEST_VA >> 22);
    check(at_test_va() == 0xBBBBBBBB, "SET_PGD did not switch the page table");
    pgdir[TEST_VA >> 22] = (u32)test_table | PGD_FLAGS;
    set_pgd(pgdir, TEST_VA >> 22);
    printk("remap: SET_PTE, FLUSH_TLB(1), FLUSH_TLB(0), SET_PGD\n");
}

static void second_directory(void)
{
    for (int i = 0; i < 1024; i++)
        pgdir2[i] = pgdir[i];
    pgdir2[TEST_VA >> 22] = (u32)other_table | PGD_FLAGS;
    other_table[0] = (u32)page_c | PTE_P | PTE_RW;
    new_pgtable(pgdir2);
    check(at_test_va() == 0xCCCCCCCC, "the second page directory is not in use");
    new_pgtable(pgdir);
    check(at_test_va() == 0xAAAAAAAA, "back on the first directory, the old mapping is gone");
    printk("NEW_PGTABLE: two directories, two views\n");
}

static void faults_fixed_by_the_guest(void)
{
    trap_install(14, page_fault, INTERRUPT_GATE, 0);
    test_table[0] = 0;
    set_pte(pgdir, TEST_VA, 0);
    fix_with = (u32)page_b;
    check(at_test_va() == 0xBBBBBBBB, "the fixed mapping was not used on retry");
    check(faults == 1, "not exactly one fault for an unmapped page");
    check(fault_cr2 == TEST_VA, "cr2 is not the faulting address");
    check(fault_error == 0, "a supervisor read of a missing page is not error code 0");

    test_table[0] = (u32)page_c | PTE_P;
    set_pte(pgdir, TEST_VA, test_table[0]);
    fix_with = (u32)page_c;
    *(volatile u32 *)TEST_VA = 0x12345678;
    check(faults == 2, "a write to a read-only page did not fault (CR0.WP)");
    check(fault_error == (PTE_P | PTE_RW), "a supervisor write to a read-only page is not error code 3");
    check(page_c[0] == 0x12345678, "the write did not land after the fix");
    printk("faults: missing page (error 0) and read-only page (error 3), cr2 right\n");
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    identity_map(pgdir, tables, 4 << 20, PTE_P | PTE_RW);
    new_pgtable(pgdir);
    printk("paging: on, first 4 MiB identity-mapped\n");
    accessed_and_dirty();
    remapping();
    second_directory();
    faults_fixed_by_the_guest();
    pass();
}
