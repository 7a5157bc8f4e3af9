/**
 * CPU test vectors: cases recorded on real hardware ("jlguest-cpu-vectors v1",
 * described in {@code testdata/VECTORS.md}) and the runner that replays them on
 * the interpreter.
 *
 * <p>A case is a short code fragment with its starting registers and memory,
 * plus what a real x86 CPU left behind. {@link org.jlguest.cpu.vectors.VectorJson}
 * reads and writes the JSON Lines form, {@link org.jlguest.cpu.vectors.VectorFiles}
 * opens plain or gzip files, and {@link org.jlguest.cpu.vectors.CaseRunner} runs a
 * case on {@code org.jlguest.cpu.user.UserMachine} and lists every difference.
 */
package org.jlguest.cpu.vectors;
