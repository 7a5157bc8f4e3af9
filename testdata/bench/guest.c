/* The workload as an lguest test guest: the report on the guest console, then power off. */
#include "lguest.h"
#include "workload.h"

GUEST_NAME("bench");

void main(const u8 *boot_params)
{
    char report[BENCH_REPORT_MAX + 1];
    lguest_init();
    console_init(boot_params);
    u32 length = bench_run(bench_parameters.rounds, report);
    report[length] = 0;
    puts(report);
    pass();
}
