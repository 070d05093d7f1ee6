/*
 * radix.c - LSD radix sort of (key, val) pairs, 11 bits a pass, skipping
 * the passes where every pair agrees (most of them: sids and days are
 * small numbers).  Stable, so pairs that arrived in log order keep it.
 */
#include <stdlib.h>
#include <string.h>

#include "radix.h"

static uint64_t
order(const struct radix_kv *s, int by_val)
{
	return by_val ? s->val : s->key;
}

int
radix_sort(struct radix_kv *a, size_t n, int by_val, struct radix_kv *spare)
{
	struct radix_kv *tmp = spare, *src = a, *dst;
	size_t count[2048], i, sum, c;
	unsigned shift;

	if (n < 2)
		return 0;
	if (tmp == NULL && (tmp = malloc(n * sizeof(*tmp))) == NULL)
		return -1;
	dst = tmp;
	for (shift = 0; shift < 64; shift += 11) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(order(&src[i], by_val) >> shift) & 2047]++;
		if (count[(order(&src[0], by_val) >> shift) & 2047] == n)
			continue;
		for (i = 0, sum = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(order(&src[i], by_val) >> shift) & 2047]++] =
			    src[i];
		dst = src;
		src = src == a ? tmp : a;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	if (tmp != spare)
		free(tmp);
	return 0;
}
