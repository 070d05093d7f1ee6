/*
 * lineedit.h - the one line editor behind every text field, prompt and
 * search of the desk: a UTF-8 line with a cursor, edited as in a shell.
 *
 * Pure: no curses.  The TUI maps its keys onto these operations
 * (line_key in src/tui_form.c).  The text is always valid UTF-8 with no
 * control character (C0, DEL, C1): nothing else can be inserted.
 */
#ifndef ROLLCALL_LINEEDIT_H
#define ROLLCALL_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#define LINEEDIT_MAX 1024	/* bytes, with the NUL */

struct lineedit {
	char s[LINEEDIT_MAX];	/* NUL-terminated */
	size_t len;		/* bytes */
	size_t cur;		/* cursor: a byte offset at a character start */
};

/* Empty the line. */
void lineedit_clear(struct lineedit *l);

/*
 * Replace the line with s (cursor at its end).  Characters that could
 * not be typed (control characters, invalid UTF-8) are left out.
 * Returns how many were left out.
 */
size_t lineedit_set(struct lineedit *l, const char *s);

/*
 * Insert one code point at the cursor.  Returns 1 when inserted, 0 when
 * refused (a control character, a surrogate, beyond U+10FFFF, or the
 * line is full).
 */
int lineedit_insert_cp(struct lineedit *l, uint32_t cp);

/*
 * Insert the UTF-8 text s[0..n) at the cursor (pasted text, a file name
 * completion).  Control characters and invalid bytes are left out;
 * returns how many were.
 */
size_t lineedit_insert(struct lineedit *l, const char *s, size_t n);

/* Cursor moves; each returns 1 when the cursor moved. */
int lineedit_left(struct lineedit *l);
int lineedit_right(struct lineedit *l);
int lineedit_home(struct lineedit *l);
int lineedit_end(struct lineedit *l);

/* Deletions; each returns 1 when the line changed. */
int lineedit_backspace(struct lineedit *l);	/* before the cursor */
int lineedit_delete(struct lineedit *l);	/* under the cursor */
int lineedit_kill_start(struct lineedit *l);	/* Ctrl-U: to the start */
int lineedit_kill_end(struct lineedit *l);	/* Ctrl-K: to the end */
int lineedit_kill_word(struct lineedit *l);	/* Ctrl-W: word before */

/* Display columns of the text before the cursor. */
int lineedit_cursor_col(const struct lineedit *l);

/*
 * Columns to skip so that the cursor shows in a field `w` columns wide:
 * 0 while it fits, else just enough to keep the cursor on the last
 * column (a long line scrolls sideways).
 */
int lineedit_scroll(const struct lineedit *l, int w);

#endif
