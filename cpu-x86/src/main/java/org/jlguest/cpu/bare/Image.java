package org.jlguest.cpu.bare;

/**
 * A raw image to place in the machine: its bytes, copied verbatim to {@code address} (an unsigned
 * 32-bit physical address held in a long). {@code name} is how errors refer to it, usually the
 * file name.
 */
public record Image(String name, long address, byte[] bytes) {
    public Image {
        if (address < 0 || address > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(String.format("image %s@0x%X: address is beyond 4 GiB", name, address));
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(String.format("image %s@0x%X is empty", name, address));
        }
        if (address + bytes.length > ImageLayout.FOUR_GIB) {
            throw new IllegalArgumentException(String.format("image %s@0x%X (%d bytes) runs past the end of the 4 GiB space",
                    name, address, bytes.length));
        }
    }

    /** The first address after the image. */
    public long end() {
        return address + bytes.length;
    }

    /** How errors name it: {@code rom.bin@0xF0000}. */
    public String label() {
        return String.format("%s@0x%X", name, address);
    }
}
