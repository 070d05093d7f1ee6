/*
 * radix.h - core-internal: a stable sort of (key, val) pairs of 64-bit
 * numbers, for the read models that collect pairs in memory during a
 * replay or an import and write them out in key order.
 */
#ifndef ROLLCALL_RADIX_H
#define ROLLCALL_RADIX_H

#include <stddef.h>
#include <stdint.h>

struct radix_kv {
	uint64_t key;
	uint64_t val;
};

/*
 * Sort n pairs by key (or by val when by_val), stably.  spare: room for
 * n pairs, or NULL to allocate it.  Returns 0, or -1 out of memory.
 */
int radix_sort(struct radix_kv *a, size_t n, int by_val,
    struct radix_kv *spare);

#endif
