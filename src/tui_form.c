/*
 * tui_form.c - the one-line editor and the modal form every screen uses
 * for adding, editing, prompting, confirming and listing messages.
 */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
/* File names                                                           */

void tui_path(const char *in, char *out, size_t cap)
{
	const char *home = getenv("HOME");

	if (in[0] == '~' && (in[1] == '/' || in[1] == '\0') && home && *home)
		snprintf(out, cap, "%s%s", home, in + 1);
	else
		snprintf(out, cap, "%s", in);
}

int tui_file_problem(const char *path, int writing, char *why, size_t cap)
{
	char p[TUI_LINE_MAX + 256], dir[TUI_LINE_MAX + 256], *slash;
	struct stat st;

	tui_path(path, p, sizeof p);
	if (!p[0]) {
		snprintf(why, cap, "file: name a file");
		return 1;
	}
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(why, cap, "file: that is a directory, not a file "
		    "(Tab lists it)");
		return 1;
	}
	if (!writing) {
		if (access(p, R_OK) != 0) {
			snprintf(why, cap, "file: cannot read it: %s",
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	snprintf(dir, sizeof dir, "%s", p);
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (access(dir, W_OK) != 0) {
		snprintf(why, cap, "file: cannot write in that folder: %s",
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Length of the common prefix of a and b. */
static size_t common(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/*
 * Tab in a file field: complete the name as a shell does (the whole
 * name when one file fits, with "/" after a directory; else the part
 * they share), and list the candidates under the field.
 */
static void complete_file(struct tui_field *fd)
{
	char typed[TUI_LINE_MAX], path[TUI_LINE_MAX + 256], best[256] = "";
	char list[sizeof fd->error] = "";
	const char *base, *slash;
	size_t dlen, nfound = 0, blen = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(typed, sizeof typed, "%s", fd->line.s);
	slash = strrchr(typed, '/');
	base = slash ? slash + 1 : typed;
	dlen = (size_t)(base - typed);
	snprintf(list, sizeof list, "%.*s", (int)dlen, typed);
	tui_path(list[0] ? list : ".", path, sizeof path);
	list[0] = '\0';
	if ((d = opendir(path)) == NULL) {
		snprintf(fd->error, sizeof fd->error, "cannot list %.200s: %s",
		    path, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, strlen(base)) != 0 ||
		    strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (e->d_name[0] == '.' && base[0] != '.'))
			continue;
		if (nfound++ == 0) {
			snprintf(best, sizeof best, "%s", e->d_name);
			blen = strlen(best);
		} else if (common(best, e->d_name) < blen) {
			blen = common(best, e->d_name);
		}
		if (strlen(list) + strlen(e->d_name) + 3 < sizeof list)
			snprintf(list + strlen(list), sizeof list - strlen(list),
			    "%s%s", list[0] ? "  " : "", e->d_name);
	}
	closedir(d);
	if (nfound == 0) {
		snprintf(fd->error, sizeof fd->error, "no file here starts "
		    "with \"%.200s\"", base);
		return;
	}
	best[blen] = '\0';
	snprintf(typed + dlen, sizeof typed - dlen, "%s", best);
	if (nfound == 1) {
		char full[sizeof path + 256];

		tui_path(typed, full, sizeof full);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
		    strlen(typed) + 1 < sizeof typed)
			strcat(typed, "/");
	} else {
		snprintf(fd->error, sizeof fd->error, "%s", list);
	}
	lineedit_set(&fd->line, typed);
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
		if (f->nf && f->f[f->cur].file) {
			f->f[f->cur].error[0] = '\0';
			complete_file(&f->f[f->cur]);
			return R_REDRAW;
		}
		/* FALLTHROUGH */
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

static int list_view(const struct app *app, int *h);

/* Up/Down/PgUp/PgDn/Home/End scroll a long list; any other key closes. */
static int list_key(struct app *app, struct tui_form *f, int key)
{
	int h, total = list_view(app, &h);
	size_t n = total > h ? (size_t)(total - h) + 1 : 1;

	if (n > 1 && tui_move(key, n, (size_t)(h > 1 ? h - 1 : 1), &f->top))
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

/*
 * Dialog text wraps, never cut at the box edge: each paragraph (split at
 * '\n') is escaped, then broken into rows of at most w columns, at a
 * space where there is one.  wrap_rows draws rows [skip, skip + max) of
 * src at (y, x) when app is not NULL, and returns how many rows src
 * takes in all.
 */
static int wrap_rows(const struct app *app, const char *src, int w,
    int skip, int max, int y, int x, int role)
{
	char esc[4 * TUI_LINE_MAX], row[4 * TUI_LINE_MAX];
	int rows = 0;

	if (w < 2)
		w = 2;
	do {
		size_t n = strcspn(src, "\n");
		const char *p = esc;

		text_escape(src, n, esc, sizeof esc);
		src += n + (src[n] == '\n');
		do {
			size_t k, adv;
			char *sp;

			text_fit(p, w, 0, row, sizeof row);
			k = adv = strlen(row);
			if (k == 0 && *p) {	/* one character wider than w */
				k = 1;
				while ((p[k] & 0xc0) == 0x80)
					k++;
				memcpy(row, p, k);
				adv = k;
			}
			if (p[k] && (sp = strrchr(row, ' ')) && sp > row) {
				k = (size_t)(sp - row);
				adv = k + 1;
			}
			row[k] = '\0';
			if (app && rows >= skip && rows < skip + max)
				tui_put(app, y + rows - skip, x, w, role, row);
			rows++;
			p += adv;
		} while (*p);
	} while (*src);
	return rows;
}

/* Rows of a FORM_LIST's lines, wrapped to w columns. */
static int list_rows_total(const struct tui_form *f, int w)
{
	int n = 0;

	for (size_t i = 0; i < f->nlines; i++)
		n += wrap_rows(NULL, f->lines[i], w, 0, 0, 0, 0, 0);
	return n;
}

static int text_rows(const struct app *app, const char *text, int w)
{
	(void)app;
	return *text ? wrap_rows(NULL, text, w, 0, 0, 0, 0, 0) : 0;
}

static void form_geom(const struct app *app, struct geom *g)
{
	const struct tui_form *f = &app->form;
	int body = app->rows - 2;

	g->w = app->cols - 4 < 76 ? app->cols - 4 : 76;
	g->text_rows = text_rows(app, f->text, g->w - 4);
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
	if (*text)
		wrap_rows(app, text, g->w - 4, 0, g->h - 2, g->y + 1,
		    g->x + 2, ROLE_NORMAL);
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

/* Rows of the list in all, and (in *h) how many show at once. */
static int list_view(const struct app *app, int *h)
{
	struct geom g;

	form_geom(app, &g);
	*h = g.h - 2 - (g.text_rows ? g.text_rows + 1 : 0);
	if (*h < 1)
		*h = 1;
	return list_rows_total(&app->form, g.w - 4);
}

/* The list's rows from f->top (a row index over the wrapped lines). */
static void draw_list(const struct app *app, const struct geom *g)
{
	const struct tui_form *f = &app->form;
	int y = g->y + 1 + (g->text_rows ? g->text_rows + 1 : 0);
	int h = g->y + g->h - 1 - y, w = g->w - 4, at = 0, total;
	char more[64];

	for (size_t i = 0; i < f->nlines && at < (int)f->top + h; i++)
		at += wrap_rows(app, f->lines[i], w, (int)f->top - at,
		    h, y, g->x + 2, ROLE_NORMAL);
	total = list_rows_total(f, w);
	if (total > h) {
		snprintf(more, sizeof more, " %d-%d of %d, Up/Down scroll ",
		    (int)f->top + 1, (int)f->top + h < total ?
		    (int)f->top + h : total, total);
		tui_put(app, g->y + g->h - 1, g->x + g->w - 2 -
		    text_width(more), text_width(more), ROLE_DIM, more);
	}
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
