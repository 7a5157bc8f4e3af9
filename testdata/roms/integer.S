# integer: the i386 integer instruction set in flat 32-bit ring 0, checking itself.
#
# Link: 0x100000
# Run: jlguest bare --image integer.bin@0x100000 --entry 0x100000
#
# Arithmetic and its flags (read back through PUSHF), multiply and divide, shifts and bit
# operations, string instructions with REP, loops, calls and recursion, the stack frame
# instructions, and a store into code that is already decoded.

        .code32
        .text
        .globl _start
_start:
        jmp main

rom_name: .asciz "integer"

        .include "report32.inc"

# EFLAGS bits the arithmetic checks look at: OF SF ZF AF PF CF.
        .set ARITH, 0x8d5

main:
# ---- addition and subtraction --------------------------------------------------------------
        mov $0x7fffffff, %eax
        add $1, %eax
        CHECK_FLAGS ARITH, 0x894, "add 0x7fffffff+1 flags"
        mov $0xffffffff, %eax
        add $1, %eax
        CHECK_FLAGS ARITH, 0x055, "add 0xffffffff+1 flags"
        mov $5, %eax
        sub $7, %eax
        CHECK 0xfffffffe, "sub 5-7"
        mov $5, %eax
        sub $7, %eax
        CHECK_FLAGS ARITH, 0x091, "sub 5-7 flags"
        stc
        mov $1, %eax
        adc $1, %eax
        CHECK 3, "adc with carry"
        stc
        mov $0, %eax
        sbb $0, %eax
        CHECK 0xffffffff, "sbb with borrow"
        mov $0x12345678, %eax
        neg %eax
        CHECK 0xedcba988, "neg"
        mov $0x80, %eax
        cmp $0x81, %al
        CHECK_FLAGS ARITH, 0x095, "cmp al 0x80,0x81 flags"
        mov $0x7f, %al
        inc %al
        movzbl %al, %eax
        CHECK 0x80, "inc al"
        stc
        mov $0, %eax
        dec %eax
        CHECK_FLAGS 0x1, 0x1, "dec keeps CF"

# ---- logic --------------------------------------------------------------------------------
        mov $0xf0f0f0f0, %eax
        and $0x0ff00ff0, %eax
        CHECK 0x00f000f0, "and"
        mov $0xf0f0f0f0, %eax
        xor $0xffffffff, %eax
        CHECK 0x0f0f0f0f, "xor"
        mov $0x80000000, %eax
        or $0, %eax
        CHECK_FLAGS ARITH & ~0x10, 0x84, "or flags"
        mov $0x1234, %eax
        not %eax
        CHECK 0xffffedcb, "not"

# ---- multiply and divide ------------------------------------------------------------------
        mov $0x12345678, %eax
        mov $0x100, %ecx
        mul %ecx
        CHECK 0x34567800, "mul low"
        mov %eax, %ebx
        mov %edx, %eax
        CHECK 0x12, "mul high"
        mov %ebx, %eax
        div %ecx
        CHECK 0x12345678, "div back"
        mov $-7, %eax
        cdq
        mov $2, %ecx
        idiv %ecx
        CHECK 0xfffffffd, "idiv -7/2 quotient"
        mov %edx, %eax
        CHECK 0xffffffff, "idiv -7/2 remainder"
        mov $-3, %ecx
        imul $1000, %ecx, %eax
        CHECK 0xfffff448, "imul three operands"
        mov $0x10000, %eax
        imul %eax, %eax
        CHECK_FLAGS 0x801, 0x801, "imul overflow sets OF CF"
        mov $200, %al
        mov $3, %cl
        mul %cl
        movzwl %ax, %eax
        CHECK 600, "mul byte"
        mov $1000, %ax
        mov $7, %cl
        div %cl
        movzwl %ax, %eax
        CHECK 0x068e, "div byte: remainder 6 in AH, quotient 142 in AL"

# ---- shifts, rotates and bits -------------------------------------------------------------
        mov $0x81, %eax
        shl $4, %eax
        CHECK 0x810, "shl"
        mov $0x80000000, %eax
        sar $31, %eax
        CHECK 0xffffffff, "sar"
        mov $0x80000000, %eax
        shr $31, %eax
        CHECK 1, "shr"
        mov $0x80000001, %eax
        rol $1, %eax
        CHECK 3, "rol"
        clc
        mov $1, %eax
        rcr $1, %eax
        mov %eax, %ebx
        CHECK_FLAGS 0x1, 0x1, "rcr carry out"
        mov %ebx, %eax
        CHECK 0, "rcr into carry"
        mov $0x12345678, %eax
        mov $0x9abcdef0, %edx
        shld $8, %edx, %eax
        CHECK 0x3456789a, "shld"
        mov $0x12345678, %eax
        bswap %eax
        CHECK 0x78563412, "bswap"
        mov $0x00801000, %ecx
        bsf %ecx, %eax
        CHECK 12, "bsf"
        bsr %ecx, %eax
        CHECK 23, "bsr"
        mov $0x10, %ecx
        bt $4, %ecx
        setc %al
        movzbl %al, %eax
        CHECK 1, "bt/setc"
        mov $5, %ecx
        mov $9, %edx
        cmp %edx, %ecx
        mov $0, %eax
        cmovl %edx, %eax
        CHECK 9, "cmovl"

# ---- addressing and exchanges -------------------------------------------------------------
        mov $0x100, %ebx
        mov $0x20, %esi
        lea 0x7(%ebx,%esi,4), %eax
        CHECK 0x187, "lea base+index*4+disp"
        mov $1, %eax
        mov $2, %ecx
        xchg %eax, %ecx
        CHECK 2, "xchg"
        push $10
        mov $10, %eax
        mov $20, %ecx
        cmpxchg %ecx, (%esp)
        pop %eax
        CHECK 20, "cmpxchg stores when equal"
        push $5
        mov $3, %eax
        xadd %eax, (%esp)
        pop %ecx
        CHECK 5, "xadd old value"
        mov %ecx, %eax
        CHECK 8, "xadd sum"
        mov $0x79, %al
        add $0x28, %al
        daa
        movzbl %al, %eax
        CHECK 0x07, "daa 79+28 (BCD 107)"

# ---- strings ------------------------------------------------------------------------------
        sub $64, %esp
        mov %esp, %edi
        mov $greeting, %esi
        mov $greeting_len, %ecx
        cld
        rep movsb
        mov %esp, %esi
        mov $greeting, %edi
        mov $greeting_len, %ecx
        repe cmpsb
        mov %ecx, %eax
        CHECK 0, "rep movsb copy compares equal"
        mov %esp, %edi
        mov $0xffffffff, %ecx
        xor %eax, %eax
        repne scasb
        not %ecx
        dec %ecx
        mov %ecx, %eax
        CHECK (greeting_len-1), "repne scasb strlen"
        mov %esp, %edi
        mov $0x5a5a5a5a, %eax
        mov $4, %ecx
        rep stosl
        mov 12(%esp), %eax
        CHECK 0x5a5a5a5a, "rep stosl"
        lea 15(%esp), %esi
        std
        lodsb
        cld
        movzbl %al, %eax
        CHECK 0x5a, "std lodsb"
        lea 14(%esp), %ecx
        mov %esi, %eax
        sub %ecx, %eax
        CHECK 0, "lodsb with DF=1 steps down"
        add $64, %esp

# ---- loops, calls and the stack -----------------------------------------------------------
        xor %eax, %eax
        mov $100, %ecx
1:      add %ecx, %eax
        loop 1b
        CHECK 5050, "loop sum 1..100"
        push $10
        call factorial
        add $4, %esp
        CHECK 3628800, "recursive factorial(10)"
        push $20
        call fibonacci
        add $4, %esp
        CHECK 6765, "recursive fibonacci(20)"
        mov $3, %eax
        call *jump_table(,%eax,4)
        CHECK 33, "call through a table"
        mov %esp, %ebp
        mov $0x11111111, %eax
        mov $0x22222222, %ecx
        pusha
        xor %eax, %eax
        xor %ecx, %ecx
        popa
        add %ecx, %eax
        CHECK 0x33333333, "pusha/popa"
        mov %esp, %eax
        sub %ebp, %eax
        CHECK 0, "pusha/popa balance"
        enter $16, $0
        movl $0xabcd, -4(%ebp)
        mov -4(%ebp), %eax
        leave
        CHECK 0xabcd, "enter/leave frame"
        mov %esp, %eax
        sub %ebp, %eax
        CHECK 0, "enter/leave balance"

.ifndef NATIVE
# ---- a store into code that has run -------------------------------------------------------
        mov $2, %ecx
1:      call patched
        movb $0x42, patched + 1
        loop 1b
        CHECK 0x42, "store into decoded code takes effect"
.endif
        jmp pass

patched:
        mov $0x11, %eax
        ret

factorial:
        mov 4(%esp), %ecx
        cmp $1, %ecx
        ja 1f
        mov $1, %eax
        ret
1:      dec %ecx
        push %ecx
        call factorial
        add $4, %esp
        mull 4(%esp)
        ret

fibonacci:
        push %ebx
        mov 8(%esp), %ecx
        cmp $2, %ecx
        jae 1f
        mov %ecx, %eax
        pop %ebx
        ret
1:      dec %ecx
        push %ecx
        call fibonacci
        mov %eax, %ebx
        pop %ecx
        dec %ecx
        push %ecx
        call fibonacci
        add $4, %esp
        add %ebx, %eax
        pop %ebx
        ret

entry0: mov $0, %eax
        ret
entry1: mov $11, %eax
        ret
entry2: mov $22, %eax
        ret
entry3: mov $33, %eax
        ret
jump_table: .long entry0, entry1, entry2, entry3

greeting: .asciz "jlguest bare machine"
        .set greeting_len, . - greeting
