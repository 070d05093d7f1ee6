/*
 * tui_form.h - TUI-internal: the one-line editor and the modal form
 * (fields, prompt, confirm, list of messages) every screen shares.
 *
 * A form is drawn over the current screen and takes every key while it
 * is open.  Submitting calls the form's `submit`, which runs a command;
 * on failure it puts the error beside the field it concerns and the form
 * stays open with what was typed; on success it closes the form.
 */
#ifndef ROLLCALL_TUI_FORM_H
#define ROLLCALL_TUI_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "lineedit.h"

#define TUI_LINE_MAX LINEEDIT_MAX	/* bytes of one edited line */
#define FORM_FIELDS 4

/*
 * Apply a key to a line (src/lineedit.c does the editing): printable
 * characters insert at the cursor; Left/Right, Home/End, Ctrl-A/E move;
 * Backspace/Delete delete; Ctrl-U/K kill to the start/end, Ctrl-W the
 * word before the cursor.  Returns 1 when the key was an editing key
 * (even one with nothing to do), else 0.
 */
int line_key(struct lineedit *l, int key);

/*
 * Draw a line in a field of w columns at (y, x), scrolled sideways so
 * the cursor shows; *cx (when not NULL) gets the cursor's column.
 */
struct app;
void line_draw(const struct app *app, const struct lineedit *l, int y,
    int x, int w, int role, int *cx);

enum form_kind {
	FORM_FIELDS_KIND,	/* fields; Enter submits */
	FORM_CONFIRM,		/* a question; y submits, n/Esc cancels */
	FORM_LIST		/* lines to read; any key closes */
};

struct tui_form;
typedef int (*form_submit_fn)(struct app *, struct tui_form *);

struct tui_field {
	const char *label;
	const char *hint;	/* shown when there is no error */
	struct lineedit line;
	char error[300];
	int file;		/* a file name: Tab completes it */
};

struct tui_form {
	int kind;
	char title[512];
	char text[1400];	/* the question or explanation */
	struct tui_field f[FORM_FIELDS];
	int nf, cur;
	char error[600];	/* an error that is no field's */
	form_submit_fn submit;

	/* What the form acts on. */
	char id[RC_ID_TEXT];
	int32_t day;
	int key;

	char **lines;		/* FORM_LIST */
	size_t nlines, top;
};

/* Open a form (clearing the previous one) and return it to fill in. */
struct tui_form *form_open(struct app *app, int kind, const char *title,
    form_submit_fn submit);

/* Add a field; returns its index. */
int form_field(struct tui_form *f, const char *label, const char *value,
    const char *hint);

/* Add a line to a FORM_LIST (copied). */
void form_line(struct tui_form *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void form_close(struct app *app);

/*
 * Put a command's refusal beside the field it names: the first field
 * whose label (lower-cased) appears in msg, else the form's own error.
 */
void form_error(struct tui_form *f, const char *msg);

/* Clear all error texts. */
void form_clear_errors(struct tui_form *f);

int form_key(struct app *app, int key);
void form_draw(const struct app *app);
int form_cursor(const struct app *app, int *y, int *x);

/*
 * File prompts.  tui_path expands a leading "~/" to $HOME.
 * tui_file_problem says (in why) what is wrong with a file named to be
 * read (writing = 0: missing, a directory, unreadable) or written
 * (writing = 1: a directory, its folder missing or not writable) and
 * returns 1, or returns 0 when it looks fine.
 */
void tui_path(const char *in, char *out, size_t cap);
int tui_file_problem(const char *path, int writing, char *why, size_t cap);

#endif
