/*
 * The Guest's half of the lguest ABI: the shared lguest_data page and the hypercalls.
 */
#include "lguest.h"

extern char lguest_noirq_iret[];

/*
 * The image initialises what the Host reads at INIT: the syscall vector (anything but 0x80 is
 * fatal), the kernel address, our iret, every async slot free (0xFF), and the timer line
 * masked until a guest asks for it.
 */
struct lguest_data lguest_data = {
    .irq_enabled = 0,
    .blocked_interrupts = 1,
    .hcall_status = { [0 ... LHCALL_RING_SIZE - 1] = 0xFF },
    .noirq_iret = (u32)lguest_noirq_iret,
    .kernel_address = 0xC0000000,
    .syscall_vec = SYSCALL_VECTOR,
};

/* The Guest's cursor in the async ring; the Host keeps its own and they move in step. */
static unsigned int next_async;

void lguest_init(void)
{
    hcall(LHCALL_LGUEST_INIT, (u32)&lguest_data, 0, 0, 0);
}

/*
 * Queues a hypercall for the Host to run at the next synchronous one, in ring order. A full
 * ring (the slot is not yet free) means the Host is behind: make the call now, which drains it.
 */
void async_hcall(u32 call, u32 arg1, u32 arg2, u32 arg3, u32 arg4)
{
    u32 flags = lguest_data.irq_enabled;
    lguest_data.irq_enabled = 0;
    if (lguest_data.hcall_status[next_async] != 0xFF) {
        hcall(call, arg1, arg2, arg3, arg4);
    } else {
        struct hcall_args *a = &lguest_data.hcalls[next_async];
        a->arg0 = call;
        a->arg1 = arg1;
        a->arg2 = arg2;
        a->arg3 = arg3;
        a->arg4 = arg4;
        /* The arguments must be visible before the status says "ready". */
        __asm__ volatile("" ::: "memory");
        lguest_data.hcall_status[next_async] = 0;
        next_async = (next_async + 1) % LHCALL_RING_SIZE;
    }
    lguest_data.irq_enabled = flags;
}

void flush_async(void)
{
    hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0, 0);
}

void load_gdt_entry(u32 index, u32 low, u32 high)
{
    hcall(LHCALL_LOAD_GDT_ENTRY, index, low, high, 0);
}

void load_idt_entry(u32 vector, u32 low, u32 high)
{
    hcall(LHCALL_LOAD_IDT_ENTRY, vector, low, high, 0);
}

void new_pgtable(u32 *pgdir)
{
    hcall(LHCALL_NEW_PGTABLE, (u32)pgdir, 0, 0, 0);
}

void set_pte(u32 *pgdir, u32 va, u32 pte)
{
    hcall(LHCALL_SET_PTE, (u32)pgdir, va, pte, 0);
}

void set_pgd(u32 *pgdir, u32 index)
{
    hcall(LHCALL_SET_PGD, (u32)pgdir, index, 0, 0);
}

void flush_tlb(int kernel_too)
{
    hcall(LHCALL_FLUSH_TLB, kernel_too ? 1 : 0, 0, 0, 0);
}

void set_stack(u32 ss, u32 esp, u32 pages)
{
    hcall(LHCALL_SET_STACK, ss, esp, pages, 0);
}

void set_clockevent(u32 ns)
{
    hcall(LHCALL_SET_CLOCKEVENT, ns, 0, 0, 0);
}

void halt(void)
{
    hcall(LHCALL_HALT, 0, 0, 0, 0);
}

void send_interrupts(void)
{
    hcall(LHCALL_SEND_INTERRUPTS, 0, 0, 0, 0);
}

void shutdown(const char *message, u32 how)
{
    for (;;) {
        hcall(LHCALL_SHUTDOWN, (u32)message, how, 0, 0);
    }
}

u32 ram_size(const u8 *boot_params)
{
    return *(const u32 *)(boot_params + BOOT_PARAMS_E820_MAP + 8);
}

/* Called by entry.S if main ever returns. */
void guest_returned(void)
{
    fail("main returned");
}

void pass(void)
{
    printk("PASS %s\n", guest_name);
    shutdown("PASS", LGUEST_SHUTDOWN_POWEROFF);
}

/* The power-off message, "FAIL <name>: <why>", cut to the 128 bytes the Host reads. */
static char fail_message[128];

void fail(const char *why)
{
    static const char prefix[] = "FAIL ";
    unsigned long n = 0;
    printk("FAIL %s %s\n", guest_name, why);
    for (const char *p = prefix; *p && n < sizeof fail_message - 1; p++)
        fail_message[n++] = *p;
    for (const char *p = guest_name; *p && n < sizeof fail_message - 1; p++)
        fail_message[n++] = *p;
    for (const char *p = ": "; *p && n < sizeof fail_message - 1; p++)
        fail_message[n++] = *p;
    for (const char *p = why; *p && n < sizeof fail_message - 1; p++)
        fail_message[n++] = *p;
    fail_message[n] = 0;
    shutdown(fail_message, LGUEST_SHUTDOWN_POWEROFF);
}

/* Spins for us microseconds of the TSC, whose rate the Host reported at INIT. */
void delay_us(u32 us)
{
    u32 per_us = lguest_data.tsc_khz / 1000;
    if (!per_us)
        fail("no tsc_khz from the Host");
    u64 end = rdtsc() + (u64)us * per_us;
    while (rdtsc() < end)
        ;
}
