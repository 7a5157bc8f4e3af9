package org.jlguest.cpu;

/**
 * A {@link Region} compiled to a JVM method by {@link BlockCompiler}: runs its head block, and the
 * region's blocks it branches to while the run loop would carry on, as {@link Executor#run} would
 * run them one by one, leaving the same EIP, retired count, registers, flags and memory, and on a
 * fault the same faulting instruction address.
 */
interface CompiledBlock {
    /**
     * Runs from the head, which starts at {@code eip}; jumps between blocks only while the CPU's
     * retired count is below {@code end} (the run's budget) and no interrupt is pending. Returns
     * false, having done nothing, when a segment its memory operands use needs checks (the
     * compiled code only adds segment bases): the run loop interprets the block then.
     */
    boolean run(Cpu c, int eip, long end);
}
