/*
 * Console output, three ways, chosen by the kernel command line (at boot_params.cmd_line_ptr):
 *
 *   console=e9      (the default) the test console: each byte goes out with "outb %al, $0xE9".
 *                   In ring 1 that is a #GP(0), which a 4.x Host hands to the Launcher as a
 *                   trap-13 exit; the Launcher reads AL with GETREG, prints it, and steps EIP
 *                   over the two-byte instruction with SETREG. (A 3.x Host swallows it.)
 *   console=notify  3.x: LHCALL_NOTIFY with the address of a NUL-terminated line, which the
 *                   Host returns to the Launcher and the Launcher prints. 4.x kills for it.
 *   console=virtio  4.x: Linux's early console. Find the virtio console at PCI 00:01.0 by
 *                   config cycles on ports 0xCF8/0xCFC, locate its device-config and
 *                   PCI-config-access capabilities, and write each character to the console's
 *                   emerg_wr register through the access window. Needs the real Launcher.
 */
#include "lguest.h"
#include <stdarg.h>

enum backend { TEST_PORT, NOTIFY, VIRTIO };
static enum backend backend = TEST_PORT;

#define TEST_CONSOLE_PORT 0xE9

static inline void outb(u8 v, u16 port) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u32 v, u16 port) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* --- console=notify: one NOTIFY per line (or per full buffer) --- */
static char line[64];
static unsigned int line_len;

static void notify_flush(void)
{
    line[line_len] = 0;
    hcall(LHCALL_NOTIFY, (u32)line, 0, 0, 0);
    line_len = 0;
}

/* --- console=virtio: PCI type-1 configuration cycles to slot 1, function 0 --- */
#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define CONSOLE_SLOT 1
#define VIRTIO_CONSOLE_ID 0x10431AF4u
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5
/* Offsets in struct virtio_pci_cap and struct virtio_pci_cfg_cap. */
#define CAP_NEXT 1
#define CAP_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CFG_CAP_DATA 16
#define EMERG_WR 8

static u32 device_cfg_offset;
static u32 cfg_cap;

static void pci_select(u32 reg)
{
    outl(0x80000000u | (CONSOLE_SLOT << 11) | (reg & 0xFC), PCI_CONFIG_ADDRESS);
}

static u32 pci_read32(u32 reg)
{
    pci_select(reg);
    return inl(PCI_CONFIG_DATA);
}

static u8 pci_read8(u32 reg)
{
    pci_select(reg);
    return inb(PCI_CONFIG_DATA + (reg & 3));
}

static void pci_write32(u32 reg, u32 v)
{
    pci_select(reg);
    outl(v, PCI_CONFIG_DATA);
}

static void pci_write8(u32 reg, u8 v)
{
    pci_select(reg);
    outb(v, PCI_CONFIG_DATA + (reg & 3));
}

/* Finds both capabilities; on any surprise the console stays silent, as Linux's does. */
static int virtio_probe(void)
{
    u32 device_cfg = 0;
    if (pci_read32(0) != VIRTIO_CONSOLE_ID)
        return 0;
    for (u32 cap = pci_read8(0x34); cap; cap = pci_read8(cap + CAP_NEXT)) {
        u8 type = pci_read8(cap + CAP_TYPE);
        if (type == VIRTIO_PCI_CAP_DEVICE_CFG && pci_read8(cap + CAP_BAR) == 0
                && pci_read32(cap + CAP_LENGTH) >= 12) {
            device_cfg = cap;
            device_cfg_offset = pci_read32(cap + CAP_OFFSET);
        } else if (type == VIRTIO_PCI_CAP_PCI_CFG) {
            cfg_cap = cap;
        }
    }
    return device_cfg && cfg_cap;
}

/* One character: aim the access window at BAR0 + emerg_wr and write it through. */
static void virtio_putc(char c)
{
    pci_write8(cfg_cap + CAP_BAR, 0);
    pci_write32(cfg_cap + CAP_LENGTH, 4);
    pci_write32(cfg_cap + CAP_OFFSET, device_cfg_offset + EMERG_WR);
    pci_write32(cfg_cap + CFG_CAP_DATA, (u8)c);
}

static int virtio_ready;

void console_init(const u8 *boot_params)
{
    const char *cmdline = (const char *)*(const u32 *)(boot_params + BOOT_PARAMS_CMD_LINE_PTR);
    if (!cmdline)
        return;
    for (const char *p = cmdline; *p; p++) {
        if (strncmp(p, "console=notify", 14) == 0)
            backend = NOTIFY;
        else if (strncmp(p, "console=virtio", 14) == 0)
            backend = VIRTIO;
        else if (strncmp(p, "console=e9", 10) == 0)
            backend = TEST_PORT;
    }
    if (backend == VIRTIO)
        virtio_ready = virtio_probe();
}

void putc(char c)
{
    switch (backend) {
    case TEST_PORT:
        outb((u8)c, TEST_CONSOLE_PORT);
        break;
    case NOTIFY:
        line[line_len++] = c;
        if (c == '\n' || line_len == sizeof line - 1)
            notify_flush();
        break;
    case VIRTIO:
        if (virtio_ready)
            virtio_putc(c);
        break;
    }
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

static void put_unsigned(u32 v, u32 base, int width)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width-- > n)
        putc('0');
    while (n)
        putc(digits[--n]);
}

/* printf's little sibling: %s %c %u %d %x, and a zero-padded width such as %08x. */
void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc(*fmt);
            continue;
        }
        int width = 0;
        while (*++fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt - '0');
        switch (*fmt) {
        case 's': puts(va_arg(ap, const char *)); break;
        case 'c': putc((char)va_arg(ap, int)); break;
        case 'u': put_unsigned(va_arg(ap, u32), 10, width); break;
        case 'x': put_unsigned(va_arg(ap, u32), 16, width); break;
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                putc('-');
                v = -v;
            }
            put_unsigned((u32)v, 10, width);
            break;
        }
        case 0: va_end(ap); return;
        default: putc(*fmt); break;
        }
    }
    va_end(ap);
}
