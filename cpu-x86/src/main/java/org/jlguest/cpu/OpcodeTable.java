package org.jlguest.cpu;

/**
 * The one table of i386 opcodes: decoder, dispatcher and disassembler all read it, so they never
 * disagree.
 *
 * <p>Each row is {@code opcode[/reg] MNEMONIC operands family [flags]}. Opcodes {@code 0Fxx} are
 * two-byte; {@code /r} rows split a group opcode by the ModRM reg field. Operand codes follow the
 * Intel SDM's opcode map: E = ModRM r/m, G = ModRM reg, M = memory-only r/m, S = segment register,
 * C/D = control/debug register; b = byte, w = word, v = word or dword, z = immediate of word or
 * dword, Ib = zero-extended byte, Ibs = byte sign-extended to the operand size, Jb/Jz = relative
 * branch, Ap = far pointer, O = absolute offset (moffs). Flags: L = LOCK allowed with a memory
 * destination, B = ends a decoded block (the next bytes may not be code).
 */
final class OpcodeTable {
    static final int FAMILY_MASK = 0x1F;
    static final int MODRM = 1 << 5;
    static final int IMM_SHIFT = 6;
    static final int IMM_MASK = 0xF << IMM_SHIFT;
    static final int BYTE = 1 << 10;
    static final int LOCKABLE = 1 << 11;
    static final int ENDS_BLOCK = 1 << 12;
    static final int DEFINED = 1 << 13;
    static final int MEMORY_ONLY = 1 << 14;

    /** Immediate kinds. */
    static final int IMM_NONE = 0, IMM_B = 1, IMM_BS = 2, IMM_W = 3, IMM_Z = 4, IMM_AP = 5,
            IMM_ENTER = 6, IMM_MOFFS = 7, IMM_JB = 8, IMM_JZ = 9;

    /** Attributes per (opcode, reg): index {@code op << 3 | reg}. */
    private static final int[] ATTR = new int[512 * 8];
    private static final String[] NAME = new String[512 * 8];
    private static final String[] OPERANDS = new String[512 * 8];

    private static final String TABLE = """
            00 ADD Eb,Gb alu L
            01 ADD Ev,Gv alu L
            02 ADD Gb,Eb alu
            03 ADD Gv,Ev alu
            04 ADD AL,Ib alu
            05 ADD eAX,Iz alu
            06 PUSH ES segment
            07 POP ES segment
            08 OR Eb,Gb alu L
            09 OR Ev,Gv alu L
            0A OR Gb,Eb alu
            0B OR Gv,Ev alu
            0C OR AL,Ib alu
            0D OR eAX,Iz alu
            0E PUSH CS segment
            10 ADC Eb,Gb alu L
            11 ADC Ev,Gv alu L
            12 ADC Gb,Eb alu
            13 ADC Gv,Ev alu
            14 ADC AL,Ib alu
            15 ADC eAX,Iz alu
            16 PUSH SS segment
            17 POP SS segment
            18 SBB Eb,Gb alu L
            19 SBB Ev,Gv alu L
            1A SBB Gb,Eb alu
            1B SBB Gv,Ev alu
            1C SBB AL,Ib alu
            1D SBB eAX,Iz alu
            1E PUSH DS segment
            1F POP DS segment
            20 AND Eb,Gb alu L
            21 AND Ev,Gv alu L
            22 AND Gb,Eb alu
            23 AND Gv,Ev alu
            24 AND AL,Ib alu
            25 AND eAX,Iz alu
            27 DAA - bcd
            28 SUB Eb,Gb alu L
            29 SUB Ev,Gv alu L
            2A SUB Gb,Eb alu
            2B SUB Gv,Ev alu
            2C SUB AL,Ib alu
            2D SUB eAX,Iz alu
            2F DAS - bcd
            30 XOR Eb,Gb alu L
            31 XOR Ev,Gv alu L
            32 XOR Gb,Eb alu
            33 XOR Gv,Ev alu
            34 XOR AL,Ib alu
            35 XOR eAX,Iz alu
            37 AAA - bcd
            38 CMP Eb,Gb alu
            39 CMP Ev,Gv alu
            3A CMP Gb,Eb alu
            3B CMP Gv,Ev alu
            3C CMP AL,Ib alu
            3D CMP eAX,Iz alu
            3F AAS - bcd
            40-47 INC Zv alu
            48-4F DEC Zv alu
            50-57 PUSH Zv stack
            58-5F POP Zv stack
            60 PUSHA - stack
            61 POPA - stack
            62 BOUND Gv,Mv control
            63 ARPL Ew,Gw system
            68 PUSH Iz stack
            69 IMUL Gv,Ev,Iz muldiv
            6A PUSH Ibs stack
            6B IMUL Gv,Ev,Ibs muldiv
            6C INSB - io
            6D INS - io
            6E OUTSB - io
            6F OUTS - io
            70-7F Jcc Jb control B
            80/0 ADD Eb,Ib alu L
            80/1 OR Eb,Ib alu L
            80/2 ADC Eb,Ib alu L
            80/3 SBB Eb,Ib alu L
            80/4 AND Eb,Ib alu L
            80/5 SUB Eb,Ib alu L
            80/6 XOR Eb,Ib alu L
            80/7 CMP Eb,Ib alu
            81/0 ADD Ev,Iz alu L
            81/1 OR Ev,Iz alu L
            81/2 ADC Ev,Iz alu L
            81/3 SBB Ev,Iz alu L
            81/4 AND Ev,Iz alu L
            81/5 SUB Ev,Iz alu L
            81/6 XOR Ev,Iz alu L
            81/7 CMP Ev,Iz alu
            82/0 ADD Eb,Ib alu L
            82/1 OR Eb,Ib alu L
            82/2 ADC Eb,Ib alu L
            82/3 SBB Eb,Ib alu L
            82/4 AND Eb,Ib alu L
            82/5 SUB Eb,Ib alu L
            82/6 XOR Eb,Ib alu L
            82/7 CMP Eb,Ib alu
            83/0 ADD Ev,Ibs alu L
            83/1 OR Ev,Ibs alu L
            83/2 ADC Ev,Ibs alu L
            83/3 SBB Ev,Ibs alu L
            83/4 AND Ev,Ibs alu L
            83/5 SUB Ev,Ibs alu L
            83/6 XOR Ev,Ibs alu L
            83/7 CMP Ev,Ibs alu
            84 TEST Eb,Gb alu
            85 TEST Ev,Gv alu
            86 XCHG Eb,Gb move L
            87 XCHG Ev,Gv move L
            88 MOV Eb,Gb move
            89 MOV Ev,Gv move
            8A MOV Gb,Eb move
            8B MOV Gv,Ev move
            8C MOV Ew,Sw segment
            8D LEA Gv,Mv move
            8E MOV Sw,Ew segment
            8F/0 POP Ev stack
            90 NOP - flag
            91-97 XCHG Zv,eAX move
            98 CBW/CWDE - move
            99 CWD/CDQ - move
            9A CALLF Ap control B
            9B FWAIT - x87
            9C PUSHF - stack
            9D POPF - stack
            9E SAHF - flag
            9F LAHF - flag
            A0 MOV AL,Ob move
            A1 MOV eAX,Ov move
            A2 MOV Ob,AL move
            A3 MOV Ov,eAX move
            A4 MOVSB - string
            A5 MOVS - string
            A6 CMPSB - string
            A7 CMPS - string
            A8 TEST AL,Ib alu
            A9 TEST eAX,Iz alu
            AA STOSB - string
            AB STOS - string
            AC LODSB - string
            AD LODS - string
            AE SCASB - string
            AF SCAS - string
            B0-B7 MOV Zb,Ib move
            B8-BF MOV Zv,Iz move
            C0/0 ROL Eb,Ib shift
            C0/1 ROR Eb,Ib shift
            C0/2 RCL Eb,Ib shift
            C0/3 RCR Eb,Ib shift
            C0/4 SHL Eb,Ib shift
            C0/5 SHR Eb,Ib shift
            C0/6 SAL Eb,Ib shift
            C0/7 SAR Eb,Ib shift
            C1/0 ROL Ev,Ib shift
            C1/1 ROR Ev,Ib shift
            C1/2 RCL Ev,Ib shift
            C1/3 RCR Ev,Ib shift
            C1/4 SHL Ev,Ib shift
            C1/5 SHR Ev,Ib shift
            C1/6 SAL Ev,Ib shift
            C1/7 SAR Ev,Ib shift
            C2 RET Iw control B
            C3 RET - control B
            C4 LES Gv,Mp segment
            C5 LDS Gv,Mp segment
            C6/0 MOV Eb,Ib move
            C7/0 MOV Ev,Iz move
            C8 ENTER Iw,Ib stack
            C9 LEAVE - stack
            CA RETF Iw control B
            CB RETF - control B
            CC INT3 - control B
            CD INT Ib control B
            CE INTO - control B
            CF IRET - control B
            D0/0 ROL Eb,1 shift
            D0/1 ROR Eb,1 shift
            D0/2 RCL Eb,1 shift
            D0/3 RCR Eb,1 shift
            D0/4 SHL Eb,1 shift
            D0/5 SHR Eb,1 shift
            D0/6 SAL Eb,1 shift
            D0/7 SAR Eb,1 shift
            D1/0 ROL Ev,1 shift
            D1/1 ROR Ev,1 shift
            D1/2 RCL Ev,1 shift
            D1/3 RCR Ev,1 shift
            D1/4 SHL Ev,1 shift
            D1/5 SHR Ev,1 shift
            D1/6 SAL Ev,1 shift
            D1/7 SAR Ev,1 shift
            D2/0 ROL Eb,CL shift
            D2/1 ROR Eb,CL shift
            D2/2 RCL Eb,CL shift
            D2/3 RCR Eb,CL shift
            D2/4 SHL Eb,CL shift
            D2/5 SHR Eb,CL shift
            D2/6 SAL Eb,CL shift
            D2/7 SAR Eb,CL shift
            D3/0 ROL Ev,CL shift
            D3/1 ROR Ev,CL shift
            D3/2 RCL Ev,CL shift
            D3/3 RCR Ev,CL shift
            D3/4 SHL Ev,CL shift
            D3/5 SHR Ev,CL shift
            D3/6 SAL Ev,CL shift
            D3/7 SAR Ev,CL shift
            D4 AAM Ib bcd
            D5 AAD Ib bcd
            D6 SALC - flag
            D7 XLAT - move
            D8-DF ESC Ex x87
            E0 LOOPNE Jb control B
            E1 LOOPE Jb control B
            E2 LOOP Jb control B
            E3 JCXZ Jb control B
            E4 IN AL,Ib io
            E5 IN eAX,Ib io
            E6 OUT Ib,AL io
            E7 OUT Ib,eAX io
            E8 CALL Jz control B
            E9 JMP Jz control B
            EA JMPF Ap control B
            EB JMP Jb control B
            EC IN AL,DX io
            ED IN eAX,DX io
            EE OUT DX,AL io
            EF OUT DX,eAX io
            F1 INT1 - control B
            F4 HLT - system B
            F5 CMC - flag
            F6/0 TEST Eb,Ib alu
            F6/1 TEST Eb,Ib alu
            F6/2 NOT Eb alu L
            F6/3 NEG Eb alu L
            F6/4 MUL Eb muldiv
            F6/5 IMUL Eb muldiv
            F6/6 DIV Eb muldiv
            F6/7 IDIV Eb muldiv
            F7/0 TEST Ev,Iz alu
            F7/1 TEST Ev,Iz alu
            F7/2 NOT Ev alu L
            F7/3 NEG Ev alu L
            F7/4 MUL Ev muldiv
            F7/5 IMUL Ev muldiv
            F7/6 DIV Ev muldiv
            F7/7 IDIV Ev muldiv
            F8 CLC - flag
            F9 STC - flag
            FA CLI - system
            FB STI - system
            FC CLD - flag
            FD STD - flag
            FE/0 INC Eb alu L
            FE/1 DEC Eb alu L
            FF/0 INC Ev alu L
            FF/1 DEC Ev alu L
            FF/2 CALL Ev control B
            FF/3 CALLF Mp control B
            FF/4 JMP Ev control B
            FF/5 JMPF Mp control B
            FF/6 PUSH Ev stack
            0F00/0 SLDT Ew system
            0F00/1 STR Ew system
            0F00/2 LLDT Ew system
            0F00/3 LTR Ew system
            0F00/4 VERR Ew system
            0F00/5 VERW Ew system
            0F01/0 SGDT Ms system
            0F01/1 SIDT Ms system
            0F01/2 LGDT Ms system
            0F01/3 LIDT Ms system
            0F01/4 SMSW Ew system
            0F01/6 LMSW Ew system
            0F01/7 INVLPG Mb system
            0F02 LAR Gv,Ew system
            0F03 LSL Gv,Ew system
            0F06 CLTS - system
            0F08 INVD - system
            0F09 WBINVD - system
            0F0B UD2 - invalid
            0F18-0F1F NOP Ev flag
            0F20 MOV Rd,Cd system
            0F21 MOV Rd,Dd system
            0F22 MOV Cd,Rd system
            0F23 MOV Dd,Rd system
            0F30 WRMSR - system
            0F31 RDTSC - flag
            0F32 RDMSR - system
            0F40-0F4F CMOVcc Gv,Ev move
            0F80-0F8F Jcc Jz control B
            0F90-0F9F SETcc Eb move
            0FA0 PUSH FS segment
            0FA1 POP FS segment
            0FA2 CPUID - flag
            0FA3 BT Ev,Gv bit
            0FA4 SHLD Ev,Gv,Ib shift
            0FA5 SHLD Ev,Gv,CL shift
            0FA8 PUSH GS segment
            0FA9 POP GS segment
            0FAB BTS Ev,Gv bit L
            0FAC SHRD Ev,Gv,Ib shift
            0FAD SHRD Ev,Gv,CL shift
            0FAF IMUL Gv,Ev muldiv
            0FB0 CMPXCHG Eb,Gb move L
            0FB1 CMPXCHG Ev,Gv move L
            0FB2 LSS Gv,Mp segment
            0FB3 BTR Ev,Gv bit L
            0FB4 LFS Gv,Mp segment
            0FB5 LGS Gv,Mp segment
            0FB6 MOVZX Gv,Eb move
            0FB7 MOVZX Gv,Ew move
            0FBA/4 BT Ev,Ib bit
            0FBA/5 BTS Ev,Ib bit L
            0FBA/6 BTR Ev,Ib bit L
            0FBA/7 BTC Ev,Ib bit L
            0FBB BTC Ev,Gv bit L
            0FBC BSF Gv,Ev bit
            0FBD BSR Gv,Ev bit
            0FBE MOVSX Gv,Eb move
            0FBF MOVSX Gv,Ew move
            0FC0 XADD Eb,Gb move L
            0FC1 XADD Ev,Gv move L
            0FC7/1 CMPXCHG8B Mq move L
            0FC8-0FCF BSWAP Zv move
            """;

    private static final boolean[] HAS_MODRM = new boolean[512];

    static {
        for (String line : TABLE.strip().split("\n")) {
            define(line.strip());
        }
        for (int op = 0; op < 512; op++) {
            for (int reg = 0; reg < 8; reg++) {
                HAS_MODRM[op] |= (ATTR[op << 3 | reg] & MODRM) != 0;
            }
        }
    }

    private OpcodeTable() {
    }

    private static void define(String row) {
        String[] f = row.split(" ");
        String opcodes = f[0];
        String name = f[1];
        String operands = f[2].equals("-") ? "" : f[2];
        int attr = DEFINED | Family.byName(f[3]);
        if (f.length > 4) {
            attr |= f[4].contains("L") ? LOCKABLE : 0;
            attr |= f[4].contains("B") ? ENDS_BLOCK : 0;
        }
        attr |= operandAttributes(operands);
        int regFirst = 0;
        int regLast = 7;
        int slash = opcodes.indexOf('/');
        if (slash >= 0) {
            regFirst = regLast = Integer.parseInt(opcodes.substring(slash + 1));
            opcodes = opcodes.substring(0, slash);
        }
        int dash = opcodes.indexOf('-');
        int first = parseOpcode(dash < 0 ? opcodes : opcodes.substring(0, dash));
        int last = dash < 0 ? first : parseOpcode(opcodes.substring(dash + 1));
        for (int op = first; op <= last; op++) {
            for (int reg = regFirst; reg <= regLast; reg++) {
                int slot = op << 3 | reg;
                if ((ATTR[slot] & DEFINED) != 0) {
                    throw new IllegalStateException("opcode defined twice: " + row);
                }
                ATTR[slot] = attr;
                NAME[slot] = name;
                OPERANDS[slot] = operands;
            }
        }
    }

    private static int parseOpcode(String text) {
        return text.length() == 4 ? 0x100 | Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text, 16);
    }

    /** ModRM presence, immediate kind and byte size, all read off the operand codes. */
    private static int operandAttributes(String operands) {
        int attr = 0;
        boolean byteSized = !operands.isEmpty();
        for (String o : operands.isEmpty() ? new String[0] : operands.split(",")) {
            char kind = o.charAt(0);
            if ("EGMSCDR".indexOf(kind) >= 0 && o.length() >= 2 && Character.isLowerCase(o.charAt(1))) {
                attr |= MODRM;
            }
            if (kind == 'M') {
                attr |= MEMORY_ONLY;
            }
            int imm = switch (o) {
                case "Ib" -> IMM_B;
                case "Ibs" -> IMM_BS;
                case "Iw" -> IMM_W;
                case "Iz" -> IMM_Z;
                case "Ap" -> IMM_AP;
                case "Ob", "Ov" -> IMM_MOFFS;
                case "Jb" -> IMM_JB;
                case "Jz" -> IMM_JZ;
                default -> IMM_NONE;
            };
            if (imm != IMM_NONE && (attr & IMM_MASK) == 0) {
                attr |= imm << IMM_SHIFT;
            }
            boolean isByte = o.endsWith("b") || o.equals("AL") || o.equals("CL") || o.equals("1") || o.equals("Ib") || o.equals("DX");
            boolean isImmediate = o.startsWith("I") || o.startsWith("J");
            if (!isByte && !isImmediate) {
                byteSized = false;
            }
        }
        // ENTER carries two immediates, Iw then Ib.
        if (operands.equals("Iw,Ib")) {
            attr = (attr & ~IMM_MASK) | IMM_ENTER << IMM_SHIFT;
            byteSized = false;
        }
        if (byteSized && hasByteOperand(operands)) {
            attr |= BYTE;
        }
        return attr;
    }

    private static boolean hasByteOperand(String operands) {
        for (String o : operands.split(",")) {
            if (o.equals("Eb") || o.equals("Gb") || o.equals("AL") || o.equals("Zb") || o.equals("Ob") || o.equals("Mb")) {
                return true;
            }
        }
        return false;
    }

    static int attributes(int op, int reg) {
        return ATTR[op << 3 | reg];
    }

    /** Whether the opcode has a ModRM byte (for a group, whether any of its rows does). */
    static boolean hasModrm(int op) {
        return HAS_MODRM[op];
    }

    static String name(int op, int reg) {
        String n = NAME[op << 3 | reg];
        return n == null ? "(bad)" : n;
    }

    static String operands(int op, int reg) {
        String o = OPERANDS[op << 3 | reg];
        return o == null ? "" : o;
    }
}
