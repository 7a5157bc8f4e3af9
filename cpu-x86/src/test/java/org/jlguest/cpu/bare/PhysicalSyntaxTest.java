package org.jlguest.cpu.bare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PhysicalSyntaxTest {
    @Test
    void addressesAreHexOrDecimal() {
        assertEquals(0xFFFF0000L, PhysicalSyntax.address("0xFFFF0000"));
        assertEquals(0xF0000, PhysicalSyntax.address("0Xf0000"));
        assertEquals(1048576, PhysicalSyntax.address("1048576"));
    }

    @Test
    void badAddressesSayWhatWasWrong() {
        assertEquals("address '0xZZ' is not a number (hex as 0x..., or decimal)",
                assertThrows(IllegalArgumentException.class, () -> PhysicalSyntax.address("0xZZ")).getMessage());
        assertEquals("address 0x100000000 is beyond 4 GiB",
                assertThrows(IllegalArgumentException.class, () -> PhysicalSyntax.address("0x100000000")).getMessage());
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertEquals(16L << 20, PhysicalSyntax.size("16M"));
        assertEquals(640L << 10, PhysicalSyntax.size("640k"));
        assertEquals(1L << 30, PhysicalSyntax.size("1G"));
        assertEquals(0x2000, PhysicalSyntax.size("0x2000"));
        assertThrows(IllegalArgumentException.class, () -> PhysicalSyntax.size("lots"));
    }
}
