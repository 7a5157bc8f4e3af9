package org.jlguest.cpu;

import org.jlguest.mmu.Fault;
import org.jlguest.mmu.Mmu;

/**
 * The run loop: find (or decode) the block at CS:EIP, execute its instructions, repeat.
 *
 * <p>Each instruction sets EIP past itself before its handler runs, so a handler that branches
 * just overwrites EIP; a block is left early when EIP is not where the next instruction starts or
 * when a handler asks ({@code breakBlock}: a store into decoded code, a mode change). Exceptions
 * arrive as the CPU's preallocated {@link Fault}; a fault rewinds EIP to the faulting instruction,
 * a trap keeps it past. Then, by default, {@link #run} returns so whoever runs the CPU can deal
 * with it (the user32 test machine, and lguest's Host, which reflects a trap into its guest
 * itself); in system mode ({@link #setDeliverExceptions}) the CPU delivers it through the IDT or
 * IVT as hardware does, and returns only for a shutdown or an access beyond guest memory.
 *
 * <p>Between blocks, in the architectural order (SDM vol. 3, 6.9): the single-step trap of the
 * instruction just executed, then a pending external interrupt if IF is set and no interrupt
 * shadow (STI, MOV SS, POP SS) covers the next instruction. An interrupt ends HLT. While TF or a
 * shadow is set, blocks are run one instruction at a time.
 */
public final class Interpreter {
    private final Cpu cpu;
    private final Decoder decoder;
    private final BlockCache cache;
    private final ExternalInterrupts interrupts = new ExternalInterrupts();
    private boolean hasBreakpoint;
    private int breakpoint;
    private boolean deliverExceptions;
    private Tier tier = Tier.fromProperty();
    private int compileThreshold = Tier.thresholdFromProperty();
    /** Blocks this interpreter has compiled: a plain counter, read by metrics. */
    private long blocksCompiled;
    /**
     * The block that ran last, and the fetch translation of its page (linear page, physical
     * address of the page's first byte) with the MMU epoch it was made in; lastPage is -1 when
     * there is none to reuse.
     */
    private Block last;
    private int lastPage = -1;
    private int lastPagePhysical;
    private int lastEpoch;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        Mmu mmu = cpu.mmu;
        this.decoder = new Decoder(mmu);
        this.cache = new BlockCache(mmu.memory().pfnLimit());
        mmu.setCodeWriteListener(frame -> {
            cache.invalidateFrame(frame);
            cpu.breakBlock = true;
        });
    }

    public Cpu cpu() {
        return cpu;
    }

    /**
     * Forgets every decoded and compiled block: for whoever changed guest memory other than
     * through the MMU (loading code), which the stores-into-code tracking does not see.
     */
    public void discardDecoded() {
        cache.clear();
        last = null;
    }

    /** Stops {@link #run} when EIP reaches {@code eip} (before executing it). */
    public void setBreakpoint(int eip) {
        if (hasBreakpoint && breakpoint == eip) {
            return;
        }
        hasBreakpoint = true;
        breakpoint = eip;
        // Blocks end at a breakpoint and compiled regions never jump to it: decode anew.
        cache.clear();
        last = null;
    }

    /**
     * Chooses how blocks run: {@link Tier#INTERPRETER} (the default, or the {@code jlguest.tier}
     * system property) or {@link Tier#COMPILED}, where a block of 32-bit code that has run
     * {@link #setCompileThreshold threshold} times whole is compiled to a JVM method.
     */
    public void setTier(Tier tier) {
        this.tier = tier;
    }

    public Tier tier() {
        return tier;
    }

    /** Compiles a block at its {@code runs}-th whole run, which already runs compiled (0 or 1: its first). */
    public void setCompileThreshold(int runs) {
        this.compileThreshold = runs;
    }

    /**
     * System mode: deliver exceptions and software interrupts through the guest's IDT (or the
     * real-mode IVT) instead of returning {@link ExitReason#FAULT}. Off by default.
     */
    public void setDeliverExceptions(boolean deliver) {
        this.deliverExceptions = deliver;
    }

    /**
     * Asserts an external interrupt with this vector (32-255 by convention; any vector works).
     * Safe from any thread: the CPU takes it between blocks once IF allows, highest vector first,
     * and a halted CPU wakes for it. The caller of {@link #run} sees {@link ExitReason#HALT} while
     * the CPU waits, and may run it again once an interrupt is pending.
     */
    public void raiseInterrupt(int vector) {
        interrupts.raise(vector);
    }

    /** Withdraws an interrupt that has not been taken yet (a level-triggered line going low). */
    public void clearInterrupt(int vector) {
        interrupts.clear(vector);
    }

    /** Whether an external interrupt waits for delivery. */
    public boolean interruptPending() {
        return interrupts.pending();
    }

    /**
     * Delivers an event now, as the CPU would between instructions: EIP must already be where
     * the handler should return to. Returns {@link ExitReason#SHUTDOWN} if delivery triple-faulted,
     * {@link ExitReason#FAULT} if it reached beyond guest memory, else null.
     */
    public ExitReason deliver(int vector, int errorCode, boolean hasErrorCode, EventKind kind) {
        try {
            InterruptDelivery.deliver(cpu, vector, errorCode, hasErrorCode, kind);
        } catch (Fault f) {
            return ExitReason.FAULT;
        }
        return cpu.shutdown ? ExitReason.SHUTDOWN : null;
    }

    /** Runs at most {@code budget} instructions (a block may overshoot by its length). */
    public ExitReason run(long budget) {
        Cpu c = cpu;
        long end = c.instructions + budget;
        while (c.instructions < end) {
            if (c.shutdown) {
                return ExitReason.SHUTDOWN;
            }
            if (interrupts.pending() && !c.interruptShadow && (c.flags.bits & Flags.IF) != 0) {
                ExitReason r = takeInterrupt();
                if (r != null) {
                    return r;
                }
            }
            if (c.halted) {
                return ExitReason.HALT;
            }
            if (hasBreakpoint && c.eip == breakpoint) {
                return ExitReason.BREAKPOINT;
            }
            boolean faulted = false;
            try {
                runBlock(c, end);
            } catch (Fault f) {
                if (f.isTrap()) {
                    // A trap is reported after its instruction completed: it retired.
                    c.instructions++;
                } else {
                    c.eip = c.insnEip;
                }
                if (!deliverExceptions || f.vector() == Fault.HOST_BEYOND_LIMIT) {
                    return ExitReason.FAULT;
                }
                faulted = true;
            }
            if (faulted) {
                ExitReason r = deliverFault(c);
                if (r != null) {
                    return r;
                }
            }
        }
        return ExitReason.BUDGET;
    }

    private ExitReason takeInterrupt() {
        int vector = interrupts.take();
        return vector < 0 ? null : deliver(vector, 0, false, EventKind.EXTERNAL_INTERRUPT);
    }

    private static ExitReason deliverFault(Cpu c) {
        try {
            InterruptDelivery.deliver(c, c.fault);
        } catch (Fault f) {
            return ExitReason.FAULT;
        }
        return c.shutdown ? ExitReason.SHUTDOWN : null;
    }

    private void runBlock(Cpu c, long end) {
        int eip = c.eip;
        c.insnEip = eip;
        if (c.segChecked[Cpu.CS] && Integer.compareUnsigned(eip, c.segLimit[Cpu.CS]) > 0) {
            throw c.gp(0);
        }
        Block b = findBlock(c, c.segBase[Cpu.CS] + eip);
        Insn[] insns = b.insns;
        int n = b.count;
        c.breakBlock = false;
        boolean singleStep = (c.flags.bits & Flags.TF) != 0;
        if (singleStep || c.interruptShadow) {
            n = 1;
            c.interruptShadow = false;
        }
        // A handler that changes CS (and so the code size) also ends the block.
        CompiledBlock code = null;
        if (tier == Tier.COMPILED && n == b.count && b.code32) {
            code = b.compiled;
            if (code == null && ++b.runs >= compileThreshold && BlockCompiler.compilable(b)) {
                int avoid = hasBreakpoint ? breakpoint - eip : Integer.MIN_VALUE;
                Region region = Region.of(b, c.segBase[Cpu.CS] + eip, cache, avoid);
                b.zeroBases = zeroBases(c);
                code = BlockCompiler.compile(region, b.zeroBases, interrupts);
                b.compiled = code;
                blocksCompiled++;
            }
        }
        if (code == null || !code.run(c, eip, end)) {
            if (code != null && b.zeroBases != zeroBases(c)) {
                // It declined because a segment base it takes to be 0 is not: compile it again
                // later, for the segments as they are then.
                b.compiled = null;
                b.runs = 0;
            }
            Executor.run(c, insns, n, eip, c.code32 ? -1 : 0xFFFF);
        }
        if (singleStep) {
            c.sys.dr[6] |= DebugRegisters.DR6_SINGLE_STEP;
            throw c.trap(Fault.DB);
        }
    }

    /** The segments ({@code 1 << seg}) whose base is 0 now. */
    private static int zeroBases(Cpu c) {
        int mask = 0;
        for (int seg = 0; seg < 6; seg++) {
            if (c.segBase[seg] == 0) {
                mask |= 1 << seg;
            }
        }
        return mask;
    }

    /**
     * The block at {@code linear}: while the MMU's translations stand and the code stays on the
     * page of the previous block, the fetch translation is that page's and the block is first
     * looked for among the previous block's successors; otherwise through the fetch TLB and the
     * cache. Decodes it if neither has it.
     */
    private Block findBlock(Cpu c, int linear) {
        Mmu mmu = c.mmu;
        Block prev = last;
        boolean code32 = c.code32;
        int physical;
        if (prev != null && (linear >>> 12) == lastPage && mmu.translationEpoch() == lastEpoch) {
            physical = lastPagePhysical + (linear & 0xFFF);
            Block b = cache.check(prev.successor, physical, code32);
            if (b == null) {
                b = cache.check(prev.otherSuccessor, physical, code32);
            }
            if (b != null) {
                last = b;
                return b;
            }
        } else {
            physical = mmu.fetchPhysical(linear);
            if (mmu.fetchCached(linear)) {
                lastPage = linear >>> 12;
                lastPagePhysical = physical - (linear & 0xFFF);
                lastEpoch = mmu.translationEpoch();
            } else {
                lastPage = -1;
            }
        }
        Block b = cache.lookup(physical, code32);
        if (b == null) {
            b = decodeBlock(c, linear, physical);
        }
        if (prev != null && prev.successor != b) {
            prev.otherSuccessor = prev.successor;
            prev.successor = b;
        }
        last = b;
        return b;
    }

    private Block decodeBlock(Cpu c, int linear, int physical) {
        Block b = cache.claim(physical, c.code32);
        c.mmu.markCode(physical >>> 12);
        int page = linear >>> 12;
        int offset = 0;
        while (b.count < Block.MAX_INSNS) {
            Insn in = b.insns[b.count];
            int at = linear + offset;
            try {
                decoder.decode(in, at, c.code32);
            } catch (Fault f) {
                if (b.count == 0) {
                    cache.discard(b);
                    throw f;
                }
                break;
            }
            b.count++;
            offset += in.length;
            in.end = offset;
            int last = at + in.length - 1;
            if ((last >>> 12) != page) {
                int frame = c.mmu.fetchPhysical(last) >>> 12;
                c.mmu.markCode(frame);
                cache.spill(b, frame);
                break;
            }
            if (Decoder.endsBlock(in)
                    || (hasBreakpoint && c.eip + offset == breakpoint)
                    || ((linear + offset) >>> 12) != page) {
                break;
            }
        }
        return b;
    }

    /** Decoded-block cache statistics for metrics. */
    public long blockDecodes() {
        return cache.decodes;
    }

    /** Blocks this interpreter has compiled for the compiled tier. */
    public long blocksCompiled() {
        return blocksCompiled;
    }

    public long blockHits() {
        return cache.hits;
    }
}
