package org.jlguest.cpu.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class VectorJsonTest {

    static final String ADD = "{\"id\": \"add-1\", \"mode\": \"user32\", \"code\": \"01d8\", \"init\": {\"eax\": 2, \"ecx\": 0,"
            + " \"edx\": 0, \"ebx\": 3, \"esp\": 536870912, \"ebp\": 0, \"esi\": 0, \"edi\": 0, \"eip\": 268435456,"
            + " \"eflags\": 514}, \"mem\": [{\"addr\": 536870900, \"hex\": \"00ff\"}], \"expect\": {\"regs\": {\"eax\": 5,"
            + " \"ecx\": 0, \"edx\": 0, \"ebx\": 3, \"esp\": 536870912, \"ebp\": 0, \"esi\": 0, \"edi\": 0,"
            + " \"eip\": 268435458}, \"eflags\": 518, \"eflags_mask\": 3285, \"mem\": [{\"addr\": 536870900,"
            + " \"hex\": \"00ff\"}], \"fault\": null}}";

    @Test
    void readsEveryField() {
        CpuCase c = VectorJson.parse(ADD, "t:1");
        assertEquals("add-1", c.id());
        assertEquals(0x10000000, c.init().regs().eip());
        assertEquals(0x10000002, c.endEip());
        assertEquals(5, c.expect().regs().eax());
        assertEquals(0xCD5, c.expect().eflagsMask());
        assertEquals(List.of(new CpuCase.Mem(536870900, new byte[] {0, (byte) 0xFF})), c.expect().mem());
        assertTrue(c.expect().fault().isEmpty());
    }

    @Test
    void writingThenReadingGivesTheSameCase() {
        CpuCase c = VectorJson.parse(ADD, "t:1");
        assertEquals(ADD, VectorJson.write(c));
        CpuCase.Fault pf = new CpuCase.Fault(14, OptionalInt.of(6), OptionalInt.of(0xFFFF_FFF0));
        CpuCase faulting = new CpuCase("pf-1", CpuCase.USER32, c.code(), c.init(), c.mem(),
                new CpuCase.Expect(c.expect().regs(), 0x10202, 0, c.mem(), Optional.of(pf)));
        String line = VectorJson.write(faulting);
        assertTrue(line.contains("\"fault\": {\"vector\": 14, \"error_code\": 6, \"cr2\": 4294967280}"), line);
        assertEquals(faulting, VectorJson.parse(line, "t:2"));
    }

    @Test
    void readsGzipAndPlainAlike() throws IOException {
        byte[] plain = (ADD + "\n\n" + ADD.replace("add-1", "add-2") + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(plain);
        }
        List<CpuCase> a = VectorFiles.read(new ByteArrayInputStream(plain), "plain");
        List<CpuCase> b = VectorFiles.read(new ByteArrayInputStream(zipped.toByteArray()), "zipped");
        assertEquals(2, a.size());
        assertEquals(a, b);
    }

    @Test
    void theFpuStateIsReadAndWrittenWithItsOptionalChecks() {
        CpuCase c = VectorJson.parse(CaseRunnerTest.FLD1, "t:1");
        assertEquals(CaseRunnerTest.FLD1, VectorJson.write(c));
        FpuState after = c.expect().fpu().orElseThrow().state();
        assertEquals(7, after.top());
        assertEquals(new FpuState.Register(0x3FFF, Long.MIN_VALUE), after.regs().get(7));
        assertTrue(c.init().fpu().orElseThrow().empty(0));
        String loose = CaseRunnerTest.FLD1.replace("\"3fff8000000000000000\"]}}}",
                "\"3fff8000000000000000\"], \"sw_mask\": 48639, \"ulp_tolerance\": 4096}}}");
        FpuExpect f = VectorJson.parse(loose, "t:2").expect().fpu().orElseThrow();
        assertEquals(0xBDFF, f.swMask());
        assertEquals(4096, f.ulpTolerance());
        assertEquals(loose, VectorJson.write(VectorJson.parse(loose, "t:2")));
        assertTrue(VectorJson.parse(ADD, "t:3").init().fpu().isEmpty(), "cases without fpu are as before");
    }

    @Test
    void fpuImagesRotateStackOrderIntoPhysicalOrder() {
        FpuState s = VectorJson.parse(CaseRunnerTest.FLD1, "t:1").expect().fpu().orElseThrow().state();
        byte[] image = FpuImage.encode(s);
        assertEquals((byte) 0x80, image[28 + 7], "ST(0) comes first in the image: physical register 7");
        assertEquals(s, FpuImage.decode(image));
    }

    private static String fpuError(String from, String to) {
        return assertThrows(VectorFormatException.class, () -> VectorJson.parse(CaseRunnerTest.FLD1.replace(from, to), "f:1"))
                .getMessage();
    }

    @Test
    void malformedFpuStateNamesTheField() {
        assertTrue(fpuError("\"sw\": 14336", "\"sw\": 0").contains("expect.fpu.sw: TOP bits do not match top 7"));
        assertTrue(fpuError("\"cw\": 895, \"sw\": 0", "\"cw\": 65536, \"sw\": 0").startsWith("f:1: init.fpu.cw: 65536 does not fit"));
        assertTrue(fpuError("\"3fff8000000000000000\"", "\"3fff80000000000000\"").contains("expect.fpu.regs[7]: expected 20"));
        assertTrue(fpuError("\"tw\": 16383", "\"tw\": 16383, \"ulp\": 1").contains("expect.fpu: unknown key \"ulp\""));
        int at = CaseRunnerTest.FLD1.indexOf(", \"fpu\"");
        String noInitFpu = CaseRunnerTest.FLD1.substring(0, at) + CaseRunnerTest.FLD1.substring(CaseRunnerTest.FLD1.indexOf("}}, \"mem\"") + 1);
        assertTrue(assertThrows(VectorFormatException.class, () -> VectorJson.parse(noInitFpu, "f:2")).getMessage()
                .contains("init: missing key \"fpu\""));
    }

    private static String error(String line) {
        return assertThrows(VectorFormatException.class,
                () -> VectorFiles.read(new ByteArrayInputStream((ADD + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8)), "f.jsonl"))
                .getMessage();
    }

    @Test
    void malformedInputNamesTheLineAndTheField() {
        assertTrue(error(ADD.replace("\"ebx\": 3, \"esp\": 536870912, \"ebp\": 0, \"esi\": 0, \"edi\": 0, \"eip\": 268435458",
                "\"ebx\": 3, \"esp\": 536870912, \"ebp\": 0, \"esi\": 0, \"edi\": 0")).matches("f\\.jsonl:2: expect\\.regs: missing key \"eip\""));
        assertTrue(error(ADD.replace("\"eax\": 2", "\"eax\": 4294967296")).startsWith("f.jsonl:2: init.eax: 4294967296 does not fit"));
        assertTrue(error(ADD.replace("\"eax\": 2", "\"eax\": -2")).startsWith("f.jsonl:2: column"));
        assertTrue(error(ADD.replace("\"code\": \"01d8\"", "\"code\": \"01d\"")).startsWith("f.jsonl:2: code: expected lower-case hex"));
        assertTrue(error(ADD.replace("\"mode\": \"user32\"", "\"mode\": \"real16\"")).contains("unknown mode"));
        assertTrue(error(ADD.replace("\"eflags_mask\"", "\"eflags_mask2\"")).contains("expect: unknown key \"eflags_mask2\""));
        assertTrue(error(ADD.substring(0, ADD.length() - 1)).startsWith("f.jsonl:2: column"));
        assertTrue(error(ADD + " x").contains("unexpected text after the case"));
        assertTrue(error("[1, 2]").equals("f.jsonl:2: case: expected an object"));
    }
}
