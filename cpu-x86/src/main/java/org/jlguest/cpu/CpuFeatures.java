package org.jlguest.cpu;

/**
 * What CPUID reports: a fixed i686-class processor without SSE.
 *
 * <p>Guests (Linux, glibc) use whatever CPUID advertises, so it advertises only what the
 * interpreter implements exactly: the x87 FPU, TSC, CMPXCHG8B, CMOV, PSE and PGE. Leaves above
 * the maximum return the maximum leaf's values, as Intel processors do.
 */
public final class CpuFeatures {
    /** CPUID.1:EDX bits. */
    public static final int FPU = 1, VME = 1 << 1, DE = 1 << 2, PSE = 1 << 3, TSC = 1 << 4, MSR = 1 << 5,
            CX8 = 1 << 8, PGE = 1 << 13, CMOV = 1 << 15;

    /** "jlguest x86 " split into EBX, EDX, ECX as CPUID leaf 0 returns a vendor. */
    private static final String VENDOR = "jlguestx86vm";

    private final int edxFeatures;
    private final int signature;

    private CpuFeatures(int edxFeatures, int signature) {
        this.edxFeatures = edxFeatures;
        this.signature = signature;
    }

    /** The default: family 6, model 1, stepping 1, with FPU, PSE, TSC, MSR, CX8, PGE and CMOV. */
    public static CpuFeatures i686() {
        return new CpuFeatures(FPU | PSE | TSC | MSR | CX8 | PGE | CMOV, 0x611);
    }

    public int edxFeatures() {
        return edxFeatures;
    }

    /**
     * Fills {@code out} (EAX, EBX, ECX, EDX) for leaf {@code eax}. Leaf 0: maximum leaf 1 and the
     * vendor string; leaf 1: signature and features; any other leaf: the values of leaf 1,
     * as Intel processors answer leaves above the maximum with the highest basic leaf.
     */
    public void cpuid(int eax, int[] out) {
        if (eax == 0) {
            out[0] = 1;
            out[1] = chars(0);
            out[3] = chars(4);
            out[2] = chars(8);
            return;
        }
        out[0] = signature;
        out[1] = 0;
        out[2] = 0;
        out[3] = edxFeatures;
    }

    private static int chars(int from) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= VENDOR.charAt(from + i) << (8 * i);
        }
        return v;
    }
}
