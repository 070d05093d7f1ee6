/*
 * test_text.c - case folding, escaping and display columns.
 *
 * The process runs in the "C" locale throughout: text.c must get its
 * UTF-8 character classes from its own C.UTF-8 ctype, not the user's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "text.h"

#define YAMADA "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e" /* 山田太郎 */
#define YAMADA3 "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa"	/* 山田太 */

/* ------------------------------------------------------------------ */
/* Decoding */

static void
test_utf8_next(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(text_utf8_next("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_utf8_next("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(text_utf8_next("\xe5\xb1\xb1", 3, &cp), 3);
	assert_int_equal(cp, 0x5c71);
	assert_int_equal(text_utf8_next("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(text_utf8_next("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(text_utf8_next("", 0, &cp), 0);
	assert_int_equal(text_utf8_next("\xc3\xa9", 1, &cp), 0);
	assert_int_equal(text_utf8_next("\x80", 1, &cp), 0);
	assert_int_equal(text_utf8_next("\xc1\xbf", 2, &cp), 0);
	assert_int_equal(text_utf8_next("\xe0\x9f\xbf", 3, &cp), 0);
	assert_int_equal(text_utf8_next("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(text_utf8_next("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(text_utf8_next("\xc3\x28", 2, &cp), 0);
}

/* ------------------------------------------------------------------ */
/* Folding */

static void
fold_is(const char *in, const char *want)
{
	char out[256];
	size_t n;

	n = text_fold(in, strlen(in), out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void
test_fold(void **state)
{
	(void)state;
	fold_is("", "");
	fold_is("Ada LOVELACE 42", "ada lovelace 42");
	fold_is("\xc3\x89LODIE", "\xc3\xa9lodie");		/* ÉLODIE */
	fold_is("\xc3\x87" "A VA", "\xc3\xa7" "a va");		/* ÇA VA */
	fold_is("\xd0\x9f\xd0\x95\xd0\xa2\xd0\xa0\xd0\x9e\xd0\x92",
	    "\xd0\xbf\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2");	/* ПЕТРОВ */
	fold_is("\xce\xa3\xce\x9f\xce\xa6", "\xcf\x83\xce\xbf\xcf\x86"); /* ΣΟΦ */
	fold_is(YAMADA, YAMADA);		/* no case: unchanged */
	fold_is("ADA@EXAMPLE.ORG", "ada@example.org");
	/* invalid bytes are copied unchanged, the rest still folded */
	fold_is("AB\xff" "C\xc3" "D", "ab\xff" "c\xc3" "d");
	fold_is("\xed\xa0\x80X", "\xed\xa0\x80x");
}

/* The result does not depend on the user's locale. */
static void
test_fold_locale_independent(void **state)
{
	char out[32];

	(void)state;
	setlocale(LC_ALL, "C");
	text_fold("\xc3\x89", 2, out, sizeof out);
	assert_string_equal(out, "\xc3\xa9");
	/* and the thread's locale is left as it was */
	assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
}

static void
test_fold_len_and_cap(void **state)
{
	char out[8];

	(void)state;
	/* only len bytes are read */
	assert_int_equal(text_fold("ABCDEF", 3, out, sizeof out), 3);
	assert_string_equal(out, "abc");
	/* truncation on a whole character */
	assert_int_equal(text_fold("\xc3\x89L", 3, out, 2), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_fold("\xc3\x89L", 3, out, 3), 2);
	assert_string_equal(out, "\xc3\xa9");
	assert_int_equal(text_fold("ABCDEFGHIJ", 10, out, sizeof out), 7);
	assert_string_equal(out, "abcdefg");
	out[0] = 'x';
	assert_int_equal(text_fold("A", 1, out, 0), 0);
	assert_int_equal(out[0], 'x');		/* cap 0: nothing written */
}

/* ------------------------------------------------------------------ */
/* Escaping */

static void
escape_is(const char *in, size_t len, const char *want)
{
	char out[256];
	size_t n;

	n = text_escape(in, len, out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

#define ESC(s, want) escape_is(s, sizeof(s) - 1, want)

static void
test_escape(void **state)
{
	(void)state;
	ESC("", "");
	ESC("Ada Lovelace", "Ada Lovelace");
	ESC(YAMADA, YAMADA);
	ESC("\xc3\xa9lodie", "\xc3\xa9lodie");
	ESC("a\\b", "a\\b");			/* backslash as is */
	ESC("a\nb\tc\rd", "a\\nb\\tc\\rd");
	ESC("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	ESC("\x1b]0;title\x07", "\\x1b]0;title\\x07");
	ESC("\x01\x1f", "\\x01\\x1f");
	ESC("a\0b", "a\\x00b");
	ESC("del\x7f", "del\\x7f");
	ESC("\xc2\x85", "\\u0085");		/* C1 NEL */
	ESC("\xc2\x9b" "2J", "\\u009b2J");	/* C1 CSI */
	ESC("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
	ESC("\xc2\xa0", "\xc2\xa0");		/* NBSP is printable */
	ESC("a\xff" "b", "a\\xffb");
	ESC("\xc3" "x", "\\xc3x");		/* truncated sequence */
	ESC("\xc0\xaf", "\\xc0\\xaf");		/* overlong */
	ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* surrogate */
	ESC("\xe5\xb1", "\\xe5\\xb1");		/* cut at the end */
}

/* Output is always NUL-terminated and never ends in half an escape. */
static void
test_escape_truncation(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(text_escape("\x1b", 1, out, 4), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_escape("\x1b", 1, out, 5), 4);
	assert_string_equal(out, "\\x1b");
	assert_int_equal(text_escape("ab\n", 3, out, 4), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(text_escape("ab\n", 3, out, 5), 4);
	assert_string_equal(out, "ab\\n");
	assert_int_equal(text_escape("a\xe5\xb1\xb1", 4, out, 4), 1);
	assert_string_equal(out, "a");
	assert_int_equal(text_escape("\xc2\x85", 2, out, 6), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_escape("\xc2\x85", 2, out, 7), 6);
	assert_int_equal(text_escape("abcdef", 6, out, 1), 0);
	assert_string_equal(out, "");
	out[0] = 'x';
	assert_int_equal(text_escape("abc", 3, out, 0), 0);
	assert_int_equal(out[0], 'x');
}

/* ------------------------------------------------------------------ */
/* Display columns */

static void
test_width(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C");
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width(YAMADA), 8);
	assert_int_equal(text_width("\xc3\xa9lodie"), 6);
	assert_int_equal(text_width("e\xcc\x81"), 1);		/* combining */
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2);	/* emoji */
	assert_int_equal(text_width("\xef\xbc\xa1"), 2);	/* fullwidth A */
	assert_int_equal(text_width("a\x01" "b"), 3);	/* as '?' */
	assert_int_equal(text_width("a\xff" "b"), 3);
}

static void
fit_is(const char *in, int cols, int pad, const char *want, int want_cols)
{
	char out[64];

	memset(out, 'Z', sizeof out);
	assert_int_equal(text_fit(in, cols, pad, out, sizeof out), want_cols);
	assert_string_equal(out, want);
	assert_int_equal(text_width(out), want_cols);
}

static void
test_fit(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C");
	fit_is(YAMADA, 8, 0, YAMADA, 8);
	fit_is(YAMADA, 8, 1, YAMADA, 8);
	fit_is(YAMADA, 9, 1, YAMADA " ", 9);
	fit_is(YAMADA, 7, 1, YAMADA3 " ", 7);	/* never half a 太郎 */
	fit_is(YAMADA, 7, 0, YAMADA3, 6);
	fit_is(YAMADA, 6, 0, YAMADA3, 6);
	fit_is(YAMADA, 1, 1, " ", 1);
	fit_is(YAMADA, 1, 0, "", 0);
	fit_is("abc", 5, 1, "abc  ", 5);
	fit_is("abc", 5, 0, "abc", 3);
	fit_is("abcdef", 3, 1, "abc", 3);
	fit_is("", 3, 1, "   ", 3);
	fit_is("abc", 0, 1, "", 0);
	fit_is("abc", -4, 1, "", 0);
	fit_is("a" YAMADA, 4, 1, "a" "\xe5\xb1\xb1" " ", 4);
	fit_is("\xc3\xa9l\xc3\xa8ve", 3, 0, "\xc3\xa9l\xc3\xa8", 3);
}

static void
test_fit_unprintable(void **state)
{
	(void)state;
	fit_is("a\x01" "b", 5, 0, "a?b", 3);
	fit_is("a\x1b[2J", 3, 0, "a?[", 3);
	fit_is("a\xff" "b", 5, 0, "a?b", 3);
	fit_is("a\xc2\x85" "b", 5, 0, "a?b", 3);
	/* a combining mark stays with its base character */
	fit_is("e\xcc\x81x", 1, 0, "e\xcc\x81", 1);
	fit_is("e\xcc\x81x", 2, 1, "e\xcc\x81x", 2);
}

/* A small buffer stops at a whole character, padding what room allows. */
static void
test_fit_cap(void **state)
{
	char out[5];

	(void)state;
	assert_int_equal(text_fit("abcdef", 10, 0, out, 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(text_fit(YAMADA, 10, 1, out, 5), 3);
	assert_string_equal(out, "\xe5\xb1\xb1" " ");
	assert_int_equal(text_fit("", 10, 1, out, sizeof out), 4);
	assert_string_equal(out, "    ");
	out[0] = 'x';
	assert_int_equal(text_fit("abc", 3, 1, out, 0), 0);
	assert_int_equal(out[0], 'x');
}

/* ------------------------------------------------------------------ */
/* The CSV formula guard (SPEC 3) */

static void
test_csv_guard(void **state)
{
	static const char *const risky[] = {
		"=1+1", "+1", "-5 people", "@SUM(A1)", "\tx", "\rx",
		"'=1", "''+x", "'''@", "=", "'\t",
	};
	static const char *const safe[] = {
		"", "'", "''", "Ada", "'Ada", "O'Brien", " =x", "1-2", "x=1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(risky) / sizeof(*risky); i++)
		assert_true(text_csv_risky(risky[i]));
	for (i = 0; i < sizeof(safe) / sizeof(*safe); i++) {
		assert_false(text_csv_risky(safe[i]));
		/* never guarded, so import leaves it alone */
		assert_ptr_equal(text_csv_unguard(safe[i]), safe[i]);
	}
	/* import removes exactly one ', only where export added one */
	assert_string_equal(text_csv_unguard("'=1"), "=1");
	assert_string_equal(text_csv_unguard("''=1"), "'=1");
	assert_string_equal(text_csv_unguard("'\rx"), "\rx");
	assert_string_equal(text_csv_unguard("=1"), "=1");
	assert_null(text_csv_unguard(NULL));
}

/* ------------------------------------------------------------------ */
/* Email keys (SPEC 1): NFC and case folding */

static void
key_same(const char *a, const char *b)
{
	char ka[TEXT_KEY_MAX + 1], kb[TEXT_KEY_MAX + 1];

	text_email_key(a, strlen(a), ka);
	text_email_key(b, strlen(b), kb);
	assert_string_equal(ka, kb);
}

static void
test_email_key(void **state)
{
	char long_mail[1024], k[TEXT_KEY_MAX + 1], k2[TEXT_KEY_MAX + 1];
	int i;

	(void)state;
	key_same("Jos\xc3\xa9@x.org", "jose\xcc\x81@x.org");
	key_same("JOS\xc3\x89@X.ORG", "jose\xcc\x81@x.org");
	key_same("JOSE\xcc\x81@x.org", "jos\xc3\xa9@X.org");
	key_same("Ada@Example.org", "ada@example.org");
	key_same("stra\xc3\x9f" "e@x.org", "STRASSE@x.org");
	/* ASCII takes a short way: the same key as the long one */
	key_same(" \tAda.Lovelace@Example.ORG\r\n",
	    "ada.lovelace@example.org\xe2\x80\x83");
	assert_int_equal(text_email_key("  Ada@X.org ", 12, k), 9);
	assert_string_equal(k, "ada@x.org");
	text_email_key("ada@x.org", 9, k);
	assert_string_equal(k, "ada@x.org");
	text_email_key("bob@x.org", 9, k2);
	assert_string_not_equal(k, k2);
	/* U+0587 folds to two letters: a long key ends in a hash */
	long_mail[0] = 0;
	for (i = 0; i < 120; i++)
		strcat(long_mail, "\xd6\x87");
	strcat(long_mail, "@x.org");
	assert_int_equal(text_email_key(long_mail, strlen(long_mail), k),
	    TEXT_KEY_MAX);
	assert_int_equal(strlen(k), TEXT_KEY_MAX);
	long_mail[0] = 'a';	/* the prefix differs... */
	text_email_key(long_mail, strlen(long_mail), k2);
	assert_string_not_equal(k, k2);
	memcpy(long_mail, "\xd6\x87", 2);
	memcpy(long_mail + 236, "\xd5\xa5", 2);	/* ...and the tail */
	text_email_key(long_mail, strlen(long_mail), k2);
	assert_string_not_equal(k, k2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_locale_independent),
		cmocka_unit_test(test_fold_len_and_cap),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_truncation),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_unprintable),
		cmocka_unit_test(test_fit_cap),
		cmocka_unit_test(test_csv_guard),
		cmocka_unit_test(test_email_key),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
