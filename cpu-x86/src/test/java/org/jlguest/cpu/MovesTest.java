package org.jlguest.cpu;

import static org.jlguest.cpu.UserCode.completes;
import static org.jlguest.cpu.UserCode.pageFault;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.junit.jupiter.api.Test;

class MovesTest {
    private static final int DATA = UserCode.DATA;
    private static final int UNMAPPED = 0x30000000;

    private static UserCode withData() {
        return new UserCode().data(DATA, new byte[4096]);
    }

    @Test
    void movBetweenRegistersAndMemory() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0x11223344).reg(Cpu.ECX, 0xAABBCCDD);
        completes(u.run("89 43 04 66 89 4b 08 88 63 0c 8a 43 05 66 8b 53 0a"));
        // mov [ebx+4],eax; mov [ebx+8],cx; mov [ebx+12],ah; mov al,[ebx+5]; mov dx,[ebx+10]
        assertEquals(0x11223344, u.cpu.mmu().read32(DATA + 4));
        assertEquals(0x0000CCDD, u.cpu.mmu().read32(DATA + 8));
        assertEquals(0x33, u.cpu.mmu().read8(DATA + 12));
        assertEquals(0x11223333, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x00000000, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void movImmediatesAndHighByteRegisters() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EDX, 0xFFFFFFFF);
        completes(u.run("b4 7f b6 01 66 b9 34 12 bb 78 56 34 12 c6 05 00 00 00 20 99 66 c7 05 02 00 00 20 cd ab"));
        // mov ah,7f; mov dh,1; mov cx,1234; mov ebx,12345678; mov byte [20000000],99; mov word [20000002],abcd
        assertEquals(0x7F00, u.cpu.getReg(Cpu.EAX));
        assertEquals(0xFFFF01FF, u.cpu.getReg(Cpu.EDX));
        assertEquals(0x1234, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x12345678, u.cpu.getReg(Cpu.EBX));
        assertEquals(0xABCD0099, u.cpu.mmu().read32(DATA));
    }

    @Test
    void moffsFormsHonourSegmentOverride() {
        UserCode u = withData().reg(Cpu.EAX, 0xCAFEBABE);
        completes(u.run("a3 10 00 00 20 26 a0 11 00 00 20 66 a1 12 00 00 20"));
        // mov [20000010],eax; mov al,es:[20000011]; mov ax,[20000012]
        assertEquals(0xCAFEBABE, u.cpu.mmu().read32(DATA + 0x10));
        assertEquals(0xCAFECAFE, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void leaComputesWithoutTouchingMemoryAndTruncates() {
        UserCode u = new UserCode().reg(Cpu.EBX, 0x7FFFFFF0).reg(Cpu.ESI, 0x10).reg(Cpu.ECX, 0xFFFFFFFF);
        completes(u.run("8d 44 b3 08 66 8d 4c 73 08 67 8d 50 ff"));
        // lea eax,[ebx+esi*4+8]; lea cx,[ebx+esi*2+8]; lea edx,[bx+si-1]
        assertEquals(0x80000038, u.cpu.getReg(Cpu.EAX));
        assertEquals(0xFFFF0018, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x0000FFFF, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void xchgRegistersAndMemory() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0x1234).reg(Cpu.ECX, 0xAABBCCDD).reg(Cpu.EDX, 0x5566);
        u.cpu.mmu().write32(DATA, 0xDEADBEEF);
        completes(u.run("87 0b 86 e0 66 92"));
        // xchg [ebx],ecx; xchg al,ah; xchg ax,dx
        assertEquals(0xAABBCCDD, u.cpu.mmu().read32(DATA));
        assertEquals(0xDEADBEEF, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x5566, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x3412, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void xchgWithAbsentPageFaultsAsAWrite() {
        UserCode u = new UserCode().reg(Cpu.EBX, UNMAPPED).reg(Cpu.EAX, 5);
        UserRun r = u.run("87 03");
        pageFault(u, r, 0x6, UNMAPPED);
        assertEquals(5, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void signExtensions() {
        UserCode u = new UserCode().reg(Cpu.EAX, 0x12348080).reg(Cpu.EDX, 0x11111111);
        completes(u.run("66 98 66 99"));
        // cbw; cwd
        assertEquals(0x1234FF80, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x1111FFFF, u.cpu.getReg(Cpu.EDX));
        u = new UserCode().reg(Cpu.EAX, 0x12348000).reg(Cpu.EDX, 0x11111111);
        completes(u.run("98 99"));
        // cwde; cdq
        assertEquals(0xFFFF8000, u.cpu.getReg(Cpu.EAX));
        assertEquals(0xFFFFFFFF, u.cpu.getReg(Cpu.EDX));
        u = new UserCode().reg(Cpu.EAX, 0x7FFF).reg(Cpu.EDX, 0x11111111);
        completes(u.run("98 99"));
        assertEquals(0x7FFF, u.cpu.getReg(Cpu.EAX));
        assertEquals(0, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void movzxAndMovsx() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0x0000F0F0).reg(Cpu.ECX, 0xFFFFFFFF);
        u.cpu.mmu().write32(DATA, 0x00008081);
        completes(u.run("0f b6 d4 0f be 33 66 0f be c8 0f bf 3b 0f b7 2b"));
        // movzx edx,ah; movsx esi,byte [ebx]; movsx cx,al; movsx edi,word [ebx]; movzx ebp,word [ebx]
        assertEquals(0xF0, u.cpu.getReg(Cpu.EDX));
        assertEquals(0xFFFFFF81, u.cpu.getReg(Cpu.ESI));
        assertEquals(0xFFFFFFF0, u.cpu.getReg(Cpu.ECX));
        assertEquals(0xFFFF8081, u.cpu.getReg(Cpu.EDI));
        assertEquals(0x8081, u.cpu.getReg(Cpu.EBP));
    }

    @Test
    void cmovMovesOnlyWhenTheConditionHolds() {
        UserCode u = new UserCode().reg(Cpu.EAX, 1).reg(Cpu.EBX, 2).reg(Cpu.ECX, 3).reg(Cpu.EDX, 0x44444444);
        completes(u.run("39 d8 0f 42 c8 0f 47 d3 66 0f 4c d0"));
        // cmp eax,ebx (1<2: CF, SF!=OF); cmovb ecx,eax; cmova edx,ebx; cmovl dx,ax
        assertEquals(1, u.cpu.getReg(Cpu.ECX));
        assertEquals(0x44440001, u.cpu.getReg(Cpu.EDX));
    }

    @Test
    void cmovWithFalseConditionStillReadsItsSource() {
        UserCode u = new UserCode().reg(Cpu.EBX, UNMAPPED).reg(Cpu.ECX, 7);
        u.cpu.setEflags(0x202);
        UserRun r = u.run("0f 42 0b"); // cmovb ecx,[ebx] with CF clear
        pageFault(u, r, 0x4, UNMAPPED);
        assertEquals(7, u.cpu.getReg(Cpu.ECX));
    }

    @Test
    void setccWritesAByte() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0xFFFFFFFF).reg(Cpu.ECX, 0xFFFFFFFF);
        u.cpu.mmu().write32(DATA, 0xFFFFFFFF);
        completes(u.run("31 d2 0f 94 c4 0f 95 c1 0f 9e 03"));
        // xor edx,edx (ZF); sete ah; setne cl; setle [ebx]
        assertEquals(0xFFFF01FF, u.cpu.getReg(Cpu.EAX));
        assertEquals(0xFFFFFF00, u.cpu.getReg(Cpu.ECX));
        assertEquals(0xFFFFFF01, u.cpu.mmu().read32(DATA));
    }

    @Test
    void xlatIndexesByAlUnsigned() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0xAAAA0080);
        u.cpu.mmu().write8(DATA + 0x80, 0x5A);
        completes(u.run("d7"));
        assertEquals(0xAAAA005A, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void xlatWithSixteenBitAddressWrapsBx() {
        // The flat segments put offset 0x0015 at linear 0x15, which is unmapped: the fault's CR2
        // shows the wrapped address.
        UserCode u = new UserCode().reg(Cpu.EBX, 0x2000FFF0).reg(Cpu.EAX, 0x25);
        UserRun r = u.run("67 d7");
        pageFault(u, r, 0x4, 0x15);
    }

    @Test
    void bswap() {
        UserCode u = new UserCode().reg(Cpu.EAX, 0x12345678).reg(Cpu.EDI, 0x12345678);
        completes(u.run("0f c8 66 0f cf"));
        assertEquals(0x78563412, u.cpu.getReg(Cpu.EAX));
        assertEquals(0x12340000, u.cpu.getReg(Cpu.EDI));
    }

    @Test
    void xaddRegistersAndMemory() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0xFFFFFFFF).reg(Cpu.ECX, 1);
        u.cpu.mmu().write32(DATA, 0x7FFFFFFF);
        completes(u.run("0f c1 0b"));
        // xadd [ebx],ecx
        assertEquals(0x80000000, u.cpu.mmu().read32(DATA));
        assertEquals(0x7FFFFFFF, u.cpu.getReg(Cpu.ECX));
        assertEquals(Flags.OF | Flags.SF | Flags.AF | Flags.PF, u.cpu.getEflags() & Flags.ARITHMETIC);
        u = new UserCode().reg(Cpu.EAX, 0x0102);
        completes(u.run("0f c0 c0")); // xadd al,al
        assertEquals(0x0104, u.cpu.getReg(Cpu.EAX));
        u = new UserCode().reg(Cpu.EAX, 0x0102);
        completes(u.run("0f c0 e0")); // xadd al,ah: ah = 02, al = 03
        assertEquals(0x0203, u.cpu.getReg(Cpu.EAX));
    }

    @Test
    void cmpxchgSuccessAndFailure() {
        UserCode u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 5).reg(Cpu.ECX, 9);
        u.cpu.mmu().write32(DATA, 5);
        completes(u.run("0f b1 0b"));
        assertEquals(9, u.cpu.mmu().read32(DATA));
        assertEquals(5, u.cpu.getReg(Cpu.EAX));
        assertEquals(Flags.ZF | Flags.PF, u.cpu.getEflags() & Flags.ARITHMETIC);

        u = withData().reg(Cpu.EBX, DATA).reg(Cpu.EAX, 0x11111105).reg(Cpu.ECX, 9);
        u.cpu.mmu().write32(DATA, 6);
        completes(u.run("0f b0 0b")); // cmpxchg [ebx],cl: AL 05 vs 06
        assertEquals(6, u.cpu.mmu().read32(DATA));
        assertEquals(0x11111106, u.cpu.getReg(Cpu.EAX));
        assertEquals(Flags.CF | Flags.SF | Flags.AF | Flags.PF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }

    @Test
    void cmpxchgFailingOnReadOnlyPageStillFaultsAsAWrite() {
        UserCode u = new UserCode().reg(Cpu.EBX, UserCode.CODE).reg(Cpu.EAX, 1).reg(Cpu.ECX, 2);
        u.cpu.setEflags(0x202 | Flags.ZF);
        UserRun r = u.run("0f b1 0b");
        pageFault(u, r, 0x7, UserCode.CODE);
        assertEquals(1, u.cpu.getReg(Cpu.EAX));
        assertEquals(Flags.ZF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }

    @Test
    void cmpxchg8b() {
        UserCode u = withData().reg(Cpu.ESI, DATA).reg(Cpu.EAX, 1).reg(Cpu.EDX, 2).reg(Cpu.EBX, 3).reg(Cpu.ECX, 4);
        u.cpu.mmu().write32(DATA, 1);
        u.cpu.mmu().write32(DATA + 4, 2);
        u.cpu.setEflags(0x202 | Flags.CF);
        completes(u.run("0f c7 0e"));
        assertEquals(3, u.cpu.mmu().read32(DATA));
        assertEquals(4, u.cpu.mmu().read32(DATA + 4));
        assertEquals(Flags.CF | Flags.ZF, u.cpu.getEflags() & Flags.ARITHMETIC);

        u = withData().reg(Cpu.ESI, DATA).reg(Cpu.EAX, 1).reg(Cpu.EDX, 2).reg(Cpu.EBX, 3).reg(Cpu.ECX, 4);
        u.cpu.mmu().write32(DATA, 1);
        u.cpu.mmu().write32(DATA + 4, 7);
        u.cpu.setEflags(0x202 | Flags.ZF | Flags.SF);
        completes(u.run("0f c7 0e"));
        assertEquals(1, u.cpu.mmu().read32(DATA));
        assertEquals(7, u.cpu.mmu().read32(DATA + 4));
        assertEquals(1, u.cpu.getReg(Cpu.EAX));
        assertEquals(7, u.cpu.getReg(Cpu.EDX));
        assertEquals(Flags.SF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }

    @Test
    void cmpxchg8bAcrossIntoReadOnlyPageWritesNothing() {
        // The quadword straddles the end of a data page and the start of read-only code; CR2 is
        // the first byte on the faulting page.
        int at = UserCode.CODE - 4;
        UserCode u = new UserCode().data(at, new byte[] {1, 0, 0, 0}).reg(Cpu.ESI, at)
                .reg(Cpu.EAX, 1).reg(Cpu.EDX, 0).reg(Cpu.EBX, 3).reg(Cpu.ECX, 4);
        UserRun r = u.run("0f c7 0e");
        pageFault(u, r, 0x7, UserCode.CODE);
        assertEquals(1, u.cpu.mmu().read32(at));
    }

    @Test
    void xchgStraddlingIntoAbsentPageReportsItsFirstByte() {
        int at = DATA + 4094;
        UserCode u = withData().reg(Cpu.ESI, at).reg(Cpu.ECX, 0x12345678);
        UserRun r = u.run("87 0e");
        pageFault(u, r, 0x6, DATA + 4096);
        assertEquals(0x12345678, u.cpu.getReg(Cpu.ECX));
        assertEquals(0, u.cpu.mmu().read16(at));
    }

    @Test
    void registerRegisterCmpxchgLeavesDestinationOnFailure() {
        UserCode u = new UserCode().reg(Cpu.EAX, 1).reg(Cpu.EBX, 2).reg(Cpu.ECX, 3);
        completes(u.run("0f b1 cb")); // cmpxchg ebx,ecx
        assertEquals(2, u.cpu.getReg(Cpu.EAX));
        assertEquals(2, u.cpu.getReg(Cpu.EBX));
    }
}
