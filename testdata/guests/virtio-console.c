/*
 * The virtio console both ways: a line typed on the host's stdin arrives in the receive queue,
 * and the guest sends it back through the transmit queue as "echo: <line>". The console is
 * always PCI slot 1, next to the early console's emerg_wr.
 */
#include "virtio.h"

GUEST_NAME("virtio-console");

#define RECEIVE 0
#define TRANSMIT 1
#define INPUTS 4
#define INPUT_LEN 64

static struct virtio_dev console;
static struct virtq rx, tx;
static char inputs[INPUTS][INPUT_LEN];
static char line[256];
static char reply[300];

static void offer_input(u32 b)
{
    struct virtio_buf buf = { inputs[b], INPUT_LEN, 1 };
    check(virtq_add(&rx, &buf, 1) >= 0, "no room in the receive queue");
}

/* Collects input chunks until a newline; buffer b of the receive queue is descriptor b. */
static u32 read_line(void)
{
    u32 n = 0;
    for (;;) {
        u32 len;
        int b = virtq_wait(&rx, &len);
        check(b >= 0 && b < INPUTS && len <= INPUT_LEN, "a strange receive buffer");
        for (u32 i = 0; i < len; i++) {
            char c = inputs[b][i];
            if (c == '\n' || c == '\r')
                return n;
            check(n < sizeof line - 1, "the line is too long");
            line[n++] = c;
        }
        offer_input((u32)b);
        virtq_kick(&rx);
    }
}

void main(const u8 *boot_params)
{
    lguest_init();
    console_init(boot_params);
    check(virtio_find(&console, VIRTIO_ID_CONSOLE), "no virtio console");
    check(console.slot == 1, "the console is not in slot 1");
    virtq_setup(&rx, &console, RECEIVE);
    virtq_setup(&tx, &console, TRANSMIT);
    virtio_driver_ok(&console);
    for (u32 b = 0; b < INPUTS; b++)
        offer_input(b);
    virtq_kick(&rx);
    printk("type a line\n");

    u32 n = read_line();
    line[n] = 0;
    static const char prefix[] = "echo: ";
    u32 len = sizeof prefix - 1;
    memcpy(reply, prefix, len);
    memcpy(reply + len, line, n);
    len += n;
    reply[len++] = '\n';
    struct virtio_buf out = { reply, len, 0 };
    check(virtq_add(&tx, &out, 1) >= 0, "no room in the transmit queue");
    virtq_kick(&tx);
    virtq_wait(&tx, 0);
    printk("echoed %u characters\n", n);
    pass();
}
