package org.jlguest.launcher.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One build of the workload (raw image or executable) as bytes. The round count is a
 * little-endian 32-bit word right after the 16-byte marker {@code "jlguest-rounds:\0"}
 * ({@code struct bench_parameters} in {@code testdata/bench/workload.h}); every build holds the
 * marker exactly once, so one image serves any count once that word is patched.
 */
public record WorkloadImage(String name, byte[] bytes) {
    private static final byte[] MARKER = "jlguest-rounds:\0".getBytes(StandardCharsets.US_ASCII);

    public WorkloadImage {
        bytes = bytes.clone();
        roundsOffset(name, bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The round count the image holds. */
    public int rounds() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(roundsOffset(name, bytes));
    }

    /** A copy that runs {@code rounds} rounds. */
    public WorkloadImage withRounds(int rounds) {
        if (rounds <= 0) {
            throw new IllegalArgumentException("rounds " + rounds + " must be positive");
        }
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(roundsOffset(name, copy), rounds);
        return new WorkloadImage(name, copy);
    }

    private static int roundsOffset(String name, byte[] bytes) {
        int first = find(bytes, 0);
        if (first < 0 || first + MARKER.length + Integer.BYTES > bytes.length) {
            throw new IllegalArgumentException(name + " has no round count (no \"jlguest-rounds:\" marker)");
        }
        if (find(bytes, first + 1) >= 0) {
            throw new IllegalArgumentException(name + " holds the \"jlguest-rounds:\" marker twice");
        }
        return first + MARKER.length;
    }

    private static int find(byte[] bytes, int from) {
        for (int i = from; i + MARKER.length <= bytes.length; i++) {
            if (bytes[i] == MARKER[0] && Arrays.equals(bytes, i, i + MARKER.length, MARKER, 0, MARKER.length)) {
                return i;
            }
        }
        return -1;
    }
}
