package org.jlguest.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.Flags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lazy flags against eager ones, for a stream of 32-bit ADDs.
 *
 * <p>The lazy side is jlguest's {@link Flags}: an ADD records its operands and result; a
 * condition is computed when read. The eager side computes all six arithmetic flags after every
 * ADD, as a straightforward interpreter does, and stores them with
 * {@link Flags#setArithmetic}. Two workloads: flags never read until the end (most instructions'
 * flags are overwritten unread), and a condition tested after every ADD (an ADD/Jcc pair).
 *
 * <p>Each ADD is a call the JIT may not inline, as an instruction handler is behind the
 * interpreter's dispatch; otherwise it would keep only the last of a loop's overwritten records
 * and the lazy side would measure nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class LazyFlagsBenchmark {
    private static final int N = 1024;
    private static final int DWORD = 2;

    private final int[] a = new int[N];
    private final int[] b = new int[N];
    private final int[] cc = new int[N];
    private final Flags flags = new Flags();

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            a[i] = random.nextInt();
            b[i] = random.nextInt();
            cc[i] = random.nextInt(16);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public boolean lazyUnread() {
        for (int i = 0; i < N; i++) {
            addLazy(a[i], b[i]);
        }
        return flags.condition(cc[0]);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public boolean eagerUnread() {
        for (int i = 0; i < N; i++) {
            addEager(a[i], b[i]);
        }
        return flags.condition(cc[0]);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int lazyTested() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            addLazy(a[i], b[i]);
            taken += flags.condition(cc[i]) ? 1 : 0;
        }
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int eagerTested() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            addEager(a[i], b[i]);
            taken += flags.condition(cc[i]) ? 1 : 0;
        }
        return taken;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int addLazy(int dst, int src) {
        int res = dst + src;
        flags.set(Flags.ADD, DWORD, res, dst, src);
        return res;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int addEager(int dst, int src) {
        flags.setArithmetic(addFlags(dst, src));
        return dst + src;
    }

    /** All six arithmetic flags of a 32-bit ADD, computed at once. */
    private static int addFlags(int dst, int src) {
        int res = dst + src;
        int f = 0;
        if (Integer.compareUnsigned(res, dst) < 0) {
            f |= Flags.CF;
        }
        if ((Integer.bitCount(res & 0xFF) & 1) == 0) {
            f |= Flags.PF;
        }
        if (((dst ^ src ^ res) & 0x10) != 0) {
            f |= Flags.AF;
        }
        if (res == 0) {
            f |= Flags.ZF;
        }
        if (res < 0) {
            f |= Flags.SF;
        }
        if (((dst ^ res) & (src ^ res)) < 0) {
            f |= Flags.OF;
        }
        return f;
    }
}
