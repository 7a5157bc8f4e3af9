package org.jlguest.cpu.fpu;

/**
 * The series the transcendental functions are summed from: coefficients as (hi, lo) pairs of
 * doubles, highest degree first for {@link DoubleDouble#horner}. The factorial and odd
 * reciprocal coefficients are computed once, in double-double; the arctangents of the eighths
 * were computed to 200 bits and rounded.
 */
final class Series {
    /** arctan(j/8) for j = 0..8, as (hi, lo) pairs. */
    static final double[] ARCTAN_EIGHTHS = {
        0.0, 0.0,
        0.12435499454676144, -3.1253241424539383e-18,
        0.24497866312686414, 1.0698755618734451e-17,
        0.35877067027057225, -2.4623815582638635e-17,
        0.4636476090008061, 2.2698777452961687e-17,
        0.5585993153435624, -5.4556305485916264e-18,
        0.6435011087932844, 1.5834785051444286e-17,
        0.7188299996216245, -2.1478388444456983e-17,
        0.7853981633974483, 3.061616997868383e-17};
    /** sin r = r·SINE(r²) and cos r = COSINE(r²) for |r| ≤ π/4. */
    static final double[] SINE = series(15, 1, 2, true);
    static final double[] COSINE = series(15, 0, 2, true);
    /** e^t − 1 = t·EXPM1(t) for |t| ≤ ln 2. */
    static final double[] EXPM1 = series(28, 1, 1, false);
    /** atanh s = s·ARTANH(s²) for |s| ≤ 0.18; arctan t = t·ARCTAN(t²) for |t| ≤ 1/16. */
    static final double[] ARTANH = oddReciprocals(22, false);
    static final double[] ARCTAN = oddReciprocals(14, true);

    private Series() {
    }

    /**
     * The coefficients of Σ (±) z^n / (start + step·n)!, n = 0..terms−1, highest degree first as
     * (hi, lo) pairs.
     */
    private static double[] series(int terms, int start, int step, boolean alternating) {
        double[] out = new double[2 * terms];
        DoubleDouble term = new DoubleDouble().set(1, 0);
        for (int k = 2; k <= start; k++) {
            term.divide(k, 0);
        }
        int k = start;
        for (int n = 0; n < terms; n++) {
            double sign = alternating && (n & 1) != 0 ? -1 : 1;
            out[2 * (terms - 1 - n)] = sign * term.hi;
            out[2 * (terms - 1 - n) + 1] = sign * term.lo;
            for (int i = 0; i < step; i++) {
                term.divide(++k, 0);
            }
        }
        return out;
    }

    /** The coefficients of Σ (±) z^n / (2n + 1), highest degree first as (hi, lo) pairs. */
    private static double[] oddReciprocals(int terms, boolean alternating) {
        double[] out = new double[2 * terms];
        DoubleDouble term = new DoubleDouble();
        for (int n = 0; n < terms; n++) {
            term.set(alternating && (n & 1) != 0 ? -1 : 1, 0).divide(2 * n + 1, 0);
            out[2 * (terms - 1 - n)] = term.hi;
            out[2 * (terms - 1 - n) + 1] = term.lo;
        }
        return out;
    }
}
