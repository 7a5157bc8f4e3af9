/*
 * The virtio block device end to end: the disk's capacity, its ID, a sector the host wrote,
 * then REQUESTS writes in flight at once (each its own three-descriptor chain, one notify for
 * all of them), a FLUSH, and the same sectors read back, again all in flight; every completion
 * comes by interrupt. The host checks the written sectors in its file afterwards.
 *
 * The disk (vda) must have at least MARKER_SECTOR + 1 sectors, the marker text at the start of
 * sector MARKER_SECTOR. With "hold" on the command line the guest stops after the flush: it
 * prints "flushed" and halts for good, so the host can kill it and look at the file.
 *
 * Sector s of the written range holds byte (s * 7 + i * 13 + 1) & 0xFF at offset i.
 */
#include "virtio.h"

GUEST_NAME("virtio-blk");

#define SECTOR 512
#define REQUESTS 64
#define FIRST_SECTOR 8
#define MARKER_SECTOR 100
#define MARKER "jlguest disk marker"

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define S_OK 0

struct header {
    u32 type;
    u32 ioprio;
    u64 sector;
};

static struct virtio_dev disk;
static struct virtq queue;
static struct header headers[REQUESTS];
static u8 statuses[REQUESTS];
static u8 data[REQUESTS][SECTOR];

static u8 pattern(u32 sector, u32 i)
{
    return (u8)(sector * 7 + i * 13 + 1);
}

/* Offers request r (its header, buf and status) without notifying the device. */
static void add(u32 r, u32 type, u64 sector, void *buf, u32 len, int device_writes)
{
    headers[r] = (struct header){ .type = type, .sector = sector };
    statuses[r] = 0xFF;
    struct virtio_buf bufs[3] = {
        { &headers[r], sizeof headers[r], 0 },
        { buf, len, device_writes },
        { &statuses[r], 1, 1 },
    };
    struct virtio_buf flush[2] = { bufs[0], bufs[2] };
    int head = len ? virtq_add(&queue, bufs, 3) : virtq_add(&queue, flush, 2);
    check(head >= 0, "the queue is full");
}

/* Waits for n requests, whichever order they finish in, and checks their status bytes. */
static void complete(u32 n, const char *what)
{
    for (u32 done = 0; done < n; done++)
        virtq_wait(&queue, 0);
    for (u32 r = 0; r < n; r++)
        if (statuses[r] != S_OK) {
            printk("%s: request %u status %u\n", what, r, statuses[r]);
            fail("a request failed");
        }
}

static void one(u32 type, u64 sector, void *buf, u32 len, int device_writes, const char *what)
{
    add(0, type, sector, buf, len, device_writes);
    virtq_kick(&queue);
    complete(1, what);
}

static int held(const u8 *boot_params)
{
    const char *cmdline = (const char *)*(const u32 *)(boot_params + BOOT_PARAMS_CMD_LINE_PTR);
    for (const char *p = cmdline; p && *p; p++)
        if (strncmp(p, "hold", 4) == 0)
            return 1;
    return 0;
}

static void write_all(void)
{
    for (u32 r = 0; r < REQUESTS; r++) {
        for (u32 i = 0; i < SECTOR; i++)
            data[r][i] = pattern(FIRST_SECTOR + r, i);
        add(r, T_OUT, FIRST_SECTOR + r, data[r], SECTOR, 0);
    }
    u32 before = disk.interrupts;
    virtq_kick(&queue);
    complete(REQUESTS, "write");
    /*
     * The device may finish every request before we look, so its interrupt can still be on its
     * way: the Host delivers it at our next exit. Wait for it as Linux idles, halting with the
     * virtual IF off.
     */
    for (;;) {
        irq_disable();
        if (disk.interrupts != before)
            break;
        halt();
    }
    irq_enable();
    printk("wrote %u sectors from %u, all in flight; interrupts taken: %u\n", REQUESTS, FIRST_SECTOR,
            disk.interrupts - before);
}

static void read_all(void)
{
    memset(data, 0, sizeof data);
    for (u32 r = 0; r < REQUESTS; r++)
        add(r, T_IN, FIRST_SECTOR + r, data[r], SECTOR, 1);
    virtq_kick(&queue);
    complete(REQUESTS, "read");
    for (u32 r = 0; r < REQUESTS; r++)
        for (u32 i = 0; i < SECTOR; i++)
            if (data[r][i] != pattern(FIRST_SECTOR + r, i)) {
                printk("sector %u byte %u is %x\n", FIRST_SECTOR + r, i, data[r][i]);
                fail("a sector read back differs");
            }
    printk("read back %u sectors\n", REQUESTS);
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    check(virtio_find(&disk, VIRTIO_ID_BLOCK), "no virtio block device");
    virtq_setup(&queue, &disk, 0);
    virtio_driver_ok(&disk);
    u32 capacity = virtio_config32(&disk, 0);
    check(virtio_config32(&disk, 4) == 0 && capacity > MARKER_SECTOR, "the disk is too small");
    printk("vda: %u sectors, slot %u, irq %u\n", capacity, disk.slot, disk.irq);

    static char id[20];
    one(T_GET_ID, 0, id, sizeof id, 1, "get id");
    check(strncmp(id, "vda", 4) == 0, "GET_ID is not vda");

    static char marker[SECTOR];
    one(T_IN, MARKER_SECTOR, marker, SECTOR, 1, "marker");
    check(strncmp(marker, MARKER, sizeof MARKER) == 0, "the host's marker is not in sector 100");
    printk("read the host's marker: %s\n", marker);

    write_all();
    one(T_FLUSH, 0, 0, 0, 0, "flush");
    printk("flushed\n");
    if (held(boot_params)) {
        irq_disable();
        for (;;)
            halt();
    }
    read_all();
    check(!(virtio_status(&disk) & 0x40), "the device needs a reset");
    pass();
}
