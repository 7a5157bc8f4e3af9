/*
 * jlguest native CPU oracle.
 *
 * Runs short code fragments on the host's real CPU, in a 32-bit user
 * process, and reports the state the hardware leaves behind.  The Java side
 * (org.jlguest.testdata.oracle.NativeOracle) turns these reports into the
 * expectations of "jlguest-cpu-vectors v1" cases.
 *
 * Freestanding on purpose: no libc, so it builds with a plain 64-bit gcc
 * using -m32, without multilib packages.  Build:
 *   gcc -m32 -ffreestanding -nostdlib -static -fno-pic -no-pie -O2 \
 *       -fno-stack-protector -o oracle oracle.c
 * Being static and non-PIE it loads at 0x08048000, which keeps
 * 0x10000000-0x7FFFFFFF free for the cases' fixed mappings.
 *
 * Protocol, one line per case on stdin (all numbers hex, no 0x):
 *   EIP CODE EAX ECX EDX EBX ESP EBP ESI EDI EFLAGS N ADDR1 BYTES1 ... ADDRN BYTESN [F IMAGE]
 * One line per case on stdout:
 *   R SIGNO TRAPNO ERR CR2 EAX ECX EDX EBX ESP EBP ESI EDI EIP EFLAGS BYTES1 ... BYTESN [F IMAGE]
 * or "E message" if the case could not be set up.  The code is followed by a
 * ud2 sentinel: a #UD (trap number 6) at EIP + code length means the code ran
 * to completion.  SIGNO 14 (SIGALRM) means the case ran out of time.
 *
 * An x87 case adds "F" and a 108-byte FNSAVE image (32-bit protected-mode
 * layout: control, status and tag words, the pointers, then ST(0)..ST(7)).
 * The oracle FRSTORs it (after an FNINIT, so nothing pending from the last case
 * can fire) just before entering the case, and replies with the FPU state at
 * the signal that ended the case, in the same layout.  That state comes from
 * the signal frame: the kernel saved the case's FPU there (converting its
 * FXSAVE image to the FNSAVE layout, with the full tag word derived from the
 * register contents as FNSAVE derives it) before giving the handler a fresh FPU.
 * An unmasked x87 exception surfaces as SIGFPE with trap number 16 (#MF) at
 * the next waiting x87 instruction.
 */

typedef unsigned int u32;
typedef unsigned char u8;

enum {
    SYS_exit = 1, SYS_read = 3, SYS_write = 4, SYS_alarm = 27,
    SYS_munmap = 91, SYS_mprotect = 125, SYS_rt_sigaction = 174,
    SYS_sigaltstack = 186, SYS_mmap2 = 192,
};
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4 };
enum { MAP_PRIVATE = 2, MAP_ANON = 0x20, MAP_FIXED_NOREPLACE = 0x100000 };
enum { SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTORER = 0x04000000 };
enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11, SIGALRM = 14 };
enum { PAGE = 4096, MAX_REGIONS = 16, MAX_PAGES = 64, MAX_CODE = 256, FPU_IMAGE = 108 };

/* Offsets (in words) into the i386 ucontext: 5 words of header, then sigcontext. */
enum {
    UC_ES = 5 + 2, UC_DS = 5 + 3, UC_EDI = 5 + 4, UC_ESI, UC_EBP, UC_ESP, UC_EBX,
    UC_EDX, UC_ECX, UC_EAX, UC_TRAPNO, UC_ERR, UC_EIP, UC_CS, UC_EFLAGS,
    UC_SS = 5 + 18, UC_FPSTATE = 5 + 19, UC_CR2 = 5 + 21,
};

long sys6(long n, long a, long b, long c, long d, long e, long f);
void sig_restorer(void);
void enter_case(void);
void resume_case(void);

/* The case's register image (EAX ECX EDX EBX ESP EBP ESI EDI EIP EFLAGS),
 * and the oracle's own ESP while a case runs. */
u32 case_regs[10];
u32 saved_esp;

__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "  xor %ebp, %ebp\n"
    "  and $-16, %esp\n"
    "  call main\n"
    "  mov %eax, %ebx\n"
    "  mov $1, %eax\n"
    "  int $0x80\n"

    /* Six-argument system call: the arguments go in EBX ECX EDX ESI EDI EBP. */
    ".globl sys6\n"
    "sys6:\n"
    "  push %ebp; push %ebx; push %esi; push %edi\n"
    "  mov 20(%esp), %eax; mov 24(%esp), %ebx; mov 28(%esp), %ecx\n"
    "  mov 32(%esp), %edx; mov 36(%esp), %esi; mov 40(%esp), %edi\n"
    "  mov 44(%esp), %ebp\n"
    "  int $0x80\n"
    "  pop %edi; pop %esi; pop %ebx; pop %ebp\n"
    "  ret\n"

    ".globl sig_restorer\n"
    "sig_restorer:\n"
    "  mov $173, %eax\n" /* rt_sigreturn */
    "  int $0x80\n"

    /* Loads the case's registers and jumps to its code.  Only MOVs and an
     * indirect JMP follow the POPF, so the loaded flags reach the code intact. */
    ".globl enter_case\n"
    "enter_case:\n"
    "  push %ebp; push %ebx; push %esi; push %edi\n"
    "  mov %esp, saved_esp\n"
    "  pushl case_regs+36\n"
    "  popf\n"
    "  mov case_regs+0, %eax; mov case_regs+4, %ecx; mov case_regs+8, %edx\n"
    "  mov case_regs+12, %ebx; mov case_regs+20, %ebp; mov case_regs+24, %esi\n"
    "  mov case_regs+28, %edi; mov case_regs+16, %esp\n"
    "  jmp *case_regs+32\n"

    /* The signal handler makes sigreturn land here, on the oracle's stack. */
    ".globl resume_case\n"
    "resume_case:\n"
    "  mov saved_esp, %esp\n"
    "  pop %edi; pop %esi; pop %ebx; pop %ebp\n"
    "  ret\n");

static long sys(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }

void *memset(void *d, int c, unsigned long n)
{
    u8 *p = d;
    while (n--) *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--) *p++ = *q++;
    return d;
}

/* What the hardware reported when the case stopped. */
static u32 report[15]; /* SIGNO TRAPNO ERR CR2 EAX ECX EDX EBX ESP EBP ESI EDI EIP EFLAGS */
/* The case's FPU state from the signal frame: its first 108 bytes are the FNSAVE layout. */
static u8 report_fpu[FPU_IMAGE];

static void on_signal(int sig, void *info, void *ucontext)
{
    u32 *uc = ucontext;
    (void)info;
    report[0] = (u32)sig;
    report[1] = uc[UC_TRAPNO];
    report[2] = uc[UC_ERR];
    report[3] = uc[UC_CR2];
    report[4] = uc[UC_EAX]; report[5] = uc[UC_ECX]; report[6] = uc[UC_EDX];
    report[7] = uc[UC_EBX]; report[8] = uc[UC_ESP]; report[9] = uc[UC_EBP];
    report[10] = uc[UC_ESI]; report[11] = uc[UC_EDI];
    report[12] = uc[UC_EIP]; report[13] = uc[UC_EFLAGS];
    if (uc[UC_FPSTATE]) memcpy(report_fpu, (const void *)uc[UC_FPSTATE], FPU_IMAGE);
    else memset(report_fpu, 0, FPU_IMAGE);
    /* Return from the signal into the oracle instead of the case: the kernel
     * then restores the signal mask and leaves the alternate stack for us. */
    uc[UC_EIP] = (u32)resume_case;
    uc[UC_ESP] = saved_esp;
    uc[UC_EFLAGS] = 0x202;
    uc[UC_CS] = 0x23;
    uc[UC_SS] = uc[UC_DS] = uc[UC_ES] = 0x2b;
}

static void install_handlers(void)
{
    static u8 alt_stack[65536];
    u32 ss[3] = { (u32)alt_stack, 0, sizeof alt_stack };
    static const int sigs[] = { SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGALRM };
    sys(SYS_sigaltstack, (long)ss, 0, 0);
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        /* Kernel sigaction: handler, flags, restorer, 64-bit signal mask. */
        u32 act[5] = { (u32)on_signal, SA_SIGINFO | SA_ONSTACK | SA_RESTORER, (u32)sig_restorer, 0, 0 };
        sys6(SYS_rt_sigaction, sigs[i], (long)act, 0, 8, 0, 0);
    }
}

/* ---- line input and output ---- */

static char in[1 << 18];
static unsigned in_len, in_pos;
static char out[1 << 18];
static unsigned out_len;

/* Returns the next line (NUL-terminated, without its newline), or 0 at end of input. */
static char *read_line(void)
{
    for (;;) {
        for (unsigned i = in_pos; i < in_len; i++) {
            if (in[i] == '\n') {
                char *line = in + in_pos;
                in[i] = 0;
                in_pos = i + 1;
                return line;
            }
        }
        if (in_pos > 0) {
            memcpy(in, in + in_pos, in_len - in_pos);
            in_len -= in_pos;
            in_pos = 0;
        }
        if (in_len == sizeof in) return 0; /* line too long: give up */
        long n = sys(SYS_read, 0, (long)(in + in_len), sizeof in - in_len);
        if (n <= 0) return 0;
        in_len += (unsigned)n;
    }
}

static void put_char(char c) { if (out_len < sizeof out) out[out_len++] = c; }
static void put_str(const char *s) { while (*s) put_char(*s++); }

static void put_hex(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    put_char(' ');
    for (int shift = 28; shift >= 0; shift -= 4) put_char(digits[(v >> shift) & 15]);
}

static void put_bytes(const u8 *p, u32 n)
{
    static const char digits[] = "0123456789abcdef";
    put_char(' ');
    for (u32 i = 0; i < n; i++) {
        put_char(digits[p[i] >> 4]);
        put_char(digits[p[i] & 15]);
    }
}

static void flush_line(void)
{
    put_char('\n');
    for (unsigned done = 0; done < out_len;) {
        long n = sys(SYS_write, 1, (long)(out + done), out_len - done);
        if (n <= 0) sys(SYS_exit, 2, 0, 0);
        done += (unsigned)n;
    }
    out_len = 0;
}

/* ---- parsing ---- */

static char *cursor;

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The next space-separated token, or 0 if the line has no more. */
static char *token(void)
{
    while (*cursor == ' ') cursor++;
    if (!*cursor) return 0;
    char *start = cursor;
    while (*cursor && *cursor != ' ') cursor++;
    if (*cursor) *cursor++ = 0;
    return start;
}

static int parse_u32(u32 *v)
{
    char *t = token();
    if (!t || !*t) return 0;
    *v = 0;
    for (int i = 0; t[i]; i++) {
        int d = hex_digit(t[i]);
        if (d < 0 || i >= 8) return 0;
        *v = *v << 4 | (u32)d;
    }
    return 1;
}

/* Decodes a hex byte string in place; returns its length, or -1 if malformed. */
static int parse_bytes(u8 **bytes, u32 max)
{
    char *t = token();
    if (!t) return -1;
    u32 n = 0;
    for (; t[2 * n]; n++) {
        int hi = hex_digit(t[2 * n]), lo = hi < 0 ? -1 : hex_digit(t[2 * n + 1]);
        if (lo < 0 || n >= max) return -1;
        t[n] = (char)(hi << 4 | lo);
    }
    *bytes = (u8 *)t;
    return (int)n;
}

/* ---- one case ---- */

static u32 mapped[MAX_PAGES];
static unsigned mapped_count;

static int map_page(u32 page, int prot)
{
    for (unsigned i = 0; i < mapped_count; i++)
        if (mapped[i] == page) return 1;
    if (mapped_count == MAX_PAGES || page < 0x10000000u || page >= 0x80000000u) return 0;
    long r = sys6(SYS_mmap2, page, PAGE, prot, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE, -1, 0);
    if ((u32)r != page) return 0;
    mapped[mapped_count++] = page;
    return 1;
}

static void unmap_all(void)
{
    for (unsigned i = 0; i < mapped_count; i++) sys(SYS_munmap, mapped[i], PAGE, 0);
    mapped_count = 0;
}

static const char *run_case(char *line)
{
    u32 eip, n, addr[MAX_REGIONS], len[MAX_REGIONS];
    u8 *code, *bytes[MAX_REGIONS], *fpu = 0;
    cursor = line;
    if (!parse_u32(&eip)) return "bad eip";
    int code_len = parse_bytes(&code, MAX_CODE);
    if (code_len < 0) return "bad code";
    for (int i = 0; i < 10; i++)
        if (i != 8 && !parse_u32(&case_regs[i])) return "bad register";
    case_regs[8] = eip;
    if (!parse_u32(&n) || n > MAX_REGIONS) return "bad region count";
    for (u32 i = 0; i < n; i++) {
        int l;
        if (!parse_u32(&addr[i]) || (l = parse_bytes(&bytes[i], PAGE)) < 0) return "bad region";
        len[i] = (u32)l;
    }
    char *extra = token();
    if (extra && extra[0] == 'F' && !extra[1]) {
        if (parse_bytes(&fpu, FPU_IMAGE) != FPU_IMAGE) return "bad fpu image";
        extra = token();
    }
    if (extra) return "trailing input";

    /* Code pages first, writable only until the code and the sentinel are in. */
    u32 code_end = eip + (u32)code_len + 2;
    for (u32 page = eip & ~(PAGE - 1u); page < code_end; page += PAGE)
        if (!map_page(page, PROT_R | PROT_W)) return "cannot map code page";
    unsigned code_pages = mapped_count;
    memcpy((void *)eip, code, (unsigned long)code_len);
    ((u8 *)eip)[code_len] = 0x0f; /* ud2 */
    ((u8 *)eip)[code_len + 1] = 0x0b;
    for (unsigned i = 0; i < code_pages; i++) sys(SYS_mprotect, mapped[i], PAGE, PROT_R | PROT_X);

    for (u32 i = 0; i < n; i++) {
        u32 first = addr[i] & ~(PAGE - 1u);
        u32 last = (addr[i] + (len[i] ? len[i] - 1 : 0)) & ~(PAGE - 1u);
        for (u32 page = first;; page += PAGE) {
            for (unsigned c = 0; c < code_pages; c++)
                if (mapped[c] == page) return "data region on a code page";
            if (!map_page(page, PROT_R | PROT_W)) return "cannot map data page";
            if (page == last) break;
        }
        memcpy((void *)addr[i], bytes[i], len[i]);
    }

    sys(SYS_alarm, 2, 0, 0);
    if (fpu) __asm__ volatile("fninit; frstor %0" : : "m"(*(const u8 (*)[FPU_IMAGE])fpu) : "memory");
    enter_case();
    sys(SYS_alarm, 0, 0, 0);

    put_char('R');
    for (int i = 0; i < 14; i++) put_hex(report[i]);
    for (u32 i = 0; i < n; i++) put_bytes((const u8 *)addr[i], len[i]);
    if (fpu) {
        put_str(" F");
        put_bytes(report_fpu, FPU_IMAGE);
    }
    return 0;
}

int main(void)
{
    install_handlers();
    for (char *line; (line = read_line()) != 0;) {
        const char *error = run_case(line);
        unmap_all();
        if (error) {
            out_len = 0;
            put_str("E ");
            put_str(error);
        }
        flush_line();
    }
    return 0;
}
