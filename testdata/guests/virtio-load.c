/*
 * A load in three phases of "seconds=N" seconds each (default 5), by the TSC, for watching
 * jlguest's metrics move: compute (integer work, no exits), disk (32 sector writes in flight, a
 * flush, the 32 sectors read back and checked, over and over) and idle (a 2 ms timer tick,
 * halting between ticks, 64 bytes of entropy per tick). Needs vda (at least 32 sectors; the
 * first 32 are overwritten) and rng.
 */
#include "virtio.h"

GUEST_NAME("virtio-load");

#define SECTOR 512
#define BATCH 32
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define TICK_NS 2000000
#define ENTROPY 64

struct header {
    u32 type;
    u32 ioprio;
    u64 sector;
};

static struct virtio_dev disk, rng;
static struct virtq disk_queue, rng_queue;
static struct header headers[BATCH];
static u8 statuses[BATCH];
static u8 data[BATCH][SECTOR];
static u8 entropy[ENTROPY];
static volatile u32 ticks;

static u32 seconds(const u8 *boot_params)
{
    const char *cmdline = (const char *)*(const u32 *)(boot_params + BOOT_PARAMS_CMD_LINE_PTR);
    for (const char *p = cmdline; p && *p; p++)
        if (strncmp(p, "seconds=", 8) == 0) {
            u32 n = 0;
            for (p += 8; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (u32)(*p - '0');
            return n;
        }
    return 5;
}

static u64 deadline(u32 s)
{
    return rdtsc() + (u64)s * lguest_data.tsc_khz * 1000;
}

static u32 compute(u64 end)
{
    u32 rounds = 0, x = 1;
    while (rdtsc() < end) {
        for (u32 i = 0; i < 100000; i++)
            x = x * 1103515245u + 12345u + (x >> 7);
        rounds++;
    }
    check(x != 0 || rounds == 0, "the generator reached zero");
    return rounds;
}

static void block_batch(u32 type)
{
    for (u32 r = 0; r < BATCH; r++) {
        headers[r] = (struct header){ .type = type, .sector = r };
        statuses[r] = 0xFF;
        struct virtio_buf bufs[3] = {
            { &headers[r], sizeof headers[r], 0 },
            { data[r], SECTOR, type == T_IN },
            { &statuses[r], 1, 1 },
        };
        check(virtq_add(&disk_queue, bufs, 3) >= 0, "the disk queue is full");
    }
    virtq_kick(&disk_queue);
    for (u32 done = 0; done < BATCH; done++)
        virtq_wait(&disk_queue, 0);
    for (u32 r = 0; r < BATCH; r++)
        check(statuses[r] == 0, "a disk request failed");
}

static void flush(void)
{
    headers[0] = (struct header){ .type = T_FLUSH };
    statuses[0] = 0xFF;
    struct virtio_buf bufs[2] = { { &headers[0], sizeof headers[0], 0 }, { &statuses[0], 1, 1 } };
    check(virtq_add(&disk_queue, bufs, 2) >= 0, "the disk queue is full");
    virtq_kick(&disk_queue);
    virtq_wait(&disk_queue, 0);
    check(statuses[0] == 0, "a flush failed");
}

static u32 disk_load(u64 end)
{
    u32 rounds = 0;
    while (rdtsc() < end) {
        for (u32 r = 0; r < BATCH; r++)
            memset(data[r], (int)(rounds + r), SECTOR);
        block_batch(T_OUT);
        flush();
        memset(data, 0, sizeof data);
        block_batch(T_IN);
        for (u32 r = 0; r < BATCH; r++)
            check(data[r][0] == (u8)(rounds + r) && data[r][SECTOR - 1] == (u8)(rounds + r), "a sector read back differs");
        rounds++;
    }
    return rounds;
}

static void tick(struct trap_frame *frame)
{
    ticks++;
    (void)frame;
}

static u32 idle(u64 end)
{
    u32 requests = 0;
    while (rdtsc() < end) {
        struct virtio_buf buf = { entropy, ENTROPY, 1 };
        check(virtq_add(&rng_queue, &buf, 1) >= 0, "the rng queue is full");
        virtq_kick(&rng_queue);
        virtq_wait(&rng_queue, 0);
        requests++;
        u32 before = ticks;
        irq_disable();
        set_clockevent(TICK_NS);
        while (ticks == before) {
            halt();
            irq_disable();
        }
        irq_enable();
    }
    return requests;
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    check(virtio_find(&disk, VIRTIO_ID_BLOCK), "no virtio block device");
    virtq_setup(&disk_queue, &disk, 0);
    virtio_driver_ok(&disk);
    check(virtio_find(&rng, VIRTIO_ID_RNG), "no virtio entropy device");
    virtq_setup(&rng_queue, &rng, 0);
    virtio_driver_ok(&rng);
    trap_install(FIRST_EXTERNAL_VECTOR, tick, INTERRUPT_GATE, 1);
    irq_unmask(0);

    u32 s = seconds(boot_params);
    printk("compute: %u rounds\n", compute(deadline(s)));
    printk("disk: %u rounds of %u writes, a flush and %u reads\n", disk_load(deadline(s)), BATCH, BATCH);
    u32 requests = idle(deadline(s));
    printk("idle: %u ticks, %u entropy requests\n", ticks, requests);
    pass();
}
