/*
 * csvread.c - reading the CSV files rollcall imports (libcsv underneath).
 *
 * libcsv does the quoting; this file adds what it lacks: the header row,
 * columns found by name, and the physical line each row starts on.  For
 * that the input is fed to libcsv one physical line at a time: a row can
 * only run past the end of a line inside a quoted field, so the line on
 * which a row begins is the first line with content fed after the
 * previous row ended.
 */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "text.h"

#define CHUNK 16384

struct reader {
	const char *path;
	const struct csv_column *cols;
	size_t ncols;
	csv_row_fn fn;
	void *ctx;
	char *err;
	size_t errlen;

	unsigned long line;	/* physical line being fed, from 1 */
	unsigned long row_line;	/* line the current row started on */
	int in_row;		/* a row has begun and not yet ended */
	int have_header;
	int after_cr;		/* the last piece ended with CR */
	size_t nheader;		/* fields in the header row */
	int failed;		/* err is set; ignore further callbacks */
	int stopped;		/* fn asked to stop */

	long *map;		/* cols[i] is field map[i] (-1: absent) */
	char *unknown;		/* header names not in cols, or NULL */
	size_t unknownlen;

	char *buf;		/* this row's fields, each NUL-terminated */
	size_t buflen, bufcap;
	size_t *off;		/* offset of each field in buf */
	size_t nfields, offcap;
	const char **values;	/* what fn sees, one per column */
};

/* ------------------------------------------------------------------ */
/* Errors */

/* "FILE:LINE: message", or "FILE: message" when line is 0. */
static void
error(struct reader *r, unsigned long line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(r->err, r->errlen, "%s:%lu: %s", r->path, line, msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, msg);
	r->failed = 1;
}

/* ------------------------------------------------------------------ */
/* The current row */

static int
row_add(struct reader *r, const char *s, size_t len)
{
	size_t ncap;
	void *p;

	if (r->nfields == r->offcap) {
		ncap = r->offcap ? r->offcap * 2 : 16;
		if ((p = realloc(r->off, ncap * sizeof *r->off)) == NULL)
			return -1;
		r->off = p;
		r->offcap = ncap;
	}
	if (r->buflen + len + 1 > r->bufcap) {
		ncap = r->bufcap ? r->bufcap : 256;
		while (ncap < r->buflen + len + 1)
			ncap *= 2;
		if ((p = realloc(r->buf, ncap)) == NULL)
			return -1;
		r->buf = p;
		r->bufcap = ncap;
	}
	memcpy(r->buf + r->buflen, s, len);
	r->buf[r->buflen + len] = '\0';
	r->off[r->nfields++] = r->buflen;
	r->buflen += len + 1;
	return 0;
}

static void
row_clear(struct reader *r)
{
	r->nfields = 0;
	r->buflen = 0;
}

/* A row of empty fields (",,," from a spreadsheet) counts as blank. */
static int
row_is_blank(const struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (r->buf[r->off[i]] != '\0')
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The header */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Header text without the blanks around it: start, and length in *len. */
static const char *
header_trim(const char *f, size_t *len)
{
	size_t n;

	while (is_space(*f))
		f++;
	n = strlen(f);
	while (n > 0 && is_space(f[n - 1]))
		n--;
	*len = n;
	return f;
}

/* Header names compared trimmed and ignoring ASCII case. */
static int
header_eq(const char *a, const char *b)
{
	size_t alen, blen, i;
	char x, y;

	a = header_trim(a, &alen);
	b = header_trim(b, &blen);
	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = x - 'A' + 'a';
		if (y >= 'A' && y <= 'Z')
			y = y - 'A' + 'a';
		if (x != y)
			return 0;
	}
	return 1;
}

/*
 * Names the header's columns that no wanted column matches, escaped and
 * joined by ", ", so the caller can warn that they are ignored.
 */
static void
note_unknown(struct reader *r)
{
	const char *f;
	char shown[64];
	size_t i, j, len, at = 0;

	if (r->unknown == NULL || r->unknownlen == 0)
		return;
	r->unknown[0] = '\0';
	for (j = 0; j < r->nfields; j++) {
		f = header_trim(r->buf + r->off[j], &len);
		for (i = 0; i < r->ncols; i++)
			if (header_eq(r->buf + r->off[j], r->cols[i].name))
				break;
		if (i < r->ncols || len == 0)
			continue;
		text_escape(f, len, shown, sizeof shown);
		at += (size_t)snprintf(r->unknown + at, r->unknownlen - at,
		    "%s%s", at ? ", " : "", shown);
		if (at >= r->unknownlen)
			return;	/* truncated; the first names say enough */
	}
}

/* Whether a column of the CSV_ONE_OF group (if any) is in the header. */
static int
one_of_found(const struct reader *r)
{
	size_t i;
	int any = 0;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].required != CSV_ONE_OF)
			continue;
		if (r->map[i] >= 0)
			return 1;
		any = 1;
	}
	return !any;
}

/* "email or code": the group's names, for the error. */
static const char *
one_of_names(const struct reader *r, char *buf, size_t cap)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < r->ncols; i++)
		if (r->cols[i].required == CSV_ONE_OF)
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0,
			    "%s%s", n ? " or " : "", r->cols[i].name);
	return buf;
}

/* Finds each wanted column; refuses duplicate or missing ones. */
static void
header_read(struct reader *r)
{
	const char *f;
	char shown[64];
	size_t i, j, len;

	for (i = 0; i < r->nfields; i++) {
		f = header_trim(r->buf + r->off[i], &len);
		for (j = i + 1; len > 0 && j < r->nfields; j++) {
			if (header_eq(r->buf + r->off[j], f)) {
				text_escape(f, len, shown, sizeof shown);
				error(r, r->row_line,
				    "duplicate column %s", shown);
				return;
			}
		}
	}
	for (i = 0; i < r->ncols; i++) {
		r->map[i] = -1;
		for (j = 0; j < r->nfields; j++)
			if (header_eq(r->buf + r->off[j], r->cols[i].name))
				r->map[i] = (long)j;
		if (r->map[i] < 0 && r->cols[i].required == 1) {
			error(r, r->row_line, "missing column %s",
			    r->cols[i].name);
			return;
		}
	}
	if (!one_of_found(r)) {
		error(r, r->row_line, "missing column %s", one_of_names(r,
		    shown, sizeof shown));
		return;
	}
	note_unknown(r);
	r->nheader = r->nfields;
	r->have_header = 1;
}

/* ------------------------------------------------------------------ */
/* libcsv callbacks */

static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;

	if (r->failed || r->stopped)
		return;
	if (!r->in_row) {	/* a row that began after another on a line */
		r->in_row = 1;
		r->row_line = r->line;
	}
	if (s == NULL)
		s = "";
	if (memchr(s, '\0', len) != NULL) {
		error(r, r->row_line, "a field contains a NUL byte");
		return;
	}
	if (row_add(r, s, len) != 0)
		error(r, 0, "out of memory");
}

static void
on_row(int c, void *data)
{
	struct reader *r = data;
	char problem[128];
	size_t i;

	(void)c;
	r->in_row = 0;
	if (r->failed || r->stopped)
		goto out;
	if (row_is_blank(r))
		goto out;
	if (!r->have_header) {
		header_read(r);
		goto out;
	}
	for (i = 0; i < r->ncols; i++) {
		r->values[i] = NULL;
		if (r->map[i] >= 0 && (size_t)r->map[i] < r->nfields)
			r->values[i] = r->buf + r->off[r->map[i]];
	}
	if (r->nfields > r->nheader)
		snprintf(problem, sizeof(problem), "the row has %zu fields but "
		    "the header has %zu (quote fields that contain commas)",
		    r->nfields, r->nheader);
	if (r->fn(r->ctx, r->row_line, r->values,
	    r->nfields > r->nheader ? problem : NULL) != 0)
		r->stopped = 1;
out:
	row_clear(r);
}

/* ------------------------------------------------------------------ */
/* Feeding */

/* Whether a physical line (or part of one) has anything but blanks. */
static int
has_content(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 1;
	return 0;
}

static void
parse_error(struct reader *r, struct csv_parser *p, unsigned long line)
{
	int e = csv_error(p);

	if (e == CSV_EPARSE)
		error(r, line, "malformed CSV (a quote in the wrong place)");
	else if (e == CSV_ENOMEM)
		error(r, 0, "out of memory");
	else
		error(r, line, "malformed CSV (%s)", csv_strerror(e));
}

/* Feeds one piece of at most one physical line; 0, or -1 to stop. */
static int
feed_piece(struct reader *r, struct csv_parser *p, const char *s,
    size_t len)
{
	if (!r->in_row && has_content(s, len)) {
		r->in_row = 1;
		r->row_line = r->line;
	}
	if (csv_parse(p, s, len, on_field, on_row, r) != len) {
		if (!r->failed)
			parse_error(r, p, r->line);
		return -1;
	}
	/* CR LF, LF and a lone CR (old Mac files) each end one line. */
	if (len > 0 && s[len - 1] == '\r')
		r->line++;
	else if (len > 0 && s[len - 1] == '\n' && !(len == 1 && r->after_cr))
		r->line++;
	r->after_cr = len > 0 && s[len - 1] == '\r';
	return r->failed || r->stopped ? -1 : 0;
}

/* Length up to and including the first CR or LF, or len. */
static size_t
line_piece(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return i + 1;
	return len;
}

/* Splits a chunk at each line end, so lines are counted as they go. */
static int
feed_chunk(struct reader *r, struct csv_parser *p, const char *s,
    size_t len)
{
	size_t n;

	while (len > 0) {
		n = line_piece(s, len);
		if (feed_piece(r, p, s, n) != 0)
			return -1;
		s += n;
		len -= n;
	}
	return 0;
}

/* Reads the file in chunks, dropping a UTF-8 byte order mark. */
static int
feed_file(struct reader *r, struct csv_parser *p, FILE *fp)
{
	char chunk[CHUNK];
	size_t n, skip;
	int first = 1;

	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		skip = 0;
		if (first && n >= 3 && memcmp(chunk, "\xef\xbb\xbf", 3) == 0)
			skip = 3;
		first = 0;
		if (feed_chunk(r, p, chunk + skip, n - skip) != 0)
			return -1;
	}
	if (ferror(fp)) {
		error(r, 0, "%s", strerror(errno));
		return -1;
	}
	if (csv_fini(p, on_field, on_row, r) != 0) {
		if (!r->failed)
			error(r, r->row_line,
			    "malformed CSV (a quoted field is not closed)");
		return -1;
	}
	return r->failed || r->stopped ? -1 : 0;
}

int
csvread_file(const char *path, const struct csv_column *cols, size_t ncols,
    csv_row_fn fn, void *ctx, char *err, size_t errlen)
{
	return csvread_file_noting(path, cols, ncols, fn, ctx, NULL, 0, err,
	    errlen);
}

int
csvread_file_noting(const char *path, const struct csv_column *cols,
    size_t ncols, csv_row_fn fn, void *ctx, char *unknown, size_t unknownlen,
    char *err, size_t errlen)
{
	struct reader r;
	struct csv_parser p;
	FILE *fp = NULL;
	int rc = -1, parser = 0;

	memset(&r, 0, sizeof r);
	r.unknown = unknown;
	r.unknownlen = unknownlen;
	if (unknown != NULL && unknownlen > 0)
		unknown[0] = '\0';
	r.path = path;
	r.cols = cols;
	r.ncols = ncols;
	r.fn = fn;
	r.ctx = ctx;
	r.err = err;
	r.errlen = errlen;
	r.line = 1;
	if (errlen > 0)
		err[0] = '\0';

	r.map = calloc(ncols ? ncols : 1, sizeof *r.map);
	r.values = calloc(ncols ? ncols : 1, sizeof *r.values);
	if (r.map == NULL || r.values == NULL) {
		error(&r, 0, "out of memory");
		goto out;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		error(&r, 0, "%s", strerror(errno));
		goto out;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
	    != 0) {
		error(&r, 0, "out of memory");
		goto out;
	}
	parser = 1;
	if (feed_file(&r, &p, fp) != 0) {
		rc = r.stopped && !r.failed ? -2 : -1;
		goto out;
	}
	if (!r.have_header) {
		error(&r, 0, "the file is empty (expected a header row)");
		goto out;
	}
	rc = 0;
out:
	if (parser)
		csv_free(&p);
	if (fp != NULL)
		fclose(fp);
	free(r.map);
	free((void *)r.values);
	free(r.buf);
	free(r.off);
	return rc;
}
