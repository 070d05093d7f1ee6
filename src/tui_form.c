/*
 * tui_form.c - the one-line editor and the modal form every screen uses
 * for adding, editing, prompting, confirming and listing messages.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "tui_app.h"
#include "tui_form.h"

/* ------------------------------------------------------------------ */
/* The line editor                                                      */

int line_key(struct lineedit *l, int key)
{
	switch (key) {
	case TK_FN(KEY_BACKSPACE):
		lineedit_backspace(l);
		return 1;
	case TK_FN(KEY_DC):
	case TK_CTRL('d'):
		lineedit_delete(l);
		return 1;
	case TK_FN(KEY_LEFT):
	case TK_CTRL('b'):
		lineedit_left(l);
		return 1;
	case TK_FN(KEY_RIGHT):
	case TK_CTRL('f'):
		lineedit_right(l);
		return 1;
	case TK_FN(KEY_HOME):
	case TK_CTRL('a'):
		lineedit_home(l);
		return 1;
	case TK_FN(KEY_END):
	case TK_CTRL('e'):
		lineedit_end(l);
		return 1;
	case TK_CTRL('u'):
		lineedit_kill_start(l);
		return 1;
	case TK_CTRL('k'):
		lineedit_kill_end(l);
		return 1;
	case TK_CTRL('w'):
		lineedit_kill_word(l);
		return 1;
	}
	if (key < 0 || key >= 0x110000)
		return 0;	/* a function key */
	/* No C0, DEL or C1 ever enters a line: they are refused here. */
	return lineedit_insert_cp(l, (uint32_t)key) ||
	    (key >= 0x20 && key != 0x7f && (key < 0x80 || key >= 0xa0));
}

void line_draw(const struct app *app, const struct lineedit *l, int y,
    int x, int w, int role, int *cx)
{
	int skip = lineedit_scroll(l, w);

	tui_put_from(app, y, x, w, role, l->s, skip);
	if (cx)
		*cx = x + lineedit_cursor_col(l) - skip;
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                  */

static void free_lines(struct tui_form *f)
{
	for (size_t i = 0; i < f->nlines; i++)
		free(f->lines[i]);
	free(f->lines);
	f->lines = NULL;
	f->nlines = f->top = 0;
}

struct tui_form *form_open(struct app *app, int kind, const char *title,
    form_submit_fn submit)
{
	struct tui_form *f = &app->form;

	free_lines(f);
	memset(f, 0, sizeof *f);
	f->kind = kind;
	snprintf(f->title, sizeof f->title, "%s", title);
	f->submit = submit;
	app->form_open = 1;
	return f;
}

int form_field(struct tui_form *f, const char *label, const char *value,
    const char *hint)
{
	struct tui_field *fd;

	if (f->nf >= FORM_FIELDS)
		return f->nf - 1;
	fd = &f->f[f->nf];
	fd->label = label;
	fd->hint = hint;
	lineedit_set(&fd->line, value);
	fd->error[0] = '\0';
	return f->nf++;
}

void form_line(struct tui_form *f, const char *fmt, ...)
{
	char buf[1200], **nl, *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	nl = realloc(f->lines, (f->nlines + 1) * sizeof *nl);
	if (!nl)
		return;
	f->lines = nl;
	if (!(s = strdup(buf)))
		return;
	f->lines[f->nlines++] = s;
}

void form_close(struct app *app)
{
	free_lines(&app->form);
	app->form_open = 0;
}

void form_clear_errors(struct tui_form *f)
{
	f->error[0] = '\0';
	for (int i = 0; i < f->nf; i++)
		f->f[i].error[0] = '\0';
}

/* Does msg start with or contain the word `label` (any case)? */
static int mentions(const char *msg, const char *label, int at_start)
{
	size_t n = strlen(label);

	if (at_start)
		return strncasecmp(msg, label, n) == 0;
	for (const char *p = msg; *p; p++)
		if (strncasecmp(p, label, n) == 0)
			return 1;
	return 0;
}

void form_error(struct tui_form *f, const char *msg)
{
	for (int pass = 1; pass >= 0; pass--)
		for (int i = 0; i < f->nf; i++)
			if (mentions(msg, f->f[i].label, pass)) {
				snprintf(f->f[i].error, sizeof f->f[i].error,
				    "%s", msg);
				f->cur = i;
				return;
			}
	snprintf(f->error, sizeof f->error, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

static int submit(struct app *app, struct tui_form *f)
{
	form_clear_errors(f);
	if (!f->submit) {
		form_close(app);
		return R_REDRAW;
	}
	return f->submit(app, f) | R_REDRAW;
}

static int fields_key(struct app *app, struct tui_form *f, int key)
{
	switch (key) {
	case TK_ESC:
		form_close(app);
		return R_REDRAW;
	case TK_ENTER:
		return submit(app, f);
	case TK_TAB:
	case TK_FN(KEY_DOWN):
		f->cur = f->nf ? (f->cur + 1) % f->nf : 0;
		return R_REDRAW;
	case TK_FN(KEY_BTAB):
	case TK_FN(KEY_UP):
		f->cur = f->nf ? (f->cur + f->nf - 1) % f->nf : 0;
		return R_REDRAW;
	}
	if (f->nf && line_key(&f->f[f->cur].line, key))
		return R_REDRAW;
	return R_NONE;
}

static int confirm_key(struct app *app, struct tui_form *f, int key)
{
	switch (key) {
	case 'y':
	case 'Y':
	case TK_ENTER:
		return submit(app, f);
	case 'n':
	case 'N':
	case TK_ESC:
		form_close(app);
		return R_REDRAW;
	}
	return R_NONE;
}

static int list_key(struct app *app, struct tui_form *f, int key)
{
	if (tui_move(key, f->nlines, 10, &f->top))
		return R_REDRAW;
	form_close(app);
	return R_REDRAW;
}

int form_key(struct app *app, int key)
{
	struct tui_form *f = &app->form;

	switch (f->kind) {
	case FORM_CONFIRM:
		return confirm_key(app, f, key);
	case FORM_LIST:
		return list_key(app, f, key);
	}
	return fields_key(app, f, key);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

#define LABEL_W 12

struct geom {
	int y, x, w, h;		/* the box */
	int text_rows;
	int fields_y;		/* first field row */
	int input_x, input_w;
};

static int count_lines(const char *s)
{
	int n = *s ? 1 : 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void form_geom(const struct app *app, struct geom *g)
{
	const struct tui_form *f = &app->form;
	int body = app->rows - 2;

	g->w = app->cols - 4 < 76 ? app->cols - 4 : 76;
	g->text_rows = count_lines(f->text);
	if (f->kind == FORM_LIST)
		g->h = body - 2;
	else
		g->h = 2 + g->text_rows + (g->text_rows > 0) + 2 * f->nf + 2;
	if (g->h > body)
		g->h = body;
	g->y = 1 + (body - g->h) / 2;
	g->x = (app->cols - g->w) / 2;
	g->fields_y = g->y + 1 + g->text_rows + (g->text_rows > 0);
	g->input_x = g->x + 2 + LABEL_W;
	g->input_w = g->w - 4 - LABEL_W;
}

static void draw_box(const struct app *app, const struct geom *g,
    const char *title)
{
	int a = tui_attr(app, ROLE_BOX);
	char t[520];

	for (int y = g->y; y < g->y + g->h; y++)
		tui_blank(app, y, g->x, g->w, ROLE_NORMAL);
	attrset(a);
	mvaddch(g->y, g->x, ACS_ULCORNER);
	mvhline(g->y, g->x + 1, ACS_HLINE, g->w - 2);
	mvaddch(g->y, g->x + g->w - 1, ACS_URCORNER);
	mvvline(g->y + 1, g->x, ACS_VLINE, g->h - 2);
	mvvline(g->y + 1, g->x + g->w - 1, ACS_VLINE, g->h - 2);
	mvaddch(g->y + g->h - 1, g->x, ACS_LLCORNER);
	mvhline(g->y + g->h - 1, g->x + 1, ACS_HLINE, g->w - 2);
	mvaddch(g->y + g->h - 1, g->x + g->w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	snprintf(t, sizeof t, " %s ", title);
	tui_put(app, g->y, g->x + 2, text_width(t) < g->w - 4 ?
	    text_width(t) : g->w - 4, ROLE_TITLE, t);
}

static void draw_text(const struct app *app, const struct geom *g,
    const char *text)
{
	const char *p = text;

	for (int y = g->y + 1; *p && y < g->y + g->h - 1; y++) {
		size_t n = strcspn(p, "\n");
		char buf[700];

		snprintf(buf, sizeof buf, "%.*s", (int)n, p);
		tui_put(app, y, g->x + 2, g->w - 4, ROLE_NORMAL, buf);
		p += n + (p[n] == '\n');
	}
}

static void draw_fields(const struct app *app, const struct geom *g)
{
	const struct tui_form *f = &app->form;

	for (int i = 0; i < f->nf; i++) {
		const struct tui_field *fd = &f->f[i];
		int y = g->fields_y + 2 * i;

		if (y + 1 >= g->y + g->h - 1)
			break;
		tui_put(app, y, g->x + 2, LABEL_W, i == f->cur ? ROLE_KEY :
		    ROLE_NORMAL, fd->label);
		line_draw(app, &fd->line, y, g->input_x, g->input_w,
		    ROLE_INPUT, NULL);
		if (fd->error[0]) {
			char e[400];

			snprintf(e, sizeof e, "! %s", fd->error);
			tui_put(app, y + 1, g->input_x, g->input_w,
			    ROLE_ERROR, e);
		} else if (fd->hint) {
			tui_put(app, y + 1, g->input_x, g->input_w, ROLE_DIM,
			    fd->hint);
		}
	}
	if (f->error[0]) {
		char e[700];

		snprintf(e, sizeof e, "! %s", f->error);
		tui_put(app, g->y + g->h - 2, g->x + 2, g->w - 4, ROLE_ERROR,
		    e);
	}
}

static void draw_list(const struct app *app, const struct geom *g)
{
	const struct tui_form *f = &app->form;
	int y = g->y + 1;

	if (f->text[0])
		y += count_lines(f->text) + 1;
	for (size_t i = f->top; i < f->nlines && y < g->y + g->h - 1; i++)
		tui_put(app, y++, g->x + 2, g->w - 4, ROLE_NORMAL,
		    f->lines[i]);
}

void form_draw(const struct app *app)
{
	struct geom g;

	form_geom(app, &g);
	draw_box(app, &g, app->form.title);
	draw_text(app, &g, app->form.text);
	if (app->form.kind == FORM_LIST)
		draw_list(app, &g);
	else
		draw_fields(app, &g);
	if (app->form.kind == FORM_CONFIRM && app->form.error[0] == '\0')
		tui_put(app, g.y + g.h - 2, g.x + 2, g.w - 4, ROLE_KEY,
		    "y yes   n no");
}

int form_cursor(const struct app *app, int *y, int *x)
{
	const struct tui_form *f = &app->form;
	struct geom g;

	if (f->kind != FORM_FIELDS_KIND || f->nf == 0)
		return 0;
	form_geom(app, &g);
	*y = g.fields_y + 2 * f->cur;
	*x = g.input_x + lineedit_cursor_col(&f->f[f->cur].line) -
	    lineedit_scroll(&f->f[f->cur].line, g.input_w);
	return *y < g.y + g.h - 1;
}
