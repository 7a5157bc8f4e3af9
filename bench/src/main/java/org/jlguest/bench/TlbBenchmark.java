package org.jlguest.bench;

import java.util.concurrent.TimeUnit;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;
import org.jlguest.mmu.PageWalker;
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
 * The cost of one guest memory access through the soft TLB: a hit (array compare, array access)
 * against a miss (two-level page walk, A/D write-back, entry fill).
 *
 * <p>Misses are forced the way a guest causes them: the accesses alternate between two linear
 * pages 4 MiB apart, which share a slot of the direct-mapped TLB, so each evicts the other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class TlbBenchmark {
    private static final int ACCESSES = 16;
    /** Two pages in the same TLB slot: page numbers 1024 apart. */
    private static final int PAGE_A = 0x00005000;
    private static final int PAGE_B = 0x00405000;

    private Mmu mmu;
    private final int[] hitAddresses = new int[ACCESSES];
    private final int[] missAddresses = new int[ACCESSES];

    @Setup
    public void setUp() {
        GuestMemory memory = new GuestMemory(64);
        // Page directory in frame 0; page tables for the first two directory entries in frames 1, 2.
        memory.write32(0, 0x1000 | PageWalker.P | PageWalker.RW);
        memory.write32(4, 0x2000 | PageWalker.P | PageWalker.RW);
        for (int i = 0; i < 1024; i++) {
            int frame = 8 + (i & 31);
            memory.write32(0x1000 + 4 * i, frame << 12 | PageWalker.P | PageWalker.RW);
            memory.write32(0x2000 + 4 * i, frame << 12 | PageWalker.P | PageWalker.RW);
        }
        mmu = new Mmu(memory, new Fault());
        mmu.setPagingMode(true, true, true, true);
        mmu.setCr3(0);
        for (int i = 0; i < ACCESSES; i++) {
            hitAddresses[i] = PAGE_A + (i & 3) * 0x1000 + i * 64;
            missAddresses[i] = ((i & 1) == 0 ? PAGE_A : PAGE_B) + i * 64;
        }
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public int read32Hit() {
        int sum = 0;
        for (int a : hitAddresses) {
            sum += mmu.read32(a);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public void write32Hit() {
        for (int a : hitAddresses) {
            mmu.write32(a, a);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public int read32Miss() {
        int sum = 0;
        for (int a : missAddresses) {
            sum += mmu.read32(a);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public void write32Miss() {
        for (int a : missAddresses) {
            mmu.write32(a, a);
        }
    }
}
