/*
 * The first instructions of a test guest. The Host starts the vCPU here (the bzImage's
 * code32_start) in ring 1 with flat segments, paging in linear mode (virtual = physical) and
 * ESI = 0, the guest-physical address of boot_params. There is no stack yet: take one from
 * .bss, clear .bss, and call main(boot_params). main never returns; if it does, power off.
 */
    .section .text.entry, "ax"
    .globl guest_entry
guest_entry:
    movl $boot_stack_top, %esp
    movl %esi, %ebx
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    cld
    rep stosl
    pushl %ebx
    call main
    call guest_returned

/*
 * Every trap and interrupt the SDK knows arrives here through a stub that pushed an error code
 * (a zero where the CPU pushes none) and its vector, so trap_dispatch() sees one frame shape.
 */
    .text
trap_common:
    pushal
    pushl %esp
    call trap_dispatch
    addl $4, %esp
    popal
    addl $8, %esp
/*
 * lguest's iret: the virtual interrupt flag lives in lguest_data.irq_enabled, so copy the
 * EFLAGS being returned to into it first. An interrupt arriving between that store and the
 * iret would find the frame already built; lguest_data.noirq_iret names this iret so the Host
 * reuses the frame instead of stacking another.
 */
    .globl lguest_iret, lguest_noirq_iret
lguest_iret:
    pushl 8(%esp)
    popl %ss:lguest_data
lguest_noirq_iret:
    iret

/*
 * One stub per vector the SDK serves; each also records (vector, stub) in trap_stubs[], which
 * trap_install() searches. The processor pushes an error code for 8, 10-14 and 17 only.
 */
    .section .rodata
    .balign 4
    .globl trap_stubs, trap_stubs_end
trap_stubs:
    .text

.macro trap_stub vector
trap_stub_\vector:
    .if (\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17)
    .else
    pushl $0
    .endif
    pushl $\vector
    jmp trap_common
    .section .rodata
    .long \vector, trap_stub_\vector
    .text
.endm

.irp v, 0,1,3,4,5,6,7,9,10,11,12,13,14,16,17,18,19,32,33,34,35,36,37,38,39,40,128
    trap_stub \v
.endr

    .section .rodata
trap_stubs_end:

/* The boot stack, 16 KiB of .bss. */
    .bss
    .balign 16
    .space 16384
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
