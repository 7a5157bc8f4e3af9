/* SET_PTE for an address in the Switcher's reserved top of the address space must kill. */
#include "lguest.h"

GUEST_NAME("hostile-switcher-pte");

static u32 pgdir[1024] __attribute__((aligned(4096)));
static u32 tables[1][1024] __attribute__((aligned(4096)));

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    identity_map(pgdir, tables, 4 << 20, PTE_P | PTE_RW);
    new_pgtable(pgdir);
    printk("SET_PTE at %x\n", SWITCHER_ADDRESS + 0x1000);
    set_pte(pgdir, SWITCHER_ADDRESS + 0x1000, 0x1000 | PTE_P | PTE_RW);
    fail("still alive after SET_PTE into the Switcher");
}
