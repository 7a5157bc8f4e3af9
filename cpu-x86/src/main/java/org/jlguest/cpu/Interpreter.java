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
 * a trap keeps it past, and {@link #run} returns so whoever runs the CPU can deliver it.
 */
public final class Interpreter {
    private final Cpu cpu;
    private final Decoder decoder;
    private final BlockCache cache;
    private boolean hasBreakpoint;
    private int breakpoint;

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

    /** Stops {@link #run} when EIP reaches {@code eip} (before executing it). */
    public void setBreakpoint(int eip) {
        hasBreakpoint = true;
        breakpoint = eip;
        cache.clear();
    }

    /** Runs at most {@code budget} instructions (a block may overshoot by its length). */
    public ExitReason run(long budget) {
        Cpu c = cpu;
        long end = c.instructions + budget;
        while (c.instructions < end) {
            if (c.halted) {
                return ExitReason.HALT;
            }
            if (hasBreakpoint && c.eip == breakpoint) {
                return ExitReason.BREAKPOINT;
            }
            try {
                runBlock(c);
            } catch (Fault f) {
                if (!f.isTrap()) {
                    c.eip = c.insnEip;
                }
                return ExitReason.FAULT;
            }
        }
        return ExitReason.BUDGET;
    }

    private void runBlock(Cpu c) {
        c.insnEip = c.eip;
        int linear = c.segBase[Cpu.CS] + c.eip;
        int physical = c.mmu.fetchPhysical(linear);
        Block b = cache.lookup(physical, c.code32);
        if (b == null) {
            b = decodeBlock(c, linear, physical);
        }
        Insn[] insns = b.insns;
        int n = b.count;
        c.breakBlock = false;
        for (int i = 0; i < n; i++) {
            Insn in = insns[i];
            int start = c.eip;
            int next = c.code32 ? start + in.length : (start + in.length) & 0xFFFF;
            c.insnEip = start;
            c.eip = next;
            Executor.execute(c, in);
            c.instructions++;
            if (c.eip != next || c.breakBlock) {
                return;
            }
        }
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
                    throw f;
                }
                break;
            }
            b.count++;
            offset += in.length;
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

    public long blockHits() {
        return cache.hits;
    }
}
