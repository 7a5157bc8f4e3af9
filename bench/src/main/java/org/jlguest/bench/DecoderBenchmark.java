package org.jlguest.bench;

import java.util.concurrent.TimeUnit;
import org.jlguest.cpu.Decoder;
import org.jlguest.cpu.Family;
import org.jlguest.cpu.Insn;
import org.jlguest.mmu.Fault;
import org.jlguest.mmu.GuestMemory;
import org.jlguest.mmu.Mmu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a mix of instructions shaped like compiled 32-bit kernel code: stack frames, ModRM and
 * SIB memory operands, 0F opcodes, immediates, branches and a few prefixes. Bytes come through
 * the MMU's fetch path with paging off, as during early boot; a decoded block is reused many times
 * by the interpreter, so this is the price of a block-cache miss per instruction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class DecoderBenchmark {
    private static final int CODE = 0x1000;
    private static final int[] MIX = {
        0x55,                                     // push ebp
        0x89, 0xE5,                               // mov ebp, esp
        0x83, 0xEC, 0x18,                         // sub esp, 0x18
        0x8B, 0x45, 0x08,                         // mov eax, [ebp+8]
        0x8B, 0x54, 0x24, 0x04,                   // mov edx, [esp+4]
        0x8D, 0x44, 0x8A, 0x10,                   // lea eax, [edx+ecx*4+0x10]
        0x0F, 0xB6, 0x06,                         // movzx eax, byte [esi]
        0x85, 0xC0,                               // test eax, eax
        0x74, 0x05,                               // je +5
        0xE8, 0x00, 0x01, 0x00, 0x00,             // call rel32
        0x83, 0xF8, 0x07,                         // cmp eax, 7
        0x0F, 0x84, 0x10, 0x00, 0x00, 0x00,       // je rel32
        0xC7, 0x05, 0x00, 0x20, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // mov dword [0x2000], 1
        0x66, 0x89, 0x46, 0x02,                   // mov [esi+2], ax
        0xF3, 0xA5,                               // rep movsd
        0x01, 0xD8,                               // add eax, ebx
        0x31, 0xC0,                               // xor eax, eax
        0xC1, 0xE0, 0x04,                         // shl eax, 4
        0x64, 0xA1, 0x14, 0x00, 0x00, 0x00,       // mov eax, fs:[0x14]
        0xF0, 0x0F, 0xB1, 0x0A,                   // lock cmpxchg [edx], ecx
        0x5D,                                     // pop ebp
        0xC3,                                     // ret
    };
    private static final int INSNS = 22;

    private Decoder decoder;
    private final Insn insn = new Insn();
    private final int[] starts = new int[INSNS];

    @Setup
    public void setUp() {
        GuestMemory memory = new GuestMemory(16);
        for (int i = 0; i < MIX.length; i++) {
            memory.write8(CODE + i, MIX[i]);
        }
        decoder = new Decoder(new Mmu(memory, new Fault()));
        int at = CODE;
        for (int i = 0; i < INSNS; i++) {
            starts[i] = at;
            decoder.decode(insn, at, true);
            if (insn.family() == Family.INVALID || insn.family() == Family.TOO_LONG) {
                throw new IllegalStateException("instruction " + i + " of the mix does not decode");
            }
            at += insn.length();
        }
        if (at != CODE + MIX.length) {
            throw new IllegalStateException("the mix is " + MIX.length + " bytes, decoded " + (at - CODE));
        }
    }

    @Benchmark
    @OperationsPerInvocation(INSNS)
    public int decodeMix() {
        int lengths = 0;
        for (int start : starts) {
            decoder.decode(insn, start, true);
            lengths += insn.length();
        }
        return lengths;
    }
}
