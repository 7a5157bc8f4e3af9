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
            for (int target : successors(blocks[i], starts[i], head)) {
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

    /**
     * The head and {@code n - 1} other blocks, grown from the head one successor at a time,
     * taking the one that ran most often before the region was compiled (its {@link Block#runs}):
     * when a region must shrink, every block it keeps is still reachable from the head through
     * kept blocks, and a loop the head enters stays in.
     */
    Region hottest(int n) {
        Block head = blocks[0];
        int keep = Math.min(n, count);
        boolean[] kept = new boolean[count];
        kept[0] = true;
        for (int k = 1; k < keep; k++) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (!kept[i]) {
                    continue;
                }
                for (int target : successors(blocks[i], starts[i], head)) {
                    int j = indexOf(target);
                    if (j > 0 && !kept[j] && (best < 0 || blocks[j].runs > blocks[best].runs)) {
                        best = j;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            kept[best] = true;
        }
        Block[] b = new Block[keep];
        int[] s = new int[keep];
        int m = 0;
        for (int i = 0; i < count; i++) {
            if (kept[i]) {
                b[m] = blocks[i];
                s[m] = starts[i];
                m++;
            }
        }
        return new Region(b, s, m);
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
     * closing branch and its fall-through as far as the decoded instructions say, and the blocks
     * the run loop saw run after it (where a RET or an indirect jump went).
     */
    private static int[] successors(Block b, int start, Block head) {
        int[] decoded = decodedSuccessors(b, start);
        int[] all = java.util.Arrays.copyOf(decoded, decoded.length + 2);
        int n = decoded.length;
        for (Block seen : new Block[] {b.successor, b.otherSuccessor}) {
            if (seen != null && seen.physical >= 0) {
                all[n++] = seen.physical - head.physical;
            }
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private static int[] decodedSuccessors(Block b, int start) {
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
