/*
 * collate.h - name order by the Unicode Collation Algorithm (SPEC 3
 * "Name order"), through ICU.
 *
 * Pure: no LMDB, no curses.  ICU is loaded (dlopen) the first time a
 * key is made or a tag checked, never at start-up: a query reads keys
 * made when names were projected and never opens a collator, so a
 * process that only reads pays nothing for ICU.
 */
#ifndef ROLLCALL_COLLATE_H
#define ROLLCALL_COLLATE_H

#include <stddef.h>
#include <stdint.h>

#define COLLATE_TAG_MAX 64	/* bytes of a collation tag */
#define COLLATE_DEFAULT "root"

/*
 * Check a collation tag (a BCP 47 language tag such as "sv" or
 * "de-u-co-phonebk", or "root"): 0 when ICU has a collation for it,
 * else -1 with a reason in why (whylen bytes): not a tag, or a tag ICU
 * answers with the default (no collation of its own); -2 when ICU
 * cannot be loaded.
 */
int collate_check(const char *tag, char *why, size_t whylen);

/*
 * The sort key of s[0..len) (UTF-8) under tag at secondary strength
 * (accents count, case does not), into out (cap bytes; a longer key is
 * cut, which only merges names that differ after their first couple of
 * hundred letters: ties sort by id).  A key never holds a 0 byte except
 * a last one.  Returns the key's length, or 0 with a reason in why when
 * ICU cannot be loaded or the tag opened.
 */
size_t collate_key(const char *tag, const char *s, size_t len,
    uint8_t *out, size_t cap, char *why, size_t whylen);

/*
 * The version of ICU keys are made with, as "72.1": kept beside the
 * name index, so that a program built with another ICU rebuilds it.
 * Known without loading ICU.
 */
const char *collate_version(void);

#endif
