package org.jlguest.launcher.pci;

/** A function's BAR0 registers addressed by offset, as the PCI-config-access window reaches them. */
interface RegisterBlock {
    /** Bytes of the block. */
    int size();

    int readRegister(int offset, int size);

    void writeRegister(int offset, int size, int value);
}
