package org.jlguest.cpu;

import static org.jlguest.cpu.RegisterCases.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlguest.cpu.user.UserRun;
import org.jlguest.mmu.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shifts, rotates, SHLD and SHRD on EAX/AX/AL. Expected values were recorded on an AMD processor,
 * undefined flags included (OF for counts above one, AF, and the 16-bit double shifts by more than
 * 16).
 */
class ShiftsTest {
    @ParameterizedTest(name = "{9}")
    @CsvSource(delimiter = '|', textBlock = """
            # code     | eax      | ecx      | edx      | ebx      | fl  | eax out  | edx out  | fl  | what
            d3e0         | 80000001 | 00000000 | 00000000 | 00000000 | ad7 | 80000001 | 00000000 | 8d5 | shl eax,cl: count 0
            d3e0         | 80000001 | 00000001 | 00000000 | 00000000 | 202 | 00000002 | 00000000 | 811 | shl eax,cl: count 1
            d3e0         | 80000001 | 00000008 | 00000000 | 00000000 | 202 | 00000100 | 00000000 | 014 | shl eax,cl: count 8
            d3e0         | 80000001 | 0000001f | 00000000 | 00000000 | 202 | 80000000 | 00000000 | 894 | shl eax,cl: count 31
            d3e0         | 80000001 | 00000020 | 00000000 | 00000000 | ad7 | 80000001 | 00000000 | 8d5 | shl eax,cl: count 32
            d1e0         | 40000000 | 00000000 | 00000000 | 00000000 | 202 | 80000000 | 00000000 | 894 | shl eax,1: into the sign, OF
            d1e0         | c0000000 | 00000000 | 00000000 | 00000000 | 202 | 80000000 | 00000000 | 095 | shl eax,1: CF and sign agree, no OF
            d2e0         | 12345681 | 00000009 | 00000000 | 00000000 | 202 | 12345600 | 00000000 | 054 | shl al,cl: count above 8 shifts everything out
            d2e0         | 12345681 | 00000008 | 00000000 | 00000000 | 202 | 12345600 | 00000000 | 855 | shl al,cl: count 8, CF = bit 0
            66d3f0       | 1234c001 | 00000010 | 00000000 | 00000000 | 202 | 12340000 | 00000000 | 855 | sal ax,cl (/6): count 16
            d1e8         | 80000001 | 00000000 | 00000000 | 00000000 | 202 | 40000000 | 00000000 | 815 | shr eax,1: OF = old sign
            d3e8         | 80000000 | 0000001f | 00000000 | 00000000 | ad7 | 00000001 | 00000000 | 010 | shr eax,cl: count 31
            66d3e8       | ffff8000 | 00000011 | 00000000 | 00000000 | 202 | ffff0000 | 00000000 | 054 | shr ax,cl: count 17
            c1e824       | 12345678 | 00000000 | 00000000 | 00000000 | 202 | 01234567 | 00000000 | 011 | shr eax,0x24: count masked to 4
            d1f8         | 80000001 | 00000000 | 00000000 | 00000000 | 202 | c0000000 | 00000000 | 095 | sar eax,1: OF = 0
            d2f8         | 12345680 | 00000007 | 00000000 | 00000000 | 202 | 123456ff | 00000000 | 094 | sar al,cl: 0x80 >> 7 = 0xff
            d2f8         | 12345680 | 0000000c | 00000000 | 00000000 | 202 | 123456ff | 00000000 | 095 | sar al,cl: count above 8 fills with the sign
            66d3f8       | 00007fff | 0000001f | 00000000 | 00000000 | ad7 | 00000000 | 00000000 | 054 | sar ax,cl: positive, count 31
            d1c0         | 80000000 | 00000000 | 00000000 | 00000000 | 202 | 00000001 | 00000000 | 801 | rol eax,1
            d3c0         | 80000001 | 0000001f | 00000000 | 00000000 | 202 | c0000000 | 00000000 | 800 | rol eax,cl: 31
            d2c0         | 00000081 | 00000008 | 00000000 | 00000000 | 202 | 00000081 | 00000000 | 001 | rol al,cl: 8 rotates back but sets CF
            d2c0         | 00000081 | 00000000 | 00000000 | 00000000 | ad7 | 00000081 | 00000000 | 8d5 | rol al,cl: 0 changes no flag
            66d3c0       | 00008001 | 00000011 | 00000000 | 00000000 | ad7 | 00000003 | 00000000 | 8d5 | rol ax,cl: 17 = 1, keeps SZAP
            d1c8         | 00000001 | 00000000 | 00000000 | 00000000 | 202 | 80000000 | 00000000 | 801 | ror eax,1: OF from the two top bits
            d2c8         | 00000081 | 00000010 | 00000000 | 00000000 | 202 | 00000081 | 00000000 | 801 | ror al,cl: 16
            d1d0         | 80000000 | 00000000 | 00000000 | 00000000 | 203 | 00000001 | 00000000 | 801 | rcl eax,1: CF in, sign out
            d2d0         | 00000081 | 00000009 | 00000000 | 00000000 | 203 | 00000081 | 00000000 | 001 | rcl al,cl: 9 is a full turn, OF still set
            d2d0         | 00000081 | 0000000a | 00000000 | 00000000 | 202 | 00000002 | 00000000 | 801 | rcl al,cl: 10 = 1 (mod 9)
            66d3d0       | 00008000 | 00000011 | 00000000 | 00000000 | 202 | 00008000 | 00000000 | 800 | rcl ax,cl: 17 is a full turn
            66d3d0       | 00008000 | 00000012 | 00000000 | 00000000 | 202 | 00000000 | 00000000 | 801 | rcl ax,cl: 18 = 1 (mod 17)
            d3d0         | 00000001 | 0000001f | 00000000 | 00000000 | 203 | c0000000 | 00000000 | 800 | rcl eax,cl: 31
            d1d8         | 00000001 | 00000000 | 00000000 | 00000000 | 203 | 80000000 | 00000000 | 801 | rcr eax,1: CF in at the top
            d2d8         | 00000081 | 00000008 | 00000000 | 00000000 | 202 | 00000002 | 00000000 | 001 | rcr al,cl: 8
            66d3d8       | 00000001 | 00000010 | 00000000 | 00000000 | 203 | 00000003 | 00000000 | 000 | rcr ax,cl: 16
            d3d8         | 00000001 | 00000020 | 00000000 | 00000000 | 203 | 00000001 | 00000000 | 001 | rcr eax,cl: 32 masks to 0
            0fa5d8       | 80000001 | 00000001 | 00000000 | 40000003 | 202 | 00000002 | 00000000 | 811 | shld eax,ebx,cl: 1
            0fa5d8       | 1234c001 | 00000010 | 00000000 | 0000a5a5 | 202 | c0010000 | 00000000 | 894 | shld eax,ebx,cl: 16
            0fa5d8       | 1234c001 | 0000001f | 00000000 | 0000a5a5 | 202 | 800052d2 | 00000000 | 894 | shld eax,ebx,cl: 31
            0fa4d800     | 1234c001 | 00000000 | 00000000 | 0000a5a5 | ad7 | 1234c001 | 00000000 | 8d5 | shld eax,ebx,0: no change
            0fa4d820     | 1234c001 | 00000000 | 00000000 | 0000a5a5 | ad7 | 1234c001 | 00000000 | 8d5 | shld eax,ebx,32: masked to 0
            660fa5d8     | 1234c001 | 0000000f | 00000000 | 0000a5a5 | 202 | 1234d2d2 | 00000000 | 894 | shld ax,bx,cl: 15
            660fa5d8     | 1234c001 | 00000010 | 00000000 | 0000a5a5 | 202 | 1234a5a5 | 00000000 | 895 | shld ax,bx,cl: 16 = bx
            660fa5d8     | 80000001 | 0000001f | 00000000 | 40000003 | 202 | 80008001 | 00000000 | 090 | shld ax,bx,cl: 31 (undefined: dst:src:src)
            0fadd8       | 80000001 | 00000001 | 00000000 | 40000003 | 202 | c0000000 | 00000000 | 095 | shrd eax,ebx,cl: 1
            0fadd8       | 1234c001 | 00000010 | 00000000 | 0000a5a5 | 202 | a5a51234 | 00000000 | 891 | shrd eax,ebx,cl: 16
            0facd81f     | 1234c001 | 00000000 | 00000000 | 0000a5a5 | 202 | 00014b4a | 00000000 | 010 | shrd eax,ebx,31
            660fadd8     | 1234c001 | 00000001 | 00000000 | 0000a5a5 | 202 | 1234e000 | 00000000 | 095 | shrd ax,bx,cl: 1
            660fadd8     | 1234c001 | 00000010 | 00000000 | 0000a5a5 | 202 | 1234a5a5 | 00000000 | 895 | shrd ax,bx,cl: 16
            660fadd8     | 80000001 | 00000018 | 00000000 | 40000003 | 202 | 80000300 | 00000000 | 014 | shrd ax,bx,cl: 24 (undefined: src:src:dst)
            """)
    void shiftsAndRotates(String code, String eax, String ecx, String edx, String ebx, String flags, String eaxOut,
            String edxOut, String flagsOut, String what) {
        check(code, eax, ecx, edx, ebx, flags, eaxOut, edxOut, flagsOut);
    }

    @Test
    void memoryOperandIsWrittenBack() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[] {0x01, 0x00, 0x00, (byte) 0x80})
                .reg(Cpu.EBX, UserCode.DATA);
        u.run("d1 03"); // rol dword [ebx], 1
        assertEquals(0x00000003, u.cpu.mmu().read32(UserCode.DATA));
        assertEquals(Flags.CF | Flags.OF, u.cpu.getEflags() & (Flags.CF | Flags.OF));
    }

    @Test
    void doubleShiftOfMemoryTakesTheRegisterBits() {
        UserCode u = new UserCode().data(UserCode.DATA, new byte[] {0x34, 0x12}).reg(Cpu.EBX, UserCode.DATA)
                .reg(Cpu.ECX, 0xABCD);
        u.run("66 0f ac 0b 04"); // shrd word [ebx], cx, 4
        assertEquals(0xD123, u.cpu.mmu().read16(UserCode.DATA));
    }

    @Test
    void zeroCountStillAccessesMemoryForWriting() {
        UserCode u = new UserCode().reg(Cpu.EBX, UserCode.CODE);
        UserRun r = u.run("c1 23 00"); // shl dword [ebx], 0 on a read-only page
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
        assertEquals(0x7, r.errorCode()); // present, write, user
    }

    @Test
    void unmappedDestinationFaultsAsAWrite() {
        UserCode u = new UserCode().reg(Cpu.EBX, 0x50000000).reg(Cpu.ECX, 3);
        UserRun r = u.run("0f a5 0b"); // shld [ebx], ecx, cl
        assertEquals(Fault.PF, r.vector());
        assertEquals(0x6, r.errorCode()); // not present, write, user
        assertEquals(0x50000000, r.cr2());
    }

    @Test
    void readOnlyDestinationFaultsWithoutChangingFlags() {
        UserCode u = new UserCode().reg(Cpu.EBX, UserCode.CODE);
        u.cpu.setEflags(0x202 | Flags.CF);
        UserRun r = u.run("c1 23 04"); // shl dword [ebx], 4
        assertEquals(UserRun.Outcome.FAULT, r.outcome());
        assertEquals(Fault.PF, r.vector());
        assertEquals(Flags.CF, u.cpu.getEflags() & Flags.ARITHMETIC);
    }
}
