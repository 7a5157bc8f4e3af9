package org.jlguest.launcher.boot;

import java.util.Optional;
import org.jlguest.mmu.GuestMemory;

/**
 * Loads an uncompressed {@code vmlinux} (§5.1): a 32-bit little-endian ELF executable for the
 * i386 whose PT_LOAD segments are copied to their physical addresses ({@code p_paddr}); the
 * part of each segment beyond its file bytes (BSS) stays as the zeroes fresh Guest memory holds.
 * The vCPU starts at {@code e_entry}, which for a Linux vmlinux is a physical address.
 */
final class ElfKernel {
    static final int MAGIC = 0x464C457F;
    static final int ELFCLASS32 = 1;
    static final int ELFDATA2LSB = 1;
    static final int ET_EXEC = 2;
    static final int EM_386 = 3;
    static final int PHENTSIZE = 32;
    static final int MAX_PHNUM = 2048;
    static final int PT_LOAD = 1;

    private ElfKernel() {
    }

    /** Whether {@code image} starts with the ELF magic. */
    static boolean hasMagic(byte[] image) {
        return image.length >= 4
                && (image[0] & 0xFF | (image[1] & 0xFF) << 8 | (image[2] & 0xFF) << 16 | (image[3] & 0xFF) << 24) == MAGIC;
    }

    static LoadedKernel load(byte[] image, GuestMemory memory, int ramBytes) throws KernelImageException {
        ImageBytes b = new ImageBytes(image, "ELF kernel");
        int elfClass = b.u8(4, "e_ident[EI_CLASS]");
        if (elfClass != ELFCLASS32) {
            throw new KernelImageException("ELF class " + elfClass + " is not ELFCLASS32 (1): lguest runs 32-bit kernels");
        }
        int data = b.u8(5, "e_ident[EI_DATA]");
        if (data != ELFDATA2LSB) {
            throw new KernelImageException("ELF data encoding " + data + " is not little-endian (ELFDATA2LSB, 1)");
        }
        int type = b.u16(16, "e_type");
        if (type != ET_EXEC) {
            throw new KernelImageException("ELF e_type " + type + " is not ET_EXEC (2)");
        }
        int machine = b.u16(18, "e_machine");
        if (machine != EM_386) {
            throw new KernelImageException("ELF e_machine " + machine + " is not EM_386 (3)");
        }
        long entry = b.u32(24, "e_entry");
        long phoff = b.u32(28, "e_phoff");
        int phentsize = b.u16(42, "e_phentsize");
        if (phentsize != PHENTSIZE) {
            throw new KernelImageException("ELF e_phentsize " + phentsize + " is not 32 (Elf32_Phdr)");
        }
        int phnum = b.u16(44, "e_phnum");
        if (phnum < 1 || phnum > MAX_PHNUM) {
            throw new KernelImageException("ELF e_phnum " + phnum + " is outside 1.." + MAX_PHNUM);
        }
        if (phoff + (long) phnum * PHENTSIZE > image.length) {
            throw new KernelImageException(String.format(
                    "ELF program headers (e_phoff %#x, %d entries) run past the end of the %d-byte file",
                    phoff, phnum, image.length));
        }
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHENTSIZE;
            if (b.u32(at, "p_type") != PT_LOAD) {
                continue;
            }
            long offset = b.u32(at + 4, "p_offset");
            long paddr = b.u32(at + 12, "p_paddr");
            long filesz = b.u32(at + 16, "p_filesz");
            long memsz = b.u32(at + 20, "p_memsz");
            if (offset + filesz > image.length) {
                throw new KernelImageException(String.format(
                        "ELF segment %d: p_offset %#x + p_filesz %#x runs past the end of the %d-byte file",
                        i, offset, filesz, image.length));
            }
            if (memsz < filesz) {
                throw new KernelImageException(String.format(
                        "ELF segment %d: p_memsz %#x is smaller than p_filesz %#x", i, memsz, filesz));
            }
            if (paddr + memsz > ramBytes) {
                throw new KernelImageException(String.format(
                        "ELF segment %d: p_paddr %#x + p_memsz %#x ends beyond the %d MiB of Guest memory",
                        i, paddr, memsz, ramBytes >> 20));
            }
            memory.copyIn((int) paddr, image, (int) offset, (int) filesz);
            lowest = Math.min(lowest, paddr);
            highest = Math.max(highest, paddr + memsz);
        }
        if (lowest == Long.MAX_VALUE) {
            throw new KernelImageException("ELF kernel has no PT_LOAD segment among its " + phnum + " program headers");
        }
        if (entry < lowest || entry >= highest) {
            throw new KernelImageException(String.format(
                    "ELF e_entry %#x is outside the loaded segments [%#x, %#x)", entry, lowest, highest));
        }
        return new LoadedKernel((int) entry, (int) lowest, (int) highest, Optional.empty(), KernelFormat.ELF);
    }
}
