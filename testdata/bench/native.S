/*
 * The workload as a static i386 Linux executable: the same object code as the raw image, with
 * the report written to stdout by write(2) and the exit by exit(2), both through int $0x80.
 * It needs no libc: Linux hands _start a zeroed .bss and a stack.
 */
    .text
    .globl _start
_start:
    subl $80, %esp              /* BENCH_REPORT_MAX bytes for the report */
    movl %esp, %esi
    pushl %esi
    pushl bench_parameters + 16 /* .rounds */
    call bench_run
    addl $8, %esp
    movl %eax, %edx             /* write(1, report, length) */
    movl %esi, %ecx
    movl $1, %ebx
    movl $4, %eax
    int $0x80
    xorl %ebx, %ebx             /* exit(0) */
    movl $1, %eax
    int $0x80

    .section .note.GNU-stack, "", @progbits
