/*
 * Runs a page of pseudo-random bytes with no IDT: whatever the bytes do, the first exception
 * has nowhere to go and the Host must kill with "unhandled trap <n> at ...". Only the first
 * 4 MiB are mapped, so a wild access is a page fault rather than a touch beyond RAM. The
 * generator and seed are fixed, so the bytes (and the way it dies) are the same every run.
 */
#include "lguest.h"

GUEST_NAME("hostile-garbage");

static u8 garbage[4096] __attribute__((aligned(4096)));
static u32 pgdir[1024] __attribute__((aligned(4096)));
static u32 tables[1][1024] __attribute__((aligned(4096)));

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    identity_map(pgdir, tables, 4 << 20, PTE_P | PTE_RW);
    new_pgtable(pgdir);
    u32 x = 0x2545F491;
    for (unsigned i = 0; i < sizeof garbage; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage[i] = (u8)x;
    }
    printk("jumping into garbage at %x\n", (u32)garbage);
    ((void (*)(void))garbage)();
    fail("came back from the garbage");
}
