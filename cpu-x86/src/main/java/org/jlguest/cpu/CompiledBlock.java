package org.jlguest.cpu;

/**
 * A decoded block compiled to a JVM method by {@link BlockCompiler}: runs the whole block as
 * {@link Executor#run} would with {@code n} equal to the block's count and 32-bit code, leaving
 * the same EIP, retired count, registers, flags and memory, and on a fault the same faulting
 * instruction address.
 */
interface CompiledBlock {
    void run(Cpu c, Insn[] insns, int eip);
}
