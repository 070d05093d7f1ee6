/*
 * test_validate.c - the domain's input rules (SPEC section 1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "event.h"
#include "validate.h"

#define CAP_NAME (RC_NAME_MAX + 1)
#define CAP_EMAIL (RC_EMAIL_MAX + 1)
#define CAP_REASON (RC_REASON_MAX + 1)

/* s repeated n times into buf. */
static char *
repeat(char *buf, size_t cap, const char *s, size_t n)
{
	size_t i, len = strlen(s);

	assert_true(n * len < cap);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		memcpy(buf + i * len, s, len + 1);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Names */

static void
name_ok(const char *in, const char *want)
{
	char out[CAP_NAME];
	const char *why = NULL;

	assert_int_equal(validate_name(in, out, sizeof out, &why), 0);
	assert_string_equal(out, want);
}

static void
name_bad(const char *in, const char *reason)
{
	char out[CAP_NAME];
	const char *why = NULL;

	memcpy(out, "junk", 5);
	assert_int_equal(validate_name(in, out, sizeof out, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
	assert_string_equal(out, "");
}

static void
test_name_trim(void **state)
{
	(void)state;
	name_ok("Ada Lovelace", "Ada Lovelace");
	name_ok("  Ada Lovelace \t\r\n", "Ada Lovelace");
	name_ok("\v\fAda", "Ada");
	name_ok("A", "A");
	name_ok("Jean  Pierre", "Jean  Pierre");	/* inside kept */
	name_ok("\xc3\x89lodie", "\xc3\x89lodie");	/* Élodie */
	name_ok("\xe5\xb1\xb1\xe7\x94\xb0", "\xe5\xb1\xb1\xe7\x94\xb0");
	/* NBSP is Unicode white space: trimmed too (SPEC 1) */
	name_ok("\xc2\xa0" "Ada", "Ada");
}

static void
test_name_empty(void **state)
{
	(void)state;
	name_bad("", "name is empty");
	name_bad("   ", "name is empty");
	name_bad(" \t\r\n\v\f", "name is empty");
	name_bad(NULL, "name is empty");
}

/* 100 code points pass and 101 do not, whatever their byte length. */
static void
test_name_length(void **state)
{
	static const char *chars[] = {
		"a", "\xc3\xa9", "\xe5\xb1\xb1", "\xf0\x9f\x98\x80",
	};
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof chars / sizeof chars[0]; i++) {
		repeat(buf, sizeof buf, chars[i], 100);
		name_ok(buf, buf);
		repeat(buf, sizeof buf, chars[i], 101);
		name_bad(buf, "name is longer than 100 characters");
	}
}

/* Blanks trimmed away do not count towards the 100. */
static void
test_name_length_trimmed(void **state)
{
	char buf[512], want[512];

	(void)state;
	repeat(want, sizeof want, "\xc3\xa9", 100);
	strcpy(buf, "    ");
	strcat(buf, want);
	strcat(buf, " \t ");
	name_ok(buf, want);
}

static void
test_name_small_buffer(void **state)
{
	char out[4];
	const char *why = NULL;

	(void)state;
	assert_int_equal(validate_name("Ada", out, sizeof out, &why), 0);
	assert_string_equal(out, "Ada");
	assert_int_equal(validate_name("Adam", out, sizeof out, &why), -1);
	assert_string_equal(why, "name is too long");
	assert_string_equal(out, "");
}

static void
test_name_control(void **state)
{
	(void)state;
	name_bad("Ada\x01", "name contains control characters");
	name_bad("A\tB", "name contains control characters");
	name_bad("A\nB", "name contains control characters");
	name_bad("\x1b[31mAda", "name contains control characters");
	name_bad("Ada\x1f" "x", "name contains control characters");
	name_bad("Ada\x7f", "name contains control characters");
	name_bad("Ada\xc2\x80", "name contains control characters");
	name_bad("Ada\xc2\x85" "x", "name contains control characters");
	name_bad("Ada\xc2\x9b" "31m", "name contains control characters");
	name_bad("Ada\xc2\x9f", "name contains control characters");
	/* the first characters past each range are fine */
	name_ok("Ada \x7e", "Ada \x7e");
	name_ok("Ada\xc2\xa0x", "Ada\xc2\xa0x");
}

static void
test_name_utf8(void **state)
{
	static const char *bad[] = {
		"Ada\xff",		/* never valid */
		"Ada\xfe",
		"Ada\x80",		/* lone continuation */
		"Ada\xc3",		/* truncated */
		"Ada\xe5\xb1",
		"Ada\xf0\x9f\x98",
		"Ada\xc3x",		/* missing continuation */
		"\xc0\xaf",		/* overlong '/' */
		"\xc1\xbf",
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xe0\x9f\xbf",
		"\xf0\x80\x80\xaf",	/* overlong, 4 bytes */
		"\xf0\x8f\xbf\xbf",
		"\xed\xa0\x80",		/* surrogate U+D800 */
		"\xed\xbf\xbf",		/* surrogate U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80",	/* 5-byte form */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		name_bad(bad[i], "name is not valid UTF-8");
	name_ok("\xed\x9f\xbf", "\xed\x9f\xbf");		/* U+D7FF */
	name_ok("\xee\x80\x80", "\xee\x80\x80");		/* U+E000 */
	name_ok("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
	name_ok("\xe0\xa0\x80", "\xe0\xa0\x80");		/* U+0800 */
	name_ok("\xf0\x90\x80\x80", "\xf0\x90\x80\x80");	/* U+10000 */
}

/* ------------------------------------------------------------------ */
/* Emails */

static void
email_ok(const char *in, const char *want)
{
	char out[CAP_EMAIL];
	const char *why = NULL;

	assert_int_equal(validate_email(in, out, sizeof out, &why), 0);
	assert_string_equal(out, want);
}

static void
email_bad(const char *in, const char *reason)
{
	char out[CAP_EMAIL];
	const char *why = NULL;

	memcpy(out, "junk", 5);
	assert_int_equal(validate_email(in, out, sizeof out, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
	assert_string_equal(out, "");
}

static void
test_email_ok(void **state)
{
	(void)state;
	email_ok("ada@example.org", "ada@example.org");
	email_ok("a.b+c@school.example.org", "a.b+c@school.example.org");
	email_ok("  Ada@Example.ORG \t", "Ada@Example.ORG");	/* case kept */
	email_ok("o'brien_x-y@mail.co.uk", "o'brien_x-y@mail.co.uk");
	email_ok("a@b.c", "a@b.c");
	email_ok("\xc3\xa9lodie@\xc3\xa9" "cole.fr",
	    "\xc3\xa9lodie@\xc3\xa9" "cole.fr");
}

/* 254 bytes pass and 255 do not; blanks trimmed first. */
static void
test_email_length(void **state)
{
	char buf[300], want[300];
	const char *domain = "@example.org";
	size_t dlen = strlen(domain);

	(void)state;
	memset(buf, 'a', 254 - dlen);
	strcpy(buf + 254 - dlen, domain);
	assert_int_equal(strlen(buf), 254);
	email_ok(buf, buf);

	strcpy(want, buf);
	strcpy(buf, "  ");
	strcat(buf, want);
	strcat(buf, " \t");
	email_ok(buf, want);

	memset(buf, 'a', 255 - dlen);
	strcpy(buf + 255 - dlen, domain);
	assert_int_equal(strlen(buf), 255);
	email_bad(buf, "email is longer than 254 bytes");
}

static void
test_email_bad(void **state)
{
	(void)state;
	email_bad("", "email is empty");
	email_bad("   ", "email is empty");
	email_bad(NULL, "email is empty");
	email_bad("adaexample.org", "invalid email: missing @");
	email_bad("ada", "invalid email: missing @");
	email_bad("a@b@example.org", "invalid email: more than one @");
	email_bad("ada@@example.org", "invalid email: more than one @");
	email_bad("@example.org", "invalid email: nothing before @");
	email_bad("ada@", "invalid email: nothing after @");
	email_bad("ada@localhost", "invalid email: the domain has no dot");
	email_bad("ada.lovelace@localhost",
	    "invalid email: the domain has no dot");
	email_bad("ada@.example.org",
	    "invalid email: the domain starts or ends with a dot");
	email_bad("ada@example.org.",
	    "invalid email: the domain starts or ends with a dot");
	email_bad("ada@.", "invalid email: the domain starts or ends with a dot");
	email_bad("ada@example..org",
	    "invalid email: the domain has two dots in a row");
}

static void
test_email_whitespace(void **state)
{
	(void)state;
	email_bad("ada lovelace@example.org", "invalid email: contains a space");
	email_bad("ada@exa mple.org", "invalid email: contains a space");
	email_bad("ada@example.org x", "invalid email: contains a space");
	email_bad("ada\xc2\xa0@example.org", "invalid email: contains a space");
	email_bad("ada\xe3\x80\x80@example.org",
	    "invalid email: contains a space");
	email_bad("ada\xe2\x80\x83@example.org",
	    "invalid email: contains a space");
	email_bad("ada\t@example.org", "email contains control characters");
	email_bad("ada\n@example.org", "email contains control characters");
	email_bad("ada\x7f@example.org", "email contains control characters");
	email_bad("ada\xc2\x85@example.org",
	    "email contains control characters");
	email_bad("ada\xff@example.org", "email is not valid UTF-8");
	email_bad("ada\xc0\xa0@example.org", "email is not valid UTF-8");
}

/* ------------------------------------------------------------------ */
/* Unicode at the boundary (SPEC 1): White_Space trimmed, NFC stored */

#define E_ACUTE_NFD "e\xcc\x81"	/* e + U+0301 */
#define E_ACUTE_NFC "\xc3\xa9"	/* U+00E9 */

static void
test_name_unicode_space(void **state)
{
	(void)state;
	/* NBSP, EM SPACE, IDEOGRAPHIC SPACE, PARAGRAPH SEPARATOR, NEL */
	name_ok("\xc2\xa0\xe2\x80\x83" "Ada\xe3\x80\x80\xe2\x80\xa9",
	    "Ada");
	name_ok("\xc2\x85" "Ada Lovelace\xe1\x9a\x80", "Ada Lovelace");
	/* inside the name they stay (a space between two names) */
	name_ok("Ada\xc2\xa0Lovelace", "Ada\xc2\xa0Lovelace");
	/* white space of every kind, and nothing else */
	name_bad("\xc2\xa0\xe3\x80\x80 \xe2\x80\xa8\t", "name is empty");
	name_bad("\xe2\x80\x80\xe2\x80\x8a", "name is empty");
	/* ZERO WIDTH SPACE is not White_Space: not trimmed */
	name_ok("\xe2\x80\x8b" "Ada", "\xe2\x80\x8b" "Ada");
}

static void
test_name_nfc(void **state)
{
	char nfd[1024], nfc[1024];
	int i;

	(void)state;
	name_ok("Jos" E_ACUTE_NFD, "Jos" E_ACUTE_NFC);
	name_ok("Jos" E_ACUTE_NFC, "Jos" E_ACUTE_NFC);
	/* Hangul jamo compose into one syllable */
	name_ok("\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80");
	/* 100 letters in NFD are 200 code points, 100 in NFC: accepted */
	nfd[0] = nfc[0] = 0;
	for (i = 0; i < 100; i++) {
		strcat(nfd, E_ACUTE_NFD);
		strcat(nfc, E_ACUTE_NFC);
	}
	name_ok(nfd, nfc);
	/* 101 are too many however they are typed */
	strcat(nfd, E_ACUTE_NFD);
	name_bad(nfd, "name is longer than 100 characters");
}

static void
test_name_marks_only(void **state)
{
	(void)state;
	name_bad("\xcc\x81", "name starts with a combining mark");
	name_bad("\xcc\x81\xcc\x88\xcc\xa3", "name starts with a combining mark");
	name_bad("\xc2\xa0\xcc\x81 Ada", "name starts with a combining mark");
	/* marks after a letter are fine */
	name_ok("A\xcc\x81", "\xc3\x81");
}

static void
test_email_nfc(void **state)
{
	(void)state;
	email_ok("\xc2\xa0 jos" E_ACUTE_NFD "@x.org\xe3\x80\x80",
	    "jos" E_ACUTE_NFC "@x.org");
	/* stored as entered (case kept), in NFC */
	email_ok("JOS" "E\xcc\x81" "@X.org", "JOS\xc3\x89@X.org");
	email_bad("\xe3\x80\x80", "email is empty");
}

/* ------------------------------------------------------------------ */
/* Gender */

static void
gender_is(const char *in, int want)
{
	int g = -1;
	const char *why = NULL;

	assert_int_equal(validate_gender(in, &g, &why), 0);
	assert_int_equal(g, want);
}

static void
gender_bad(const char *in, const char *reason)
{
	int g = -7;
	const char *why = NULL;

	assert_int_equal(validate_gender(in, &g, &why), -1);
	assert_string_equal(why, reason);
	assert_int_equal(g, -7);
}

static void
test_gender(void **state)
{
	(void)state;
	gender_is("female", GENDER_FEMALE);
	gender_is("FEMALE", GENDER_FEMALE);
	gender_is("Female", GENDER_FEMALE);
	gender_is("male", GENDER_MALE);
	gender_is("mAlE", GENDER_MALE);
	gender_is(" male\t", GENDER_MALE);
	gender_is("other", GENDER_OTHER);
	gender_is("OTHER", GENDER_OTHER);

	gender_bad("", "gender is empty (use female, male or other)");
	gender_bad("  ", "gender is empty (use female, male or other)");
	gender_bad(NULL, "gender is empty (use female, male or other)");
	gender_bad("f", "gender must be female, male or other");
	gender_bad("fem", "gender must be female, male or other");
	gender_bad("females", "gender must be female, male or other");
	gender_bad("fe male", "gender must be female, male or other");
	gender_bad("none", "gender must be female, male or other");
	gender_bad("m\xc3\xa1le", "gender must be female, male or other");
}

/* ------------------------------------------------------------------ */
/* Void reasons */

static void
reason_ok(const char *in, const char *want)
{
	char out[CAP_REASON];
	const char *why = NULL;

	assert_int_equal(validate_reason(in, out, sizeof out, &why), 0);
	assert_string_equal(out, want);
}

static void
reason_bad(const char *in, const char *reason)
{
	char out[CAP_REASON];
	const char *why = NULL;

	memcpy(out, "junk", 5);
	assert_int_equal(validate_reason(in, out, sizeof out, &why), -1);
	assert_string_equal(why, reason);
	assert_string_equal(out, "");
}

static void
test_reason(void **state)
{
	char buf[600];

	(void)state;
	reason_ok("", "");
	reason_ok(NULL, "");
	reason_ok("   ", "");
	reason_ok("  wrong student  ", "wrong student");
	reason_ok("\xc3\xa9l\xc3\xa8ve absent", "\xc3\xa9l\xc3\xa8ve absent");
	repeat(buf, sizeof buf, "\xc3\xa9", 250);	/* 500 bytes */
	reason_ok(buf, buf);
	strcat(buf, "x");				/* 501 bytes */
	reason_bad(buf, "reason is longer than 500 bytes");
	reason_bad("a\nb", "reason contains control characters");
	reason_bad("a\x1b[2Jb", "reason contains control characters");
	reason_bad("a\x7f", "reason contains control characters");
	reason_bad("a\xc2\x85", "reason contains control characters");
	reason_bad("a\xed\xa0\x80", "reason is not valid UTF-8");
	reason_bad("a\xc3", "reason is not valid UTF-8");
}

/* ------------------------------------------------------------------ */
/* validate_utf8 */

static void
test_utf8(void **state)
{
	(void)state;
	assert_int_equal(validate_utf8("", 0), 1);
	assert_int_equal(validate_utf8("abc", 3), 1);
	assert_int_equal(validate_utf8("a\0b", 3), 1);
	assert_int_equal(validate_utf8("\xc3\xa9", 2), 1);
	assert_int_equal(validate_utf8("\xc3\xa9", 1), 0);	/* cut */
	assert_int_equal(validate_utf8("\xf0\x9f\x98\x80", 4), 1);
	assert_int_equal(validate_utf8("\xf0\x9f\x98\x80", 3), 0);
	assert_int_equal(validate_utf8("\xc0\x80", 2), 0);
	assert_int_equal(validate_utf8("\xed\xa0\x80", 3), 0);
	assert_int_equal(validate_utf8("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(validate_utf8("\xff", 1), 0);
	/* only len bytes are read */
	assert_int_equal(validate_utf8("ab\xff", 2), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_trim),
		cmocka_unit_test(test_name_empty),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_name_length_trimmed),
		cmocka_unit_test(test_name_small_buffer),
		cmocka_unit_test(test_name_control),
		cmocka_unit_test(test_name_utf8),
		cmocka_unit_test(test_email_ok),
		cmocka_unit_test(test_email_length),
		cmocka_unit_test(test_email_bad),
		cmocka_unit_test(test_email_whitespace),
		cmocka_unit_test(test_name_unicode_space),
		cmocka_unit_test(test_name_nfc),
		cmocka_unit_test(test_name_marks_only),
		cmocka_unit_test(test_email_nfc),
		cmocka_unit_test(test_gender),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
