/*
 * A PTE whose frame lies beyond pfn_limit and beyond the device window: installing it (SET_PTE
 * with A and D set makes the Host check it at once) or using it must kill with "bad page table
 * entry". Each step prints first, so the death reason can be matched to the step.
 */
#include "lguest.h"

GUEST_NAME("hostile-pte-limit");

#define TEST_VA 0x00400000u
#define FAR_FRAME 0x0F000000u /* 240 MiB: far past 8 MiB of RAM plus 1 MiB of devices */

static u32 pgdir[1024] __attribute__((aligned(4096)));
static u32 tables[1][1024] __attribute__((aligned(4096)));
static u32 test_table[1024] __attribute__((aligned(4096)));

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    identity_map(pgdir, tables, 4 << 20, PTE_P | PTE_RW);
    pgdir[TEST_VA >> 22] = (u32)test_table | PGD_FLAGS;
    new_pgtable(pgdir);
    test_table[0] = FAR_FRAME | PTE_P | PTE_RW | PTE_A | PTE_D;
    printk("SET_PTE to frame %x\n", FAR_FRAME >> 12);
    set_pte(pgdir, TEST_VA, test_table[0]);
    printk("reading through it\n");
    (void)*(volatile u32 *)TEST_VA;
    fail("still alive after using a PTE beyond pfn_limit");
}
