/*
 * test_tui_filter.c - the TUI's terminal-free pieces: the check-in
 * filter, exact email/id lookup, fitting cells by display columns,
 * the line editor and where a form puts a command's error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curses.h>
#include <locale.h>

#include "text.h"
#include "tui_app.h"

static struct rc_student rows[5];
static struct tui_fold fold;

static void set(int i, const char *id, const char *name, const char *email)
{
	snprintf(rows[i].id, sizeof rows[i].id, "%s", id);
	snprintf(rows[i].name, sizeof rows[i].name, "%s", name);
	snprintf(rows[i].email, sizeof rows[i].email, "%s", email);
}

static int setup(void **state)
{
	(void)state;
	set(0, "11111111-1111-4111-8111-111111111111", "Bob Brown",
	    "Bob.Brown@example.org");
	set(1, "22222222-2222-4222-8222-222222222222", "Ольга Смирнова",
	    "olga@example.org");
	set(2, "33333333-3333-4333-8333-333333333333", "Zoë Martin",
	    "zoe@school.test");
	set(3, "44444444-4444-4444-8444-444444444444", "山田太郎",
	    "taro@example.org");
	set(4, "55555555-5555-4555-8555-555555555555", "ZOË ZIMMER",
	    "zz@school.test");
	return checkin_fold(&fold, rows, 5);
}

static int teardown(void **state)
{
	(void)state;
	checkin_fold_free(&fold);
	return 0;
}

/* Fold the query the way the screen does, then filter. */
static size_t match(const char *q, uint32_t *out)
{
	char needle[256];

	text_fold(q, strlen(q), needle, sizeof needle);
	return checkin_filter(&fold, needle, out);
}

static void test_substring_any_case(void **state)
{
	uint32_t m[5];

	(void)state;
	assert_int_equal(match("", m), 5);
	assert_int_equal(match("zoë", m), 2);
	assert_int_equal(m[0], 2);
	assert_int_equal(m[1], 4);
	assert_int_equal(match("ZOË", m), 2);
	assert_int_equal(match("ОЛЬГА", m), 1);
	assert_int_equal(m[0], 1);
	assert_int_equal(match("太郎", m), 1);
	assert_int_equal(m[0], 3);
	assert_int_equal(match("brown@EXAMPLE", m), 1);
	assert_int_equal(match("example.org", m), 3);
	assert_int_equal(match("nobody", m), 0);
}

static void test_no_match_across_name_and_email(void **state)
{
	uint32_t m[5];

	(void)state;
	/* "Brown" + "Bob.Brown@" must not join into "brownbob". */
	assert_int_equal(match("brownbob", m), 0);
	assert_int_equal(match("brown bob", m), 0);
}

/* One hit per row even when the needle occurs twice in it. */
static void test_one_hit_per_row(void **state)
{
	uint32_t m[5];

	(void)state;
	assert_int_equal(match("o", m), 5);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(m[i], i);
	/* The last row's email matches at the very end of the buffer. */
	assert_int_equal(match("zz@school.test", m), 1);
	assert_int_equal(m[0], 4);
	assert_int_equal(match("school.test", m), 2);
}

static void test_exact(void **state)
{
	char needle[64];

	(void)state;
	text_fold("BOB.BROWN@example.org", 21, needle, sizeof needle);
	assert_int_equal(checkin_exact(&fold, rows, needle), 0);
	assert_int_equal(checkin_exact(&fold, rows,
	    "33333333-3333-4333-8333-333333333333"), 2);
	assert_int_equal(checkin_exact(&fold, rows, "bob"), -1);
	assert_int_equal(checkin_exact(&fold, rows, "example.org"), -1);
	assert_int_equal(checkin_exact(&fold, rows, ""), -1);
}

static void test_many_rows(void **state)
{
	size_t n = 10000;
	struct rc_student *big = calloc(n, sizeof *big);
	struct tui_fold f;
	uint32_t *m = calloc(n, sizeof *m);

	(void)state;
	assert_non_null(big);
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		snprintf(big[i].name, sizeof big[i].name, "Student %05zu", i);
		snprintf(big[i].email, sizeof big[i].email,
		    "s%05zu@example.org", i);
	}
	assert_int_equal(checkin_fold(&f, big, n), 0);
	assert_int_equal(checkin_filter(&f, "", m), n);
	assert_int_equal(checkin_filter(&f, "student 0004", m), 10);
	assert_int_equal(m[0], 40);
	assert_int_equal(m[9], 49);
	assert_int_equal(checkin_filter(&f, "s09999@", m), 1);
	assert_int_equal(m[0], 9999);
	checkin_fold_free(&f);
	free(big);
	free(m);
}

static void test_format_row_wide(void **state)
{
	char out[256];
	int w[3] = { 6, 5, 3 };
	const char *c1[3] = { "山田太郎", "Zoë", "x\ny" };
	const char *c2[3] = { "ab", "山田太郎", "" };

	(void)state;
	/* 6 columns hold three wide characters; 5 only two (plus pad). */
	assert_int_equal(tui_format_row(out, sizeof out, w, c1, 3), 16);
	assert_string_equal(out, "山田太 Zoë   x\\n");
	assert_int_equal(text_width(out), 16);
	assert_int_equal(tui_format_row(out, sizeof out, w, c2, 3), 16);
	assert_string_equal(out, "ab     山田     ");
	assert_int_equal(text_width(out), 16);
}

static void test_line_editor(void **state)
{
	struct lineedit l;

	(void)state;
	lineedit_clear(&l);
	assert_int_equal(line_key(&l, 'Z'), 1);
	assert_int_equal(line_key(&l, 0xeb), 1);	/* ë */
	assert_int_equal(line_key(&l, 0x5c71), 1);	/* 山 */
	assert_string_equal(l.s, "Zë山");
	assert_int_equal(line_key(&l, TK_FN(KEY_BACKSPACE)), 1);
	assert_string_equal(l.s, "Zë");
	assert_int_equal(line_key(&l, TK_FN(KEY_BACKSPACE)), 1);
	assert_string_equal(l.s, "Z");
	/* Control characters never enter a line. */
	assert_int_equal(line_key(&l, 0x1b), 0);
	assert_int_equal(line_key(&l, '\n'), 0);
	assert_int_equal(line_key(&l, 0x9b), 0);
	assert_int_equal(line_key(&l, 0x7f), 0);
	assert_string_equal(l.s, "Z");
	lineedit_set(&l, "Anna Maria Smith");
	assert_int_equal(line_key(&l, TK_CTRL('w')), 1);
	assert_string_equal(l.s, "Anna Maria ");
	assert_int_equal(line_key(&l, TK_CTRL('u')), 1);
	assert_string_equal(l.s, "");
	assert_int_equal(line_key(&l, TK_FN(KEY_BACKSPACE)), 1);
	assert_int_equal(l.len, 0);
}

static void test_form_error_placement(void **state)
{
	static struct tui_form f;

	(void)state;
	memset(&f, 0, sizeof f);
	form_field(&f, "Name", "", NULL);
	form_field(&f, "Email", "", NULL);
	form_field(&f, "Gender", "", NULL);
	form_error(&f, "invalid email: missing @");
	assert_string_equal(f.f[1].error, "invalid email: missing @");
	assert_int_equal(f.cur, 1);
	form_clear_errors(&f);
	form_error(&f, "name is empty");
	assert_string_equal(f.f[0].error, "name is empty");
	assert_string_equal(f.f[1].error, "");
	form_clear_errors(&f);
	form_error(&f, "gender must be female, male or other");
	assert_string_equal(f.f[2].error,
	    "gender must be female, male or other");
	form_clear_errors(&f);
	form_error(&f, "the database is busy");
	assert_string_equal(f.error, "the database is busy");
	for (int i = 0; i < 3; i++)
		assert_string_equal(f.f[i].error, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_substring_any_case),
		cmocka_unit_test(test_no_match_across_name_and_email),
		cmocka_unit_test(test_one_hit_per_row),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_format_row_wide),
		cmocka_unit_test(test_line_editor),
		cmocka_unit_test(test_form_error_placement),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, setup, teardown);
}
