/*
 * A minimal virtio 1.0 PCI driver for test guests (virtio.c): find a device on bus 0 by its
 * virtio type, negotiate VERSION_1 and nothing else, set up split virtqueues in .bss, and
 * exchange buffers with the Host's device, completion by interrupt.
 *
 * Device registers live in BAR0 above RAM; in linear mode every access is a page fault the
 * Launcher finishes (trap 14), so they are made with plain 8-, 16- and 32-bit mov instructions,
 * the only forms it emulates.
 */
#ifndef JLGUEST_VIRTIO_H
#define JLGUEST_VIRTIO_H

#include "lguest.h"

#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4

/* The queue size every SDK queue uses: the Host's default, so it is never written. */
#define VQ_SIZE 256

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vring_desc {
    u64 addr;
    u32 len;
    u16 flags;
    u16 next;
};

struct vring_avail {
    u16 flags;
    u16 idx;
    u16 ring[VQ_SIZE];
    u16 used_event;
};

struct vring_used_elem {
    u32 id;
    u32 len;
};

struct vring_used {
    u16 flags;
    u16 idx;
    struct vring_used_elem ring[VQ_SIZE];
    u16 avail_event;
};

/* One PCI function: where its registers are and which interrupt line it raises. */
struct virtio_dev {
    u32 slot;
    u32 common;   /* guest-physical address of the common configuration */
    u32 notify;   /* the notify register (one for all queues: multiplier 0) */
    u32 isr;
    u32 config;   /* device-specific configuration, 0 if the device has none */
    u32 irq;
    volatile u32 interrupts; /* interrupts taken, counted by the SDK's handler */
};

/* A split virtqueue; the rings are aligned as virtio 1.0 asks (16, 2 and 4 bytes). */
struct virtq {
    struct vring_desc desc[VQ_SIZE] __attribute__((aligned(16)));
    struct vring_avail avail __attribute__((aligned(2)));
    struct vring_used used __attribute__((aligned(4)));
    struct virtio_dev *dev;
    u16 index;
    u16 free_head;
    u16 num_free;
    u16 last_used;
    u16 chain_len[VQ_SIZE]; /* descriptors in the chain headed at each index */
};

/* One buffer of a request: the device reads it, or writes it if writable. */
struct virtio_buf {
    const void *addr;
    u32 len;
    int writable;
};

/*
 * Finds the first function of virtio type `type` on bus 0, resets it and negotiates
 * (ACKNOWLEDGE, DRIVER, VERSION_1 only, FEATURES_OK read back). 0 if there is none.
 */
int virtio_find(struct virtio_dev *dev, u32 type);
/* Enables queue `index` of dev with the rings in q (before virtio_driver_ok). */
void virtq_setup(struct virtq *q, struct virtio_dev *dev, u16 index);
/* Installs the interrupt handler for dev's line and sets DRIVER_OK: the device starts. */
void virtio_driver_ok(struct virtio_dev *dev);
/* The device status byte (bit 0x40: the device needs a reset). */
u8 virtio_status(struct virtio_dev *dev);

/* Device configuration, little-endian fields at `offset`. */
u32 virtio_config32(struct virtio_dev *dev, u32 offset);

/*
 * Makes bufs[0..n) one chain and offers it to the device without notifying it; the device's
 * buffers must come after the ones it reads. Returns the chain's head, or -1 if the queue has
 * fewer than n free descriptors.
 */
int virtq_add(struct virtq *q, const struct virtio_buf *bufs, u32 n);
/* Tells the device there are new buffers. */
void virtq_kick(struct virtq *q);
/* The next chain the device has finished (its head; *len: bytes it wrote), or -1 if none yet. */
int virtq_get(struct virtq *q, u32 *len);
/* Like virtq_get, but halts until a chain is finished (woken by the device's interrupt). */
int virtq_wait(struct virtq *q, u32 *len);

#endif
