/*
 * The 4.x Launcher exits. In ring 1, in and out are #GP(0), which the Host hands to the
 * Launcher as trap 13 with the instruction bytes; an access to the device window (the frames
 * between RAM and device_limit) is trap 14 with the guest-physical address. The test Launcher
 * logs what it saw (the test checks the log), answers "in" from port 0xE9 with 0xE9 and other
 * ports with all-ones, and answers a load from the window with the address loaded. A #GP it
 * does not emulate (hlt) it sends back into the Guest with LHREQ_TRAP.
 */
#include "lguest.h"

GUEST_NAME("pending");

static volatile u32 gp_at;

static void general_protection(struct trap_frame *f)
{
    check(f->error == 0, "the re-injected #GP has an error code");
    gp_at = f->eip;
    f->eip += 1;
}

static void ports(void)
{
    u32 eax = 0x12345600;
    __asm__ volatile("outb %%al, $0x80" : : "a"(0x42));
    __asm__ volatile("outl %%eax, %%dx" : : "a"(0xDEADBEEF), "d"(0x1234));
    __asm__ volatile("outw %%ax, %%dx" : : "a"(0xCAFE), "d"(0x5678));
    __asm__ volatile("inb $0xE9, %%al" : "+a"(eax));
    check(eax == 0x123456E9, "inb $0xE9 did not read 0xE9 into AL alone");
    eax = 0xABCD0000;
    __asm__ volatile("inw %%dx, %%ax" : "+a"(eax) : "d"(0x5678));
    check(eax == 0xABCDFFFF, "inw from an empty port did not read 0xFFFF into AX alone");
    __asm__ volatile("inl %%dx, %%eax" : "=a"(eax) : "d"(0x1234));
    check(eax == 0xFFFFFFFF, "inl from an empty port did not read all-ones");
    printk("ports: out and in went to the Launcher\n");
}

static void device_window(u32 window)
{
    u32 v;
    __asm__ volatile("movl (%%ebx), %%eax" : "=a"(v) : "b"(window + 0x10) : "memory");
    check(v == window + 0x10, "a load from the device window did not read its address");
    __asm__ volatile("movl 0x100(%%ebx,%%esi,4), %%edx" : "=d"(v) : "b"(window), "S"(3) : "memory");
    check(v == window + 0x10C, "a SIB load with disp32 did not read its address");
    __asm__ volatile("movl %%ecx, 4(%%ebx)" : : "c"(0x600DF00D), "b"(window + 0x20000) : "memory");
    printk("device window: loads and a store went to the Launcher\n");
}

static void reinjected(void)
{
    extern char halt_instruction[];
    trap_install(13, general_protection, TRAP_GATE, 0);
    __asm__ volatile("halt_instruction: hlt");
    check(gp_at == (u32)halt_instruction, "hlt was not re-injected as #GP at the hlt");
    printk("hlt: re-injected as #GP(0)\n");
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    ports();
    device_window(ram_size(boot_params));
    reinjected();
    pass();
}
