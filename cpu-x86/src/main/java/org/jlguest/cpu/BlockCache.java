package org.jlguest.cpu;

/**
 * Decoded blocks by physical address, so each instruction is decoded once.
 *
 * <p>A direct-mapped table: a block that collides with another simply replaces it (its object is
 * reused, so steady-state decoding allocates nothing). Staleness is tracked per physical frame by a
 * generation number: a store into a frame holding code bumps the frame's generation, which
 * invalidates every block decoded from it in O(1), with no lists to walk.
 */
final class BlockCache {
    private static final int BITS = 12;
    private static final int SIZE = 1 << BITS;
    private static final int MASK = SIZE - 1;

    private final Block[] table = new Block[SIZE];
    private final int[] frameGeneration;

    /** Plain counters read by metrics. */
    long hits;
    long decodes;

    BlockCache(int frames) {
        this.frameGeneration = new int[frames];
    }

    /** The valid block decoded at {@code physical} for code of this size, or null. */
    Block lookup(int physical, boolean code32) {
        Block b = table[slot(physical)];
        if (b != null && valid(b, physical, code32)) {
            hits++;
            return b;
        }
        return null;
    }

    /**
     * {@code b} if it holds the current code at {@code physical} for this size (a successor
     * hint), else null.
     */
    Block check(Block b, int physical, boolean code32) {
        if (b != null && valid(b, physical, code32)) {
            hits++;
            return b;
        }
        return null;
    }

    /** {@link #lookup} without counting a hit: for the compiler looking at a block's neighbours. */
    Block peek(int physical, boolean code32) {
        Block b = table[slot(physical)];
        return b != null && valid(b, physical, code32) ? b : null;
    }

    private boolean valid(Block b, int physical, boolean code32) {
        return b.physical == physical && b.code32 == code32
                && b.generation == frameGeneration[b.frame]
                && (b.frame2 < 0 || b.generation2 == frameGeneration[b.frame2]);
    }

    /** The block object to decode {@code physical} into, already keyed and stamped. */
    Block claim(int physical, boolean code32) {
        int s = slot(physical);
        Block b = table[s];
        if (b == null) {
            b = new Block();
            table[s] = b;
        }
        decodes++;
        b.physical = physical;
        b.code32 = code32;
        b.frame = physical >>> 12;
        b.generation = frameGeneration[b.frame];
        b.frame2 = -1;
        b.count = 0;
        b.successor = null;
        b.otherSuccessor = null;
        b.compiled = null;
        b.runs = 0;
        return b;
    }

    /** Unkeys a claimed block whose first instruction could not be decoded. */
    void discard(Block b) {
        b.physical = -1;
    }

    /** Records that {@code b}'s last instruction continues into {@code frame}. */
    void spill(Block b, int frame) {
        b.frame2 = frame;
        b.generation2 = frameGeneration[frame];
    }

    void invalidateFrame(int frame) {
        frameGeneration[frame]++;
    }

    void clear() {
        java.util.Arrays.fill(table, null);
    }

    private static int slot(int physical) {
        return (physical ^ (physical >>> BITS) ^ (physical >>> (2 * BITS))) & MASK;
    }
}
