/* A guest that asks to be restarted: LHCALL_SHUTDOWN with LGUEST_SHUTDOWN_RESTART. */
#include "lguest.h"

GUEST_NAME("restart");

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    printk("asking the Host to restart us\n");
    shutdown("Restarting", LGUEST_SHUTDOWN_RESTART);
}
