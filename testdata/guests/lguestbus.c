/*
 * A 3.x guest's devices on the lguest bus (ABI section 11): the page of device descriptors at
 * the first byte above e820 RAM, each device started by writing its status and acked features
 * and then notifying its descriptor's address, each queue a legacy ring at the page its
 * descriptor names, kicked by notifying the ring's address.
 *
 * The guest checks that the console is the last device, as in lguest's 3.x Launcher, and writes
 * its result through the console's output ring. With a disk on the bus it first reads sector 0
 * and prints the disk's capacity and an FNV-1a checksum of the sector. It polls the used rings,
 * so it needs no interrupts. Boot it with console=notify: progress and failures go out through
 * NOTIFY strings, which work even when the virtio console does not.
 */
#include "lguest.h"

GUEST_NAME("lguestbus");

#define PAGE_SIZE 4096
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define CONSOLE_QUEUES 2
#define CONSOLE_OUTPUT_QUEUE 1
#define BLOCK_T_IN 0
#define BLOCK_S_OK 0
#define SECTOR_SIZE 512
/* How long a request may take: 5000 polls 1 ms apart. */
#define POLLS 5000
#define POLL_US 1000

struct device_desc {
    u8 type, num_vq, feature_len, config_len, status;
} __attribute__((packed));

struct vqconfig {
    u16 num, irq;
    u32 pfn;
} __attribute__((packed));

struct vring_desc {
    u64 addr;
    u32 len;
    u16 flags, next;
};

/* A legacy split ring (align 4096) as the Guest sees it, and how far the Guest has filled it. */
struct queue {
    u32 address;
    u32 num;
    volatile struct vring_desc *desc;
    volatile u16 *avail; /* flags, idx, ring[num] */
    volatile u16 *used;  /* flags, idx, then {id u32, len u32}[num] */
    u16 next_avail;
};

/* One buffer of a request: the driver's bytes (out) or the device's (in). */
struct buffer {
    const void *data;
    u32 len;
    int device_writes;
};

static u8 *bus;

static inline void barrier(void)
{
    __asm__ volatile("lock; addl $0, (%%esp)" ::: "memory");
}

static u32 desc_size(const volatile struct device_desc *d)
{
    return sizeof *d + d->num_vq * sizeof(struct vqconfig) + 2 * d->feature_len + d->config_len;
}

/* The first descriptor of the given type, and in *after whether another device follows it. */
static volatile struct device_desc *find(u8 type, int *after)
{
    for (u32 off = 0; off + sizeof(struct device_desc) <= PAGE_SIZE && bus[off]; ) {
        volatile struct device_desc *d = (volatile struct device_desc *)(bus + off);
        off += desc_size(d);
        if (d->type == type) {
            *after = off + sizeof(struct device_desc) <= PAGE_SIZE && bus[off] != 0;
            return d;
        }
    }
    return 0;
}

static volatile u8 *config(volatile struct device_desc *d)
{
    return (volatile u8 *)(d + 1) + d->num_vq * sizeof(struct vqconfig) + 2 * d->feature_len;
}

/* Acknowledges the device, acks no features and tells the Launcher, which starts the device. */
static void start(volatile struct device_desc *d)
{
    volatile u8 *acked = (volatile u8 *)(d + 1) + d->num_vq * sizeof(struct vqconfig) + d->feature_len;
    d->status = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
    for (u32 i = 0; i < d->feature_len; i++)
        acked[i] = 0;
    barrier();
    hcall(LHCALL_NOTIFY, (u32)d, 0, 0, 0);
    d->status = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK;
}

static struct queue queue_of(volatile struct device_desc *d, u32 index)
{
    const volatile struct vqconfig *vq = (const volatile struct vqconfig *)(d + 1) + index;
    struct queue q;
    q.address = vq->pfn * PAGE_SIZE;
    q.num = vq->num;
    q.desc = (volatile struct vring_desc *)q.address;
    q.avail = (volatile u16 *)(q.address + 16 * q.num);
    q.used = (volatile u16 *)(q.address + ((16 * q.num + 2 * (3 + q.num) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)));
    q.next_avail = 0;
    return q;
}

/* Chains the buffers from descriptor 0, makes them available, kicks, and waits to get them back. */
static u32 request(struct queue *q, const struct buffer *buffers, u32 count)
{
    for (u32 i = 0; i < count; i++) {
        q->desc[i].addr = (u32)buffers[i].data;
        q->desc[i].len = buffers[i].len;
        q->desc[i].flags = (i + 1 < count ? VRING_DESC_F_NEXT : 0)
                | (buffers[i].device_writes ? VRING_DESC_F_WRITE : 0);
        q->desc[i].next = i + 1;
    }
    q->avail[2 + q->next_avail % q->num] = 0;
    barrier();
    q->avail[1] = ++q->next_avail;
    barrier();
    hcall(LHCALL_NOTIFY, q->address, 0, 0, 0);
    for (int polls = 0; q->used[1] != q->next_avail; polls++) {
        check(polls < POLLS, "the device did not return the buffers within 5 seconds");
        delay_us(POLL_US);
    }
    barrier();
    const volatile u32 *element = (const volatile u32 *)(q->used + 2) + 2 * ((q->next_avail - 1) % q->num);
    check(element[0] == 0, "the used ring returned a head other than 0");
    return element[1];
}

static struct queue console_output;

/* Writes text through the virtio console. */
static void console_write(const char *text)
{
    struct buffer b = { text, strlen(text), 0 };
    request(&console_output, &b, 1);
}

static char *append(char *at, const char *s)
{
    while (*s)
        *at++ = *s++;
    *at = 0;
    return at;
}

static char *append_unsigned(char *at, u32 v, u32 base, int width)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width-- > n)
        *at++ = '0';
    while (n)
        *at++ = digits[--n];
    *at = 0;
    return at;
}

static u32 fnv1a(const u8 *data, u32 len)
{
    u32 h = 2166136261u;
    for (u32 i = 0; i < len; i++) {
        h ^= data[i];
        h *= 16777619u;
    }
    return h;
}

static struct {
    u32 type, ioprio;
    u64 sector;
} block_header;
static u8 sector[SECTOR_SIZE];
static u8 block_status;
static char line[96];

/* Reads sector 0 and reports the capacity and the sector's checksum through the console. */
static void read_first_sector(volatile struct device_desc *disk)
{
    check(disk->num_vq == 1, "the disk does not have one queue");
    check(disk->config_len >= 8, "the disk's config has no capacity");
    volatile u8 *cfg = config(disk);
    u32 capacity = cfg[0] | cfg[1] << 8 | cfg[2] << 16 | (u32)cfg[3] << 24;
    start(disk);
    struct queue requests = queue_of(disk, 0);
    block_header.type = BLOCK_T_IN;
    block_header.sector = 0;
    block_status = 0xFF;
    struct buffer b[] = {
        { &block_header, sizeof block_header, 0 },
        { sector, sizeof sector, 1 },
        { &block_status, 1, 1 },
    };
    u32 written = request(&requests, b, 3);
    check(block_status == BLOCK_S_OK, "the disk did not answer the read with OK");
    check(written >= 1, "the disk wrote nothing");
    char *at = append(line, "lguestbus: disk of ");
    at = append_unsigned(at, capacity, 10, 0);
    at = append(at, " sectors, sector 0 checksum ");
    at = append_unsigned(at, fnv1a(sector, sizeof sector), 16, 8);
    append(at, "\n");
    console_write(line);
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    bus = (u8 *)ram_size(boot_params);
    int after = 0;
    volatile struct device_desc *console = find(VIRTIO_ID_CONSOLE, &after);
    check(console != 0, "no console on the lguest bus");
    check(!after, "the console is not the last device on the bus");
    check(console->num_vq == CONSOLE_QUEUES, "the console does not have two queues");
    start(console);
    console_output = queue_of(console, CONSOLE_OUTPUT_QUEUE);
    printk("lguestbus: console at %x, output ring at %x\n", (u32)console, console_output.address);
    console_write("lguestbus: hello through the console's output ring\n");
    volatile struct device_desc *disk = find(VIRTIO_ID_BLOCK, &after);
    if (disk)
        read_first_sector(disk);
    console_write("PASS lguestbus\n");
    shutdown("PASS", LGUEST_SHUTDOWN_POWEROFF);
}
