package org.jlguest.launcher.virtio;

import java.io.IOException;
import java.io.OutputStream;

/** The console's two service loops for one activation: Guest input and Guest output. */
final class ConsoleService {
    private final ConsoleDevice device;
    private final Activation activation;
    private final DescriptorChain inputChain = new DescriptorChain();
    private final DescriptorChain outputChain = new DescriptorChain();
    private final byte[] outputBuffer = new byte[4096];
    private byte[] pending;
    private int pendingOffset;

    ConsoleService(ConsoleDevice device, Activation activation) {
        this.device = device;
        this.activation = activation;
    }

    /**
     * Moves input chunks into the Guest's receive buffers, interrupting at once for each (a typed
     * key should not wait for the next batch). A chunk larger than the buffer continues in the next.
     */
    void input() throws VirtqueueException, InterruptedException {
        QueueWorker worker = activation.queue(ConsoleDevice.INPUT_QUEUE).orElse(null);
        if (worker == null) {
            return;
        }
        while (worker.running()) {
            if (pending == null) {
                pending = device.inbox().poll();
                pendingOffset = 0;
                if (pending == null) {
                    worker.sleep();
                    continue;
                }
            }
            if (!worker.awaitChain(inputChain)) {
                return;
            }
            int n = inputChain.write(worker.memory(), 0, pending, pendingOffset, pending.length - pendingOffset);
            pendingOffset += n;
            if (pendingOffset == pending.length) {
                pending = null;
            }
            device.counters().request(n);
            worker.complete(inputChain, n);
            worker.interruptIfOwed();
        }
    }

    /** Writes every chain the Guest sends in full to the output stream. */
    void output() throws VirtqueueException, InterruptedException, IOException {
        QueueWorker worker = activation.queue(ConsoleDevice.OUTPUT_QUEUE).orElse(null);
        if (worker == null) {
            return;
        }
        OutputStream out = device.out();
        while (worker.awaitChain(outputChain)) {
            long total = outputChain.readableBytes();
            synchronized (out) {
                for (long offset = 0; offset < total; ) {
                    int n = outputChain.read(worker.memory(), offset, outputBuffer, 0, outputBuffer.length);
                    out.write(outputBuffer, 0, n);
                    offset += n;
                }
                out.flush();
            }
            device.counters().request(total);
            worker.complete(outputChain, 0);
        }
    }
}
