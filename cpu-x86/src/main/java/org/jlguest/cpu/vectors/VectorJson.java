package org.jlguest.cpu.vectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads and writes "jlguest-cpu-vectors v1" JSON Lines, one {@link CpuCase} a line.
 *
 * <p>Strict on purpose: a vector file is test evidence, so a typo in a key, a
 * missing field, a negative or oversized number or a stray value is an error that
 * names the line and the field, never something silently ignored. Only the JSON
 * this format needs is accepted: objects, arrays, strings without escapes,
 * non-negative integers and {@code null}. The only optional keys are the x87
 * state ({@code init.fpu} with {@code expect.fpu}) and, inside
 * {@code expect.fpu}, {@code sw_mask} and {@code ulp_tolerance}; the writer
 * leaves out whichever has its default.
 */
public final class VectorJson {

    private static final HexFormat HEX = HexFormat.of();
    private static final Set<String> CASE_KEYS = Set.of("id", "mode", "code", "init", "mem", "expect");
    private static final Set<String> INIT_KEYS = Set.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags");
    private static final Set<String> REGS_KEYS = Set.copyOf(CpuCase.Regs.NAMES);
    private static final Set<String> MEM_KEYS = Set.of("addr", "hex");
    private static final Set<String> EXPECT_KEYS = Set.of("regs", "eflags", "eflags_mask", "mem", "fault");
    private static final Set<String> FAULT_KEYS = Set.of("vector", "error_code", "cr2");
    private static final Set<String> FPU_KEYS = Set.of("cw", "sw", "tw", "top", "regs");
    private static final Set<String> FPU_CHECK_KEYS = Set.of("sw_mask", "ulp_tolerance");

    private VectorJson() {
    }

    /** Reads every non-blank line of {@code in}; {@code source} names it in error messages. */
    public static List<CpuCase> read(BufferedReader in, String source) {
        List<CpuCase> cases = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null;) {
                lineNo++;
                if (!line.isBlank()) cases.add(parse(line, source + ":" + lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source, e);
        }
        return cases;
    }

    /** Parses one line; {@code where} (e.g. {@code file:12}) prefixes any error message. */
    public static CpuCase parse(String line, String where) {
        try {
            Object value = new Parser(line).document();
            return toCase(object(value, "case", CASE_KEYS));
        } catch (VectorFormatException e) {
            throw new VectorFormatException(where + ": " + e.getMessage());
        }
    }

    /** One line of JSON for {@code c}, keys in the documented order, without the newline. */
    public static String write(CpuCase c) {
        StringBuilder s = new StringBuilder(256);
        CpuCase.Regs r = c.init().regs();
        s.append("{\"id\": \"").append(c.id()).append("\", \"mode\": \"").append(c.mode())
                .append("\", \"code\": \"").append(HEX.formatHex(c.code())).append("\", \"init\": {");
        regs(s, r).append(", \"eflags\": ").append(u32(c.init().eflags()));
        c.init().fpu().ifPresent(f -> fpu(s.append(", \"fpu\": "), f).append('}'));
        s.append("}, \"mem\": ");
        mem(s, c.mem()).append(", \"expect\": {\"regs\": {");
        CpuCase.Expect e = c.expect();
        regs(s, e.regs()).append("}, \"eflags\": ").append(u32(e.eflags())).append(", \"eflags_mask\": ")
                .append(u32(e.eflagsMask())).append(", \"mem\": ");
        mem(s, e.mem()).append(", \"fault\": ");
        if (e.fault().isEmpty()) {
            s.append("null");
        } else {
            CpuCase.Fault f = e.fault().get();
            s.append("{\"vector\": ").append(f.vector()).append(", \"error_code\": ").append(optional(f.errorCode()))
                    .append(", \"cr2\": ").append(optional(f.cr2())).append('}');
        }
        e.fpu().ifPresent(f -> {
            fpu(s.append(", \"fpu\": "), f.state());
            if (f.swMask() != FpuExpect.ALL_STATUS) s.append(", \"sw_mask\": ").append(f.swMask());
            if (f.ulpTolerance() != 0) s.append(", \"ulp_tolerance\": ").append(f.ulpTolerance());
            s.append('}');
        });
        return s.append("}}").toString();
    }

    /** The FPU object without its closing brace, so an expectation can add its keys. */
    private static StringBuilder fpu(StringBuilder s, FpuState f) {
        s.append("{\"cw\": ").append(f.cw()).append(", \"sw\": ").append(f.sw()).append(", \"tw\": ").append(f.tw())
                .append(", \"top\": ").append(f.top()).append(", \"regs\": [");
        for (int p = 0; p < 8; p++) s.append(p > 0 ? ", \"" : "\"").append(f.regs().get(p).hex()).append('"');
        return s.append(']');
    }

    private static StringBuilder regs(StringBuilder s, CpuCase.Regs r) {
        for (int i = 0; i < 9; i++) {
            if (i > 0) s.append(", ");
            s.append('"').append(CpuCase.Regs.NAMES.get(i)).append("\": ").append(u32(r.get(i)));
        }
        return s;
    }

    private static StringBuilder mem(StringBuilder s, List<CpuCase.Mem> mem) {
        s.append('[');
        for (int i = 0; i < mem.size(); i++) {
            if (i > 0) s.append(", ");
            s.append("{\"addr\": ").append(u32(mem.get(i).addr())).append(", \"hex\": \"")
                    .append(HEX.formatHex(mem.get(i).bytes())).append("\"}");
        }
        return s.append(']');
    }

    private static String optional(OptionalInt v) {
        return v.isPresent() ? Long.toString(u32(v.getAsInt())) : "null";
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    // ---- from parsed JSON to records ----

    private static CpuCase toCase(Map<String, Object> o) {
        String mode = string(o.get("mode"), "mode");
        if (!CpuCase.USER32.equals(mode)) throw new VectorFormatException("mode: unknown mode \"" + mode + "\"");
        Map<String, Object> init = object(o.get("init"), "init", INIT_KEYS, Set.of("fpu"));
        Optional<FpuState> fpu = init.containsKey("fpu")
                ? Optional.of(fpuState(object(init.get("fpu"), "init.fpu", FPU_KEYS), "init.fpu")) : Optional.empty();
        String id = string(o.get("id"), "id");
        CpuCase.Init start = new CpuCase.Init(regs(init, "init"), number(init.get("eflags"), "init.eflags"), fpu);
        CpuCase.Expect expect = expect(object(o.get("expect"), "expect", EXPECT_KEYS, Set.of("fpu")));
        if (fpu.isPresent() != expect.fpu().isPresent()) {
            throw new VectorFormatException((fpu.isPresent() ? "expect" : "init") + ": missing key \"fpu\" (init.fpu and expect.fpu go together)");
        }
        return new CpuCase(id, mode, bytes(o.get("code"), "code"), start, memList(o.get("mem"), "mem"), expect);
    }

    private static FpuState fpuState(Map<String, Object> o, String where) {
        int cw = word(o.get("cw"), where + ".cw");
        int sw = word(o.get("sw"), where + ".sw");
        int tw = word(o.get("tw"), where + ".tw");
        int top = number(o.get("top"), where + ".top");
        if (top > 7) throw new VectorFormatException(where + ".top: " + top + " is not 0-7");
        if ((sw >>> 11 & 7) != top) throw new VectorFormatException(where + ".sw: TOP bits do not match top " + top);
        if (!(o.get("regs") instanceof List<?> list) || list.size() != 8) {
            throw new VectorFormatException(where + ".regs: expected an array of 8 registers");
        }
        List<FpuState.Register> regs = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            try {
                regs.add(FpuState.Register.parse(string(list.get(p), where + ".regs[" + p + "]")));
            } catch (IllegalArgumentException e) {
                throw new VectorFormatException(where + ".regs[" + p + "]: " + e.getMessage());
            }
        }
        return new FpuState(cw, sw, tw, top, regs);
    }

    private static FpuExpect fpuExpect(Map<String, Object> o) {
        FpuState state = fpuState(o, "expect.fpu");
        int swMask = o.containsKey("sw_mask") ? word(o.get("sw_mask"), "expect.fpu.sw_mask") : FpuExpect.ALL_STATUS;
        long tolerance = o.containsKey("ulp_tolerance")
                ? Integer.toUnsignedLong(number(o.get("ulp_tolerance"), "expect.fpu.ulp_tolerance")) : 0;
        return new FpuExpect(state, swMask, tolerance);
    }

    private static int word(Object value, String where) {
        int n = number(value, where);
        if ((n & ~0xFFFF) != 0) throw new VectorFormatException(where + ": " + Integer.toUnsignedLong(n) + " does not fit in 16 bits");
        return n;
    }

    private static CpuCase.Expect expect(Map<String, Object> o) {
        Object fault = o.get("fault");
        Optional<CpuCase.Fault> f = Optional.empty();
        if (fault != null) {
            Map<String, Object> fo = object(fault, "expect.fault", FAULT_KEYS);
            int vector = number(fo.get("vector"), "expect.fault.vector");
            if (vector > 255) throw new VectorFormatException("expect.fault.vector: " + vector + " is not a vector");
            f = Optional.of(new CpuCase.Fault(vector, optionalNumber(fo.get("error_code"), "expect.fault.error_code"),
                    optionalNumber(fo.get("cr2"), "expect.fault.cr2")));
        }
        Optional<FpuExpect> fpu = o.containsKey("fpu")
                ? Optional.of(fpuExpect(object(o.get("fpu"), "expect.fpu", FPU_KEYS, FPU_CHECK_KEYS))) : Optional.empty();
        return new CpuCase.Expect(regs(object(o.get("regs"), "expect.regs", REGS_KEYS), "expect.regs"),
                number(o.get("eflags"), "expect.eflags"), number(o.get("eflags_mask"), "expect.eflags_mask"),
                memList(o.get("mem"), "expect.mem"), f, fpu);
    }

    private static CpuCase.Regs regs(Map<String, Object> o, String where) {
        int[] v = new int[9];
        for (int i = 0; i < 9; i++) {
            String name = CpuCase.Regs.NAMES.get(i);
            v[i] = number(o.get(name), where + "." + name);
        }
        return CpuCase.Regs.of(Arrays.copyOf(v, 8), v[8]);
    }

    private static List<CpuCase.Mem> memList(Object value, String where) {
        if (!(value instanceof List<?> list)) throw new VectorFormatException(where + ": expected an array");
        List<CpuCase.Mem> mem = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String w = where + "[" + i + "]";
            Map<String, Object> m = object(list.get(i), w, MEM_KEYS);
            mem.add(new CpuCase.Mem(number(m.get("addr"), w + ".addr"), bytes(m.get("hex"), w + ".hex")));
        }
        return mem;
    }

    private static Map<String, Object> object(Object value, String where, Set<String> keys) {
        return object(value, where, keys, Set.of());
    }

    /** The object at {@code where}, which must have every key of {@code keys} and may have those of {@code optional}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String where, Set<String> keys, Set<String> optional) {
        if (!(value instanceof Map<?, ?> map)) throw new VectorFormatException(where + ": expected an object");
        for (Object k : map.keySet()) {
            if (!keys.contains(k) && !optional.contains(k)) throw new VectorFormatException(where + ": unknown key \"" + k + "\"");
        }
        for (String k : keys) {
            if (!map.containsKey(k)) throw new VectorFormatException(where + ": missing key \"" + k + "\"");
        }
        return (Map<String, Object>) map;
    }

    private static String string(Object value, String where) {
        if (!(value instanceof String s)) throw new VectorFormatException(where + ": expected a string");
        return s;
    }

    private static byte[] bytes(Object value, String where) {
        String s = string(value, where);
        if (s.length() % 2 != 0 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new VectorFormatException(where + ": expected lower-case hex bytes, got \"" + s + "\"");
        }
        return HEX.parseHex(s);
    }

    private static int number(Object value, String where) {
        if (!(value instanceof Long n)) throw new VectorFormatException(where + ": expected an unsigned 32-bit number");
        if (n > 0xFFFF_FFFFL) throw new VectorFormatException(where + ": " + n + " does not fit in 32 bits");
        return (int) (long) n;
    }

    private static OptionalInt optionalNumber(Object value, String where) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(number(value, where));
    }

    /** Just enough JSON: objects, arrays, escape-free strings, non-negative integers, null. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object document() {
            Object v = value();
            skipSpace();
            if (pos != text.length()) throw error("unexpected text after the case");
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= text.length()) throw error("unexpected end of line");
            char c = text.charAt(pos);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (c >= '0' && c <= '9') return number();
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            throw error("unexpected '" + c + "'");
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a key");
                String key = string();
                skipSpace();
                expect(':');
                if (map.containsKey(key)) throw error("duplicate key \"" + key + "\"");
                map.put(key, value());
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    return list;
                }
                expect(',');
            }
        }

        private String string() {
            int end = text.indexOf('"', pos + 1);
            if (end < 0) throw error("unterminated string");
            String s = text.substring(pos + 1, end);
            if (s.indexOf('\\') >= 0) throw error("escapes are not used in this format");
            pos = end + 1;
            return s;
        }

        private Long number() {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) throw error("numbers are integers");
            if (pos - start > 10 || (pos - start > 1 && text.charAt(start) == '0')) {
                throw error("bad number " + text.substring(start, pos));
            }
            return Long.parseLong(text.substring(start, pos));
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
        }

        private VectorFormatException error(String message) {
            return new VectorFormatException("column " + (pos + 1) + ": " + message);
        }
    }
}
