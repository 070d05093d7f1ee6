/*
 * test_tui_keys.c - the key tables that dispatch are the ones that write
 * the help screen and the footer: every bound key is documented, none is
 * bound twice, and a screen overrides a global key only on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <curses.h>

#include "tui_app.h"

static char help[16384];

/* Every labelled row has help text and an action; aliases follow one. */
static void check_table(const struct tui_binding *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i].label) {
			assert_non_null(b[i].help);
			assert_true(strlen(b[i].help) > 3);
			/* key -1 only documents typing */
			assert_true(b[i].fn != NULL || b[i].key < 0);
		} else {
			assert_true(i > 0);
			assert_non_null(b[i].fn);
			assert_null(b[i].help);
			assert_null(b[i].foot);
		}
		for (size_t j = i + 1; j < n; j++)
			assert_int_not_equal(b[i].key, b[j].key);
	}
}

static void test_tables_well_formed(void **state)
{
	(void)state;
	check_table(tui_global_keys, tui_nglobal_keys);
	for (int s = 0; s < SCR_COUNT; s++)
		check_table(tui_screens[s]->keys, tui_screens[s]->nkeys);
}

/* The help of each screen names every key and what it does. */
static void test_help_from_tables(void **state)
{
	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		const struct tui_screen *scr = tui_screens[s];

		tui_help_text(scr, help, sizeof help);
		assert_non_null(strstr(help, scr->name));
		for (size_t i = 0; i < scr->nkeys; i++) {
			if (!scr->keys[i].label)
				continue;
			assert_non_null(strstr(help, scr->keys[i].label));
			assert_non_null(strstr(help, scr->keys[i].help));
		}
		for (size_t i = 0; i < tui_nglobal_keys; i++) {
			if (!tui_global_keys[i].label)
				continue;
			assert_non_null(strstr(help,
			    tui_global_keys[i].help));
		}
	}
}

/* The footer shows only keys the table binds, Help and Quit included. */
static void test_footer_from_tables(void **state)
{
	char foot[1024];

	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		const struct tui_screen *scr = tui_screens[s];

		tui_footer_text(scr, foot, sizeof foot);
		assert_non_null(strstr(foot, "F1 Help"));
		assert_non_null(strstr(foot, "F10 Quit"));
		for (size_t i = 0; i < scr->nkeys; i++)
			if (scr->keys[i].foot)
				assert_non_null(strstr(foot,
				    scr->keys[i].foot));
	}
	tui_footer_text(&roster_screen, foot, sizeof foot);
	assert_non_null(strstr(foot, "a Add"));
	assert_non_null(strstr(foot, "d Remove"));
	tui_footer_text(&checkin_screen, foot, sizeof foot);
	assert_non_null(strstr(foot, "Enter Check in"));
}

static const struct tui_binding *find(const struct tui_binding *b,
    size_t n, int key)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].key == key)
			return &b[i];
	return NULL;
}

/*
 * A screen shadows a global key only where meant: Check-in types '?'
 * into a non-empty search, opens the highlighted student on F4, and
 * ends a non-empty line on Tab (a card reader's suffix).
 */
static void test_overrides_on_purpose(void **state)
{
	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		const struct tui_screen *scr = tui_screens[s];

		for (size_t i = 0; i < scr->nkeys; i++) {
			int k = scr->keys[i].key;

			if (!find(tui_global_keys, tui_nglobal_keys, k))
				continue;
			assert_ptr_equal(scr, &checkin_screen);
			assert_true(k == '?' || k == TK_FN(KEY_F(4)) ||
			    k == TK_TAB);
		}
	}
}

/* F2..F7 reach the screens in header order; quit and help everywhere. */
static void test_screen_keys(void **state)
{
	char fk[16];

	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		snprintf(fk, sizeof fk, "F%d", s + 2);
		assert_string_equal(tui_screens[s]->fkey, fk);
		assert_non_null(find(tui_global_keys, tui_nglobal_keys,
		    TK_FN(KEY_F(s + 2))));
	}
	assert_non_null(find(tui_global_keys, tui_nglobal_keys,
	    TK_FN(KEY_F(10))));
	assert_non_null(find(tui_global_keys, tui_nglobal_keys,
	    TK_CTRL('q')));
	assert_non_null(find(tui_global_keys, tui_nglobal_keys,
	    TK_FN(KEY_F(1))));
	assert_non_null(find(tui_global_keys, tui_nglobal_keys, TK_TAB));
	assert_non_null(find(tui_global_keys, tui_nglobal_keys,
	    TK_FN(KEY_BTAB)));
	/* No screen takes a quit key away. */
	for (int s = 0; s < SCR_COUNT; s++) {
		assert_null(find(tui_screens[s]->keys, tui_screens[s]->nkeys,
		    TK_FN(KEY_F(10))));
		assert_null(find(tui_screens[s]->keys, tui_screens[s]->nkeys,
		    TK_CTRL('q')));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_well_formed),
		cmocka_unit_test(test_help_from_tables),
		cmocka_unit_test(test_footer_from_tables),
		cmocka_unit_test(test_overrides_on_purpose),
		cmocka_unit_test(test_screen_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
