/*
 * Traps and interrupts. The Host delivers them through the IDT entries the Guest loaded by
 * hypercall, onto the current ring-1 stack (or the SET_STACK one, coming from ring 3); each
 * lands in a stub of entry.S and then in trap_dispatch() with the frame.
 */
#include "lguest.h"

struct stub {
    u32 vector;
    void (*entry)(void);
};
extern const struct stub trap_stubs[], trap_stubs_end[];

static trap_handler handlers[256];

void trap_dispatch(struct trap_frame *frame)
{
    trap_handler h = handlers[frame->vector & 0xFF];
    if (!h) {
        printk("trap %u error %x at %x\n", frame->vector, frame->error, frame->eip);
        fail("unexpected trap");
    }
    h(frame);
}

u32 trap_stub(u32 vector)
{
    for (const struct stub *s = trap_stubs; s < trap_stubs_end; s++)
        if (s->vector == vector)
            return (u32)s->entry;
    fail("no stub for that vector");
}

void trap_handle(u32 vector, trap_handler handler)
{
    handlers[vector] = handler;
}

/*
 * A gate: offset split around the selector (the Host forces it to the kernel's CS anyway),
 * present, the DPL that decides whether ring 3 may use int n on it, and its type.
 */
void gate(u32 vector, u32 offset, u32 gate_type, u32 dpl)
{
    load_idt_entry(vector, (KERNEL_CS << 16) | (offset & 0xFFFF),
            (offset & 0xFFFF0000) | 0x8000 | (dpl << 13) | (gate_type << 8));
}

void trap_install(u32 vector, trap_handler handler, u32 gate_type, u32 dpl)
{
    trap_handle(vector, handler);
    gate(vector, trap_stub(vector), gate_type, dpl);
}

/*
 * The virtual interrupt flag. Enabling must ask the Host for interrupts it held back while we
 * had them off (irq_pending), since it only delivers at an exit.
 */
void irq_enable(void)
{
    lguest_data.irq_enabled = X86_EFLAGS_IF;
    __asm__ volatile("" ::: "memory");
    if (lguest_data.irq_pending)
        send_interrupts();
}

void irq_disable(void)
{
    lguest_data.irq_enabled = 0;
    __asm__ volatile("" ::: "memory");
}

void irq_unmask(u32 line)
{
    lguest_data.blocked_interrupts &= ~(1u << line);
    __asm__ volatile("" ::: "memory");
}
