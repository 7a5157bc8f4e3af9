package org.jlguest.testdata.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jlguest.cpu.vectors.CpuCase;
import org.jlguest.cpu.vectors.FpuExpect;
import org.jlguest.cpu.vectors.FpuState;

/**
 * A case before it has met the hardware: code, starting state, and which flags the
 * instruction leaves defined. {@link #complete} adds what the oracle observed.
 *
 * @param eflagsMask   flags the Intel SDM defines after this code (see {@code VECTORS.md})
 * @param fpuCheck     for x87 cases (those with {@code init.fpu}): the status bits the SDM
 *                     defines after this code, and the register tolerance
 */
public record Probe(String id, byte[] code, CpuCase.Init init, List<CpuCase.Mem> mem, int eflagsMask, FpuCheck fpuCheck) {

    /** How an x87 case's final FPU state is compared: {@code expect.fpu.sw_mask} and {@code ulp_tolerance}. */
    public record FpuCheck(int swMask, long ulpTolerance) {
        public static final FpuCheck EXACT = new FpuCheck(FpuExpect.ALL_STATUS, 0);
    }

    public Probe {
        Objects.requireNonNull(id, "id");
        code = code.clone();
        Objects.requireNonNull(init, "init");
        mem = List.copyOf(mem);
        Objects.requireNonNull(fpuCheck, "fpuCheck");
    }

    /** A case that does not involve the FPU. */
    public Probe(String id, byte[] code, CpuCase.Init init, List<CpuCase.Mem> mem, int eflagsMask) {
        this(id, code, init, mem, eflagsMask, FpuCheck.EXACT);
    }

    @Override
    public byte[] code() {
        return code.clone();
    }

    public int endEip() {
        return init.regs().eip() + code.length;
    }

    /**
     * The finished case. A #UD at the end of the code is the oracle's sentinel, meaning
     * the code completed; any other exception is the case's own.
     */
    public CpuCase complete(Observation o) {
        Optional<CpuCase.Fault> fault = Optional.empty();
        boolean sentinel = o.signal() == Observation.SIGILL && o.trapNumber() == 6 && o.regs().eip() == endEip();
        if (!sentinel) {
            int v = o.trapNumber();
            fault = Optional.of(new CpuCase.Fault(v,
                    CpuCase.Fault.hasErrorCode(v) ? OptionalInt.of(o.errorCode()) : OptionalInt.empty(),
                    v == 14 ? OptionalInt.of(o.cr2()) : OptionalInt.empty()));
        }
        List<CpuCase.Mem> after = new ArrayList<>();
        for (int i = 0; i < mem.size(); i++) after.add(new CpuCase.Mem(mem.get(i).addr(), o.mem().get(i)));
        Optional<FpuExpect> fpu = Optional.empty();
        if (init.fpu().isPresent()) {
            FpuState state = o.fpu().orElseThrow(() -> new IllegalStateException("no FPU state observed for " + id));
            fpu = Optional.of(new FpuExpect(state, fpuCheck.swMask(), fpuCheck.ulpTolerance()));
        }
        return new CpuCase(id, CpuCase.USER32, code, init, mem,
                new CpuCase.Expect(o.regs(), o.eflags(), eflagsMask, after, fault, fpu));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Probe p && id.equals(p.id) && Arrays.equals(code, p.code) && init.equals(p.init)
                && mem.equals(p.mem) && eflagsMask == p.eflagsMask && fpuCheck.equals(p.fpuCheck);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(code), init, mem, eflagsMask, fpuCheck);
    }

    @Override
    public String toString() {
        return "Probe[" + id + " code=" + HexFormat.of().formatHex(code) + " init=" + init + " mem=" + mem
                + String.format(" mask=%x", eflagsMask) + (init.fpu().isPresent() ? " " + fpuCheck : "") + "]";
    }
}
