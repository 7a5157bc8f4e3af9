/* The smallest guest: say hello on the console and power off. */
#include "lguest.h"

GUEST_NAME("hello");

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    printk("hello from a jlguest test guest: %u KiB of RAM, reserve_mem %x\n",
            ram_size(boot_params) / 1024, lguest_data.reserve_mem);
    check(lguest_data.reserve_mem != 0, "the Host did not fill reserve_mem at INIT");
    pass();
}
