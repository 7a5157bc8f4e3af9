package org.jlguest.cpu;

/**
 * A hot block and the blocks on its code page that its direct branches reach, compiled together
 * by {@link BlockCompiler} so that a loop runs as a loop in one JVM method.
 *
 * <p>Every block is named by its start relative to the head's, and the region is entered only at
 * the head. Only blocks already decoded, valid, of 32-bit code and lying wholly on the head's
 * page are taken: the page is one physical frame, so the head's frame generation, checked by the
 * run loop before it enters the head, vouches for every block of the region, and a store into the
 * frame ends the compiled code as it ends a block.
 */
final class Region {
    /** How many blocks one region takes at most (its method must stay small enough for the JIT). */
    static final int MAX_BLOCKS = 32;
    private static final int PAGE = 4096;

    final Block[] blocks;
    /** Where each block starts, in bytes from the head's start. */
    final int[] starts;
    final int count;

    private Region(Block[] blocks, int[] starts, int count) {
        this.blocks = blocks;
        this.starts = starts;
        this.count = count;
    }

    /**
     * The region of {@code head}, which starts at linear address {@code linear}: at most
     * {@link #MAX_BLOCKS} blocks, none starting {@code avoid} bytes from the head (a breakpoint,
     * which the run loop must see before the block runs).
     */
    static Region of(Block head, int linear, BlockCache cache, int avoid) {
        int max = MAX_BLOCKS;
        Block[] blocks = new Block[max];
        int[] starts = new int[max];
        blocks[0] = head;
        int count = 1;
        int pageOffset = linear & (PAGE - 1);
        for (int i = 0; i < count; i++) {
            for (int target : successors(blocks[i], starts[i])) {
                if (count == max) {
                    break;
                }
                int at = pageOffset + target;
                if (at < 0 || at >= PAGE || target == avoid || indexOf(starts, count, target) >= 0) {
                    continue;
                }
                Block b = cache.peek(head.physical + target, true);
                if (b != null && b.count > 0 && b.frame2 < 0) {
                    blocks[count] = b;
                    starts[count] = target;
                    count++;
                }
            }
        }
        return new Region(blocks, starts, count);
    }

    /** The first {@code n} blocks of this region (the head and those found nearest it). */
    Region first(int n) {
        return new Region(blocks, starts, Math.min(n, count));
    }

    /** The index of the block starting {@code start} bytes from the head, or -1. */
    int indexOf(int start) {
        return indexOf(starts, count, start);
    }

    private static int indexOf(int[] starts, int count, int start) {
        for (int i = 0; i < count; i++) {
            if (starts[i] == start) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the block at {@code start} may continue, in bytes from the head: the targets of its
     * closing branch and its fall-through, as far as the decoded instructions say.
     */
    private static int[] successors(Block b, int start) {
        int end = start;
        for (int i = 0; i < b.count; i++) {
            end += b.insns[i].length;
        }
        Insn last = b.insns[b.count - 1];
        if (last.form == Executor.JCC) {
            return new int[] {end + last.imm, end};
        }
        if (last.form == Executor.JMP) {
            return new int[] {end + last.imm};
        }
        boolean relative = last.family == Family.CONTROL && !last.o16
                && (last.op == 0xE8 || (last.op >= 0xE0 && last.op <= 0xE3));
        if (relative) {
            // CALL rel32 (its return lands on the fall-through), LOOP, LOOPcc, JECXZ.
            return new int[] {end + last.imm, end};
        }
        return Decoder.endsBlock(last) ? new int[0] : new int[] {end};
    }
}
