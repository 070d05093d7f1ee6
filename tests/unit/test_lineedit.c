/*
 * test_lineedit.c - the line editor behind every field, prompt and
 * search: cursor moves, deletions and kills by character (UTF-8, wide
 * characters), refusal of control characters, sideways scrolling.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "lineedit.h"

#define E_ACUTE "\xc3\xa9"		/* é */
#define YAMA "\xe5\xb1\xb1"		/* 山, two columns */

static void
typed(struct lineedit *l, const char *s)
{
	lineedit_clear(l);
	assert_int_equal(lineedit_insert(l, s, strlen(s)), 0);
}

static void
test_insert_in_the_middle(void **state)
{
	struct lineedit l;

	(void)state;
	typed(&l, "S9999");
	assert_int_equal(l.cur, 5);
	assert_int_equal(lineedit_left(&l), 1);
	assert_int_equal(lineedit_left(&l), 1);
	assert_int_equal(lineedit_backspace(&l), 1);	/* the second 9 */
	assert_string_equal(l.s, "S999");
	assert_int_equal(lineedit_insert_cp(&l, 'x'), 1);
	assert_string_equal(l.s, "S9x99");
	assert_int_equal(l.len, 5);
	assert_int_equal(lineedit_home(&l), 1);
	assert_int_equal(lineedit_home(&l), 0);
	assert_int_equal(lineedit_left(&l), 0);
	assert_int_equal(lineedit_backspace(&l), 0);
	assert_int_equal(lineedit_delete(&l), 1);
	assert_string_equal(l.s, "9x99");
	assert_int_equal(l.cur, 0);
	assert_int_equal(lineedit_end(&l), 1);
	assert_int_equal(lineedit_right(&l), 0);
	assert_int_equal(lineedit_delete(&l), 0);
}

static void
test_utf8_characters(void **state)
{
	struct lineedit l;

	(void)state;
	typed(&l, "Zo" E_ACUTE YAMA);
	assert_int_equal(lineedit_left(&l), 1);
	assert_int_equal(l.cur, 4);		/* before 山, 3 bytes */
	assert_int_equal(lineedit_left(&l), 1);
	assert_int_equal(l.cur, 2);		/* before é, 2 bytes */
	assert_int_equal(lineedit_cursor_col(&l), 2);
	assert_int_equal(lineedit_delete(&l), 1);
	assert_string_equal(l.s, "Zo" YAMA);
	assert_int_equal(lineedit_insert_cp(&l, 0xeb), 1);	/* ë */
	assert_string_equal(l.s, "Zo\xc3\xab" YAMA);
	assert_int_equal(lineedit_right(&l), 1);
	assert_int_equal(lineedit_cursor_col(&l), 5);	/* 山 is wide */
	assert_int_equal(lineedit_backspace(&l), 1);
	assert_string_equal(l.s, "Zo\xc3\xab");
}

static void
test_control_characters_refused(void **state)
{
	struct lineedit l;
	const char paste[] = "ada\x1b[2J@\r\nexample\t.org\x7f\xc2\x9b!";

	(void)state;
	lineedit_clear(&l);
	assert_int_equal(lineedit_insert_cp(&l, 0x1b), 0);
	assert_int_equal(lineedit_insert_cp(&l, '\n'), 0);
	assert_int_equal(lineedit_insert_cp(&l, 0x7f), 0);
	assert_int_equal(lineedit_insert_cp(&l, 0x9b), 0);
	assert_int_equal(lineedit_insert_cp(&l, 0xd800), 0);
	assert_int_equal(lineedit_insert_cp(&l, 0x110000), 0);
	assert_int_equal(l.len, 0);
	/* a paste keeps its printable characters only, in order */
	assert_int_equal(lineedit_insert(&l, paste, sizeof paste - 1), 6);
	assert_string_equal(l.s, "ada[2J@example.org!");
	/* invalid UTF-8 is left out too */
	assert_int_equal(lineedit_set(&l, "a\xff" "b\xc3"), 2);
	assert_string_equal(l.s, "ab");
}

static void
test_kills(void **state)
{
	struct lineedit l;

	(void)state;
	typed(&l, "Anna  Maria Smith");
	lineedit_left(&l);
	lineedit_left(&l);
	assert_int_equal(lineedit_kill_end(&l), 1);	/* Ctrl-K */
	assert_string_equal(l.s, "Anna  Maria Smi");
	assert_int_equal(lineedit_kill_end(&l), 0);
	assert_int_equal(lineedit_kill_word(&l), 1);	/* Ctrl-W */
	assert_string_equal(l.s, "Anna  Maria ");
	assert_int_equal(lineedit_kill_word(&l), 1);
	assert_string_equal(l.s, "Anna  ");
	lineedit_left(&l);
	assert_int_equal(lineedit_kill_start(&l), 1);	/* Ctrl-U */
	assert_string_equal(l.s, " ");
	assert_int_equal(l.cur, 0);
	assert_int_equal(lineedit_kill_start(&l), 0);
	assert_int_equal(lineedit_kill_word(&l), 0);
	typed(&l, YAMA YAMA " x");
	lineedit_left(&l);
	lineedit_left(&l);
	assert_int_equal(lineedit_kill_word(&l), 1);
	assert_string_equal(l.s, " x");
}

static void
test_full_line(void **state)
{
	struct lineedit l;
	size_t i;

	(void)state;
	lineedit_clear(&l);
	for (i = 0; i < LINEEDIT_MAX - 1; i++)
		assert_int_equal(lineedit_insert_cp(&l, 'a'), 1);
	assert_int_equal(lineedit_insert_cp(&l, 'b'), 0);
	assert_int_equal(l.len, LINEEDIT_MAX - 1);
	lineedit_clear(&l);
	while (lineedit_insert_cp(&l, 0x5c71))
		;
	/* a character that does not fit whole is refused, never split */
	assert_int_equal(l.len % 3, 0);
	assert_true(l.len + 3 >= LINEEDIT_MAX);
}

static void
test_scroll(void **state)
{
	struct lineedit l;

	(void)state;
	typed(&l, "0123456789");
	assert_int_equal(lineedit_scroll(&l, 20), 0);
	assert_int_equal(lineedit_scroll(&l, 11), 0);
	assert_int_equal(lineedit_scroll(&l, 10), 1);	/* cursor after 9 */
	assert_int_equal(lineedit_scroll(&l, 4), 7);
	lineedit_home(&l);
	assert_int_equal(lineedit_scroll(&l, 4), 0);
	typed(&l, YAMA YAMA YAMA);
	assert_int_equal(lineedit_cursor_col(&l), 6);
	assert_int_equal(lineedit_scroll(&l, 4), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_in_the_middle),
		cmocka_unit_test(test_utf8_characters),
		cmocka_unit_test(test_control_characters_refused),
		cmocka_unit_test(test_kills),
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_scroll),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
