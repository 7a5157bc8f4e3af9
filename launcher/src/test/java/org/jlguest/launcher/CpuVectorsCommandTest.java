package org.jlguest.launcher;

import static org.jlguest.launcher.JlguestRun.jlguest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuVectorsCommandTest {
    /** add eax, ebx with 2 + 3: right and deliberately wrong expectations. */
    private static String caseLine(String id, long eaxAfter) {
        return "{\"id\":\"" + id + "\",\"mode\":\"user32\",\"code\":\"01d8\","
                + "\"init\":{\"eax\":2,\"ecx\":0,\"edx\":0,\"ebx\":3,\"esp\":536875008,\"ebp\":0,\"esi\":0,\"edi\":0,"
                + "\"eip\":268435456,\"eflags\":514},\"mem\":[],"
                + "\"expect\":{\"regs\":{\"eax\":" + eaxAfter + ",\"ecx\":0,\"edx\":0,\"ebx\":3,\"esp\":536875008,"
                + "\"ebp\":0,\"esi\":0,\"edi\":0,\"eip\":268435458},\"eflags\":518,\"eflags_mask\":2261,\"mem\":[],"
                + "\"fault\":null}}";
    }


    @Test
    void passingFileExitsZero(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("good.jsonl");
        Files.writeString(f, caseLine("add-ok", 5) + "\n");
        JlguestRun r = jlguest("cpu-vectors", f.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("1 passed, 0 failed"), r.out());
    }

    @Test
    void wrongExpectationIsReportedReadably(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, caseLine("add-wrong", 6) + "\n");
        JlguestRun r = jlguest("cpu-vectors", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("add-wrong"), r.out());
        assertTrue(r.out().toLowerCase().contains("eax"), r.out());
        assertTrue(r.out().contains("0 passed, 1 failed"), r.out());
    }

    @Test
    void malformedFileIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.jsonl");
        Files.writeString(f, "{\"id\": \n");
        JlguestRun r = jlguest("cpu-vectors", f.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("broken.jsonl"), r.err());
    }

    @Test
    void versionNamesTheProduct() {
        JlguestRun r = jlguest("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("jlguest "), r.out());
    }
}
