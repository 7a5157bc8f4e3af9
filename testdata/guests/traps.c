/*
 * Traps from user mode. The kernel loads the user segments (GDT 14/15), gates for #DE, #UD,
 * #GP, #PF and a DPL-3 trap gate for int $0x80, a ring-1 stack with SET_STACK, and irets to
 * ring 3. The user code makes system calls and one fault of each kind; each handler checks
 * the frame (user CS, the faulting instruction, the error code, cr2) and steps over it.
 */
#include "lguest.h"

GUEST_NAME("traps");

#define ALIGNED __attribute__((aligned(4096)))
#define MISSING_VA 0x00300000u /* not mapped at all */
#define KERNEL_ONLY_VA 0x00301000u /* mapped without the user bit */

#define SYS_PUTS 1
#define SYS_FAIL 2
#define SYS_EXIT 3

enum { SAW_DE = 1, SAW_UD = 2, SAW_PF_MISSING = 4, SAW_PF_KERNEL = 8, SAW_GP_HCALL = 16, SAW_GP_CLI = 32 };

static u32 pgdir[1024] ALIGNED;
static u32 tables[1][1024] ALIGNED;
static u8 kernel_stack[4096] ALIGNED;
static u8 user_stack[4096] ALIGNED;
static volatile u32 seen;

static void from_user(struct trap_frame *f)
{
    check(f->cs == USER_CS, "trap frame CS is not the user CS");
    check(f->user_ss == USER_DS, "trap frame SS is not the user DS");
    check((u32)f >= (u32)kernel_stack && (u32)f < (u32)kernel_stack + sizeof kernel_stack,
            "the trap did not switch to the SET_STACK stack");
}

static const u8 *code_at(struct trap_frame *f)
{
    return (const u8 *)f->eip;
}

static void divide_error(struct trap_frame *f)
{
    from_user(f);
    check(code_at(f)[0] == 0xF7, "#DE not at the div");
    seen |= SAW_DE;
    f->eip += 2;
}

static void invalid_opcode(struct trap_frame *f)
{
    from_user(f);
    check(code_at(f)[0] == 0x0F && code_at(f)[1] == 0x0B, "#UD not at the ud2");
    seen |= SAW_UD;
    f->eip += 2;
}

static void page_fault(struct trap_frame *f)
{
    from_user(f);
    if (lguest_data.cr2 == MISSING_VA) {
        check(f->error == 4, "user read of a missing page: error code is not 4");
        seen |= SAW_PF_MISSING;
    } else if (lguest_data.cr2 == KERNEL_ONLY_VA) {
        check(f->error == 7, "user write to a kernel page: error code is not 7");
        seen |= SAW_PF_KERNEL;
    } else {
        printk("cr2 %x error %x\n", lguest_data.cr2, f->error);
        fail("page fault at an unexpected address");
    }
    f->eip += 2;
}

static void general_protection(struct trap_frame *f)
{
    from_user(f);
    if (code_at(f)[0] == 0xCD) {
        check(f->error == 0x1F * 8 + 2, "user int $0x1f: error code is not 0xfa");
        seen |= SAW_GP_HCALL;
        f->eip += 2;
    } else if (code_at(f)[0] == 0xFA) {
        check(f->error == 0, "user cli: error code is not 0");
        seen |= SAW_GP_CLI;
        f->eip += 1;
    } else {
        fail("#GP at an unexpected instruction");
    }
}

static void system_call(struct trap_frame *f)
{
    from_user(f);
    check(lguest_data.irq_enabled & X86_EFLAGS_IF, "a trap gate turned the virtual IF off");
    switch (f->eax) {
    case SYS_PUTS:
        puts((const char *)f->ebx);
        f->eax = 42;
        break;
    case SYS_FAIL:
        fail((const char *)f->ebx);
    case SYS_EXIT:
        printk("back in the kernel: saw %x\n", seen);
        check(seen == (SAW_DE | SAW_UD | SAW_PF_MISSING | SAW_PF_KERNEL | SAW_GP_HCALL | SAW_GP_CLI),
                "not every user trap arrived");
        pass();
    default:
        fail("unknown system call");
    }
}

static u32 syscall1(u32 nr, const char *arg)
{
    __asm__ volatile("int $0x80" : "+a"(nr) : "b"(arg) : "memory");
    return nr;
}

/* Ring 3. Only system calls reach the console from here. */
static void __attribute__((noreturn, used)) user_main(void)
{
    u32 q, r;
    if (syscall1(SYS_PUTS, "ring 3: hello through int $0x80\n") != 42)
        syscall1(SYS_FAIL, "system call result lost");
    __asm__ volatile("divl %%ecx" : "=a"(q), "=d"(r) : "a"(1), "d"(0), "c"(0));
    syscall1(SYS_PUTS, "ring 3: divided by zero\n");
    __asm__ volatile("ud2");
    syscall1(SYS_PUTS, "ring 3: ran ud2\n");
    __asm__ volatile("movl (%%ebx), %%eax" : "=a"(q) : "b"(MISSING_VA) : "memory");
    __asm__ volatile("movl %%eax, (%%ebx)" : : "a"(0), "b"(KERNEL_ONLY_VA) : "memory");
    syscall1(SYS_PUTS, "ring 3: touched a missing and a kernel page\n");
    __asm__ volatile("int $0x1f");
    __asm__ volatile("cli");
    syscall1(SYS_PUTS, "ring 3: tried a hypercall and cli\n");
    syscall1(SYS_EXIT, 0);
    for (;;)
        ;
}

static void enter_user_mode(void)
{
    __asm__ volatile(
        "movw %w0, %%ds\n\t"
        "movw %w0, %%es\n\t"
        "pushl %0\n\t"
        "pushl %1\n\t"
        "pushl $0x202\n\t"
        "pushl %2\n\t"
        "pushl %3\n\t"
        "iret"
        : : "r"(USER_DS), "r"((u32)user_stack + sizeof user_stack), "i"(USER_CS), "r"((u32)user_main)
        : "memory");
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    identity_map(pgdir, tables, 4 << 20, PTE_P | PTE_RW | PTE_US);
    *pte_of(pgdir, MISSING_VA) = 0;
    *pte_of(pgdir, KERNEL_ONLY_VA) = KERNEL_ONLY_VA | PTE_P | PTE_RW;
    new_pgtable(pgdir);
    load_gdt_entry(GDT_ENTRY_USER_CS, FLAT_LOW, FLAT_CODE_HIGH(3));
    load_gdt_entry(GDT_ENTRY_USER_DS, FLAT_LOW, FLAT_DATA_HIGH(3));
    trap_install(0, divide_error, TRAP_GATE, 0);
    trap_install(6, invalid_opcode, TRAP_GATE, 0);
    trap_install(13, general_protection, TRAP_GATE, 0);
    trap_install(14, page_fault, INTERRUPT_GATE, 0);
    trap_install(SYSCALL_VECTOR, system_call, TRAP_GATE, 3);
    set_stack(KERNEL_DS, (u32)kernel_stack + sizeof kernel_stack, 1);
    irq_enable();
    printk("kernel: entering ring 3\n");
    enter_user_mode();
    fail("iret to ring 3 came back");
}
