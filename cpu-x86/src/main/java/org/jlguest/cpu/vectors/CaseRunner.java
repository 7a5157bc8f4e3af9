package org.jlguest.cpu.vectors;

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
 * mask, the bytes of every memory region, and the exception (vector, and error
 * code and CR2 where the case gives them).
 */
public final class CaseRunner {

    private static final String[] REG_NAMES = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] FLAG_NAMES = {"CF", "1", "PF", "3", "AF", "5", "ZF", "SF", "TF", "IF", "DF", "OF",
        "IOPL0", "IOPL1", "NT", "15", "RF", "VM", "AC", "VIF", "VIP", "ID"};

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
        return new CaseResult(c, mismatches);
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
                    cpu.getEflags(), e.eflagsMask(), flagNames(diff)));
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

    private static String flagNames(int bits) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) s.append(s.length() == 0 ? "" : " ").append(FLAG_NAMES[i]);
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
