package org.jlguest.mmu;

/** Told when the guest writes to a frame that holds decoded code, so stale decodes are dropped. */
@FunctionalInterface
public interface CodeWriteListener {
    void codeWritten(int frame);
}
