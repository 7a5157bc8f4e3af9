package org.jlguest.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.jlguest.cpu.user.UserMachine;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;

/** Hand-picked encodings whose lengths and fields are known from the SDM. */
class DecoderTest {
    private static final int CODE = 0x10000000;

    private final UserMachine machine = new UserMachine();
    private final Decoder decoder = new Decoder(machine.cpu().mmu());

    private Insn decode(String hex, boolean code32) {
        machine.mapCode(CODE, HexFormat.of().parseHex(hex.replace(" ", "")));
        Insn in = new Insn();
        decoder.decode(in, CODE, code32);
        return in;
    }

    private Insn decode(String hex) {
        return decode(hex, true);
    }

    private void assertLength(int length, String hex) {
        Insn in = decode(hex);
        assertEquals(length, in.length, hex);
        assertTrue(in.family != Family.INVALID && in.family != Family.TOO_LONG, hex);
    }

    private void assertLength16(int length, String hex) {
        Insn in = decode(hex, false);
        assertEquals(length, in.length, hex);
        assertTrue(in.family != Family.INVALID && in.family != Family.TOO_LONG, hex);
    }

    private void assertInvalid(String hex) {
        assertEquals(Family.INVALID, decode(hex).family, hex);
    }

    private void assertMemory(Insn in, int base, int index, int scale, int disp, int seg) {
        assertEquals(base, in.base, "base");
        assertEquals(index, in.index, "index");
        assertEquals(scale, in.scale, "scale");
        assertEquals(disp, in.disp, "disp");
        assertEquals(seg, in.seg, "segment");
    }

    // ---- 32-bit addressing ------------------------------------------------------------

    @Test
    void registerForm() {
        Insn in = decode("01 d8"); // add eax, ebx
        assertEquals(2, in.length);
        assertEquals(3, in.mod);
        assertEquals(Cpu.EBX, in.reg);
        assertEquals(Cpu.EAX, in.rm);
        assertFalse(in.hasMemoryOperand());
    }

    @Test
    void thirtyTwoBitModrmForms() {
        assertMemory(decode("8b 03"), Cpu.EBX, 8, 0, 0, Cpu.DS); // [ebx]
        assertMemory(decode("8b 05 78 56 34 12"), 8, 8, 0, 0x12345678, Cpu.DS); // [disp32]
        assertMemory(decode("8b 45 f8"), Cpu.EBP, 8, 0, -8, Cpu.SS); // [ebp-8]
        assertMemory(decode("8b 86 00 01 00 00"), Cpu.ESI, 8, 0, 0x100, Cpu.DS); // [esi+0x100]
        assertMemory(decode("8b 85 00 00 00 80"), Cpu.EBP, 8, 0, 0x80000000, Cpu.SS); // [ebp+disp32]
        assertEquals(2, decode("8b 03").length);
        assertEquals(6, decode("8b 05 78 56 34 12").length);
        assertEquals(3, decode("8b 45 f8").length);
        assertEquals(6, decode("8b 86 00 01 00 00").length);
    }

    @Test
    void sibForms() {
        Insn in = decode("8b 04 24"); // [esp]
        assertEquals(3, in.length);
        assertMemory(in, Cpu.ESP, 8, 0, 0, Cpu.SS);

        in = decode("8b 44 8b 10"); // [ebx+ecx*4+0x10]
        assertEquals(4, in.length);
        assertMemory(in, Cpu.EBX, Cpu.ECX, 2, 0x10, Cpu.DS);

        in = decode("8b 84 f7 00 10 00 00"); // [edi+esi*8+0x1000]
        assertEquals(7, in.length);
        assertMemory(in, Cpu.EDI, Cpu.ESI, 3, 0x1000, Cpu.DS);

        in = decode("8b 04 8d 00 00 00 20"); // [ecx*4+0x20000000]: SIB base 5 with mod 0 is disp32
        assertEquals(7, in.length);
        assertMemory(in, 8, Cpu.ECX, 2, 0x20000000, Cpu.DS);

        in = decode("8b 04 25 44 33 22 11"); // [0x11223344]: index 4 is "none"
        assertEquals(7, in.length);
        assertMemory(in, 8, 8, 0, 0x11223344, Cpu.DS);

        in = decode("8b 44 2d 00"); // [ebp+ebp+0]: base EBP with mod 1 defaults to SS
        assertEquals(4, in.length);
        assertMemory(in, Cpu.EBP, Cpu.EBP, 0, 0, Cpu.SS);

        in = decode("8b 44 65 fc"); // [ebp-4], SIB with no index
        assertEquals(4, in.length);
        assertMemory(in, Cpu.EBP, 8, 1, -4, Cpu.SS);

        in = decode("8b 0c 2c"); // [esp+ebp]: the base, not the index, picks SS
        assertMemory(in, Cpu.ESP, Cpu.EBP, 0, 0, Cpu.SS);

        in = decode("8b 0c 24"); // base ESP
        assertEquals(Cpu.SS, in.seg);
        in = decode("8b 0c 20"); // [eax], index 4 = none
        assertMemory(in, Cpu.EAX, 8, 0, 0, Cpu.DS);
    }

    // ---- 16-bit addressing ------------------------------------------------------------

    @Test
    void sixteenBitModrmForms() {
        assertMemory(decode("67 8b 00"), Cpu.EBX, Cpu.ESI, 0, 0, Cpu.DS); // [bx+si]
        assertMemory(decode("67 8b 01"), Cpu.EBX, Cpu.EDI, 0, 0, Cpu.DS); // [bx+di]
        assertMemory(decode("67 8b 02"), Cpu.EBP, Cpu.ESI, 0, 0, Cpu.SS); // [bp+si]
        assertMemory(decode("67 8b 03"), Cpu.EBP, Cpu.EDI, 0, 0, Cpu.SS); // [bp+di]
        assertMemory(decode("67 8b 04"), Cpu.ESI, 8, 0, 0, Cpu.DS); // [si]
        assertMemory(decode("67 8b 05"), Cpu.EDI, 8, 0, 0, Cpu.DS); // [di]
        assertMemory(decode("67 8b 06 34 12"), 8, 8, 0, 0x1234, Cpu.DS); // [disp16]
        assertMemory(decode("67 8b 07"), Cpu.EBX, 8, 0, 0, Cpu.DS); // [bx]
        assertMemory(decode("67 8b 46 fe"), Cpu.EBP, 8, 0, -2, Cpu.SS); // [bp-2]
        assertMemory(decode("67 8b 8f 00 80"), Cpu.EBX, 8, 0, -0x8000, Cpu.DS); // [bx-0x8000]
        assertEquals(3, decode("67 8b 00").length);
        assertEquals(5, decode("67 8b 06 34 12").length);
        assertEquals(4, decode("67 8b 46 fe").length);
        assertEquals(5, decode("67 8b 86 34 12").length);
        assertTrue(decode("67 8b 00").a16);
    }

    @Test
    void sixteenBitCodeSwapsTheDefaults() {
        Insn in = decode("8b 06 34 12", false); // mov ax, [0x1234]
        assertEquals(4, in.length);
        assertTrue(in.a16);
        assertTrue(in.o16);
        assertEquals(1, in.size);

        in = decode("66 67 8b 04 24", false); // mov eax, [esp]
        assertEquals(5, in.length);
        assertFalse(in.a16);
        assertFalse(in.o16);
        assertEquals(2, in.size);
        assertMemory(in, Cpu.ESP, 8, 0, 0, Cpu.SS);

        assertLength16(3, "b8 34 12"); // mov ax, imm16
        assertLength16(6, "66 b8 78 56 34 12"); // mov eax, imm32
        assertLength16(3, "e8 fd ff"); // call rel16
        assertLength16(5, "ea 00 00 00 f0"); // jmpf ptr16:16
    }

    // ---- prefixes ---------------------------------------------------------------------

    @Test
    void segmentOverrides() {
        int[][] prefixes = {{0x26, Cpu.ES}, {0x2E, Cpu.CS}, {0x36, Cpu.SS}, {0x3E, Cpu.DS}, {0x64, Cpu.FS}, {0x65, Cpu.GS}};
        for (int[] p : prefixes) {
            Insn in = decode(String.format("%02x 8b 45 00", p[0])); // mov eax, seg:[ebp]
            assertEquals(4, in.length);
            assertEquals(p[1], in.seg);
            assertTrue(in.segOverride);
        }
        assertEquals(Cpu.GS, decode("64 65 8b 03").seg); // the last override wins
        assertEquals(Cpu.FS, decode("64 a1 00 00 00 00").seg); // moffs honours overrides too
    }

    @Test
    void repLockAndSizePrefixes() {
        Insn in = decode("f3 a5"); // rep movsd
        assertEquals(2, in.length);
        assertEquals(Insn.REP, in.rep);
        assertEquals(Insn.REPNE, decode("f2 ae").rep);
        assertEquals(Insn.REP, decode("f2 f3 a6").rep);

        in = decode("f0 01 03"); // lock add [ebx], eax
        assertEquals(3, in.length);
        assertTrue(in.lock);
        assertEquals(Family.ALU, in.family);

        in = decode("66 67 f3 2e a5");
        assertEquals(5, in.length);
        assertTrue(in.o16);
        assertTrue(in.a16);
        assertEquals(Insn.REP, in.rep);
        assertEquals(Cpu.CS, in.seg);
        assertEquals(1, in.size);

        in = decode("66 66 66 90"); // repeated prefixes count towards the length
        assertEquals(4, in.length);
        assertTrue(in.o16);
    }

    // ---- immediates -------------------------------------------------------------------

    @Test
    void immediatesOfEachKind() {
        assertLength(2, "04 12"); // add al, ib
        assertLength(5, "05 78 56 34 12"); // add eax, iz
        assertLength(4, "66 05 34 12"); // add ax, iz
        assertEquals(0xFF, decode("80 c0 ff").imm); // Ib is zero-extended
        assertEquals(-1, decode("83 c0 ff").imm); // Ibs is sign-extended
        assertEquals(0x12345678, decode("81 c0 78 56 34 12").imm);
        assertLength(6, "69 c0 78 56 34 12"); // imul eax, eax, iz
        assertLength(3, "6b c0 05"); // imul eax, eax, ibs
        assertLength(10, "c7 05 00 00 00 20 78 56 34 12"); // mov dword [disp32], imm32
        assertLength(11, "c7 84 24 04 00 00 00 78 56 34 12"); // mov dword [esp+disp32], imm32
        assertLength(5, "68 00 00 00 00"); // push iz
        assertEquals(-128, decode("6a 80").imm);
        assertLength(3, "c0 e0 05"); // shl al, 5
        assertLength(4, "0f a4 c0 05"); // shld eax, eax, 5
        assertLength(4, "0f ba e0 05"); // bt eax, 5
        assertLength(2, "d4 0a"); // aam
        assertLength(2, "e4 60"); // in al, 0x60
        assertLength(2, "cd 80"); // int 0x80
        assertEquals(0x80, decode("cd 80").imm);
    }

    @Test
    void groupThreeHasAnImmediateOnlyForTest() {
        assertLength(3, "f6 c0 12"); // test al, 0x12
        assertLength(2, "f6 d0"); // not al
        assertLength(6, "f7 c0 78 56 34 12"); // test eax, imm32
        assertLength(5, "66 f7 c0 34 12"); // test ax, imm16
        assertLength(2, "f7 d8"); // neg eax
        assertLength(2, "f7 f1"); // div ecx
    }

    @Test
    void relativeBranchesCarrySignedDisplacements() {
        Insn in = decode("eb fe");
        assertEquals(2, in.length);
        assertEquals(-2, in.imm);
        in = decode("e8 fb ff ff ff");
        assertEquals(5, in.length);
        assertEquals(-5, in.imm);
        in = decode("66 e8 fc ff");
        assertEquals(4, in.length);
        assertEquals(-4, in.imm);
        in = decode("0f 84 00 01 00 00");
        assertEquals(6, in.length);
        assertEquals(0x100, in.imm);
        in = decode("66 0f 85 00 80");
        assertEquals(5, in.length);
        assertEquals(-0x8000, in.imm);
        assertEquals(-3, decode("e2 fd").imm);
    }

    @Test
    void farPointersEnterAndReturnImmediates() {
        Insn in = decode("9a 78 56 34 12 23 00"); // callf 0x23:0x12345678
        assertEquals(7, in.length);
        assertEquals(0x12345678, in.imm);
        assertEquals(0x23, in.imm2);
        in = decode("66 ea 34 12 23 00"); // jmpf 0x23:0x1234
        assertEquals(6, in.length);
        assertEquals(0x1234, in.imm);
        assertEquals(0x23, in.imm2);
        in = decode("c8 10 00 02"); // enter 16, 2
        assertEquals(4, in.length);
        assertEquals(16, in.imm);
        assertEquals(2, in.imm2);
        in = decode("c2 08 80"); // ret 0x8008: Iw is zero-extended
        assertEquals(3, in.length);
        assertEquals(0x8008, in.imm);
        assertLength(3, "ca 04 00");
    }

    @Test
    void absoluteOffsetsFollowTheAddressSize() {
        Insn in = decode("a1 78 56 34 12"); // mov eax, [0x12345678]
        assertEquals(5, in.length);
        assertEquals(0x12345678, in.disp);
        assertEquals(8, in.base);
        in = decode("67 a1 34 12"); // mov eax, [0x1234]
        assertEquals(4, in.length);
        assertEquals(0x1234, in.disp);
        assertLength(6, "66 a3 78 56 34 12"); // mov [moffs32], ax: the offset stays 32 bits
    }

    // ---- limits and invalid forms -----------------------------------------------------

    @Test
    void fifteenBytesIsTheLimit() {
        assertLength(15, "66".repeat(14) + "90");
        Insn in = decode("66".repeat(15) + "90");
        assertEquals(Family.TOO_LONG, in.family);
        assertEquals(15, in.length);

        String longest = "c7 84 88 44 33 22 11 78 56 34 12"; // 11 bytes
        assertLength(15, "26 26 26 26 " + longest);
        assertEquals(Family.TOO_LONG, decode("26 26 26 26 26 " + longest).family);
        assertEquals(Family.TOO_LONG, decode("f3".repeat(14) + "0f 84 00 00 00 00").family);
    }

    @Test
    void lockOnlyOnLockableMemoryDestinations() {
        assertEquals(Family.ALU, decode("f0 83 03 01").family); // lock add dword [ebx], 1
        assertEquals(Family.MOVE, decode("f0 0f c7 0e").family); // lock cmpxchg8b [esi]
        assertEquals(Family.BIT, decode("f0 0f ba 2b 03").family); // lock bts dword [ebx], 3
        assertInvalid("f0 01 d8"); // register destination
        assertInvalid("f0 8b 03"); // mov
        assertInvalid("f0 39 03"); // cmp writes nothing
        assertInvalid("f0 90");
        assertInvalid("f0 0f ba 23 03"); // bt reads only
        assertInvalid("f0 f7 03 00 00 00 00"); // test
        assertInvalid("f0 ff 33"); // push [ebx]
    }

    @Test
    void undefinedGroupRowsAndOpcodes() {
        assertInvalid("8f c8"); // 8F /1
        assertInvalid("c6 c8 00"); // C6 /1
        assertInvalid("c7 08 00 00 00 00"); // C7 /1
        assertInvalid("fe 10"); // FE /2
        assertInvalid("ff 38"); // FF /7
        assertInvalid("0f ba 00 05"); // 0F BA /0: only /4-/7 (BT, BTS, BTR, BTC) exist
        assertInvalid("0f 00 30"); // 0F 00 /6
        assertInvalid("0f 01 28"); // 0F 01 /5
        assertInvalid("0f c7 00"); // 0F C7 /0
        assertInvalid("0f 0b"); // UD2
        assertInvalid("0f ff");
        assertInvalid("0f 04");
    }

    @Test
    void memoryOnlyOperandsRejectRegisterForms() {
        assertInvalid("8d c0"); // lea eax, eax
        assertInvalid("62 c0"); // bound
        assertInvalid("c4 c0"); // les
        assertInvalid("ff d8"); // callf through a register
        assertInvalid("ff e8"); // jmpf through a register
        assertInvalid("0f 01 d0"); // lgdt
        assertInvalid("0f b2 c0"); // lss
        assertInvalid("0f c7 c8"); // cmpxchg8b
        assertLength(3, "8d 04 24"); // lea eax, [esp]
    }

    @Test
    void fetchAcrossIntoAnUnmappedPageFaultsOnThatPage() {
        byte[] page = new byte[4096];
        page[4094] = (byte) 0xB8; // mov eax, imm32 whose immediate lies on the next page
        page[4095] = 0x01;
        machine.mapCode(CODE, page);
        Fault f = assertThrows(Fault.class, () -> decoder.decode(new Insn(), CODE + 4094, true));
        assertEquals(Fault.PF, f.vector());
        assertEquals(CODE + 4096, f.cr2());
    }

    @Test
    void controlRegisterMovesIgnoreMod() {
        // 0F 20 05: mod 00 rm 101 would be disp32 for an ordinary ModRM; here it is "mov ebp, cr0".
        Insn in = decode("0f 20 05");
        assertEquals(3, in.length);
        assertEquals(3, in.mod);
        assertEquals(5, in.rm);
        assertEquals(3, decode("0f 22 44").length, "mov cr0, esp with mod 01: no displacement");
    }

    @Test
    void decodesFromAByteArrayPaddedWithZeros() {
        Insn in = new Insn();
        new Decoder().decode(in, new byte[] {0x66, (byte) 0x89, 0x43, 0x10, 0, 0, 0}, true);
        assertEquals(4, in.length);
        assertEquals(1, in.size, "16-bit store");
        assertEquals(0, in.reg, "from AX");
        new Decoder().decode(in, new byte[] {(byte) 0x8B, (byte) 0x83}, true);
        assertEquals(6, in.length, "mov eax, [ebx+disp32] with the missing displacement read as zero");
    }
}
