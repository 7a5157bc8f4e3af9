/*
 * The jlguest test-guest SDK: just enough of an lguest Guest kernel to exercise a Host one
 * feature at a time. A guest is one C file with a main(); it links with entry.S, lguest.c,
 * traps.c, console.c and lib.c into a flat image at 1 MiB, packed as a bzImage.
 *
 * Everything follows the i386 lguest ABI of Linux 4.1-4.13 (the virtio-PCI generation): the
 * Guest kernel runs in ring 1, asks the Host for anything privileged with a hypercall, and
 * shares one struct lguest_data page with it.
 */
#ifndef JLGUEST_LGUEST_H
#define JLGUEST_LGUEST_H

#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* Hypercall numbers (EAX of int $0x1f). */
#define LHCALL_FLUSH_ASYNC 0
#define LHCALL_LGUEST_INIT 1
#define LHCALL_SHUTDOWN 2
#define LHCALL_NEW_PGTABLE 4
#define LHCALL_FLUSH_TLB 5
#define LHCALL_LOAD_IDT_ENTRY 6
#define LHCALL_SET_STACK 7
#define LHCALL_TS 8
#define LHCALL_SET_CLOCKEVENT 9
#define LHCALL_HALT 10
#define LHCALL_SET_PTE 14
#define LHCALL_SET_PGD 15
#define LHCALL_LOAD_TLS 16
#define LHCALL_NOTIFY 17
#define LHCALL_LOAD_GDT_ENTRY 18
#define LHCALL_SEND_INTERRUPTS 19

#define LGUEST_SHUTDOWN_POWEROFF 1
#define LGUEST_SHUTDOWN_RESTART 2

#define LHCALL_RING_SIZE 64
#define LGUEST_IRQS 32
#define FIRST_EXTERNAL_VECTOR 32
#define SYSCALL_VECTOR 0x80
#define X86_EFLAGS_IF 0x200

/* Selectors: the kernel's GDT entries 12/13 at RPL 1, the user's 14/15 at RPL 3. */
#define KERNEL_CS 0x61
#define KERNEL_DS 0x69
#define USER_CS 0x73
#define USER_DS 0x7B
#define GDT_ENTRY_USER_CS 14
#define GDT_ENTRY_USER_DS 15

/* Where the Host's switcher lives: the Guest must keep below it. */
#define SWITCHER_ADDRESS 0xFFC00000u

struct hcall_args {
    u32 arg0, arg1, arg2, arg3, arg4;
};

/* The page the Guest shares with the Host; 4.x layout, 1388 bytes. */
struct lguest_data {
    u32 irq_enabled;        /* the virtual IF: 0x200 on, 0 off */
    u32 blocked_interrupts; /* bit n masks interrupt line n */
    u32 cr2;                /* written by the Host before it reflects a page fault */
    u32 time_sec, time_nsec;
    u32 irq_pending;        /* 0x200 when an interrupt waits for irq_enabled */
    u8 hcall_status[LHCALL_RING_SIZE]; /* 0xFF free, 0 ready for the Host */
    struct hcall_args hcalls[LHCALL_RING_SIZE];
    u32 reserve_mem;        /* written by the Host at INIT */
    u32 tsc_khz;
    u32 noirq_iret;         /* our one iret: see entry.S */
    u32 kernel_address;
    u32 syscall_vec;
};

extern struct lguest_data lguest_data;

static inline void hcall(u32 call, u32 arg1, u32 arg2, u32 arg3, u32 arg4)
{
    __asm__ volatile("int $0x1f" : "+a"(call) : "b"(arg1), "c"(arg2), "d"(arg3), "S"(arg4) : "memory");
}

/* The hypercall wrappers a guest uses (lguest.c). */
void lguest_init(void);
void async_hcall(u32 call, u32 arg1, u32 arg2, u32 arg3, u32 arg4);
void flush_async(void);
void load_gdt_entry(u32 index, u32 low, u32 high);
void load_idt_entry(u32 vector, u32 low, u32 high);
void new_pgtable(u32 *pgdir);
void set_pte(u32 *pgdir, u32 va, u32 pte);
void set_pgd(u32 *pgdir, u32 index);
void flush_tlb(int kernel_too);
void set_stack(u32 ss, u32 esp, u32 pages);
void set_clockevent(u32 ns);
void halt(void);
void send_interrupts(void);
void __attribute__((noreturn)) shutdown(const char *message, u32 how);
void delay_us(u32 us);

/* Segment descriptors: flat 4 GiB code or data of the given privilege level. */
#define FLAT_LOW 0x0000FFFFu
#define FLAT_CODE_HIGH(dpl) (0x00CF9A00u | ((u32)(dpl) << 13))
#define FLAT_DATA_HIGH(dpl) (0x00CF9200u | ((u32)(dpl) << 13))

/* Traps and interrupts (traps.c, entry.S). */
struct trap_frame {
    u32 edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
    u32 vector, error;
    u32 eip, cs, eflags;
    u32 user_esp, user_ss; /* only when the trap came from ring 3 */
};
typedef void (*trap_handler)(struct trap_frame *frame);

#define INTERRUPT_GATE 0xE
#define TRAP_GATE 0xF
/* Loads the IDT entry for vector (the SDK must have a stub for it) and routes it to handler. */
void trap_install(u32 vector, trap_handler handler, u32 gate_type, u32 dpl);
/* The pieces of trap_install: the stub entry.S has for a vector, the handler trap_dispatch()
 * calls for a vector (by the number its stub pushed), and loading a gate to any offset. */
u32 trap_stub(u32 vector);
void trap_handle(u32 vector, trap_handler handler);
void gate(u32 vector, u32 offset, u32 gate_type, u32 dpl);
void irq_enable(void);
void irq_disable(void);
void irq_unmask(u32 line);

/* Paging, non-PAE two-level tables. */
#define PTE_P 0x001
#define PTE_RW 0x002
#define PTE_US 0x004
#define PTE_A 0x020
#define PTE_D 0x040
#define PGD_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
/* Identity-maps [0, bytes) with 4 KiB pages through tables (one per 4 MiB) under pgdir. */
void identity_map(u32 *pgdir, u32 (*tables)[1024], u32 bytes, u32 flags);
/* The Guest PTE for va; volatile, since the Host writes accessed and dirty bits into it. */
volatile u32 *pte_of(u32 *pgdir, u32 va);

static inline u64 rdtsc(void)
{
    u64 t;
    __asm__ volatile("rdtsc" : "=A"(t));
    return t;
}

/* The boot parameters the Launcher left at gpa 0. */
#define BOOT_PARAMS_E820_ENTRIES 0x1E8
#define BOOT_PARAMS_E820_MAP 0x2D0
#define BOOT_PARAMS_CMD_LINE_PTR 0x228
/* The RAM size from the first e820 entry. */
u32 ram_size(const u8 *boot_params);

/* Console (console.c): see there for the three ways out. */
void console_init(const u8 *boot_params);
void putc(char c);
void puts(const char *s);
void printk(const char *fmt, ...);

/*
 * Ending a test: print "PASS <name>" or "FAIL <name> <why>" and power off with "PASS" or
 * "FAIL <name>: <why>" as the message, which the Host makes the death reason "CRASH: <message>".
 * Each guest names itself with GUEST_NAME("...").
 */
extern const char guest_name[];
#define GUEST_NAME(name) const char guest_name[] = name
void __attribute__((noreturn)) pass(void);
void __attribute__((noreturn)) fail(const char *why);
#define check(cond, why) do { if (!(cond)) fail(why); } while (0)

/* lib.c: what gcc may call even in a freestanding program. */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);
int strncmp(const char *a, const char *b, unsigned long n);

#endif
