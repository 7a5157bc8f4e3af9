package org.jlguest.bench;

import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.Cpu;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest MIPS: small integer loops run by the interpreter in user32 mode (CPL 3, paging on).
 *
 * <p>Each invocation runs a fixed number of guest instructions, declared with
 * {@link OperationsPerInvocation}, so the score in ops/us reads directly as millions of guest
 * instructions per second. The setup runs each loop once and refuses to go on unless it retired
 * exactly that many instructions, so a missing instruction cannot pass for a fast one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InterpreterBenchmark {
    private static final int CODE = 0x08048000;
    private static final int DATA = 0x08100000;
    private static final int ITERATIONS = 1_000_000;

    /**
     * Register-only loop, five instructions per iteration:
     * {@code add eax,ebx; xor edx,eax; add ebx,0x9E3779B9; dec ecx; jnz loop}.
     */
    private static final byte[] REGISTER_LOOP = bytes(
            0x01, 0xD8,
            0x31, 0xC2,
            0x81, 0xC3, 0xB9, 0x79, 0x37, 0x9E,
            0x49,
            0x75, 0xF3);
    private static final long REGISTER_INSNS = 5L * ITERATIONS;

    /**
     * A checksum over a 4 KiB buffer, every load through the TLB, seven instructions per
     * iteration: {@code mov eax,[esi+edi*4]; add edx,eax; xor edx,edi; inc edi; and edi,0x3FF;
     * dec ecx; jnz loop}.
     */
    private static final byte[] CHECKSUM_LOOP = bytes(
            0x8B, 0x04, 0xBE,
            0x01, 0xC2,
            0x31, 0xFA,
            0x47,
            0x81, 0xE7, 0xFF, 0x03, 0x00, 0x00,
            0x49,
            0x75, 0xEF);
    private static final long CHECKSUM_INSNS = 7L * ITERATIONS;

    private UserMachine registerMachine;
    private UserMachine checksumMachine;

    @Setup
    public void setUp() {
        registerMachine = machine(REGISTER_LOOP);
        checksumMachine = machine(CHECKSUM_LOOP);
        byte[] buffer = new byte[4096];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) (i * 31 + 7);
        }
        checksumMachine.mapData(DATA, buffer);
        check(runRegisterLoop(), REGISTER_INSNS, "register loop");
        check(runChecksumLoop(), CHECKSUM_INSNS, "checksum loop");
    }

    @Benchmark
    @OperationsPerInvocation(5 * ITERATIONS)
    public UserRun registerLoop() {
        return runRegisterLoop();
    }

    @Benchmark
    @OperationsPerInvocation(7 * ITERATIONS)
    public UserRun checksumLoop() {
        return runChecksumLoop();
    }

    private UserRun runRegisterLoop() {
        Cpu cpu = registerMachine.cpu();
        cpu.setReg(Cpu.EAX, 1);
        cpu.setReg(Cpu.EBX, 0x12345678);
        cpu.setReg(Cpu.ECX, ITERATIONS);
        cpu.setEip(CODE);
        return registerMachine.run(CODE + REGISTER_LOOP.length, 2 * REGISTER_INSNS);
    }

    private UserRun runChecksumLoop() {
        Cpu cpu = checksumMachine.cpu();
        cpu.setReg(Cpu.ESI, DATA);
        cpu.setReg(Cpu.EDI, 0);
        cpu.setReg(Cpu.EDX, 0);
        cpu.setReg(Cpu.ECX, ITERATIONS);
        cpu.setEip(CODE);
        return checksumMachine.run(CODE + CHECKSUM_LOOP.length, 2 * CHECKSUM_INSNS);
    }

    private static UserMachine machine(byte[] loop) {
        UserMachine machine = new UserMachine();
        machine.mapCode(CODE, loop);
        return machine;
    }

    private static void check(UserRun run, long expected, String loop) {
        if (run.outcome() != UserRun.Outcome.COMPLETED || run.instructions() != expected) {
            throw new IllegalStateException(loop + " did not retire " + expected + " instructions: " + run);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
