package org.jlguest.cpu.vectors;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;

/**
 * Runs a {@link CpuCase} on the interpreter and compares the outcome with what
 * the hardware recorded: every general register, EIP, EFLAGS under the case's
 * mask, the bytes of every memory region, the exception (vector, and error
 * code and CR2 where the case gives them), and for x87 cases the FPU state.
 *
 * <p>The FPU state goes in and comes out the way the native oracle moves it: the
 * interpreter runs an FRSTOR of the case's {@link FpuImage} before the case and an
 * FNSAVE after it. Those two instructions and the image live on two scratch pages
 * at {@value #SCRATCH_CODE_HEX} and below, outside every range a case may use.
 */
public final class CaseRunner {

    private static final String[] REG_NAMES = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] FLAG_NAMES = {"CF", "1", "PF", "3", "AF", "5", "ZF", "SF", "TF", "IF", "DF", "OF",
        "IOPL0", "IOPL1", "NT", "15", "RF", "VM", "AC", "VIF", "VIP", "ID"};

    private static final String SCRATCH_CODE_HEX = "0x0FFFF000";
    /** FRSTOR [image] at the scratch code page, then FNSAVE [image]: six bytes each. */
    private static final int SCRATCH_CODE = 0x0FFF_F000, SCRATCH_IMAGE = 0x0FFF_E000, SCRATCH_LENGTH = 6;
    private static final String[] X87_STATUS_NAMES = {"IE", "DE", "ZE", "OE", "UE", "PE", "SF", "ES", "C0", "C1", "C2",
        "TOP0", "TOP1", "TOP2", "C3", "B"};

    private final long maxInstructions;

    /** A runner that gives each case up to {@code maxInstructions} instructions. */
    public CaseRunner(long maxInstructions) {
        this.maxInstructions = maxInstructions;
    }

    /** A runner with a budget ample for every committed case (the longest loops run 65536 times). */
    public CaseRunner() {
        this(1_000_000);
    }

    public CaseResult run(CpuCase c) {
        List<String> mismatches = new ArrayList<>();
        UserMachine machine = new UserMachine();
        UserRun run;
        try {
            machine.mapCode(c.init().regs().eip(), c.code());
            for (CpuCase.Mem m : c.mem()) machine.mapData(m.addr(), m.bytes());
            Cpu cpu = machine.cpu();
            if (c.init().fpu().isPresent() && !loadFpu(machine, c.init().fpu().get())) {
                mismatches.add("the interpreter cannot FRSTOR the initial FPU state");
                return new CaseResult(c, mismatches);
            }
            for (int i = 0; i < 8; i++) cpu.setReg(i, c.init().regs().get(i));
            cpu.setEip(c.init().regs().eip());
            cpu.setEflags(c.init().eflags());
            run = machine.run(c.endEip(), maxInstructions);
        } catch (RuntimeException e) {
            mismatches.add("interpreter threw " + e);
            return new CaseResult(c, mismatches);
        }
        compareFault(c.expect().fault(), run, mismatches);
        compareState(c, machine, mismatches);
        c.expect().fpu().ifPresent(f -> compareFpu(f, machine, mismatches));
        return new CaseResult(c, mismatches);
    }

    private boolean loadFpu(UserMachine machine, FpuState state) {
        byte[] code = new byte[2 * SCRATCH_LENGTH];
        scratchInstruction(code, 0, 4);
        scratchInstruction(code, SCRATCH_LENGTH, 6);
        machine.mapCode(SCRATCH_CODE, code);
        machine.mapData(SCRATCH_IMAGE, FpuImage.encode(state));
        machine.cpu().setEip(SCRATCH_CODE);
        return machine.run(SCRATCH_CODE + SCRATCH_LENGTH, 2).outcome() == UserRun.Outcome.COMPLETED;
    }

    /** DD /reg with a 32-bit absolute operand: the scratch image. */
    private static void scratchInstruction(byte[] code, int at, int reg) {
        code[at] = (byte) 0xDD;
        code[at + 1] = (byte) (reg << 3 | 5);
        for (int i = 0; i < 4; i++) code[at + 2 + i] = (byte) (SCRATCH_IMAGE >>> (8 * i));
    }

    private void compareFpu(FpuExpect expected, UserMachine machine, List<String> out) {
        machine.cpu().setEip(SCRATCH_CODE + SCRATCH_LENGTH);
        UserRun save = machine.run(SCRATCH_CODE + 2 * SCRATCH_LENGTH, 2);
        if (save.outcome() != UserRun.Outcome.COMPLETED) {
            out.add("fpu: the interpreter cannot FNSAVE its final state: " + describe(save));
            return;
        }
        FpuState actual = FpuImage.decode(machine.read(SCRATCH_IMAGE, FpuImage.SIZE));
        FpuState e = expected.state();
        if (actual.cw() != e.cw()) out.add(String.format("fpu.cw: expected 0x%04x, actual 0x%04x", e.cw(), actual.cw()));
        int diff = (actual.sw() ^ e.sw()) & expected.swMask();
        if (diff != 0) {
            out.add(String.format("fpu.sw: expected 0x%04x, actual 0x%04x under mask 0x%04x, differing %s", e.sw(),
                    actual.sw(), expected.swMask(), names(diff, X87_STATUS_NAMES)));
        }
        if (actual.top() != e.top()) out.add("fpu.top: expected " + e.top() + ", actual " + actual.top());
        // A register accepted within the ulp tolerance may sit on the other side of the zero or
        // denormal boundary (a result that underflowed by one unit), so its tag is not compared.
        int tagsCompared = 0xFFFF;
        for (int p = 0; p < 8; p++) {
            FpuState.Register want = e.regs().get(p);
            FpuState.Register got = actual.regs().get(p);
            if (want.equals(got)) {
                continue;
            }
            if (ulpDistance(want, got) > expected.ulpTolerance()) {
                out.add(String.format("fpu.regs[%d] (ST(%d)): expected %s, actual %s%s", p, (p - e.top()) & 7, want, got,
                        expected.ulpTolerance() == 0 ? "" : " (beyond " + expected.ulpTolerance() + " ulp)"));
            } else {
                tagsCompared &= ~(3 << 2 * p);
            }
        }
        if (((actual.tw() ^ e.tw()) & tagsCompared) != 0) {
            out.add(String.format("fpu.tw: expected 0x%04x, actual 0x%04x", e.tw(), actual.tw()));
        }
    }

    /**
     * How many 64-bit-significand units apart two registers of the same sign are, or
     * {@link Long#MAX_VALUE} if their signs or integer bits differ. Counting exponent and
     * fraction as one number keeps neighbours across a power of two one unit apart.
     */
    static long ulpDistance(FpuState.Register a, FpuState.Register b) {
        if (((a.se() ^ b.se()) & 0x8000) != 0 || ((a.sig() ^ b.sig()) & Long.MIN_VALUE) != 0) return Long.MAX_VALUE;
        BigInteger distance = magnitude(a).subtract(magnitude(b)).abs();
        return distance.bitLength() < 63 ? distance.longValue() : Long.MAX_VALUE;
    }

    private static BigInteger magnitude(FpuState.Register r) {
        return BigInteger.valueOf(r.se() & 0x7FFF).shiftLeft(63).add(BigInteger.valueOf(r.sig() & Long.MAX_VALUE));
    }

    private static void compareFault(Optional<CpuCase.Fault> expected, UserRun run, List<String> out) {
        if (run.outcome() == UserRun.Outcome.BUDGET_EXHAUSTED) {
            out.add("outcome: expected " + describe(expected) + ", actual: instruction budget exhausted after "
                    + run.instructions() + " instructions");
            return;
        }
        boolean faulted = run.outcome() == UserRun.Outcome.FAULT;
        if (expected.isEmpty()) {
            if (faulted) out.add("outcome: expected completion, actual " + describe(run));
            return;
        }
        CpuCase.Fault f = expected.get();
        if (!faulted) {
            out.add("outcome: expected " + describe(expected) + ", actual completion");
            return;
        }
        if (run.vector() != f.vector()) {
            out.add("fault.vector: expected " + describe(expected) + ", actual " + describe(run));
            return;
        }
        if (f.errorCode().isPresent() && (!run.hasErrorCode() || run.errorCode() != f.errorCode().getAsInt())) {
            out.add(String.format("fault.error_code: expected 0x%x, actual %s", f.errorCode().getAsInt(),
                    run.hasErrorCode() ? String.format("0x%x", run.errorCode()) : "none"));
        }
        if (f.cr2().isPresent() && run.cr2() != f.cr2().getAsInt()) {
            out.add(String.format("fault.cr2: expected 0x%08x, actual 0x%08x", f.cr2().getAsInt(), run.cr2()));
        }
    }

    private static void compareState(CpuCase c, UserMachine machine, List<String> out) {
        Cpu cpu = machine.cpu();
        CpuCase.Expect e = c.expect();
        for (int i = 0; i < 8; i++) {
            int actual = cpu.getReg(i);
            if (actual != e.regs().get(i)) {
                out.add(String.format("%s: expected 0x%08x, actual 0x%08x", REG_NAMES[i], e.regs().get(i), actual));
            }
        }
        if (cpu.getEip() != e.regs().eip()) {
            out.add(String.format("eip: expected 0x%08x, actual 0x%08x", e.regs().eip(), cpu.getEip()));
        }
        int diff = (cpu.getEflags() ^ e.eflags()) & e.eflagsMask();
        if (diff != 0) {
            out.add(String.format("eflags: expected 0x%08x, actual 0x%08x under mask 0x%08x, differing %s", e.eflags(),
                    cpu.getEflags(), e.eflagsMask(), names(diff, FLAG_NAMES)));
        }
        for (int i = 0; i < e.mem().size(); i++) {
            CpuCase.Mem m = e.mem().get(i);
            byte[] actual;
            try {
                actual = machine.read(m.addr(), m.length());
            } catch (RuntimeException ex) {
                out.add(String.format("mem[%d] at 0x%08x: cannot read: %s", i, m.addr(), ex));
                continue;
            }
            byte[] expected = m.bytes();
            int first = Arrays.mismatch(expected, actual);
            if (first >= 0) {
                out.add(String.format("mem[%d] at 0x%08x: first difference at +%d (0x%08x)%n    expected %s%n    actual   %s",
                        i, m.addr(), first, m.addr() + first, HexFormat.of().formatHex(expected),
                        HexFormat.of().formatHex(actual)));
            }
        }
    }

    private static String names(int bits, String[] names) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1 << i)) != 0) s.append(s.length() == 0 ? "" : " ").append(names[i]);
        }
        return s.toString();
    }

    private static String describe(Optional<CpuCase.Fault> f) {
        if (f.isEmpty()) return "completion";
        CpuCase.Fault x = f.get();
        return "vector " + x.vector() + (x.errorCode().isPresent() ? String.format(" error 0x%x", x.errorCode().getAsInt()) : "")
                + (x.cr2().isPresent() ? String.format(" cr2 0x%08x", x.cr2().getAsInt()) : "");
    }

    private static String describe(UserRun run) {
        return "vector " + run.vector() + (run.hasErrorCode() ? String.format(" error 0x%x", run.errorCode()) : "")
                + (run.vector() == 14 ? String.format(" cr2 0x%08x", run.cr2()) : "");
    }
}
