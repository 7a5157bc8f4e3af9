package org.jlguest.launcher.virtio;

/** The entropy device's loop: each chain's writable buffers are filled completely. */
final class RngService {
    private final RngDevice device;
    private final Activation activation;
    private final DescriptorChain chain = new DescriptorChain();
    private final byte[] buffer = new byte[4096];

    RngService(RngDevice device, Activation activation) {
        this.device = device;
        this.activation = activation;
    }

    void run() throws VirtqueueException, InterruptedException {
        QueueWorker worker = activation.queue(0).orElse(null);
        if (worker == null) {
            return;
        }
        while (worker.awaitChain(chain)) {
            long total = chain.writableBytes();
            for (long done = 0; done < total; ) {
                int n = (int) Math.min(buffer.length, total - done);
                device.random().nextBytes(buffer);
                chain.write(worker.memory(), done, buffer, 0, n);
                done += n;
            }
            device.counters().request(total);
            worker.complete(chain, (int) total);
        }
    }
}
