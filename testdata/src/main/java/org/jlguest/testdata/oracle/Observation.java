package org.jlguest.testdata.oracle;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.FpuState;

/**
 * What the oracle reported for one case: the signal the kernel delivered, the
 * hardware's trap number, error code and CR2 from the signal context, the
 * registers at that moment, the final bytes of each memory region, and for x87
 * cases the FPU state at that moment.
 */
public record Observation(int signal, int trapNumber, int errorCode, int cr2,
        CpuCase.Regs regs, int eflags, List<byte[]> mem, Optional<FpuState> fpu) {

    static final int SIGILL = 4;
    static final int SIGALRM = 14;

    public Observation {
        mem = List.copyOf(mem);
        Objects.requireNonNull(fpu, "fpu");
    }

    /** The case ran out of time (it looped): it cannot become a vector. */
    public boolean timedOut() {
        return signal == SIGALRM;
    }
}
