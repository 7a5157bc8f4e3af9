package org.jlguest.cpu.vectors;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One CPU test case: code, the state it starts from, and what real hardware did with it.
 *
 * @param id     unique name, e.g. {@code alu-000123}
 * @param mode   execution environment; only {@value #USER32} exists
 * @param code   the instruction bytes, placed at {@code init.regs.eip}
 * @param init   registers and flags before the first instruction
 * @param mem    the data regions mapped read/write, with their initial contents
 * @param expect what the hardware reported
 */
public record CpuCase(String id, String mode, byte[] code, Init init, List<Mem> mem, Expect expect) {

    /** The only mode: flat CPL-3 segments, paging on, NX data pages (a Linux process). */
    public static final String USER32 = "user32";

    /** The flags user code can change with POPF and that the masks talk about: CF PF AF ZF SF DF OF. */
    public static final int USER_FLAGS = 0xCD5;

    public CpuCase {
        if (!id.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("bad case id \"" + id + "\"");
        if (!USER32.equals(mode)) throw new IllegalArgumentException("unknown mode " + mode);
        code = code.clone();
        Objects.requireNonNull(init, "init");
        mem = List.copyOf(mem);
        Objects.requireNonNull(expect, "expect");
        if (init.fpu().isPresent() != expect.fpu().isPresent()) {
            throw new IllegalArgumentException("case " + id + ": init.fpu and expect.fpu go together");
        }
    }

    @Override
    public byte[] code() {
        return code.clone();
    }

    /** The address just past the code: reaching it means the case completed. */
    public int endEip() {
        return init.regs().eip() + code.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuCase c && id.equals(c.id) && mode.equals(c.mode) && Arrays.equals(code, c.code)
                && init.equals(c.init) && mem.equals(c.mem) && expect.equals(c.expect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, mode, Arrays.hashCode(code), init, mem, expect);
    }

    @Override
    public String toString() {
        return "CpuCase[" + id + " code=" + HexFormat.of().formatHex(code) + " init=" + init + " mem=" + mem
                + " expect=" + expect + "]";
    }

    /** The eight general registers (in encoding order EAX ECX EDX EBX ESP EBP ESI EDI) and EIP. */
    public record Regs(int eax, int ecx, int edx, int ebx, int esp, int ebp, int esi, int edi, int eip) {

        /** Register names in encoding order, then EIP: the JSON keys. */
        public static final List<String> NAMES = List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip");

        /** Builds from the eight general registers in encoding order and EIP. */
        public static Regs of(int[] gprs, int eip) {
            if (gprs.length != 8) throw new IllegalArgumentException("need 8 registers, got " + gprs.length);
            return new Regs(gprs[0], gprs[1], gprs[2], gprs[3], gprs[4], gprs[5], gprs[6], gprs[7], eip);
        }

        /** Register by encoding index 0..7, or 8 for EIP. */
        public int get(int index) {
            return switch (index) {
                case 0 -> eax;
                case 1 -> ecx;
                case 2 -> edx;
                case 3 -> ebx;
                case 4 -> esp;
                case 5 -> ebp;
                case 6 -> esi;
                case 7 -> edi;
                case 8 -> eip;
                default -> throw new IndexOutOfBoundsException(index);
            };
        }

        public int[] gprs() {
            return new int[] {eax, ecx, edx, ebx, esp, ebp, esi, edi};
        }
    }

    /**
     * Starting state: registers, EIP and the full EFLAGS image (IF and bit 1 set), and for x87
     * cases the FPU state; without it the FPU starts as FNINIT leaves it and is not checked.
     */
    public record Init(Regs regs, int eflags, Optional<FpuState> fpu) {
        public Init {
            Objects.requireNonNull(regs, "regs");
            Objects.requireNonNull(fpu, "fpu");
        }

        /** A case that does not involve the FPU. */
        public Init(Regs regs, int eflags) {
            this(regs, eflags, Optional.empty());
        }
    }

    /** A memory region: its address and bytes. */
    public record Mem(int addr, byte[] bytes) {

        public Mem {
            if (bytes.length == 0) throw new IllegalArgumentException("empty memory region");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mem m && addr == m.addr && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * addr + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return String.format("%08x:%s", addr, HexFormat.of().formatHex(bytes));
        }
    }

    /**
     * An exception the hardware raised.
     *
     * @param vector    the exception vector (0 #DE, 3 #BP, 4 #OF, 5 #BR, 6 #UD, 13 #GP, 14 #PF, 16 #MF)
     * @param errorCode present for #GP and #PF only
     * @param cr2       present for #PF only: the faulting linear address
     */
    public record Fault(int vector, OptionalInt errorCode, OptionalInt cr2) {
        public Fault {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(cr2, "cr2");
        }

        /** Whether this vector carries an error code in the format (#GP and #PF). */
        public static boolean hasErrorCode(int vector) {
            return vector == 13 || vector == 14;
        }
    }

    /**
     * What the hardware left: registers and EIP (for a fault, as the exception reported them),
     * EFLAGS with the mask of flags that are defined, every region's final bytes, the fault, and
     * for x87 cases the FPU state.
     */
    public record Expect(Regs regs, int eflags, int eflagsMask, List<Mem> mem, Optional<Fault> fault,
            Optional<FpuExpect> fpu) {
        public Expect {
            Objects.requireNonNull(regs, "regs");
            mem = List.copyOf(mem);
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(fpu, "fpu");
        }

        /** The expectation of a case that does not involve the FPU. */
        public Expect(Regs regs, int eflags, int eflagsMask, List<Mem> mem, Optional<Fault> fault) {
            this(regs, eflags, eflagsMask, mem, fault, Optional.empty());
        }
    }
}
