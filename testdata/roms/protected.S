# protected: from the reset vector into 32-bit protected mode with paging, checking itself.
#
# Link: 0xF0000
# Run: jlguest bare --image protected.bin@0xFFFF0000
#
# A 64K BIOS-style ROM linked at its RAM copy, 0xF0000: 16-bit code uses offsets in segment F000
# (label - _start), 32-bit code uses the linear addresses directly. It loads a GDT, sets CR0.PE
# and far-jumps to 32-bit code; then it checks a based data segment and its limit (#GP through an
# IDT handler), INT n through trap and interrupt gates, paging with a page fault whose handler
# maps the page and retries, protection faults (supervisor-only and read-only pages with CR0.WP),
# and a ring-3 round trip: IRET down to CPL 3, a #GP from CLI and back, a call gate up to ring 0
# and a far return down, and INT 0x80 up to ring 0 on the TSS's stack.

        .set IDT, 0x2000
        .set TSS, 0x3000
        .set PAGE_DIR, 0x10000
        .set PAGE_TABLE0, 0x11000
        .set PAGE_TABLE1, 0x12000
        .set STACK0, 0x80000
        .set TSS_STACK, 0x90000
        .set USER_STACK, 0x70000
        .set BASED_DATA, 0x200000
        .set FAULT_TARGET, 0x300000
        .set SUPERVISOR_PAGE, 0x5000
        .set READ_ONLY_PAGE, 0x6000

        .set CODE0, 0x08
        .set DATA0, 0x10
        .set CODE3, 0x1b
        .set DATA3, 0x23
        .set TSS_SEL, 0x28
        .set CALL_GATE, 0x33
        .set BASED, 0x38

        .text
        .globl _start
_start:

# ---- real mode: GDT, PE, far jump ---------------------------------------------------------
        .code16
start16:
        cli
        mov %cs, %ax
        mov %ax, %ds
        mov $0x01, %al
        out %al, $0x80
        lgdtl gdt_descriptor - _start
        mov %cr0, %eax
        or $1, %eax
        mov %eax, %cr0
        ljmpl $CODE0, $start32

        .code32
rom_name: .asciz "protected"

        .include "report32.inc"

start32:
        mov $DATA0, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        mov $STACK0, %esp
        mov $BASED, %ax
        mov %ax, %fs
        mov $0x02, %al
        out %al, $0x80

        mov %cs, %eax
        CHECK CODE0, "CS after the far jump"
        mov %cr0, %eax
        and $1, %eax
        CHECK 1, "CR0.PE"

# ---- a based data segment -----------------------------------------------------------------
        movl $0xcafe, %fs:0x10
        mov BASED_DATA + 0x10, %eax
        CHECK 0xcafe, "FS base 0x200000"

# ---- the IDT ------------------------------------------------------------------------------
        mov $13, %eax
        mov $gp_handler, %edx
        mov $0x8e00, %ecx
        call set_gate
        mov $14, %eax
        mov $pf_handler, %edx
        call set_gate
        mov $0x30, %eax
        mov $trap_handler, %edx
        mov $0x8f00, %ecx
        call set_gate
        mov $0x31, %eax
        mov $trap_handler, %edx
        mov $0x8e00, %ecx
        call set_gate
        mov $0x80, %eax
        mov $kernel_entry, %edx
        mov $0xee00, %ecx
        call set_gate
        lidt idt_descriptor

        movl $1f, recover
        movl $0, %fs:0x1000
1:      mov last_vector, %eax
        CHECK 13, "#GP past the FS limit"
        mov last_error, %eax
        CHECK 0, "#GP error code"

        sti
        int $0x30
        cli
        mov handler_flags, %eax
        and $0x200, %eax
        CHECK 0x200, "a trap gate keeps IF"
        sti
        int $0x31
        cli
        mov handler_flags, %eax
        and $0x200, %eax
        CHECK 0, "an interrupt gate clears IF"
        mov $0x03, %al
        out %al, $0x80

# ---- paging -------------------------------------------------------------------------------
        mov $PAGE_TABLE0, %edi
        mov $0x7, %eax
        mov $1024, %ecx
1:      stosl
        add $0x1000, %eax
        loop 1b
        movl $SUPERVISOR_PAGE | 3, PAGE_TABLE0 + (SUPERVISOR_PAGE >> 12) * 4
        movl $READ_ONLY_PAGE | 5, PAGE_TABLE0 + (READ_ONLY_PAGE >> 12) * 4
        mov $PAGE_TABLE1, %edi
        xor %eax, %eax
        mov $1024, %ecx
        rep stosl
        mov $PAGE_DIR, %edi
        mov $1024, %ecx
        rep stosl
        movl $PAGE_TABLE0 | 7, PAGE_DIR
        movl $PAGE_TABLE1 | 7, PAGE_DIR + 4
        movl $0x12345678, FAULT_TARGET
        mov $PAGE_DIR, %eax
        mov %eax, %cr3
        mov %cr0, %eax
        or $0x80010000, %eax
        mov %eax, %cr0
        jmp 1f
1:      mov $0x04, %al
        out %al, $0x80

        mov 0x400000, %eax
        CHECK 0x12345678, "read through a page the #PF handler mapped"
        mov page_faults, %eax
        CHECK 1, "one page fault"
        mov last_cr2, %eax
        CHECK 0x400000, "CR2 names the address"
        mov last_error, %eax
        CHECK 0, "#PF error code: not present, read, supervisor"

        movl $1f, recover
        movl $1, READ_ONLY_PAGE
1:      mov last_vector, %eax
        CHECK 14, "a supervisor write to a read-only page faults under CR0.WP"
        mov last_error, %eax
        CHECK 3, "#PF error code: present, write"

# ---- ring 3 and back ----------------------------------------------------------------------
        movl $TSS_STACK, TSS + 4
        movl $DATA0, TSS + 8
        mov $TSS_SEL, %ax
        ltr %ax
        mov $call_gate_target, %eax
        mov %ax, gdt + 0x30
        shr $16, %eax
        mov %ax, gdt + 0x36
        mov %esp, kernel_stack
        mov $0x05, %al
        out %al, $0x80
        push $DATA3
        push $USER_STACK
        push $0x2
        push $CODE3
        push $user_code
        iret

# Ring 3: results go to memory (OUT would fault here); ring 0 checks them after INT 0x80. IRET
# to an outer ring nulled DS and ES (their DPL 0 is below CPL 3), so they are loaded first.
user_code:
        mov $DATA3, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %cs, %eax
        and $3, %eax
        mov %eax, user_cpl
        movl $1f, recover
        cli
1:      mov last_vector, %eax
        mov %eax, user_cli_vector
        movl $1f, recover
        mov SUPERVISOR_PAGE, %eax
1:      mov last_error, %eax
        mov %eax, user_pf_error
        lcall $CALL_GATE, $0
        mov %eax, gate_cs
        mov %cs, %eax
        and $3, %eax
        mov %eax, user_cpl_after_gate
        int $0x80
        jmp stop

call_gate_target:
        mov %cs, %eax
        lret

kernel_entry:
        mov %esp, %eax
        CHECK (TSS_STACK-20), "INT 0x80 from ring 3 runs on the TSS stack"
        mov 4(%esp), %eax
        CHECK CODE3, "the saved CS is ring 3's"
        mov $DATA0, %ax
        mov %ax, %ds
        mov %ax, %es
        mov kernel_stack, %esp
        mov user_cpl, %eax
        CHECK 3, "IRET reached CPL 3"
        mov user_cli_vector, %eax
        CHECK 13, "CLI at CPL 3 raises #GP"
        mov user_pf_error, %eax
        CHECK 5, "#PF error code: present, read, user"
        mov gate_cs, %eax
        CHECK CODE0, "the call gate runs ring-0 code"
        mov user_cpl_after_gate, %eax
        CHECK 3, "the far return goes back to CPL 3"
        jmp pass

# ---- handlers -----------------------------------------------------------------------------

# Faults the checks expect: note the vector and error code, and resume at the address in
# recover.
gp_handler:
        movl $13, last_vector
        jmp recover_from_fault

pf_handler:
        push %eax
        mov %cr2, %eax
        mov %eax, last_cr2
        mov 4(%esp), %eax
        mov %eax, last_error
        test $1, %eax
        jnz 1f
        incl page_faults
        mov last_cr2, %eax
        shr $12, %eax
        and $0x3ff, %eax
        movl $FAULT_TARGET | 7, PAGE_TABLE1(,%eax,4)
        pop %eax
        add $4, %esp
        iret
1:      pop %eax
        movl $14, last_vector
        jmp recover_from_fault

# The error code is on the stack, the saved EIP above it.
recover_from_fault:
        push %eax
        mov 4(%esp), %eax
        mov %eax, last_error
        mov recover, %eax
        mov %eax, 8(%esp)
        pop %eax
        add $4, %esp
        iret

trap_handler:
        push %eax
        pushf
        pop %eax
        mov %eax, handler_flags
        pop %eax
        iret

# Gate EAX of the IDT: handler EDX in segment CODE0, type and DPL in CX (bits 8-15 of the high
# dword).
set_gate:
        mov %dx, IDT(,%eax,8)
        movw $CODE0, IDT + 2(,%eax,8)
        mov %cx, IDT + 4(,%eax,8)
        shr $16, %edx
        mov %dx, IDT + 6(,%eax,8)
        ret

        .p2align 3
gdt:
        .quad 0
        .quad 0x00cf9a000000ffff        # 0x08 ring-0 code, flat
        .quad 0x00cf92000000ffff        # 0x10 ring-0 data, flat
        .quad 0x00cffa000000ffff        # 0x18 ring-3 code, flat
        .quad 0x00cff2000000ffff        # 0x20 ring-3 data, flat
        .quad 0x0000890030000067        # 0x28 32-bit TSS at 0x3000
        .quad 0x0000ec0000080000        # 0x30 call gate, DPL 3, to CODE0 (offset filled in)
        .quad 0x0040922000000fff        # 0x38 data, base 0x200000, limit 0xfff
gdt_end:

gdt_descriptor:
        .word gdt_end - gdt - 1
        .long gdt
idt_descriptor:
        .word 256 * 8 - 1
        .long IDT

        .p2align 2
recover:             .long 0
last_vector:         .long 0
last_error:          .long 0
last_cr2:            .long 0
page_faults:         .long 0
handler_flags:       .long 0
kernel_stack:        .long 0
user_cpl:            .long 0
user_cli_vector:     .long 0
user_pf_error:       .long 0
gate_cs:             .long 0
user_cpl_after_gate: .long 0

        .code16
        .org 0xfff0
reset_vector:
        ljmp $0xf000, $start16 - _start
        .org 0x10000
