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
