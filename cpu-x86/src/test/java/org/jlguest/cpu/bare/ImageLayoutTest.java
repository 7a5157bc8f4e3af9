package org.jlguest.cpu.bare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLayoutTest {
    private static final long MEG16 = 16L << 20;

    private static Image image(String name, long address, int length) {
        return new Image(name, address, new byte[length]);
    }

    @Test
    void romImagesAtEitherWindowShareTheirLowCopy() {
        Image high = image("bios.bin", 0xFFFF0000L, 0x10000);
        Image low = image("bios.bin", 0xF0000, 0x10000);
        assertTrue(ImageLayout.isRom(high));
        assertTrue(ImageLayout.isRom(low));
        assertEquals(0xF0000, ImageLayout.ramStart(high));
        assertEquals(0xF0000, ImageLayout.ramStart(low));
        assertEquals(0xF8000, ImageLayout.ramStart(image("tail.bin", 0xFFFF8000L, 0x8000)));
    }

    @Test
    void anImageStraddlingTheLowWindowIsPlainRam() {
        assertFalse(ImageLayout.isRom(image("big.bin", 0xE8000, 0x10000)));
    }

    @Test
    void theResetVectorIsCoveredOnlyByARomImageHoldingIt() {
        assertTrue(new ImageLayout(MEG16, List.of(image("a", 0xFFFFFFF0L, 16))).coversResetVector());
        assertTrue(new ImageLayout(MEG16, List.of(image("a", 0xFFFF0, 16))).coversResetVector());
        assertFalse(new ImageLayout(MEG16, List.of(image("a", 0xFFFF0000L, 0x100))).coversResetVector());
        assertFalse(new ImageLayout(MEG16, List.of(image("a", 0x100000, 0x100))).coversResetVector());
    }

    @Test
    void overlappingImagesNameBothAndTheBytes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLayout(MEG16,
                List.of(image("a.bin", 0x1000, 0x100), image("b.bin", 0x1080, 0x100))));
        assertEquals("image b.bin@0x1080 overlaps image a.bin@0x1000 in RAM at 0x1080..0x10FF", e.getMessage());
    }

    @Test
    void aRomImageOverlapsRamThatHoldsItsLowCopy() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLayout(MEG16,
                List.of(image("ram.bin", 0xF8000, 0x10), image("bios.bin", 0xFFFF8000L, 0x8000))));
        assertTrue(e.getMessage().contains("bios.bin@0xFFFF8000 overlaps image ram.bin@0xF8000"), e.getMessage());
    }

    @Test
    void anImageBeyondRamAndOutsideTheRomWindowsIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLayout(MEG16,
                List.of(image("far.bin", 0x2000000, 0x10))));
        assertTrue(e.getMessage().startsWith("image far.bin@0x2000000 ends at 0x2000010, beyond RAM end 0x1000000"),
                e.getMessage());
    }

    @Test
    void aRomImageNeedsRamForItsLowCopy() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLayout(512 << 10,
                List.of(image("bios.bin", 0xFFFF0000L, 0x10000))));
        assertTrue(e.getMessage().contains("needs at least 1M of RAM"), e.getMessage());
    }

    @Test
    void memoryMustBeWholePages() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLayout(5000, List.of()));
        assertTrue(e.getMessage().contains("0x1388"), e.getMessage());
    }

    @Test
    void anImageMayNotRunPastFourGigabytes() {
        var e = assertThrows(IllegalArgumentException.class, () -> image("x.bin", 0xFFFFFFF0L, 32));
        assertEquals("image x.bin@0xFFFFFFF0 (32 bytes) runs past the end of the 4 GiB space", e.getMessage());
    }
}
