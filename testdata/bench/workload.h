/*
 * The jlguest benchmark workload: integer kernels a guest kernel or a compressor spends its time
 * in, run for a number of rounds and folded into one checksum. It is freestanding (no libc, no
 * libgcc, no floating point), so the same object file links into three programs:
 *
 *   flat.S    a raw image for "jlguest bare", started flat in ring 0 at 1 MiB;
 *   guest.c   an lguest test guest (bzImage), through the guest SDK in ../guests/sdk;
 *   native.S  a static i386 Linux executable that runs on the host processor.
 *
 * Each program reads the round count from bench_parameters.rounds, runs bench_run() and writes
 * the line bench_report() formats. The round count is a word in the image behind a marker,
 * so one image serves every count: "jlguest bench" patches it before loading.
 */
#ifndef JLGUEST_BENCH_WORKLOAD_H
#define JLGUEST_BENCH_WORKLOAD_H

#include <stdint.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

/* The marker that finds the round count in an image: 16 bytes, the round count follows. */
#define BENCH_MARKER "jlguest-rounds:"
#define BENCH_DEFAULT_ROUNDS 256

struct bench_parameters {
    char marker[16];
    u32 rounds;
};

/* Volatile: the compiler must read the word the loader patched, not the initializer. */
extern volatile struct bench_parameters bench_parameters;

/* Runs the workload for rounds rounds and writes its report line into report. */
#define BENCH_REPORT_MAX 80
u32 bench_run(u32 rounds, char report[BENCH_REPORT_MAX]);

#endif
