package org.jlguest.cpu;

import static org.jlguest.cpu.RegisterCases.check;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DAA, DAS, AAA, AAS, AAM and AAD. Expected values were recorded on an AMD processor, undefined
 * flags included (see {@link Bcd} for what they are).
 */
class BcdTest {
    @ParameterizedTest(name = "{9}")
    @CsvSource(delimiter = '|', textBlock = """
            # code     | eax      | ecx      | edx      | ebx      | fl  | eax out  | edx out  | fl  | what
            27           | 00001279 | 00000000 | 00000000 | 00000000 | 202 | 00001279 | 00000000 | 000 | daa: 0x79 stays
            27           | 0000127a | 00000000 | 00000000 | 00000000 | 202 | 00001280 | 00000000 | 890 | daa: low digit > 9
            27           | 00001209 | 00000000 | 00000000 | 00000000 | 212 | 0000120f | 00000000 | 014 | daa: AF forces +6
            27           | 0000129a | 00000000 | 00000000 | 00000000 | 202 | 00001200 | 00000000 | 055 | daa: 0x9a -> 0x00, CF
            27           | 00001200 | 00000000 | 00000000 | 00000000 | 203 | 00001260 | 00000000 | 005 | daa: CF forces +0x60
            27           | 000012ff | 00000000 | 00000000 | 00000000 | 213 | 00001265 | 00000000 | 015 | daa: 0xff with AF and CF
            27           | 0000127f | 00000000 | 00000000 | 00000000 | 202 | 00001285 | 00000000 | 890 | daa: 0x7f -> 0x85, OF as an addition
            2f           | 00001210 | 00000000 | 00000000 | 00000000 | 212 | 0000120a | 00000000 | 014 | das: AF forces -6
            2f           | 00001203 | 00000000 | 00000000 | 00000000 | 212 | 000012fd | 00000000 | 091 | das: borrow from the -6 step sets CF
            2f           | 0000129a | 00000000 | 00000000 | 00000000 | 202 | 00001234 | 00000000 | 811 | das: 0x9a
            2f           | 00001200 | 00000000 | 00000000 | 00000000 | 203 | 000012a0 | 00000000 | 085 | das: CF forces -0x60
            2f           | 00001280 | 00000000 | 00000000 | 00000000 | 202 | 00001280 | 00000000 | 080 | das: 0x80 unchanged
            2f           | 00001285 | 00000000 | 00000000 | 00000000 | 213 | 0000121f | 00000000 | 811 | das: 0x85 -> 0x1f, OF
            37           | 00000009 | 00000000 | 00000000 | 00000000 | 202 | 00000009 | 00000000 | 004 | aaa: 9 stays
            37           | 0000000a | 00000000 | 00000000 | 00000000 | 202 | 00000100 | 00000000 | 011 | aaa: 10 -> AH+1
            37           | 000001fb | 00000000 | 00000000 | 00000000 | 202 | 00000301 | 00000000 | 011 | aaa: AL+6 carries into AH too
            37           | 00000035 | 00000000 | 00000000 | 00000000 | 212 | 0000010b | 00000000 | 011 | aaa: AF forces the adjustment
            37           | 0000ff0f | 00000000 | 00000000 | 00000000 | 202 | 00000005 | 00000000 | 011 | aaa: AH wraps
            37           | 00007ffa | 00000000 | 00000000 | 00000000 | 202 | 00008100 | 00000000 | 895 | aaa: 16-bit signed overflow
            3f           | 00000009 | 00000000 | 00000000 | 00000000 | 202 | 00000009 | 00000000 | 004 | aas: 9 stays
            3f           | 0000020a | 00000000 | 00000000 | 00000000 | 202 | 00000104 | 00000000 | 011 | aas: 10 -> AH-1
            3f           | 00000000 | 00000000 | 00000000 | 00000000 | 212 | 0000fe0a | 00000000 | 095 | aas: AH and AL borrow
            3f           | 00008003 | 00000000 | 00000000 | 00000000 | 212 | 00007e0d | 00000000 | 811 | aas: 16-bit signed overflow
            d40a         | 000012ff | 00000000 | 00000000 | 00000000 | ad7 | 00001905 | 00000000 | 004 | aam: 255 = 25 5
            d40a         | 00001200 | 00000000 | 00000000 | 00000000 | 202 | 00000000 | 00000000 | 044 | aam: zero
            d410         | 000000f7 | 00000000 | 00000000 | 00000000 | 202 | 00000f07 | 00000000 | 000 | aam 16: nibbles
            d400         | 00001234 | 00000000 | 00000000 | 00000000 | 202 | #DE      |          |     | aam 0 -> #DE
            d50a         | 00000909 | 00000000 | 00000000 | 00000000 | 202 | 00000063 | 00000000 | 014 | aad: 99
            d50a         | 00001905 | 00000000 | 00000000 | 00000000 | 202 | 000000ff | 00000000 | 084 | aad: 255
            d50a         | 00001906 | 00000000 | 00000000 | 00000000 | ad7 | 00000000 | 00000000 | 055 | aad: 256 wraps, flags of the byte addition
            d510         | 00000f0f | 00000000 | 00000000 | 00000000 | 202 | 000000ff | 00000000 | 084 | aad 16: nibbles
            d500         | 00007f80 | 00000000 | 00000000 | 00000000 | 202 | 00000080 | 00000000 | 080 | aad 0: AH ignored
            """)
    void decimalAdjust(String code, String eax, String ecx, String edx, String ebx, String flags, String eaxOut,
            String edxOut, String flagsOut, String what) {
        check(code, eax, ecx, edx, ebx, flags, eaxOut, edxOut, flagsOut);
    }
}
