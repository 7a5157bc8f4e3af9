package org.jlguest.cpu.bare;

/** The mnemonics of the architecture's exception vectors, for reports. */
final class ExceptionNames {
    private static final String[] NAMES = {
        "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
        "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor segment overrun",
        "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
        "#PF page fault", "vector 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
        "#XM SIMD error",
    };

    private ExceptionNames() {
    }

    static String of(int vector) {
        return vector >= 0 && vector < NAMES.length ? NAMES[vector] : "vector " + vector;
    }
}
