/*
 * The virtio 1.0 PCI transport from the driver's side, just enough for test guests: PCI
 * configuration cycles to find a function and its capabilities, the status handshake, split
 * virtqueues, and an interrupt handler that reads (and so clears) the ISR.
 */
#include "virtio.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_SLOTS 32
#define VIRTIO_VENDOR 0x1AF4u
#define VIRTIO_DEVICE_BASE 0x1040u

/* struct virtio_pci_cap and its cfg_type values. */
#define CAP_VENDOR 0x09
#define CAP_NEXT 1
#define CAP_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4
#define NOTIFY_MULTIPLIER 16

/* struct virtio_pci_common_cfg. */
#define DEVICE_FEATURE_SELECT 0
#define DEVICE_FEATURE 4
#define DRIVER_FEATURE_SELECT 8
#define DRIVER_FEATURE 12
#define DEVICE_STATUS 20
#define QUEUE_SELECT 22
#define QUEUE_SIZE 24
#define QUEUE_ENABLE 28
#define QUEUE_DESC 32
#define QUEUE_AVAIL 40
#define QUEUE_USED 48

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
/* VIRTIO_F_VERSION_1 is feature bit 32: bit 0 of the second word. */
#define VERSION_1_HIGH 1

static inline void outl(u32 v, u16 port) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static u32 pci_read32(u32 slot, u32 reg)
{
    outl(0x80000000u | (slot << 11) | (reg & 0xFC), PCI_CONFIG_ADDRESS);
    return inl(PCI_CONFIG_DATA);
}

static u8 pci_read8(u32 slot, u32 reg)
{
    return (u8)(pci_read32(slot, reg) >> (8 * (reg & 3)));
}

static inline u8 mmio_read8(u32 addr)
{
    u8 v;
    __asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(addr) : "memory");
    return v;
}

static inline u16 mmio_read16(u32 addr)
{
    u16 v;
    __asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline u32 mmio_read32(u32 addr)
{
    u32 v;
    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

static inline void mmio_write8(u32 addr, u8 v)
{
    __asm__ volatile("movb %0, (%1)" : : "q"(v), "r"(addr) : "memory");
}

static inline void mmio_write16(u32 addr, u16 v)
{
    __asm__ volatile("movw %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

static inline void mmio_write32(u32 addr, u32 v)
{
    __asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

/* The device each interrupt line belongs to, for the shared handler. */
static struct virtio_dev *by_line[LGUEST_IRQS];

static void interrupt(struct trap_frame *frame)
{
    struct virtio_dev *dev = by_line[frame->vector - FIRST_EXTERNAL_VECTOR];
    if (!dev)
        fail("interrupt on a line no device owns");
    mmio_read8(dev->isr);
    dev->interrupts++;
}

/* Reads the vendor capabilities: every structure must be in BAR0. */
static int find_structures(struct virtio_dev *dev, u32 bar)
{
    for (u32 cap = pci_read8(dev->slot, 0x34); cap; cap = pci_read8(dev->slot, cap + CAP_NEXT)) {
        if (pci_read8(dev->slot, cap) != CAP_VENDOR || pci_read8(dev->slot, cap + CAP_BAR) != 0)
            continue;
        u32 at = bar + pci_read32(dev->slot, cap + CAP_OFFSET);
        switch (pci_read8(dev->slot, cap + CAP_TYPE)) {
        case CAP_COMMON: dev->common = at; break;
        case CAP_NOTIFY:
            check(pci_read32(dev->slot, cap + NOTIFY_MULTIPLIER) == 0, "a notify multiplier the SDK does not handle");
            dev->notify = at;
            break;
        case CAP_ISR: dev->isr = at; break;
        case CAP_DEVICE: dev->config = at; break;
        }
    }
    return dev->common && dev->notify && dev->isr;
}

static void add_status(struct virtio_dev *dev, u8 bit)
{
    mmio_write8(dev->common + DEVICE_STATUS, mmio_read8(dev->common + DEVICE_STATUS) | bit);
}

int virtio_find(struct virtio_dev *dev, u32 type)
{
    memset(dev, 0, sizeof *dev);
    for (u32 slot = 1; slot < PCI_SLOTS; slot++) {
        if (pci_read32(slot, 0) == (VIRTIO_VENDOR | (VIRTIO_DEVICE_BASE + type) << 16)) {
            dev->slot = slot;
            break;
        }
    }
    if (!dev->slot)
        return 0;
    check(find_structures(dev, pci_read32(dev->slot, 0x10) & ~0xFu), "a virtio function without its structures");
    dev->irq = pci_read8(dev->slot, 0x3C);
    check(dev->irq > 0 && dev->irq <= 8, "an interrupt line the SDK has no stub for");

    mmio_write8(dev->common + DEVICE_STATUS, 0);
    add_status(dev, STATUS_ACKNOWLEDGE);
    add_status(dev, STATUS_DRIVER);
    mmio_write32(dev->common + DEVICE_FEATURE_SELECT, 1);
    check(mmio_read32(dev->common + DEVICE_FEATURE) & VERSION_1_HIGH, "the device does not offer VERSION_1");
    mmio_write32(dev->common + DRIVER_FEATURE_SELECT, 0);
    mmio_write32(dev->common + DRIVER_FEATURE, 0);
    mmio_write32(dev->common + DRIVER_FEATURE_SELECT, 1);
    mmio_write32(dev->common + DRIVER_FEATURE, VERSION_1_HIGH);
    add_status(dev, STATUS_FEATURES_OK);
    check(mmio_read8(dev->common + DEVICE_STATUS) & STATUS_FEATURES_OK, "the device refused our features");
    return 1;
}

void virtq_setup(struct virtq *q, struct virtio_dev *dev, u16 index)
{
    memset(q, 0, sizeof *q);
    q->dev = dev;
    q->index = index;
    q->num_free = VQ_SIZE;
    for (u32 i = 0; i < VQ_SIZE - 1; i++)
        q->desc[i].next = (u16)(i + 1);
    mmio_write16(dev->common + QUEUE_SELECT, index);
    check(mmio_read16(dev->common + QUEUE_SIZE) == VQ_SIZE, "the queue is not of the default size");
    mmio_write32(dev->common + QUEUE_DESC, (u32)q->desc);
    mmio_write32(dev->common + QUEUE_DESC + 4, 0);
    mmio_write32(dev->common + QUEUE_AVAIL, (u32)&q->avail);
    mmio_write32(dev->common + QUEUE_AVAIL + 4, 0);
    mmio_write32(dev->common + QUEUE_USED, (u32)&q->used);
    mmio_write32(dev->common + QUEUE_USED + 4, 0);
    mmio_write16(dev->common + QUEUE_ENABLE, 1);
}

void virtio_driver_ok(struct virtio_dev *dev)
{
    by_line[dev->irq] = dev;
    trap_install(FIRST_EXTERNAL_VECTOR + dev->irq, interrupt, INTERRUPT_GATE, 1);
    irq_unmask(dev->irq);
    add_status(dev, STATUS_DRIVER_OK);
}

u8 virtio_status(struct virtio_dev *dev)
{
    return mmio_read8(dev->common + DEVICE_STATUS);
}

u32 virtio_config32(struct virtio_dev *dev, u32 offset)
{
    return mmio_read32(dev->config + offset);
}

int virtq_add(struct virtq *q, const struct virtio_buf *bufs, u32 n)
{
    if (n == 0 || q->num_free < n)
        return -1;
    u16 head = q->free_head;
    u16 at = head;
    for (u32 i = 0; i < n; i++) {
        struct vring_desc *d = &q->desc[at];
        d->addr = (u32)bufs[i].addr;
        d->len = bufs[i].len;
        d->flags = (bufs[i].writable ? VRING_DESC_F_WRITE : 0) | (i + 1 < n ? VRING_DESC_F_NEXT : 0);
        if (i + 1 < n)
            at = d->next;
    }
    q->free_head = q->desc[at].next;
    q->num_free -= n;
    q->chain_len[head] = (u16)n;
    q->avail.ring[q->avail.idx % VQ_SIZE] = head;
    /* The chain must be in memory before the device can see the new index. */
    __asm__ volatile("" ::: "memory");
    q->avail.idx++;
    return head;
}

void virtq_kick(struct virtq *q)
{
    __asm__ volatile("" ::: "memory");
    mmio_write16(q->dev->notify, q->index);
}

int virtq_get(struct virtq *q, u32 *len)
{
    volatile u16 *used_idx = &q->used.idx;
    if (*used_idx == q->last_used)
        return -1;
    __asm__ volatile("" ::: "memory");
    struct vring_used_elem *e = &q->used.ring[q->last_used % VQ_SIZE];
    u16 head = (u16)e->id;
    check(head < VQ_SIZE && q->chain_len[head], "the device returned a chain it was not given");
    if (len)
        *len = e->len;
    /* Put the chain back on the free list. */
    u16 tail = head;
    for (u32 i = 1; i < q->chain_len[head]; i++)
        tail = q->desc[tail].next;
    q->desc[tail].next = q->free_head;
    q->free_head = head;
    q->num_free += q->chain_len[head];
    q->chain_len[head] = 0;
    q->last_used++;
    return head;
}

/*
 * As Linux idles: test with the virtual IF off, and halt if there is nothing; the Host wakes us
 * with the IF on and the device's interrupt delivered (or at once, if it is already pending).
 */
int virtq_wait(struct virtq *q, u32 *len)
{
    for (;;) {
        irq_disable();
        int head = virtq_get(q, len);
        if (head >= 0) {
            irq_enable();
            return head;
        }
        halt();
    }
}
