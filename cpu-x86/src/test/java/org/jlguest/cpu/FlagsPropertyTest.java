package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The lazy flags engine against a reference written the obvious way: each flag computed from the
 * operation done again in 64-bit arithmetic, unsigned for CF and signed for OF.
 */
class FlagsPropertyTest {
    enum Operation { ADD, ADC, SUB, SBB, AND, OR, XOR, INC, DEC, NEG }

    @Property(tries = 20_000)
    void lazyFlagsMatchTheReference(@ForAll Operation operation, @ForAll @IntRange(min = 0, max = 2) int size,
            @ForAll int a, @ForAll int b, @ForAll int before) {
        Flags flags = new Flags();
        flags.setEflags(before);
        int others = flags.eflags() & ~Flags.ARITHMETIC;
        int carry = flags.cf() ? 1 : 0;
        record(flags, operation, size, a, b, carry);

        int expected = reference(operation, size, a, b, carry);
        assertEquals(expected, flags.eflags() & Flags.ARITHMETIC, "arithmetic flags");
        assertEquals(others, flags.eflags() & ~Flags.ARITHMETIC, "other flags");
        for (int cc = 0; cc < 16; cc++) {
            assertEquals(Conditions.holds(cc, expected), flags.condition(cc), "condition " + cc);
        }
        flags.materialize();
        assertEquals(expected, flags.eflags() & Flags.ARITHMETIC, "after materialize");
    }

    /** What {@link Alu} does for each operation. */
    private static void record(Flags flags, Operation operation, int size, int a, int b, int carry) {
        switch (operation) {
            case ADD -> flags.set(Flags.ADD, size, a + b, a, b);
            case ADC -> flags.setWithCarry(Flags.ADC, size, a + b + carry, a, b, carry);
            case SUB -> flags.set(Flags.SUB, size, a - b, a, b);
            case SBB -> flags.setWithCarry(Flags.SBB, size, a - b - carry, a, b, carry);
            case AND -> flags.setLogic(size, a & b);
            case OR -> flags.setLogic(size, a | b);
            case XOR -> flags.setLogic(size, a ^ b);
            case INC -> flags.setIncDec(Flags.INC, size, a + 1, a);
            case DEC -> flags.setIncDec(Flags.DEC, size, a - 1, a);
            case NEG -> flags.set(Flags.NEG, size, -a, 0, a);
        }
    }

    private static int reference(Operation operation, int size, int a, int b, int carry) {
        int bits = 8 << size;
        long mask = (1L << bits) - 1;
        long ua = a & mask;
        long ub = b & mask;
        long sa = signed(ua, bits);
        long sb = signed(ub, bits);
        long unsigned;
        long signed;
        boolean auxiliary;
        switch (operation) {
            case ADD, ADC -> {
                long c = operation == Operation.ADC ? carry : 0;
                unsigned = ua + ub + c;
                signed = sa + sb + c;
                auxiliary = (ua & 0xF) + (ub & 0xF) + c > 0xF;
            }
            case SUB, SBB -> {
                long c = operation == Operation.SBB ? carry : 0;
                unsigned = ua - ub - c;
                signed = sa - sb - c;
                auxiliary = (ua & 0xF) < (ub & 0xF) + c;
            }
            case INC -> {
                unsigned = ua + 1;
                signed = sa + 1;
                auxiliary = (ua & 0xF) == 0xF;
            }
            case DEC -> {
                unsigned = ua - 1;
                signed = sa - 1;
                auxiliary = (ua & 0xF) == 0;
            }
            case NEG -> {
                unsigned = -ua;
                signed = -sa;
                auxiliary = (ua & 0xF) != 0;
            }
            default -> {
                long r = operation == Operation.AND ? ua & ub : operation == Operation.OR ? ua | ub : ua ^ ub;
                unsigned = r;
                signed = signed(r, bits);
                auxiliary = false;
            }
        }
        long res = unsigned & mask;
        boolean cf = switch (operation) {
            case INC, DEC -> carry != 0;
            case AND, OR, XOR -> false;
            default -> unsigned != res;
        };
        boolean of = signed != signed(res, bits);
        boolean zf = res == 0;
        boolean sf = (res >>> (bits - 1)) != 0;
        boolean pf = Long.bitCount(res & 0xFF) % 2 == 0;
        return (cf ? Flags.CF : 0) | (pf ? Flags.PF : 0) | (auxiliary ? Flags.AF : 0) | (zf ? Flags.ZF : 0)
                | (sf ? Flags.SF : 0) | (of ? Flags.OF : 0);
    }

    private static long signed(long value, int bits) {
        return value << (64 - bits) >> (64 - bits);
    }
}
