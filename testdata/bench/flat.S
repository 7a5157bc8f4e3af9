/*
 * The workload as a raw image, loaded at 1 MiB and entered at its first byte in flat 32-bit
 * ring 0 with paging and interrupts off:
 *
 *     jlguest bare --image bench.bin@0x100000 --entry 0x100000 --max-insns 10000000000
 *
 * It clears .bss, takes its own stack, runs bench_run() for bench_parameters.rounds rounds,
 * writes the report line to the debug console (port 0xE9) and halts with interrupts off.
 *
 * The same image is a multiboot kernel (the header's address fields let a loader place a flat
 * binary), so a PC emulator boots it into the same state:
 *
 *     qemu-system-i386 -kernel bench.bin -debugcon stdio -device isa-debug-exit -display none
 *
 * which is why it writes to port 0xF4 before halting: QEMU's isa-debug-exit device ends the
 * emulator there, while on jlguest's bare machine the port is unclaimed and the write vanishes.
 */
#define MULTIBOOT_MAGIC 0x1BADB002
#define MULTIBOOT_ADDRESS_FIELDS (1 << 16)
#define DEBUG_EXIT_PORT 0xF4
#define STACK_SIZE 65536

    .section .text.entry, "ax"
    .globl flat_entry
flat_entry:
    jmp start

    .balign 4
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_ADDRESS_FIELDS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_ADDRESS_FIELDS)
    .long multiboot_header      /* header_addr */
    .long flat_entry            /* load_addr: the image's first byte */
    .long __bss_start           /* load_end_addr */
    .long __bss_end             /* bss_end_addr */
    .long start                 /* entry_addr */

start:
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    cld
    rep stosb
    movl $stack + STACK_SIZE, %esp
    subl $80, %esp              /* BENCH_REPORT_MAX bytes for the report */
    movl %esp, %esi
    pushl %esi
    pushl bench_parameters + 16 /* .rounds */
    call bench_run
    addl $8, %esp
    movl %eax, %ecx
    movw $0xE9, %dx
1:  lodsb
    outb %al, %dx
    loop 1b
    xorl %eax, %eax
    outb %al, $DEBUG_EXIT_PORT
    cli
    hlt

    .lcomm stack, STACK_SIZE

    .section .note.GNU-stack, "", @progbits
