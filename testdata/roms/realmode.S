# realmode: real-address mode from the reset vector, checking itself.
#
# Link: 0x0
# Run: jlguest bare --image realmode.bin@0xFFFF0000
#
# A 64K BIOS-style ROM, linked at offset 0 of segment F000. From the reset vector it checks the
# power-on state, 16-bit arithmetic and flags, 32-bit operands under the 0x66 prefix, segment
# arithmetic (two segment:offset pairs naming one byte), string moves across segments, near and
# far calls, INT n through a vector it installs in the IVT, and a divide error whose handler
# skips the faulting instruction.

        .code16
        .text
        .globl _start
_start:

rom_name: .asciz "realmode"

        .include "report16.inc"

start:
        mov %dx, %bx
        mov %cs, %ax
        mov %ax, %ds
        xor %ax, %ax
        mov %ax, %ss
        mov $0x7000, %sp
        mov %ax, %es
        mov $0x01, %al
        out %al, $0x80

# ---- the power-on state -------------------------------------------------------------------
        mov %cs, %ax
        CHECK 0xf000, "CS after reset"
        mov %cr0, %eax
        and $1, %eax
        CHECK32 0, "CR0.PE after reset"
        mov %bx, %ax
        and $0x0f00, %ax
        CHECK 0x0600, "EDX holds a family 6 signature"

# ---- 16-bit arithmetic --------------------------------------------------------------------
        mov $0x7fff, %ax
        add $1, %ax
        CHECK_FLAGS 0x8d5, 0x894, "add 0x7fff+1 flags"
        mov $0x1234, %ax
        mov $0x10, %cx
        mul %cx
        CHECK 0x2340, "mul low word"
        mov %dx, %ax
        CHECK 0x0001, "mul high word in DX"
        mov $-100, %ax
        cwd
        mov $7, %cx
        idiv %cx
        CHECK 0xfff2, "idiv -100/7"
        mov $0x8001, %ax
        rol $1, %ax
        CHECK 0x0003, "rol word"
        xor %ax, %ax
        mov $10, %cx
1:      add %cx, %ax
        loop 1b
        CHECK 55, "loop with CX"

# ---- 32-bit operands in real mode ---------------------------------------------------------
        mov $0x12345678, %eax
        add $0x11111111, %eax
        CHECK32 0x23456789, "32-bit add under 0x66"
        mov $0xffff, %ecx
        inc %ecx
        mov %ecx, %eax
        CHECK32 0x10000, "32-bit inc past 0xffff"

# ---- segments -----------------------------------------------------------------------------
        mov $0x1000, %ax
        mov %ax, %es
        movw $0xbeef, %es:0x0010
        mov $0x1001, %ax
        mov %ax, %fs
        mov %fs:0x0000, %ax
        CHECK 0xbeef, "1000:0010 and 1001:0000 are one byte"
        mov $greeting, %si
        xor %di, %di
        mov $greeting_len, %cx
        cld
        rep movsb
        mov %es:0, %ax
        CHECK 0x6c6a, "rep movsb from ROM (DS=F000) to ES=1000"
        mov %di, %ax
        CHECK greeting_len, "DI after rep movsb"
        xor %ax, %ax
        mov %ax, %es

# ---- calls --------------------------------------------------------------------------------
        mov $5, %ax
        call twice
        CHECK 10, "near call"
        mov $7, %ax
        lcall $0xf000, $twice_far
        CHECK 14, "far call and return"
        mov %sp, %ax
        CHECK 0x7000, "stack balanced after calls"

# ---- INT n through the IVT ----------------------------------------------------------------
        movw $int40, %es:0x40 * 4
        movw %cs, %es:0x40 * 4 + 2
        mov $0, %bx
        sti
        int $0x40
        mov %bx, %ax
        CHECK 0x4040, "INT 0x40 handler ran"
        mov %cx, %ax
        CHECK 0, "IF clear inside the handler"
        CHECK_FLAGS 0x200, 0x200, "IRET restores IF"
        cli
        mov $0x02, %al
        out %al, $0x80

# ---- a divide error, handled --------------------------------------------------------------
        movw $divide_error, %es:0
        movw %cs, %es:2
        mov $0, %bx
        mov $100, %ax
        xor %cl, %cl
        div %cl
        mov %bx, %ax
        CHECK 1, "#DE handler ran once"
        mov %sp, %ax
        CHECK 0x7000, "stack balanced after #DE"
        jmp pass

twice:
        add %ax, %ax
        ret

twice_far:
        add %ax, %ax
        lret

int40:
        mov $0x4040, %bx
        pushf
        pop %cx
        and $0x200, %cx
        iret

# The saved IP is the DIV's own: step over it (F6 F1, two bytes).
divide_error:
        push %bp
        mov %sp, %bp
        addw $2, 2(%bp)
        inc %bx
        pop %bp
        iret

greeting: .ascii "jlguest"
        .set greeting_len, . - greeting

        .org 0xfff0
reset_vector:
        ljmp $0xf000, $start
        .org 0x10000
