package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.cpu.user.UserRun;
import org.junit.jupiter.api.Test;

/** The compiled tier leaves exactly the interpreter's state: on completion, mid-block faults, budgets. */
class CompiledTierTest {
    private static final int CODE = UserCode.CODE;
    private static final int DATA = UserCode.DATA;

    /**
     * ECX = 200 iterations of a loop mixing register, load, store, LEA, MOVZX, CMP forms, an ALU
     * store without a form (the family path inside a compiled block) and DEC/JNZ.
     */
    private static String loop(int esi) {
        return "B9C8000000" + "BE" + String.format("%02X%02X%02X%02X", esi & 0xFF, (esi >>> 8) & 0xFF,
                (esi >>> 16) & 0xFF, esi >>> 24)
                + "31C0"
                + "0306" + "894604" + "8B5604" + "8D1C50" + "31CB" + "83FB07" + "0FB67E01" + "011E" + "49" + "75E7"
                + "90";
    }

    private record Outcome(UserRun run, int[] regs, int eflags, int eip, long instructions, byte[] data,
            long blocksCompiled) {
    }

    private static Outcome run(Tier tier, String hex, int dataAddr, long budget) {
        UserMachine m = new UserMachine();
        m.interpreter().setTier(tier);
        m.interpreter().setCompileThreshold(1);
        m.mapData(dataAddr, new byte[4096]);
        byte[] code = HexFormat.of().parseHex(hex);
        m.mapCode(CODE, code);
        Cpu cpu = m.cpu();
        cpu.setEip(CODE);
        UserRun r = m.run(CODE + code.length, budget);
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) {
            regs[i] = cpu.getReg(i);
        }
        return new Outcome(r, regs, cpu.getEflags(), cpu.getEip(), cpu.instructions(), m.read(dataAddr, 4096),
                m.interpreter().blocksCompiled());
    }

    private static UserRun same(String hex, int dataAddr, long budget) {
        Outcome a = run(Tier.INTERPRETER, hex, dataAddr, budget);
        Outcome b = run(Tier.COMPILED, hex, dataAddr, budget);
        assertTrue(b.blocksCompiled() > 0, "a block was compiled");
        assertEquals(a.run(), b.run());
        assertArrayEquals(a.regs(), b.regs());
        assertEquals(a.eflags(), b.eflags());
        assertEquals(a.eip(), b.eip());
        assertEquals(a.instructions(), b.instructions());
        assertArrayEquals(a.data(), b.data());
        return a.run();
    }

    @Test
    void loopCompletesAlike() {
        assertEquals(UserRun.Outcome.COMPLETED, same(loop(DATA), DATA, 1_000_000).outcome());
    }

    @Test
    void storeFaultMidBlockLeavesTheInterpretersState() {
        // [esi+4] lies on the unmapped page after the data page: the store faults on the loop's second instruction.
        UserRun r = same(loop(DATA + 0xFFC), DATA, 1_000_000);
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(org.jlguest.mmu.Fault.PF, r.vector());
    }

    @Test
    void aLoopRunsInsideItsCompiledRegion() {
        UserMachine m = new UserMachine();
        m.interpreter().setTier(Tier.COMPILED);
        m.interpreter().setCompileThreshold(2);
        m.mapData(DATA, new byte[4096]);
        byte[] code = HexFormat.of().parseHex(loop(DATA));
        m.mapCode(CODE, code);
        m.cpu().setEip(CODE);
        long before = m.interpreter().blockHits();
        assertEquals(UserRun.Outcome.COMPLETED, m.run(CODE + code.length, 1_000_000).outcome());
        // 200 iterations: the run loop finds the loop's block only until its region is compiled.
        long lookups = m.interpreter().blockHits() - before;
        assertTrue(lookups < 10, "the run loop looked up " + lookups + " blocks");
    }

    private static String le(int v) {
        return String.format("%02X%02X%02X%02X", v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24);
    }

    @Test
    void aPushBelowTheStackPageFaultsWithEspUnchanged() {
        // mov esp, DATA+0x40; mov ecx, 100; l: push ecx; call f; dec ecx; jnz l; nop; f: ret
        String code = "BC" + le(DATA + 0x40) + "B964000000" + "51" + "E803000000" + "4975F7" + "90" + "C3";
        UserRun r = same(code, DATA, 1_000_000);
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(org.jlguest.mmu.Fault.PF, r.vector());
    }

    @Test
    void aPopPastTheStackPageFaultsWithTheRegisterUnchanged() {
        // mov esp, DATA+0xF00; mov ecx, 100; l: pop eax; add ebx, eax; push 7; pop edx; dec ecx; jnz l
        String code = "BC" + le(DATA + 0xF00) + "B964000000" + "58" + "01C3" + "6A07" + "5A" + "4975F7";
        UserRun r = same(code, DATA, 1_000_000);
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(org.jlguest.mmu.Fault.PF, r.vector());
    }

    /**
     * The loop runs compiled with DS based at 0, then again with a DS base of 0x1000 and ESI
     * 0x1000 lower (the same linear addresses): the region, which took DS's base to be 0, must
     * decline, and the loop is compiled again for the new base.
     */
    @Test
    void aSegmentBaseThatIsNoLongerZeroIsAdded() {
        int[][] regs = new int[2][];
        byte[][] data = new byte[2][];
        long[] compiled = new long[2];
        for (Tier tier : Tier.values()) {
            UserMachine m = new UserMachine();
            m.interpreter().setTier(tier);
            m.interpreter().setCompileThreshold(1);
            m.mapData(DATA, new byte[4096]);
            Cpu cpu = m.cpu();
            byte[] code = HexFormat.of().parseHex(loop(DATA));
            m.mapCode(CODE, code);
            cpu.setEip(CODE);
            assertEquals(UserRun.Outcome.COMPLETED, m.run(CODE + code.length, 1_000_000).outcome());
            // Again at the loop's head (past MOV ECX, MOV ESI and XOR EAX: 12 bytes), whose region
            // was compiled in the first run.
            cpu.segBase[Cpu.DS] = 0x1000;
            cpu.setReg(Cpu.ECX, 200);
            cpu.setReg(Cpu.ESI, DATA - 0x1000);
            cpu.setReg(Cpu.EAX, 0);
            cpu.setEip(CODE + 12);
            assertEquals(UserRun.Outcome.COMPLETED, m.run(CODE + code.length, 1_000_000).outcome());
            regs[tier.ordinal()] = new int[8];
            for (int i = 0; i < 8; i++) {
                regs[tier.ordinal()][i] = cpu.getReg(i);
            }
            data[tier.ordinal()] = m.read(DATA, 4096);
            compiled[tier.ordinal()] = m.interpreter().blocksCompiled();
        }
        assertArrayEquals(regs[0], regs[1]);
        assertArrayEquals(data[0], data[1]);
        assertTrue(compiled[1] >= 2, "compiled for each base: " + compiled[1]);
    }

    @Test
    void budgetStopsAlike() {
        assertEquals(UserRun.Outcome.BUDGET_EXHAUSTED, same(loop(DATA), DATA, 777).outcome());
    }
}
