package org.jlguest.host;

/**
 * Every number of the lguest ABI in one place: request and hypercall numbers, errno values, the
 * {@code lguest_data} layout and the Guest's selectors. Taken from Linux's
 * {@code include/linux/lguest_launcher.h}, {@code arch/x86/include/asm/lguest_hcall.h} and
 * {@code drivers/lguest}.
 */
public final class LguestAbi {
    private LguestAbi() {
    }

    /** The first word of every {@code write()} to the device. */
    public static final int LHREQ_INITIALIZE = 0, LHREQ_GETDMA = 1, LHREQ_IRQ = 2, LHREQ_BREAK = 3,
            LHREQ_EVENTFD = 4, LHREQ_GETREG = 5, LHREQ_SETREG = 6, LHREQ_TRAP = 7;

    /** errno values as i386 Linux numbers them; the device returns them negated. */
    public static final int EPERM = 1, ENOENT = 2, EBADF = 9, ENOMEM = 12, EFAULT = 14, EBUSY = 16,
            EINVAL = 22, ERESTART = 85;

    /** Interrupt lines; line n arrives at IDT vector 32 + n. */
    public static final int LGUEST_IRQS = 32;
    public static final int FIRST_EXTERNAL_VECTOR = 0x20;

    /** {@code int $0x1f} is a hypercall. */
    public static final int LGUEST_TRAP_ENTRY = 0x1F;
    public static final int SYSCALL_VECTOR = 0x80;

    /** Hypercall numbers (EAX). */
    public static final int LHCALL_FLUSH_ASYNC = 0, LHCALL_LGUEST_INIT = 1, LHCALL_SHUTDOWN = 2,
            LHCALL_NEW_PGTABLE = 4, LHCALL_FLUSH_TLB = 5, LHCALL_LOAD_IDT_ENTRY = 6, LHCALL_SET_STACK = 7,
            LHCALL_TS = 8, LHCALL_SET_CLOCKEVENT = 9, LHCALL_HALT = 10, LHCALL_SET_PMD = 13,
            LHCALL_SET_PTE = 14, LHCALL_SET_PGD = 15, LHCALL_LOAD_TLS = 16, LHCALL_NOTIFY = 17,
            LHCALL_LOAD_GDT_ENTRY = 18, LHCALL_SEND_INTERRUPTS = 19;
    public static final int LGUEST_SHUTDOWN_POWEROFF = 1, LGUEST_SHUTDOWN_RESTART = 2;

    /** The async hypercall ring in {@code lguest_data}. */
    public static final int LHCALL_RING_SIZE = 64;

    /** {@code struct lguest_data} offsets, common part. */
    public static final int LD_IRQ_ENABLED = 0, LD_BLOCKED_INTERRUPTS = 4, LD_CR2 = 8, LD_TIME_SEC = 12,
            LD_TIME_NSEC = 16, LD_IRQ_PENDING = 20, LD_HCALL_STATUS = 24, LD_HCALLS = 88,
            LD_RESERVE_MEM = 1368, LD_TSC_KHZ = 1372;
    /** 4.x tail: {@code noirq_iret}, {@code kernel_address}, {@code syscall_vec}; size 1388. */
    public static final int LD4_NOIRQ_IRET = 1376, LD4_KERNEL_ADDRESS = 1380, LD4_SYSCALL_VEC = 1384,
            LD4_SIZE = 1388;
    /** 3.x tail: {@code noirq_start}, {@code noirq_end}, {@code kernel_address}, {@code syscall_vec}; size 1392. */
    public static final int LD3_NOIRQ_START = 1376, LD3_NOIRQ_END = 1380, LD3_KERNEL_ADDRESS = 1384,
            LD3_SYSCALL_VEC = 1388, LD3_SIZE = 1392;

    /** The virtual IF as the Guest keeps it in {@code irq_enabled}. */
    public static final int X86_EFLAGS_IF = 0x200;

    /** The Guest kernel's selectors: GDT entries 12 and 13 at RPL 1. */
    public static final int GUEST_CS = 0x61, GUEST_DS = 0x69;
    public static final int GDT_ENTRIES = 32;
    public static final int GDT_ENTRY_TLS_MIN = 6;
    /** GDT slots the Host keeps for itself (switcher code/data, TSS, double-fault TSS). */
    public static final int GDT_ENTRY_LGUEST_CS = 10, GDT_ENTRY_LGUEST_DS = 11, GDT_ENTRY_TSS = 16,
            GDT_ENTRY_DOUBLEFAULT_TSS = 31;

    /**
     * Where jlguest's (virtual) switcher would live: the Guest must keep below it. The value early
     * lguest used; {@code reserve_mem} = 4 GiB minus this.
     */
    public static final int SWITCHER_ADDRESS = 0xFFC00000;

    /** {@code struct lguest_pending} (4.x read() record): trap byte, 7 instruction bytes, address. */
    public static final int PENDING_SIZE = 12;
}
