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

#define TUI_LINE_MAX 1024	/* bytes of one edited line */
#define FORM_FIELDS 4

/* A UTF-8 line edited at its end (enough for names, emails, paths). */
struct tui_line {
	char s[TUI_LINE_MAX];
	size_t len;
};

/*
 * Apply a key to a line: printable characters append, Backspace removes
 * the last character, Ctrl-U clears, Ctrl-W removes the last word.
 * Returns 1 when the key was an editing key, else 0.
 */
int line_key(struct tui_line *l, int key);
void line_set(struct tui_line *l, const char *s);
void line_clear(struct tui_line *l);

enum form_kind {
	FORM_FIELDS_KIND,	/* fields; Enter submits */
	FORM_CONFIRM,		/* a question; y submits, n/Esc cancels */
	FORM_LIST		/* lines to read; any key closes */
};

struct app;
struct tui_form;
typedef int (*form_submit_fn)(struct app *, struct tui_form *);

struct tui_field {
	const char *label;
	const char *hint;	/* shown when there is no error */
	struct tui_line line;
	char error[300];
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

#endif
