package org.jlguest.cpu;

/**
 * A decoded basic block: instructions from one start address up to the first branch, the end of
 * the page, or an instruction that must end a block. It remembers the frames its bytes came from
 * and their generations, so a store into either frame makes it stale.
 *
 * <p>A block also remembers the blocks that followed it, so a loop finds its next block without
 * the cache lookup.
 */
final class Block {
    static final int MAX_INSNS = 64;

    int physical = -1;
    boolean code32;
    int frame;
    int generation;
    /** The second frame of an instruction that crosses a page, or -1. */
    int frame2 = -1;
    int generation2;
    /**
     * The last two blocks that ran after this one (its branch target and its fall-through, say):
     * hints only, each checked against the physical address and generations before use.
     */
    Block successor;
    Block otherSuccessor;
    /** The block compiled by {@link BlockCompiler}, or null; reset whenever the block is decoded anew. */
    CompiledBlock compiled;
    /** The segments whose base was 0 when {@link #compiled} was made, which it may assume. */
    int zeroBases;
    /** Whole runs by the interpreter since the block was decoded, towards the compile threshold. */
    int runs;
    final Insn[] insns = new Insn[MAX_INSNS];
    int count;

    Block() {
        for (int i = 0; i < MAX_INSNS; i++) {
            insns[i] = new Insn();
        }
    }
}
