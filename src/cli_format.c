/*
 * cli_format.c - printing for the command line: error lines, aligned
 * tables for people, RFC 4180 CSV and JSON (jansson).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

/*
 * Every cell, escaped, lives in one growing block of text (cells holds
 * offsets into it): a row costs no allocation of its own, only the odd
 * doubling of the block.
 */
/* What printing a table needs besides the table: widths, a cell buffer. */
struct layout {
	int *w;
	char *buf;		/* a padded cell, grown as needed */
	size_t cap;
};

struct cli_table {
	size_t ncols;
	char **headers;		/* escaped, or NULL */
	unsigned right;
	char *text;		/* the cells' escaped text, NUL-terminated */
	size_t len, textcap;
	size_t *cells;		/* rows * ncols offsets into text */
	size_t rows, cap;
	/* streamed (cli_table_measure, cli_table_put): nothing per row */
	struct layout l;	/* widths so far, a padded cell */
	char *row;		/* one row's escaped cells */
	size_t rowcap;
	const char **rowp;	/* its cells: into row, or the cell itself */
	int *roww;		/* their widths */
	int head;		/* the header line is out */
};

/* ---- errors and memory ------------------------------------------------ */

void
cli_oom(void)
{
	fputs("rollcall: out of memory\n", stderr);
	exit(3);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		cli_oom();
	return p;
}

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	size_t bytes;

	if (size && n > (size_t)-1 / size)
		cli_oom();
	bytes = n * size;
	if ((p = realloc(p, bytes > 0 ? bytes : 1)) == NULL)
		cli_oom();
	return p;
}

size_t
cli_int_text(long long v, char *buf)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	size_t n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

void
cli_points(int32_t points, char *buf, size_t len)
{
	char num[CLI_INT_TEXT + 1];
	const char *from = num + 1;
	size_t n;

	num[0] = '+';
	n = cli_int_text(points, num + 1);
	if (points > 0) {
		from = num;
		n++;
	}
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, from, n);
	buf[n] = '\0';
}

char *
cli_escape(const char *s)
{
	size_t len = strlen(s), cap = len * 4 + 1;
	char *out = xmalloc(cap);

	text_escape(s, len, out, cap);
	return out;
}

/* Messages may quote what the user typed: escape the whole line. */
void
cli_error(const char *fmt, ...)
{
	char msg[2048], *shown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	shown = cli_escape(msg);
	fprintf(stderr, "rollcall: %s\n", shown);
	free(shown);
}

/* ---- JSON ------------------------------------------------------------- */

json_t *
cli_json_str(const char *s)
{
	json_t *j;
	char *shown;

	if ((j = json_string(s)) != NULL)
		return j;
	shown = cli_escape(s);
	j = json_string(shown);
	free(shown);
	if (j == NULL)
		cli_oom();
	return j;
}

void
cli_json_set(json_t *obj, const char *key, json_t *val)
{
	if (val == NULL || json_object_set_new(obj, key, val) != 0)
		cli_oom();
}

json_t *
cli_fields_json(const struct cli_field *f, size_t n)
{
	json_t *o = json_object(), *v;
	size_t i;

	if (o == NULL)
		cli_oom();
	for (i = 0; i < n; i++) {
		switch (f[i].kind) {
		case CF_STR:
		case CF_TEXT:
			v = f[i].s ? cli_json_str(f[i].s) : json_null();
			break;
		case CF_BOOL:
			v = json_boolean(f[i].n);
			break;
		case CF_RATE:
			/* Printed with 15 digits: exactly one decimal. */
			v = f[i].n < 0 ? json_null() :
			    json_real((double)f[i].n / 10);
			break;
		default:
			v = json_integer(f[i].n);
			break;
		}
		cli_json_set(o, f[i].key, v);
	}
	return o;
}

void
cli_json_print(json_t *value, int compact)
{
	size_t flags = (compact ? JSON_COMPACT : JSON_INDENT(2)) |
	    JSON_ENCODE_ANY | JSON_REAL_PRECISION(15);

	if (value == NULL || json_dumpf(value, stdout, flags) != 0)
		cli_oom();
	putchar('\n');
	json_decref(value);
}

/* ---- CSV -------------------------------------------------------------- */

void
cli_line_flush(struct cli_line *l)
{
	fwrite_unlocked(l->buf, 1, l->n, stdout);
	l->n = 0;
}

void
cli_line_put(struct cli_line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->n) {
		cli_line_flush(l);
		if (n > sizeof(l->buf)) {
			fwrite_unlocked(s, 1, n, stdout);
			return;
		}
	}
	memcpy(l->buf + l->n, s, n);
	l->n += n;
}

void
cli_line_ch(struct cli_line *l, char c)
{
	if (l->n == sizeof(l->buf))
		cli_line_flush(l);
	l->buf[l->n++] = c;
}

/*
 * RFC 4180: quote a field holding a comma, quote, CR or LF.  User text
 * (guard set) that a spreadsheet would run as a formula gets one more '
 * in front (SPEC 3); import takes exactly that one off again.
 */
static void
csv_field(struct cli_line *l, const char *s, int guard)
{
	int mark = guard && text_csv_risky(s);
	const char *p = s;

	/* Most cells need no quotes: found in one pass, copied in one. */
	while (*p && *p != ',' && *p != '"' && *p != '\r' && *p != '\n')
		p++;
	if (*p == '\0') {
		if (mark)
			cli_line_ch(l, '\'');
		cli_line_put(l, s, (size_t)(p - s));
		return;
	}
	cli_line_ch(l, '"');
	if (mark)
		cli_line_ch(l, '\'');
	for (; *s; s++) {
		if (*s == '"')
			cli_line_ch(l, '"');
		cli_line_ch(l, *s);
	}
	cli_line_ch(l, '"');
}

/* --bom: the first CSV header of the run starts with a byte order mark. */
static int csv_bom;

void
cli_csv_bom(int on)
{
	csv_bom = on;
}

void
cli_csv_header(const struct cli_field *f, size_t n)
{
	struct cli_line l;
	size_t i;

	l.n = 0;
	if (csv_bom) {
		cli_line_put(&l, "\xef\xbb\xbf", 3);
		csv_bom = 0;
	}
	for (i = 0; i < n; i++) {
		if (i)
			cli_line_ch(&l, ',');
		csv_field(&l, f[i].key, 0);
	}
	cli_line_ch(&l, '\n');
	cli_line_flush(&l);
}

void
cli_csv_row(const struct cli_field *f, size_t n)
{
	char num[32];
	struct cli_line l;
	size_t i;

	l.n = 0;
	for (i = 0; i < n; i++) {
		if (i)
			cli_line_ch(&l, ',');
		switch (f[i].kind) {
		case CF_STR:
		case CF_TEXT:
			csv_field(&l, f[i].s ? f[i].s : "",
			    f[i].kind == CF_TEXT);
			break;
		case CF_BOOL:
			if (f[i].n)
				cli_line_put(&l, "true", 4);
			else
				cli_line_put(&l, "false", 5);
			break;
		case CF_RATE:
			if (f[i].n < 0)
				break;
			cli_line_put(&l, num, cli_int_text(f[i].n / 10, num));
			cli_line_ch(&l, '.');
			cli_line_put(&l, num, cli_int_text(f[i].n % 10, num));
			break;
		default:
			cli_line_put(&l, num, cli_int_text(f[i].n, num));
			break;
		}
	}
	cli_line_ch(&l, '\n');
	cli_line_flush(&l);
}

void
cli_record(enum cli_format fmt, const struct cli_field *f, size_t n)
{
	if (fmt == FMT_CSV) {
		cli_csv_header(f, n);
		cli_csv_row(f, n);
	} else if (fmt == FMT_JSON) {
		cli_jw_fields(f, n, 0, 0);
		putchar('\n');
	} else {
		cli_json_print(cli_fields_json(f, n), 1);
	}
}

/* ---- tables for people ------------------------------------------------ */

struct cli_table *
cli_table_new(size_t ncols, const char *const *headers, unsigned right)
{
	struct cli_table *t = xmalloc(sizeof(*t));
	size_t i;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->right = right;
	if (headers) {
		t->headers = xreallocarray(NULL, ncols, sizeof(char *));
		for (i = 0; i < ncols; i++)
			t->headers[i] = cli_escape(headers[i]);
	}
	return t;
}

void
cli_table_add(struct cli_table *t, const char *const *cells)
{
	size_t i, n, need;

	if (t->rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap * t->ncols,
		    sizeof(size_t));
	}
	for (i = 0; i < t->ncols; i++) {
		n = strlen(cells[i]);
		/* an escape is at most 4 bytes a byte (\xNN) */
		if (n > ((size_t)-1 - 1) / 4 - t->len)
			cli_oom();
		need = t->len + n * 4 + 1;
		if (need > t->textcap) {
			t->textcap = t->textcap ? t->textcap : 4096;
			while (t->textcap < need)
				t->textcap *= 2;
			t->text = xreallocarray(t->text, t->textcap, 1);
		}
		t->cells[t->rows * t->ncols + i] = t->len;
		t->len += text_escape(cells[i], n, t->text + t->len,
		    t->textcap - t->len) + 1;
	}
	t->rows++;
}

size_t
cli_table_rows(const struct cli_table *t)
{
	return t->rows;
}

/* n blanks. */
static void
blanks(int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		fwrite_unlocked(sp, 1, n < (int)sizeof(sp) - 1 ? (size_t)n :
		    sizeof(sp) - 1, stdout);
}

/* Print one cell in `w` columns; the last column carries no padding. */
static void
print_cell(struct layout *l, const char *s, int w, int right, int last)
{
	size_t need = strlen(s) + (size_t)w + 1;
	int used;

	if (last && !right) {
		fputs(s, stdout);
		return;
	}
	used = text_width(s);
	if (right) {
		blanks(w - used);
		fputs(s, stdout);
		return;
	}
	if (need > l->cap) {
		l->cap = need > 2 * l->cap ? need : 2 * l->cap;
		l->buf = xreallocarray(l->buf, l->cap, 1);
	}
	text_fit(s, w, 1, l->buf, l->cap);
	fputs(l->buf, stdout);
}

/* Trailing empty cells are left out, so no line ends in blanks. */
static void
print_row(const struct cli_table *t, struct layout *l,
    const char *const *row, const int *w, const char *indent)
{
	size_t i, n = t->ncols;

	while (n > 1 && row[n - 1][0] == '\0')
		n--;
	fputs(indent, stdout);
	for (i = 0; i < n; i++) {
		if (i)
			fputs("  ", stdout);
		print_cell(l, row[i], w[i], (t->right >> i) & 1, i + 1 == n);
	}
	putchar('\n');
}

/* Cell i of row r. */
static const char *
cell(const struct cli_table *t, size_t r, size_t i)
{
	return t->text + t->cells[r * t->ncols + i];
}

void
cli_table_print(const struct cli_table *t, const char *indent)
{
	struct layout l = { NULL, NULL, 0 };
	const char **row;
	size_t r, i;
	int cw;

	l.w = xreallocarray(NULL, t->ncols, sizeof(int));
	row = xreallocarray(NULL, t->ncols, sizeof(char *));
	for (i = 0; i < t->ncols; i++) {
		l.w[i] = t->headers ? text_width(t->headers[i]) : 0;
		for (r = 0; r < t->rows; r++) {
			cw = text_width(cell(t, r, i));
			if (cw > l.w[i])
				l.w[i] = cw;
		}
	}
	if (t->headers)
		print_row(t, &l, (const char *const *)t->headers, l.w,
		    indent);
	for (r = 0; r < t->rows; r++) {
		for (i = 0; i < t->ncols; i++)
			row[i] = cell(t, r, i);
		print_row(t, &l, row, l.w, indent);
	}
	free(row);
	free(l.buf);
	free(l.w);
}

/* The widths a streamed table starts from: its headers'. */
static void
stream_widths(struct cli_table *t)
{
	size_t i;

	if (t->l.w != NULL)
		return;
	t->l.w = xreallocarray(NULL, t->ncols, sizeof(int));
	t->rowp = xreallocarray(NULL, t->ncols, sizeof(char *));
	t->roww = xreallocarray(NULL, t->ncols, sizeof(int));
	for (i = 0; i < t->ncols; i++)
		t->l.w[i] = t->headers ? text_width(t->headers[i]) : 0;
}

/* Length of s when it is printable ASCII (its own escape), else -1. */
static long
plain_len(const char *s)
{
	const char *p = s;

	while (*p >= 0x20 && *p <= 0x7e)
		p++;
	return *p == '\0' ? (long)(p - s) : -1;
}

/*
 * A row's cells escaped into t->row, t->rowp pointing at each (at the
 * cell itself when it is plain); their widths into t->roww if `measure`.
 */
static void
escape_row(struct cli_table *t, const char *const *cells, int measure)
{
	size_t i, n, at = 0, need = 0;
	long plain;
	int *w;

	stream_widths(t);
	w = measure ? t->roww : NULL;
	for (i = 0; i < t->ncols; i++) {
		n = strlen(cells[i]);
		if (n > ((size_t)-1 - 1) / 4 - need)
			cli_oom();
		need += n * 4 + 1;
	}
	if (need > t->rowcap) {
		t->rowcap = need > 2 * t->rowcap ? need : 2 * t->rowcap;
		t->row = xreallocarray(t->row, t->rowcap, 1);
	}
	for (i = 0; i < t->ncols; i++) {
		if ((plain = plain_len(cells[i])) >= 0) {
			t->rowp[i] = cells[i];
			if (w)
				w[i] = (int)plain;
			continue;
		}
		t->rowp[i] = t->row + at;
		at += text_escape(cells[i], strlen(cells[i]), t->row + at,
		    need - at) + 1;
		if (w)
			w[i] = text_width(t->rowp[i]);
	}
}

void
cli_table_measure(struct cli_table *t, const char *const *cells)
{
	size_t i;

	escape_row(t, cells, 1);
	for (i = 0; i < t->ncols; i++)
		if (t->roww[i] > t->l.w[i])
			t->l.w[i] = t->roww[i];
}

void
cli_table_head(struct cli_table *t, const char *indent)
{
	if (t->head)
		return;
	t->head = 1;
	stream_widths(t);
	if (t->headers)
		print_row(t, &t->l, (const char *const *)t->headers, t->l.w,
		    indent);
}

void
cli_table_put(struct cli_table *t, const char *const *cells,
    const char *indent)
{
	cli_table_head(t, indent);
	escape_row(t, cells, 0);
	print_row(t, &t->l, t->rowp, t->l.w, indent);
}

void
cli_table_free(struct cli_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->l.w);
	free(t->l.buf);
	free(t->row);
	free(t->rowp);
	free(t->roww);
	for (i = 0; t->headers && i < t->ncols; i++)
		free(t->headers[i]);
	free(t->text);
	free(t->headers);
	free(t->cells);
	free(t);
}
