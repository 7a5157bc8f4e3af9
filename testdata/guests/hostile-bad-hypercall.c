/* A hypercall number the Host does not know: it must kill with "Bad hypercall 99". */
#include "lguest.h"

GUEST_NAME("hostile-bad-hypercall");

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    printk("hypercall 99\n");
    hcall(99, 0, 0, 0, 0);
    fail("still alive after hypercall 99");
}
