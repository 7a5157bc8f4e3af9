package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which blocks a region takes, and which it keeps when it must shrink. */
class RegionTest {
    private static final int PAGE = 0x5000;

    private final BlockCache cache = new BlockCache(16);

    /** A one-instruction block at {@code offset} on the page ending in {@code form} (JCC or JMP) to {@code target}. */
    private Block branch(int offset, int form, int target, int runs) {
        Block b = cache.claim(PAGE + offset, true);
        Insn in = b.insns[0];
        in.form = form;
        in.length = 2;
        in.imm = target - (offset + 2);
        b.count = 1;
        b.runs = runs;
        return b;
    }

    /**
     * The head at 0 branches to a cold block at 0x10 or falls through to 2, which jumps to 0x20;
     * 0x20 loops on itself or falls through to 0x22, which jumps back to the head. The hot block
     * at 0x40 (the most runs of all) is reachable only from the cold block.
     */
    private Region loopWithAHotSideBlock() {
        Block head = branch(0, Executor.JCC, 0x10, 1000);
        branch(2, Executor.JMP, 0x20, 900);
        branch(0x10, Executor.JMP, 0x40, 1);
        branch(0x20, Executor.JCC, 0x20, 800);
        branch(0x22, Executor.JMP, 0, 700);
        branch(0x40, Executor.JMP, 0x40, 1_000_000);
        return Region.of(head, PAGE, cache, Integer.MIN_VALUE);
    }

    private static int[] starts(Region r) {
        int[] s = Arrays.copyOf(r.starts, r.count);
        Arrays.sort(s);
        return s;
    }

    @Test
    void takesEveryDecodedBlockItsBranchesReach() {
        assertArrayEquals(new int[] {0, 2, 0x10, 0x20, 0x22, 0x40}, starts(loopWithAHotSideBlock()));
    }

    @Test
    void shrinkingKeepsTheHotPathFromTheHead() {
        Region r = loopWithAHotSideBlock().hottest(4);
        // The block with the most runs is only reachable through a cold one: the loop the head
        // enters (2, 0x20, 0x22) is kept instead.
        assertArrayEquals(new int[] {0, 2, 0x20, 0x22}, starts(r));
        assertEquals(0, r.starts[0], "the head stays first");
    }

    @Test
    void everyKeptBlockIsReachableFromTheHead() {
        Region r = loopWithAHotSideBlock().hottest(5);
        assertArrayEquals(new int[] {0, 2, 0x10, 0x20, 0x22}, starts(r));
    }

    @Test
    void aBreakpointBlockIsLeftOut() {
        Block head = branch(0, Executor.JCC, 0x10, 10);
        branch(2, Executor.JMP, 0, 10);
        branch(0x10, Executor.JMP, 0, 10);
        assertArrayEquals(new int[] {0, 2}, starts(Region.of(head, PAGE, cache, 0x10)));
    }
}
