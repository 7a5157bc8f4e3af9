/*
 * The virtio entropy device: BUFFERS writable buffers of different sizes in flight at once;
 * each must come back full, and the bytes must not all be alike.
 */
#include "virtio.h"

GUEST_NAME("virtio-rng");

#define BUFFERS 16
#define MAX_LEN 256

static struct virtio_dev rng;
static struct virtq queue;
static u8 buffers[BUFFERS][MAX_LEN];

static u32 length(u32 b)
{
    return 16 + b * 15;
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    check(virtio_find(&rng, VIRTIO_ID_RNG), "no virtio entropy device");
    virtq_setup(&queue, &rng, 0);
    virtio_driver_ok(&rng);

    for (u32 b = 0; b < BUFFERS; b++) {
        struct virtio_buf buf = { buffers[b], length(b), 1 };
        check(virtq_add(&queue, &buf, 1) == (int)b, "descriptors not handed out in order");
    }
    virtq_kick(&queue);
    u32 total = 0;
    for (u32 done = 0; done < BUFFERS; done++) {
        u32 len;
        int head = virtq_wait(&queue, &len);
        check(len == length((u32)head), "a buffer came back short");
        total += len;
    }
    u32 histogram[256] = { 0 };
    for (u32 b = 0; b < BUFFERS; b++)
        for (u32 i = 0; i < length(b); i++)
            histogram[buffers[b][i]]++;
    u32 distinct = 0;
    for (u32 v = 0; v < 256; v++)
        distinct += histogram[v] != 0;
    check(distinct > 128, "the entropy has too few distinct byte values");
    printk("rng: %u bytes in %u buffers, %u distinct values; interrupts taken: %u\n", total, BUFFERS, distinct,
            rng.interrupts);
    pass();
}
