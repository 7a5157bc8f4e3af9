package org.jlguest.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkloadImageTest {
    private static final byte[] MARKER = "jlguest-rounds:\0".getBytes(StandardCharsets.US_ASCII);

    private static byte[] image(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final byte[] CODE = {(byte) 0xEB, 0x10, (byte) 0x90, (byte) 0x90};
    private static final byte[] ROUNDS_256 = {0, 1, 0, 0};

    @Test
    void readsTheCountAfterTheMarker() {
        assertEquals(256, new WorkloadImage("w", image(CODE, MARKER, ROUNDS_256, CODE)).rounds());
    }

    @Test
    void patchesOnlyTheCountLittleEndian() {
        byte[] original = image(CODE, MARKER, ROUNDS_256, CODE);
        WorkloadImage patched = new WorkloadImage("w", original).withRounds(0x01020304);
        byte[] bytes = patched.bytes();
        int at = CODE.length + MARKER.length;
        assertArrayEquals(new byte[] {4, 3, 2, 1}, Arrays.copyOfRange(bytes, at, at + 4));
        assertArrayEquals(Arrays.copyOf(original, at), Arrays.copyOf(bytes, at));
        assertArrayEquals(Arrays.copyOfRange(original, at + 4, original.length), Arrays.copyOfRange(bytes, at + 4, bytes.length));
        assertEquals(0x01020304, patched.rounds());
        assertEquals(256, new WorkloadImage("w", original).rounds(), "the original is left alone");
    }

    @Test
    void refusesAnImageWithoutTheMarker() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WorkloadImage("x.bin", CODE));
        assertTrue(e.getMessage().contains("x.bin has no round count"), e.getMessage());
    }

    @Test
    void refusesAMarkerWithNoRoomForTheCount() {
        assertThrows(IllegalArgumentException.class, () -> new WorkloadImage("w", image(CODE, MARKER, new byte[] {1, 0})));
    }

    @Test
    void refusesTwoMarkers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorkloadImage("w", image(MARKER, ROUNDS_256, MARKER, ROUNDS_256)));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void refusesNonPositiveCounts() {
        WorkloadImage w = new WorkloadImage("w", image(MARKER, ROUNDS_256));
        assertThrows(IllegalArgumentException.class, () -> w.withRounds(0));
        assertThrows(IllegalArgumentException.class, () -> w.withRounds(-1));
    }
}
