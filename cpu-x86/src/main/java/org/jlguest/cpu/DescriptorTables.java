package org.jlguest.cpu;

/**
 * Reading descriptors from the GDT or the LDT a selector names (TI, bit 2), and the accessed and
 * busy bits the processor writes back into them. Table accesses are implicit supervisor accesses.
 */
final class DescriptorTables {
    private DescriptorTables() {
    }

    /** Whether the selector's descriptor lies within its table's limit (an LDT must be loaded). */
    static boolean contains(Cpu cpu, int selector) {
        HostDescriptorTable host = cpu.hostGdt;
        if (host != null && (selector & 4) == 0) {
            return (selector >>> 3) < host.entries();
        }
        SystemRegisters s = cpu.sys;
        int limit;
        if ((selector & 4) != 0) {
            if ((s.ldtSelector & 0xFFFC) == 0) {
                return false;
            }
            limit = s.ldtLimit;
        } else {
            limit = s.gdtLimit;
        }
        return Integer.compareUnsigned(selector | 7, limit) <= 0;
    }

    /** The descriptor's linear address. */
    static int address(Cpu cpu, int selector) {
        return ((selector & 4) != 0 ? cpu.sys.ldtBase : cpu.sys.gdtBase) + (selector & 0xFFF8);
    }

    /** Reads the descriptor; the caller has checked {@link #contains}. */
    static long read(Cpu cpu, int selector) {
        HostDescriptorTable host = cpu.hostGdt;
        if (host != null && (selector & 4) == 0) {
            return host.read((selector & 0xFFFF) >>> 3);
        }
        int at = address(cpu, selector);
        return Integer.toUnsignedLong(cpu.readSystem32(at)) | (long) cpu.readSystem32(at + 4) << 32;
    }

    /**
     * Reads the descriptor of a non-null selector, or raises {@code vector} with the selector's
     * index, TI and the EXT bit as error code when it lies beyond its table.
     */
    static long fetch(Cpu cpu, int selector, int vector, int ext) {
        if (!contains(cpu, selector)) {
            throw cpu.fault.raise(vector, (selector & 0xFFFC) | ext);
        }
        return read(cpu, selector);
    }

    /** Sets the accessed bit in a segment descriptor, as loading it into a segment register does. */
    static long markAccessed(Cpu cpu, int selector, long d) {
        int high = Descriptor.high(d);
        if ((high & 0x100) != 0) {
            return d;
        }
        writeHigh(cpu, selector, d, high | 0x100);
        return d | 0x100L << 32;
    }

    /** Marks a TSS descriptor busy, as LTR does. */
    static void markBusy(Cpu cpu, int selector, long d) {
        writeHigh(cpu, selector, d, Descriptor.high(d) | 0x200);
    }

    private static void writeHigh(Cpu cpu, int selector, long d, int high) {
        HostDescriptorTable host = cpu.hostGdt;
        if (host != null && (selector & 4) == 0) {
            host.write((selector & 0xFFFF) >>> 3, (d & 0xFFFFFFFFL) | (long) high << 32);
        } else {
            cpu.writeSystem(address(cpu, selector) + 4, 2, high);
        }
    }
}
