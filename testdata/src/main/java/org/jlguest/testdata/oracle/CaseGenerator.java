package org.jlguest.testdata.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Deterministic, seeded generators of CPU cases, one family per instruction group.
 * The same family, seed and count always give the same probes, so committed
 * vectors can be regenerated and compared.
 */
public final class CaseGenerator {

    /** Instruction families, each with the number of cases committed for it. */
    public enum Family {
        ALU(ArithmeticCases::alu, 4000),
        INCDEC(ArithmeticCases::incDec, 1500),
        SHIFT(ArithmeticCases::shift, 3000),
        MULDIV(ArithmeticCases::mulDiv, 2000),
        BCD(ArithmeticCases::bcd, 1500),
        BITS(ArithmeticCases::bits, 2500),
        CONDITIONAL(ArithmeticCases::conditional, 1500),
        MIXED(ArithmeticCases::mixed, 2000),
        EXCHANGE(DataCases::exchange, 2000),
        MOV(DataCases::mov, 1500),
        LEA(DataCases::lea, 1500),
        ADDRESSING(DataCases::addressing, 1500),
        STACK(DataCases::stack, 2000),
        STRING(DataCases::string, 2000),
        FLAGOPS(DataCases::flagOps, 1000),
        BRANCH(ControlCases::branch, 2000),
        LOOP(ControlCases::loop, 800),
        TRAPS(ControlCases::traps, 800),
        NOP(ControlCases::nop, 300),
        PAGEFAULT(ControlCases::pageFault, 1500),
        FPU_ARITH(X87Cases::arithmetic, 1500),
        FPU_LOAD_STORE(X87Cases::loadStore, 1200),
        FPU_COMPARE(X87Cases::compare, 900),
        FPU_MISC(X87Cases::misc, 800),
        FPU_TRANSCENDENTAL(X87Cases::transcendental, 1000);

        private final Consumer<CaseBuilder> generator;
        private final int committedCount;

        Family(Consumer<CaseBuilder> generator, int committedCount) {
            this.generator = generator;
            this.committedCount = committedCount;
        }

        /** How many cases of this family the committed vectors hold. */
        public int committedCount() {
            return committedCount;
        }

        /** The file and id stem: lower case, words joined by hyphens ({@code fpu-arith}). */
        public String fileStem() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the family's cases carry x87 state. */
        public boolean x87() {
            return name().startsWith("FPU_");
        }
    }

    private CaseGenerator() {
    }

    /** Case {@code index} of the family's stream for {@code seed}: independent of the others. */
    public static Probe one(Family family, long seed, int index) {
        Random rnd = new Random(seed * 0x9E37_79B9_7F4A_7C15L + index * 0xC2B2_AE3D_27D4_EB4FL + family.ordinal());
        CaseBuilder b = new CaseBuilder(rnd);
        family.generator.accept(b);
        return b.build(String.format("%s-%06d", family.fileStem(), index));
    }

    public static List<Probe> generate(Family family, long seed, int count) {
        List<Probe> probes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) probes.add(one(family, seed, i));
        return probes;
    }
}
