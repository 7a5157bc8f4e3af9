package org.jlguest.launcher;

import static org.jlguest.launcher.JlguestRun.jlguest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jlguest bare} with machine code written out by hand, so no assembler is needed. */
class BareCommandTest {
    private static Path code(Path dir, int... bytes) throws Exception {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        Path file = dir.resolve("code.bin");
        Files.write(file, b);
        return file;
    }

    @Test
    void anEndlessLoopStopsAtTheInstructionLimitWithStatusThree(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xEB, 0xFE);
        JlguestRun r = jlguest("bare", "--image", f + "@0x100000", "--entry", "0x100000", "--max-insns", "5000");
        assertEquals(3, r.status(), r.err());
        assertTrue(r.err().contains("instruction limit reached, at 0008:00100000"), r.err());
        assertTrue(r.err().contains("CS:EIP=0008:00100000"), r.err());
    }

    @Test
    void aDivideErrorWithNoIdtIsATripleFaultReportedWithTheCpuStateAndStatusOne(@TempDir Path dir) throws Exception {
        // mov eax, 0x12345678; xor ecx, ecx; div ecx
        Path f = code(dir, 0xB8, 0x78, 0x56, 0x34, 0x12, 0x31, 0xC9, 0xF7, 0xF1);
        JlguestRun r = jlguest("bare", "--image", f + "@0x100000", "--entry", "0x100000");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("2 instructions, triple fault (shutdown)"), r.err());
        assertTrue(r.err().contains("at 0008:00100007"), r.err());
        assertTrue(r.err().contains("EAX=12345678"), r.err());
        assertTrue(r.err().contains("CR0=00000011 CR2=00000000 CR3=00000000"), r.err());
    }

    @Test
    void consoleBytesGoToStdoutAndPostCodesToStderr(@TempDir Path dir) throws Exception {
        // mov al, 'h'; out 0xE9, al; mov al, 'i'; out 0xE9, al; mov al, 0x3A; out 0x80, al; cli; hlt
        Path f = code(dir, 0xB0, 'h', 0xE6, 0xE9, 0xB0, 'i', 0xE6, 0xE9, 0xB0, 0x3A, 0xE6, 0x80, 0xFA, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x100000", "--entry", "0x100000");
        assertEquals(0, r.status(), r.err());
        assertEquals("hi", r.out());
        assertTrue(r.err().contains("post 0x80 = 0x3a after 5 instructions"), r.err());
        assertTrue(r.err().contains("bare: 8 instructions, halted (HLT with interrupts disabled), at 0008:0010000e"),
                r.err());
    }

    @Test
    void aRomOverTheResetVectorStartsThereInRealMode(@TempDir Path dir) throws Exception {
        // At F000:FFF0: mov al, 'R'; out 0xE9, al; mov al, '\n'; out 0xE9, al; cli; hlt
        Path f = code(dir, 0xB0, 'R', 0xE6, 0xE9, 0xB0, '\n', 0xE6, 0xE9, 0xFA, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0xFFFFFFF0");
        assertEquals(0, r.status(), r.err());
        assertEquals("R\n", r.out());
        assertTrue(r.err().contains("at f000:0000fffa"), r.err());
    }

    @Test
    void withoutAnEntryNorAResetVectorThereIsNothingToRun(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x100000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no image covers the reset vector 0xFFFFFFF0"), r.err());
    }

    @Test
    void aMissingFileIsAUsageError(@TempDir Path dir) {
        JlguestRun r = jlguest("bare", "--image", dir.resolve("nope.bin") + "@0x100000", "--entry", "0x100000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("nope.bin: no such file"), r.err());
    }

    @Test
    void aBadAddressIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x10G000", "--entry", "0x100000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("'0x10G000' is not a number"), r.err());
        JlguestRun noAt = jlguest("bare", "--image", f.toString(), "--entry", "0x100000");
        assertEquals(2, noAt.status());
        assertTrue(noAt.err().contains("is not FILE@ADDR"), noAt.err());
    }

    @Test
    void overlappingImagesAreAUsageError(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xF4, 0xF4, 0xF4, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x100000", "--image", f + "@0x100002", "--entry", "0x100000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("image code.bin@0x100002 overlaps image code.bin@0x100000 in RAM at 0x100002..0x100003"),
                r.err());
    }

    @Test
    void anImageBeyondMemoryIsAUsageError(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x200000", "--mem", "1M", "--entry", "0x200000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("image code.bin@0x200000 ends at 0x200001, beyond RAM end 0x100000"), r.err());
    }

    @Test
    void aBadMemorySizeIsAUsageError(@TempDir Path dir) throws Exception {
        Path f = code(dir, 0xF4);
        JlguestRun r = jlguest("bare", "--image", f + "@0x1000", "--mem", "lots", "--entry", "0x1000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("size 'lots' is not a number"), r.err());
    }
}
