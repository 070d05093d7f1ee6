/*
 * cli_json.c - JSON written as it is produced, straight into stdout's
 * buffer, for the answers that list many rows: no tree of the whole
 * answer and nothing allocated per row (jansson's tree cost about 10 us
 * a student).  The layout and escapes are jansson's JSON_INDENT(2), the
 * layout scripts have always seen, byte for byte (tests/cli/students.sh
 * compares the two).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "validate.h"

static void
indent(int depth)
{
	static const char spaces[] = "                                ";
	int n = depth * 2;

	while (n > 0) {
		int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;

		fwrite_unlocked(spaces, 1, (size_t)k, stdout);
		n -= k;
	}
}

/*
 * Length of s's leading run that JSON takes as it is: printable ASCII
 * but the quote and the backslash.  Names, emails, ids and keys are
 * nearly always all of it, and then need no UTF-8 check either.
 */
static size_t
plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	return (size_t)(p - (const unsigned char *)s);
}

/* s quoted, then tail, in one write when s is plain and short. */
static int
plain_out(const char *s, const char *tail, size_t tlen)
{
	char buf[256];
	size_t n = plain_len(s);

	if (s[n] != '\0' || n + tlen + 2 > sizeof(buf))
		return 0;
	buf[0] = '"';
	memcpy(buf + 1, s, n);
	buf[n + 1] = '"';
	memcpy(buf + n + 2, tail, tlen);
	fwrite_unlocked(buf, 1, n + 2 + tlen, stdout);
	return 1;
}

void
cli_jw_str(const char *s)
{
	static const char short_esc[] = "btn\0fr";	/* \b \t \n - \f \r */
	const unsigned char *p, *run;
	char *shown = NULL;

	if (plain_out(s, "", 0))
		return;
	/* jansson refuses invalid UTF-8: show it escaped, as cli_json_str */
	if (!validate_utf8(s, strlen(s)))
		s = shown = cli_escape(s);
	putchar('"');
	for (run = p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		fwrite(run, 1, (size_t)(p - run), stdout);
		run = p + 1;
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p >= '\b' && *p <= '\r' && short_esc[*p - '\b'])
			printf("\\%c", short_esc[*p - '\b']);
		else
			printf("\\u%04X", *p);
	}
	fwrite(run, 1, (size_t)(p - run), stdout);
	putchar('"');
	free(shown);
}

void
cli_jw_int(long long v)
{
	char buf[CLI_INT_TEXT + 1];

	fwrite_unlocked(buf, 1, cli_int_text(v, buf), stdout);
}

void
cli_jw_item(size_t i, int depth)
{
	/* the separator and the indent in one write, as deep as it goes */
	static const char lead[] = ",\n                                ";

	if (depth >= 0 && depth * 2 <= (int)sizeof(lead) - 3) {
		fwrite_unlocked(lead + (i ? 0 : 1), 1,
		    (size_t)depth * 2 + (i ? 2 : 1), stdout);
		return;
	}
	fputs(i ? ",\n" : "\n", stdout);
	indent(depth);
}

void
cli_jw_close(char c, size_t n, int depth)
{
	if (n) {
		putchar('\n');
		indent(depth);
	}
	putchar(c);
}

void
cli_jw_key(const char *key)
{
	if (plain_out(key, ": ", 2))
		return;
	cli_jw_str(key);
	fputs(": ", stdout);
}

/* A field's value as cli_fields_json() makes it. */
static void
value(const struct cli_field *f)
{
	switch (f->kind) {
	case CF_STR:
	case CF_TEXT:
		if (f->s)
			cli_jw_str(f->s);
		else
			fputs("null", stdout);
		break;
	case CF_BOOL:
		fputs(f->n ? "true" : "false", stdout);
		break;
	case CF_RATE:
		if (f->n < 0)
			fputs("null", stdout);
		else
			printf("%lld.%lld", f->n / 10, f->n % 10);
		break;
	default:
		cli_jw_int(f->n);
		break;
	}
}

void
cli_jw_field(const struct cli_field *f, size_t i, int depth)
{
	cli_jw_item(i, depth);
	cli_jw_key(f->key);
	value(f);
}

/* s quoted into l when it is plain; 0 (nothing added) when not. */
static int
line_str(struct cli_line *l, const char *s)
{
	size_t n = plain_len(s);

	if (s[n] != '\0')
		return 0;
	cli_line_ch(l, '"');
	cli_line_put(l, s, n);
	cli_line_ch(l, '"');
	return 1;
}

/* A field's value into l when it is plain; 0 (nothing added) when not. */
static int
line_value(struct cli_line *l, const struct cli_field *f)
{
	char num[CLI_INT_TEXT + 1];

	switch (f->kind) {
	case CF_STR:
	case CF_TEXT:
		if (f->s == NULL)
			cli_line_put(l, "null", 4);
		else
			return line_str(l, f->s);
		break;
	case CF_BOOL:
		if (f->n)
			cli_line_put(l, "true", 4);
		else
			cli_line_put(l, "false", 5);
		break;
	case CF_RATE:
		if (f->n < 0) {
			cli_line_put(l, "null", 4);
			break;
		}
		cli_line_put(l, num, cli_int_text(f->n / 10, num));
		cli_line_ch(l, '.');
		cli_line_put(l, num, cli_int_text(f->n % 10, num));
		break;
	default:
		cli_line_put(l, num, cli_int_text(f->n, num));
		break;
	}
	return 1;
}

/* Item i of an object at depth: its lead, key and value, built in l. */
static void
line_field(struct cli_line *l, const struct cli_field *f, size_t i,
    int depth)
{
	static const char lead[] = ",\n                                ";

	if (depth * 2 <= (int)sizeof(lead) - 3)
		cli_line_put(l, lead + (i ? 0 : 1),
		    (size_t)depth * 2 + (i ? 2 : 1));
	else {
		cli_line_flush(l);
		cli_jw_item(i, depth);
	}
	if (line_str(l, f->key))
		cli_line_put(l, ": ", 2);
	else {
		cli_line_flush(l);
		cli_jw_key(f->key);
	}
	if (!line_value(l, f)) {
		/* escapes and the UTF-8 check: the careful way */
		cli_line_flush(l);
		value(f);
	}
}

/*
 * An object built in one line buffer (cli_format.c): a stdio call per
 * piece was most of a listing's JSON; anything not plain goes through
 * the careful writers above after what is built so far.
 */
void
cli_jw_fields(const struct cli_field *f, size_t n, int depth, int more)
{
	struct cli_line l;
	size_t i;

	l.n = 0;
	cli_line_ch(&l, '{');
	for (i = 0; i < n; i++)
		line_field(&l, &f[i], i, depth + 1);
	cli_line_flush(&l);
	if (!more)
		cli_jw_close('}', n, depth);
}

/*
 * jansson's text of values, one after another, in a buffer kept for the
 * run: grown when a value does not fit, never freed per row.
 */
static struct {
	char *p;
	size_t len, cap;
} dump;

void
cli_json_text_reset(void)
{
	dump.len = 0;
}

size_t
cli_json_text(const json_t *v, size_t flags, size_t *len)
{
	size_t at = dump.len, room, n;

	for (;;) {
		room = dump.cap - at;
		if ((n = json_dumpb(v, room ? dump.p + at : NULL, room,
		    flags)) == 0)
			cli_oom();	/* it fails only to allocate */
		if (n < room)
			break;		/* with room for a NUL */
		if (dump.cap == 0)
			dump.cap = 65536;
		while (dump.cap - at <= n)
			dump.cap *= 2;
		if ((dump.p = realloc(dump.p, dump.cap)) == NULL)
			cli_oom();
	}
	dump.p[at + n] = '\0';
	dump.len = at + n + 1;
	*len = n;
	return at;
}

const char *
cli_json_text_at(size_t at)
{
	return dump.p + at;
}

void
cli_jw_json(const json_t *v, int depth)
{
	const char *p, *nl;
	size_t n;

	/* jansson's indented text, each new line indented deeper */
	cli_json_text_reset();
	p = cli_json_text_at(cli_json_text(v, JSON_INDENT(2) |
	    JSON_ENCODE_ANY | JSON_REAL_PRECISION(15), &n));
	while ((nl = memchr(p, '\n', n)) != NULL) {
		fwrite(p, 1, (size_t)(nl + 1 - p), stdout);
		indent(depth);
		n -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	fwrite(p, 1, n, stdout);
}

void
cli_buffer_stdout(void)
{
	/* glibc sizes a pipe's buffer at 4 KiB: a write(2) every 4 KiB */
	static char buf[1 << 16];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}
