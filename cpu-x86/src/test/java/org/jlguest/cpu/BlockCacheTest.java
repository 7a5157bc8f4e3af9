package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;
import org.junit.jupiter.api.Test;

/**
 * The decoded-block cache must never run stale bytes: code that stores into its own instruction
 * stream sees the new instructions, whether they lie later in the running block, on another page,
 * or in the part of an instruction that spills onto the next page. And unchanged code is decoded
 * once and then reused.
 */
class BlockCacheTest {
    private static final int CODE = 0x10000000;
    private static final int PAGE = 0x1000;

    private final UserMachine machine = new UserMachine();
    private final Cpu cpu = machine.cpu();

    /** Places {@code hex} at each offset of two writable, executable code pages. */
    private void writableCode(Object... offsetsAndHex) {
        byte[] pages = new byte[2 * PAGE];
        for (int i = 0; i < offsetsAndHex.length; i += 2) {
            byte[] b = HexFormat.of().parseHex(((String) offsetsAndHex[i + 1]).replace(" ", ""));
            System.arraycopy(b, 0, pages, (Integer) offsetsAndHex[i], b.length);
        }
        machine.mapData(CODE, pages); // writable first: mapping as code keeps the write permission
        machine.mapCode(CODE, pages);
    }

    private UserRun run(int start, int stop) {
        cpu.setEip(start);
        UserRun r = machine.run(stop, 100_000);
        assertEquals(UserRun.Outcome.COMPLETED, r.outcome(), () -> "ended with vector " + r.vector());
        return r;
    }

    @Test
    void storeAheadInTheSameBlockIsSeen() {
        writableCode(0,
                "80 05 08 00 00 10 42" // add byte [CODE+8], 0x42: patches the immediate below
                + " 04 00"); // add al, 0 (becomes add al, 0x42)
        run(CODE, CODE + 9);
        assertEquals(0x42, cpu.getReg(Cpu.EAX));
    }

    @Test
    void aLoopThatRewritesItsOwnImmediateSeesEachNewValue() {
        // Compiled after its second run, the loop is one region: the store into its own code
        // must still end the region and let the next round decode the new immediate.
        machine.interpreter().setCompileThreshold(2);
        writableCode(0,
                "b9 0a 00 00 00" // mov ecx, 10
                + " 05 01 00 00 00" // top: add eax, 1 (its immediate grows by 1 each round)
                + " 81 05 06 00 00 10 01 00 00 00" // add dword [CODE+6], 1
                + " 49" // dec ecx
                + " 75 ee"); // jnz top
        run(CODE, CODE + 0x17);
        assertEquals(55, cpu.getReg(Cpu.EAX));
    }

    @Test
    void aPushIntoTheRunningCodeIsSeen() {
        // Compiled after its second round, the loop pushes onto a data page until ECX is 3, when
        // its stack pointer lands inside its own code and the push rewrites the MOV's immediate.
        machine.interpreter().setCompileThreshold(2);
        machine.mapData(0x20000000, new byte[PAGE]);
        writableCode(0,
                "b9 0a 00 00 00" // mov ecx, 10
                + " be 14 00 00 10" // mov esi, CODE+20: a push there writes CODE+16..19
                + " bf 00 01 00 20" // mov edi, a data page
                + " b8 00 00 00 00" // top: mov eax, 0 (3 once the push has rewritten it)
                + " 01 c3" // add ebx, eax
                + " 89 fc" // mov esp, edi
                + " 83 f9 03" // cmp ecx, 3
                + " 0f 44 e6" // cmove esp, esi
                + " 51" // push ecx
                + " 49" // dec ecx
                + " 75 ed"); // jnz top
        run(CODE, CODE + 0x22);
        assertEquals(3 + 3, cpu.getReg(Cpu.EBX));
    }

    @Test
    void storeIntoAnotherPageReplacesItsDecodedBlock() {
        writableCode(
                0, "e9 fb 0f 00 00", // top: jmp page2
                0x10, "80 05 02 10 00 10 10" // add byte [page2+2], 0x10
                        + " 49" // dec ecx
                        + " 75 e6", // jnz top
                PAGE, "83 c0 01" // page2: add eax, 1 (the immediate grows by 0x10 each round)
                        + " e9 08 f0 ff ff"); // jmp CODE+0x10
        cpu.setReg(Cpu.ECX, 2);
        run(CODE, CODE + 0x1A);
        assertEquals(0x01 + 0x11, cpu.getReg(Cpu.EAX));
    }

    @Test
    void storeIntoTheSecondPageOfASpanningInstructionIsSeen() {
        writableCode(
                0, "e9 f8 0f 00 00", // top: jmp CODE+0xFFD
                0x10, "80 05 00 10 00 10 01" // add byte [CODE+0x1000], 1: the immediate's third byte
                        + " 49" // dec ecx
                        + " 75 e6", // jnz top
                PAGE - 3, "05 01 00 00 00" // add eax, 1 across the page boundary
                        + " e9 09 f0 ff ff"); // jmp CODE+0x10
        cpu.setReg(Cpu.ECX, 2);
        run(CODE, CODE + 0x1A);
        assertEquals(1 + 0x10001, cpu.getReg(Cpu.EAX));
    }

    @Test
    void aLoopBodyIsDecodedOnceAndReused() {
        writableCode(0, "b9 e8 03 00 00 40 49 75 fc"); // mov ecx, 1000; l: inc eax; dec ecx; jnz l
        Interpreter interpreter = machine.interpreter();
        // Compiled, the loop would run inside one region and never come back to the cache.
        interpreter.setTier(Tier.INTERPRETER);
        long decodes = interpreter.blockDecodes();
        long hits = interpreter.blockHits();
        run(CODE, CODE + 9);
        assertEquals(1000, cpu.getReg(Cpu.EAX));
        // The first round runs in the block that starts with MOV, the second decodes the loop body's
        // own block, and the remaining 998 reuse it.
        assertEquals(2, interpreter.blockDecodes() - decodes);
        assertEquals(998, interpreter.blockHits() - hits);
    }

    @Test
    void storesToDataLeaveDecodedCodeAlone() {
        machine.mapData(0x20000000, new byte[4]);
        writableCode(0, "b9 e8 03 00 00 01 03 49 75 fb"); // mov ecx, 1000; l: add [ebx], eax; dec ecx; jnz l
        cpu.setReg(Cpu.EBX, 0x20000000);
        cpu.setReg(Cpu.EAX, 3);
        Interpreter interpreter = machine.interpreter();
        // Compiled, the loop would run inside one region and never come back to the cache.
        interpreter.setTier(Tier.INTERPRETER);
        long decodes = interpreter.blockDecodes();
        run(CODE, CODE + 10);
        assertEquals(3000, cpu.mmu().read32(0x20000000));
        assertEquals(2, interpreter.blockDecodes() - decodes);
    }
}
