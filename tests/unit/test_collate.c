/*
 * test_collate.c - collation sort keys (SPEC 3 "Name order"): the
 * order of the root and of a tailoring, secondary strength, the tags
 * refused, and the names index key built on them (record.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collate.h"
#include "record.h"

/* memcmp order of two names' keys under tag: <0, 0 or >0. */
static int
order(const char *tag, const char *a, const char *b)
{
	uint8_t ka[NAMES_KEY_MAX], kb[NAMES_KEY_MAX];
	char why[256];
	size_t na, nb;
	int c;

	na = collate_key(tag, a, strlen(a), ka, sizeof(ka), why, sizeof(why));
	nb = collate_key(tag, b, strlen(b), kb, sizeof(kb), why, sizeof(why));
	assert_true(na > 0 && nb > 0);
	/* a key holds no 0 byte but its last */
	assert_null(memchr(ka, 0, na - 1));
	c = memcmp(ka, kb, na < nb ? na : nb);
	return c != 0 ? c : (int)na - (int)nb;
}

static void
test_root_order(void **state)
{
	(void)state;
	/* Émile sorts with Eve, before Zed */
	assert_true(order("root", "\xc3\x89mile", "Eve") < 0);
	assert_true(order("root", "Eve", "Zed") < 0);
	assert_true(order("root", "\xc3\x89mile", "Zed") < 0);
	/* accents count: Emile before Émile */
	assert_true(order("root", "Emile", "\xc3\x89mile") < 0);
	/* case does not */
	assert_int_equal(order("root", "ada lovelace", "Ada LOVELACE"), 0);
	/* decomposed and composed are one name */
	assert_int_equal(order("root", "E\xcc\x81mile", "\xc3\x89mile"), 0);
	assert_true(order("root", "\xc3\x85sa", "Zed") < 0);
}

static void
test_tailoring(void **state)
{
	(void)state;
	/* in Swedish Å comes after Z */
	assert_true(order("sv", "\xc3\x85sa", "Zed") > 0);
	assert_true(order("sv", "Adam", "Zed") < 0);
}

static void
test_check(void **state)
{
	static const char *const good[] = {
		"root", "und", "sv", "de", "ja", "de-u-co-phonebk", "es-u-co-trad",
	};
	static const char *const bad[] = {
		"xx", "klingon", "", "-", "sv_SE", "de--x", "sv\x1b", "en US",
		"a-very-long-tag-that-goes-on-and-on-and-on-and-on-and-on-and-on-x",
	};
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_int_equal(collate_check(good[i], why, sizeof(why)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		why[0] = 0;
		assert_int_equal(collate_check(bad[i], why, sizeof(why)), -1);
		assert_true(why[0] != 0);
	}
	assert_true(strchr(collate_version(), '.') != NULL);
}

static void
test_names_key(void **state)
{
	uint8_t sk[600], buf[NAMES_KEY_MAX];
	const uint8_t id[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	    14, 15, 16 };
	size_t n;

	(void)state;
	memcpy(sk, "\x10\x20\x00", 3);
	n = names_key(sk, 3, id, buf, sizeof(buf));
	assert_int_equal(n, 2 + 1 + 16);	/* its own 0 is the separator */
	assert_memory_equal(buf, "\x10\x20\x00", 3);
	assert_memory_equal(buf + 3, id, 16);
	/* a sort key too long for LMDB is cut, and the id still fits */
	memset(sk, 0x41, sizeof(sk));
	n = names_key(sk, sizeof(sk), id, buf, sizeof(buf));
	assert_int_equal(n, NAMES_KEY_MAX);
	assert_int_equal(buf[NAMES_KEY_MAX - 17], 0);
	assert_memory_equal(buf + NAMES_KEY_MAX - 16, id, 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_order),
		cmocka_unit_test(test_tailoring),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_names_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
