/*
 * The bzImage packer: a Linux x86 boot-protocol 2.07 setup header in front of a guest's flat
 * image, preprocessed with NAME (the guest's name, a string) and PAYLOAD (the path of its flat
 * image, a string) defined; see the Makefile.
 *
 * Only what a Launcher reads is filled in: setup_sects, syssize, boot_flag, "HdrS", the
 * version, kernel_version, loadflags, code32_start, kernel_alignment. There is no real-mode
 * setup code: lguest Launchers copy the protected-mode part to 1 MiB and start it there.
 */
#define SETUP_SECTS 1
#define LOADED_HIGH 0x01

    .section .data
    .org 0x1F1
setup_sects:        .byte SETUP_SECTS
root_flags:         .word 0
syssize:            .long (payload_end - payload + 15) / 16
ram_size:           .word 0
vid_mode:           .word 0
root_dev:           .word 0
boot_flag:          .word 0xAA55
    .org 0x200
jump:               .byte 0xEB, 0x00
header:             .ascii "HdrS"
version:            .word 0x0207
realmode_swtch:     .long 0
start_sys_seg:      .word 0
kernel_version:     .word kernel_version_string - 0x200
type_of_loader:     .byte 0
loadflags:          .byte LOADED_HIGH
setup_move_size:    .word 0
code32_start:       .long 0x100000
ramdisk_image:      .long 0
ramdisk_size:       .long 0
bootsect_kludge:    .long 0
heap_end_ptr:       .word 0
ext_loader_ver:     .byte 0
ext_loader_type:    .byte 0
cmd_line_ptr:       .long 0
initrd_addr_max:    .long 0x7FFFFFFF
kernel_alignment:   .long 0x1000
relocatable_kernel: .byte 0
min_alignment:      .byte 0
xloadflags:         .word 0
cmdline_size:       .long 2047
hardware_subarch:   .long 0
hardware_subarch_data: .quad 0

/*
 * Like Linux's, the version string starts with the release, so a Launcher can pick the
 * generation from it: 4.4 is the virtio-PCI generation.
 */
kernel_version_string:
    .ascii "4.4.0-jlguest-test (", NAME, ") lguest\0"

    .org (SETUP_SECTS + 1) * 512
payload:
    .incbin PAYLOAD
payload_end:
