package org.jlguest.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.fpu.Fpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one x87 operation in the software extended arithmetic of {@code org.jlguest.cpu.fpu}:
 * the exactly rounded basic operations, a store to a double, and the transcendental functions in
 * double-double arithmetic. Decoding and the register stack are left out; this is the arithmetic
 * an FADD or an FSIN pays for.
 *
 * <p>Operands are doubles from 1/1024 to 1024 (angles below 8, F2XM1's within −1..1), widened
 * exactly to extended; each result is folded into the returned value so none can be dropped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class X87Benchmark {
    private static final int N = 256;

    private final Fpu fpu = new Fpu();
    private final int[] aSe = new int[N];
    private final long[] aSig = new long[N];
    private final int[] bSe = new int[N];
    private final long[] bSig = new long[N];
    private final int[] unitSe = new int[N];
    private final long[] unitSig = new long[N];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            load(Math.scalb(1 + random.nextDouble(), random.nextInt(-10, 10)) * (random.nextBoolean() ? 1 : -1));
            aSe[i] = fpu.math.se;
            aSig[i] = fpu.math.sig;
            load(Math.scalb(1 + random.nextDouble(), random.nextInt(-10, 3)));
            bSe[i] = fpu.math.se;
            bSig[i] = fpu.math.sig;
            load(random.nextDouble(-1, 1));
            unitSe[i] = fpu.math.se;
            unitSig[i] = fpu.math.sig;
        }
    }

    private void load(double value) {
        fpu.conversions.loadDouble(Double.doubleToRawLongBits(value));
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long add() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.math.add(aSe[i], aSig[i], bSe[i], bSig[i], false);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long multiply() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.math.multiply(aSe[i], aSig[i], bSe[i], bSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long divide() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.math.divide(aSe[i], aSig[i], bSe[i], bSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long squareRoot() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.math.sqrt(bSe[i], bSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long storeDouble() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            sum += fpu.conversions.storeDouble(aSe[i], aSig[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long sine() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.sineOrCosine(bSe[i], bSig[i], false);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long sineOfLargeAngle() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.sineOrCosine(aSe[i] + 40, aSig[i], false);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long tangent() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.tangent(bSe[i], bSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long arcTangent() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.arcTangent(aSe[i], aSig[i], bSe[i], bSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long twoToXMinusOne() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.twoToXMinusOne(unitSe[i], unitSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long yLog2X() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            fpu.transcendentals.yLog2X(bSe[i], bSig[i], aSe[i], aSig[i]);
            sum += fpu.math.sig;
        }
        return sum;
    }
}
