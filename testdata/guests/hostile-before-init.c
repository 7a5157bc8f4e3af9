/* A hypercall before LHCALL_LGUEST_INIT: the Host must kill with "hypercall 4 before INIT". */
#include "lguest.h"

GUEST_NAME("hostile-before-init");

static u32 pgdir[1024] __attribute__((aligned(4096)));

void main(const u8 *boot_params)
{
    console_init(boot_params);
    printk("NEW_PGTABLE before INIT\n");
    new_pgtable(pgdir);
    fail("still alive after a hypercall before INIT");
}
