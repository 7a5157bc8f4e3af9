package org.jlguest.cpu.bare;

import java.util.Locale;

/**
 * The spelling of physical addresses and memory sizes on a command line: addresses in hex
 * ({@code 0xF0000}) or decimal, sizes in bytes with an optional K, M or G suffix (binary units).
 */
public final class PhysicalSyntax {
    private PhysicalSyntax() {
    }

    /** An unsigned 32-bit physical address. */
    public static long address(String text) {
        long value = number(text, "address");
        if (value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("address " + text + " is beyond 4 GiB");
        }
        return value;
    }

    /** A size such as {@code 16M}, {@code 640K} or {@code 1048576}. */
    public static long size(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1);
        }
        long value;
        try {
            value = number(t, "size");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("size '" + text + "' is not a number (optionally with K, M or G)");
        }
        if (value > (Long.MAX_VALUE >> 30)) {
            throw new IllegalArgumentException("size " + text + " is too large");
        }
        return value * unit;
    }

    private static long number(String text, String what) {
        String t = text.trim();
        try {
            long value = t.regionMatches(true, 0, "0x", 0, 2)
                    ? Long.parseLong(t.substring(2), 16)
                    : Long.parseLong(t);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number (hex as 0x..., or decimal)");
        }
    }
}
