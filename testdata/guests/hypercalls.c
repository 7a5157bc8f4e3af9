/*
 * Hypercalls: what INIT fills in, the async ring (run in ring order, before the synchronous
 * call that made the exit, and wrapping around), SET_CLOCKEVENT arming and cancelling, TS,
 * and LOAD_GDT_ENTRY seen through a segment load.
 *
 * The IDT entry for int3 is the probe for ordering: each queued LOAD_IDT_ENTRY points vector 3
 * at the stub of a different vector, so the vector number the stub pushes says which of the
 * loads the Host applied last.
 */
#include "lguest.h"

GUEST_NAME("hypercalls");

static volatile u32 int3_seen_as;
static volatile u32 ticks;
static volatile u32 nm_traps;

static void probe(struct trap_frame *f)
{
    int3_seen_as = f->vector;
}

static void tick(struct trap_frame *f)
{
    (void)f;
    ticks++;
}

/* #NM after LHCALL_TS(8): the FPU is "not ours yet"; clear TS and retry the instruction. */
static void device_not_available(struct trap_frame *f)
{
    (void)f;
    nm_traps++;
    hcall(LHCALL_TS, 0, 0, 0, 0);
}

static u32 which_int3(void)
{
    int3_seen_as = 0;
    __asm__ volatile("int3" ::: "memory");
    return int3_seen_as;
}

static void idt_low_high(u32 offset, u32 *low, u32 *high)
{
    *low = (KERNEL_CS << 16) | (offset & 0xFFFF);
    *high = (offset & 0xFFFF0000) | 0x8000 | (3 << 13) | (TRAP_GATE << 8);
}

static void queue_int3_gate(u32 via_vector)
{
    u32 low, high;
    idt_low_high(trap_stub(via_vector), &low, &high);
    async_hcall(LHCALL_LOAD_IDT_ENTRY, 3, low, high, 0);
}

static int ring_is_free(void)
{
    for (int i = 0; i < LHCALL_RING_SIZE; i++)
        if (lguest_data.hcall_status[i] != 0xFF)
            return 0;
    return 1;
}

static void init_fields(void)
{
    printk("INIT: reserve_mem %x tsc_khz %u time %u.%09u\n", lguest_data.reserve_mem, lguest_data.tsc_khz,
            lguest_data.time_sec, lguest_data.time_nsec);
    check(lguest_data.reserve_mem != 0, "INIT left reserve_mem 0");
    check(lguest_data.kernel_address < 0u - lguest_data.reserve_mem, "kernel_address inside reserve_mem");
    check(lguest_data.time_sec != 0, "INIT left the time 0");
}

static void async_ring(void)
{
    trap_handle(4, probe);
    trap_handle(5, probe);
    trap_handle(9, probe);

    gate(3, trap_stub(4), TRAP_GATE, 3);
    check(which_int3() == 4, "a synchronous LOAD_IDT_ENTRY did not take");

    /* Queued calls wait for an exit... */
    queue_int3_gate(5);
    check(lguest_data.hcall_status[0] == 0, "queued slot not marked ready");
    check(which_int3() == 4, "a queued call ran without any exit");
    /* ...and run in ring order when one comes. */
    queue_int3_gate(9);
    queue_int3_gate(5);
    flush_async();
    check(ring_is_free(), "FLUSH_ASYNC left slots unconsumed");
    check(which_int3() == 5, "queued calls ran out of order");
    printk("async: queued calls run in order at FLUSH_ASYNC\n");

    /* The ring drains before the synchronous call that made the exit. */
    queue_int3_gate(9);
    gate(3, trap_stub(4), TRAP_GATE, 3);
    check(which_int3() == 4, "the queued call ran after the synchronous one");
    printk("async: queued calls run before the synchronous call\n");

    /* More calls than slots: the ring wraps, a full ring makes the call synchronously. */
    for (int i = 0; i < 3 * LHCALL_RING_SIZE / 2; i++)
        queue_int3_gate(i % 2 ? 5 : 9);
    flush_async();
    check(ring_is_free(), "the wrapped ring was not drained");
    check(which_int3() == 5, "wrong gate after the ring wrapped");
    printk("async: 96 calls through a 64-slot ring\n");
}

static void clock_event(void)
{
    trap_install(32, tick, INTERRUPT_GATE, 1);
    irq_unmask(0);
    irq_enable();

    set_clockevent(1000000);
    for (u32 spins = 0; ticks == 0 && spins < 200; spins++)
        delay_us(1000);
    check(ticks == 1, "SET_CLOCKEVENT(1 ms) never raised the timer");
    printk("clock: one tick from a 1 ms clock event\n");

    set_clockevent(2000000);
    set_clockevent(0);
    delay_us(20000);
    check(ticks == 1, "SET_CLOCKEVENT(0) did not cancel");
    printk("clock: SET_CLOCKEVENT(0) cancels\n");
}

static void task_switched(void)
{
    trap_install(7, device_not_available, INTERRUPT_GATE, 0);
    hcall(LHCALL_TS, 8, 0, 0, 0);
    __asm__ volatile("fninit; fld1; fstp %%st(0)" ::: "memory");
    check(nm_traps == 1, "no #NM after LHCALL_TS(8)");
    __asm__ volatile("fld1; fstp %%st(0)" ::: "memory");
    check(nm_traps == 1, "#NM again after LHCALL_TS(0)");
    printk("TS: one #NM, then the FPU is ours\n");
}

/*
 * GDT entry 27 (Linux's percpu segment) twice through the ring: the second, later base must be
 * what FS addresses after the flush.
 */
static u32 first_target = 0x11111111, second_target = 0x22222222;

static void gdt_entry(void)
{
    u32 base1 = (u32)&first_target, base2 = (u32)&second_target;
    async_hcall(LHCALL_LOAD_GDT_ENTRY, 27, (base1 << 16) | 0xFFFF,
            (base1 & 0xFF000000) | 0x00CF9200 | ((base1 >> 16) & 0xFF), 0);
    async_hcall(LHCALL_LOAD_GDT_ENTRY, 27, (base2 << 16) | 0xFFFF,
            (base2 & 0xFF000000) | 0x00CF9200 | ((base2 >> 16) & 0xFF), 0);
    flush_async();
    u32 seen;
    __asm__ volatile("movw %w1, %%fs; movl %%fs:0, %0; movw %w2, %%fs"
            : "=r"(seen) : "r"(27 * 8 + 1), "r"(0) : "memory");
    check(seen == 0x22222222, "FS did not use the last GDT entry 27 the ring loaded");
    printk("GDT: entry 27 from the ring addresses through FS\n");
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    init_fields();
    async_ring();
    clock_event();
    task_switched();
    gdt_entry();
    pass();
}
