/*
 * The timer: SET_CLOCKEVENT arms a one-shot event that raises interrupt line 0, delivered at
 * vector 32. Halting with the virtual IF off is how Linux idles: the Host wakes the vCPU with
 * irq_enabled forced on. An interrupt that arrives while the virtual IF is off, or the line is
 * blocked, waits (irq_pending) until the Guest lets it in.
 */
#include "lguest.h"

GUEST_NAME("timer");

#define TICKS 5

static volatile u32 ticks;
static volatile u32 interrupted_with_if;

static void tick(struct trap_frame *f)
{
    ticks++;
    /* An interrupt gate: the Host turned the virtual IF off for the handler. */
    interrupted_with_if = lguest_data.irq_enabled;
    (void)f;
}

static void halting(void)
{
    u32 time = lguest_data.time_sec;
    for (u32 i = 1; i <= TICKS; i++) {
        irq_disable();
        set_clockevent(500000);
        halt();
        check(ticks == i, "HALT returned without the tick");
        check(interrupted_with_if == 0, "the handler ran with the virtual IF on");
        check(lguest_data.irq_enabled & X86_EFLAGS_IF, "woken from HALT with the virtual IF off");
    }
    check(lguest_data.time_sec >= time, "the Host's time went backwards");
    printk("halt: %u ticks of 0.5 ms woke %u halts\n", ticks, TICKS);
}

static void held_while_disabled(void)
{
    u32 before = ticks;
    irq_disable();
    set_clockevent(1000000);
    delay_us(5000);
    send_interrupts();
    check(ticks == before, "a tick arrived with the virtual IF off");
    check(lguest_data.irq_pending == X86_EFLAGS_IF, "the Host did not flag irq_pending");
    irq_enable();
    check(ticks == before + 1, "the held tick was not delivered at irq_enable");
    check(lguest_data.irq_pending == 0, "irq_pending still set after delivery");
    printk("held: a tick waits for the virtual IF\n");
}

static void held_while_blocked(void)
{
    u32 before = ticks;
    lguest_data.blocked_interrupts |= 1;
    set_clockevent(1000000);
    delay_us(5000);
    send_interrupts();
    check(ticks == before, "a tick arrived on a blocked line");
    irq_unmask(0);
    send_interrupts();
    check(ticks == before + 1, "the blocked tick was not delivered after unmasking");
    printk("blocked: a tick waits for its line\n");
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    trap_install(32, tick, INTERRUPT_GATE, 1);
    irq_unmask(0);
    halting();
    held_while_disabled();
    held_while_blocked();
    pass();
}
