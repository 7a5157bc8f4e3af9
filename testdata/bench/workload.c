/*
 * The benchmark workload (see workload.h). Every round generates fresh data from its round
 * number and runs five kernels over it:
 *
 *   LZ           an LZ4-style compressor (hash of four bytes, greedy matches) over 64 KiB of
 *                generated text, and its decompressor;
 *   CRC-32       table-driven, over the text, its compressed form and the decompressed copy,
 *                which must have the text's length and CRC;
 *   quicksort    median-of-three Hoare partitions with an insertion sort below 16 elements,
 *                checked to leave the array in order;
 *   matrix       a 64x64 integer matrix product (wrapping 32-bit arithmetic);
 *   SHA-256      over the compressed text.
 *
 * Each result is folded into the checksum, so a wrong instruction anywhere changes it, and the
 * round number seeds the data, so every round count has its own checksum. The sizes give each
 * kernel a comparable share of the 13 million instructions of a round.
 */
#include "workload.h"

volatile struct bench_parameters bench_parameters = {BENCH_MARKER, BENCH_DEFAULT_ROUNDS};

#define TEXT_SIZE 65536
#define SORT_COUNT 8192
#define MATRIX 64

static u8 text[TEXT_SIZE];
static u8 packed[TEXT_SIZE + TEXT_SIZE / 8 + 16];
static u8 unpacked[TEXT_SIZE];
static u32 numbers[SORT_COUNT];
static u32 matrix_a[MATRIX][MATRIX], matrix_b[MATRIX][MATRIX], matrix_c[MATRIX][MATRIX];

/* --- Deterministic data --- */

static u32 xorshift(u32 *state)
{
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static u32 mix(u32 h, u32 v)
{
    h ^= v;
    h *= 0x9E3779B1u;
    return h ^ (h >> 15);
}

static const char *const words[32] = {
    "the", "guest", "kernel", "runs", "in", "ring", "one", "and", "asks", "host", "for",
    "page", "tables", "interrupt", "a", "hypercall", "switcher", "of", "lguest", "virtio",
    "console", "block", "network", "queue", "descriptor", "is", "to", "with", "timer", "clock",
    "launcher", "memory",
};

/* Text that compresses like prose: words from a small vocabulary, spaces, some punctuation. */
static void generate_text(u32 seed)
{
    u32 state = seed;
    u32 at = 0;
    while (at < TEXT_SIZE) {
        u32 r = xorshift(&state);
        const char *w = words[r & 31];
        while (*w && at < TEXT_SIZE) {
            text[at++] = (u8)*w++;
        }
        if (at < TEXT_SIZE) {
            text[at++] = (r >> 8) % 13 == 0 ? '.' : (r >> 8) % 29 == 0 ? '\n' : ' ';
        }
    }
}

/* --- CRC-32 (IEEE 802.3, reflected) --- */

static u32 crc_table[256];

static void crc_init(void)
{
    for (u32 n = 0; n < 256; n++) {
        u32 c = n;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[n] = c;
    }
}

static u32 crc32(const u8 *p, u32 n)
{
    u32 c = 0xFFFFFFFFu;
    for (u32 i = 0; i < n; i++) {
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

/* --- LZ: sequences of (token, literal length, literals, offset, match length) as LZ4 has --- */

#define HASH_BITS 12
#define MIN_MATCH 4
#define MAX_OFFSET 65535
#define LZ_ERROR 0xFFFFFFFFu

static u32 positions[1 << HASH_BITS];

typedef u32 __attribute__((aligned(1), may_alias)) unaligned_u32;

static u32 load32(const u8 *p)
{
    return *(const unaligned_u32 *)p;
}

static u32 hash4(u32 v)
{
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* A length of 15 or more continues in bytes of 255 and a last byte below 255. */
static u32 put_length(u8 *out, u32 op, u32 extra)
{
    while (extra >= 255) {
        out[op++] = 255;
        extra -= 255;
    }
    out[op++] = (u8)extra;
    return op;
}

static u32 put_sequence(u8 *out, u32 op, const u8 *literals, u32 count, u32 offset, u32 match)
{
    u32 code = match ? match - MIN_MATCH : 0;
    out[op++] = (u8)((count < 15 ? count : 15) << 4 | (code < 15 ? code : 15));
    if (count >= 15) {
        op = put_length(out, op, count - 15);
    }
    for (u32 i = 0; i < count; i++) {
        out[op++] = literals[i];
    }
    if (match) {
        out[op++] = (u8)offset;
        out[op++] = (u8)(offset >> 8);
        if (code >= 15) {
            op = put_length(out, op, code - 15);
        }
    }
    return op;
}

/* Compresses n bytes; the last sequence has literals only, which is how the decoder knows it. */
static u32 lz_compress(const u8 *in, u32 n, u8 *out)
{
    for (u32 i = 0; i < 1 << HASH_BITS; i++) {
        positions[i] = 0;
    }
    u32 ip = 0, anchor = 0, op = 0;
    while (ip + MIN_MATCH <= n) {
        u32 v = load32(in + ip);
        u32 h = hash4(v);
        u32 candidate = positions[h];
        positions[h] = ip + 1;
        if (candidate != 0 && ip - (candidate - 1) <= MAX_OFFSET && load32(in + candidate - 1) == v) {
            u32 from = candidate - 1;
            u32 length = MIN_MATCH;
            while (ip + length < n && in[from + length] == in[ip + length]) {
                length++;
            }
            op = put_sequence(out, op, in + anchor, ip - anchor, ip - from, length);
            ip += length;
            anchor = ip;
        } else {
            ip++;
        }
    }
    return put_sequence(out, op, in + anchor, n - anchor, 0, 0);
}

static u32 get_length(const u8 *in, u32 *ip, u32 n, u32 length)
{
    u8 b;
    do {
        if (*ip >= n) {
            return LZ_ERROR;
        }
        b = in[(*ip)++];
        length += b;
    } while (b == 255);
    return length;
}

/* Decompresses into at most capacity bytes; LZ_ERROR for input that is not a valid stream. */
static u32 lz_decompress(const u8 *in, u32 n, u8 *out, u32 capacity)
{
    u32 ip = 0, op = 0;
    while (ip < n) {
        u32 token = in[ip++];
        u32 count = token >> 4;
        if (count == 15 && (count = get_length(in, &ip, n, count)) == LZ_ERROR) {
            return LZ_ERROR;
        }
        if (count > n - ip || count > capacity - op) {
            return LZ_ERROR;
        }
        for (u32 i = 0; i < count; i++) {
            out[op++] = in[ip++];
        }
        if (ip == n) {
            return op;
        }
        if (n - ip < 2) {
            return LZ_ERROR;
        }
        u32 offset = in[ip] | (u32)in[ip + 1] << 8;
        ip += 2;
        u32 length = (token & 15) + MIN_MATCH;
        if ((token & 15) == 15 && (length = get_length(in, &ip, n, length)) == LZ_ERROR) {
            return LZ_ERROR;
        }
        if (offset == 0 || offset > op || length > capacity - op) {
            return LZ_ERROR;
        }
        for (u32 i = 0; i < length; i++, op++) {
            out[op] = out[op - offset];
        }
    }
    return LZ_ERROR;
}

/* --- Quicksort --- */

static void swap(u32 *a, u32 *b)
{
    u32 t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(u32 *a, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++) {
        u32 v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* Sorts a[lo..hi]; recurses into the smaller part, so the stack stays O(log n) deep. */
static void quicksort(u32 *a, int lo, int hi)
{
    while (hi - lo >= 16) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
        if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
        if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
        u32 pivot = a[mid];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            swap(&a[i], &a[j]);
        }
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

/* --- Matrix product --- */

static u32 matrix_product(u32 seed)
{
    u32 state = seed;
    for (int i = 0; i < MATRIX; i++) {
        for (int j = 0; j < MATRIX; j++) {
            matrix_a[i][j] = xorshift(&state) & 0xFFFF;
            matrix_b[i][j] = xorshift(&state) & 0xFFFF;
        }
    }
    for (int i = 0; i < MATRIX; i++) {
        for (int j = 0; j < MATRIX; j++) {
            u32 sum = 0;
            for (int k = 0; k < MATRIX; k++) {
                sum += matrix_a[i][k] * matrix_b[k][j];
            }
            matrix_c[i][j] = sum;
        }
    }
    u32 h = 0;
    for (int i = 0; i < MATRIX; i++) {
        for (int j = 0; j < MATRIX; j++) {
            h = mix(h, matrix_c[i][j]);
        }
    }
    return h;
}

/* --- SHA-256 (FIPS 180-4) --- */

static const u32 sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u32 rotr(u32 x, int n)
{
    return x >> n | x << (32 - n);
}

static void sha_block(u32 state[8], const u8 *block)
{
    u32 w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (u32)block[4 * i] << 24 | (u32)block[4 * i + 1] << 16 | (u32)block[4 * i + 2] << 8 | block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >> 3;
        u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >> 10;
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = state[0], b = state[1], c = state[2], d = state[3];
    u32 e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256(const u8 *p, u32 n, u32 digest[8])
{
    static const u32 initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    for (int i = 0; i < 8; i++) {
        digest[i] = initial[i];
    }
    u32 done = 0;
    for (; n - done >= 64; done += 64) {
        sha_block(digest, p + done);
    }
    u8 tail[128];
    u32 left = n - done;
    u32 size = left < 56 ? 64 : 128;
    for (u32 i = 0; i < size; i++) {
        tail[i] = i < left ? p[done + i] : i == left ? 0x80 : 0;
    }
    u64 bits = (u64)n << 3;
    for (int i = 0; i < 8; i++) {
        tail[size - 1 - i] = (u8)(bits >> (8 * i));
    }
    sha_block(digest, tail);
    if (size == 128) {
        sha_block(digest, tail + 64);
    }
}

/* --- The rounds and the report --- */

static u32 put_text(char *out, u32 at, const char *s)
{
    while (*s) {
        out[at++] = *s++;
    }
    return at;
}

static u32 put_decimal(char *out, u32 at, u32 v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        out[at++] = digits[--n];
    }
    return at;
}

static u32 put_hex(char *out, u32 at, u32 v)
{
    for (int shift = 28; shift >= 0; shift -= 4) {
        out[at++] = "0123456789abcdef"[(v >> shift) & 15];
    }
    return at;
}

/* One round; returns 0 with the round's checksum in *h, or the name of the check that failed. */
static const char *round_of(u32 round, u32 *h)
{
    u32 seed = mix(0x6C677374u, round);
    generate_text(seed);
    u32 text_crc = crc32(text, TEXT_SIZE);
    *h = mix(*h, text_crc);

    u32 size = lz_compress(text, TEXT_SIZE, packed);
    *h = mix(mix(*h, size), crc32(packed, size));
    u32 back = lz_decompress(packed, size, unpacked, TEXT_SIZE);
    if (back != TEXT_SIZE) {
        return "lz-length";
    }
    if (crc32(unpacked, TEXT_SIZE) != text_crc) {
        return "lz-crc";
    }

    u32 state = seed ^ 0xA5A5A5A5u;
    for (u32 i = 0; i < SORT_COUNT; i++) {
        numbers[i] = xorshift(&state);
    }
    quicksort(numbers, 0, SORT_COUNT - 1);
    for (u32 i = 1; i < SORT_COUNT; i++) {
        if (numbers[i - 1] > numbers[i]) {
            return "sort-order";
        }
    }
    for (u32 i = 0; i < SORT_COUNT; i += 64) {
        *h = mix(*h, numbers[i]);
    }

    *h = mix(*h, matrix_product(seed));

    u32 digest[8];
    sha256(packed, size, digest);
    for (int i = 0; i < 8; i++) {
        *h = mix(*h, digest[i]);
    }
    return 0;
}

u32 bench_run(u32 rounds, char report[BENCH_REPORT_MAX])
{
    crc_init();
    u32 h = 0;
    const char *failed = 0;
    for (u32 r = 0; r < rounds && !failed; r++) {
        failed = round_of(r, &h);
    }
    u32 at = put_text(report, 0, "jlguest-bench rounds=");
    at = put_decimal(report, at, rounds);
    if (failed) {
        at = put_text(report, at, " FAIL ");
        at = put_text(report, at, failed);
    } else {
        at = put_text(report, at, " checksum=");
        at = put_hex(report, at, h);
    }
    report[at++] = '\n';
    return at;
}
