/* Building non-PAE page tables for the Host to shadow. */
#include "lguest.h"

void identity_map(u32 *pgdir, u32 (*tables)[1024], u32 bytes, u32 flags)
{
    for (u32 va = 0; va < bytes; va += 4096) {
        u32 *table = tables[va >> 22];
        pgdir[va >> 22] = (u32)table | PGD_FLAGS;
        table[(va >> 12) & 1023] = va | flags;
    }
}

volatile u32 *pte_of(u32 *pgdir, u32 va)
{
    volatile u32 *table = (volatile u32 *)(pgdir[va >> 22] & ~0xFFFu);
    return &table[(va >> 12) & 1023];
}
