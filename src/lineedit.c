/*
 * lineedit.c - a UTF-8 line with a cursor, edited as in a shell.
 *
 * Every operation keeps two invariants: the text is valid UTF-8 free of
 * control characters, and the cursor sits at a character's first byte.
 */
#include <string.h>

#include "lineedit.h"
#include "text.h"

void
lineedit_clear(struct lineedit *l)
{
	l->s[0] = '\0';
	l->len = l->cur = 0;
}

/* Could this code point be typed into a line? */
static int
typable(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return cp < 0xd800 || (cp >= 0xe000 && cp < 0x110000);
}

static size_t
utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Make room for n bytes at the cursor and copy them in. */
static int
put_bytes(struct lineedit *l, const char *b, size_t n)
{
	if (l->len + n >= sizeof(l->s))
		return 0;
	memmove(l->s + l->cur + n, l->s + l->cur, l->len - l->cur + 1);
	memcpy(l->s + l->cur, b, n);
	l->len += n;
	l->cur += n;
	return 1;
}

int
lineedit_insert_cp(struct lineedit *l, uint32_t cp)
{
	char u[4];

	if (!typable(cp))
		return 0;
	return put_bytes(l, u, utf8_put(u, cp));
}

size_t
lineedit_insert(struct lineedit *l, const char *s, size_t n)
{
	size_t i = 0, k, left = 0;
	uint32_t cp;

	while (i < n) {
		k = text_utf8_next(s + i, n - i, &cp);
		if (k == 0) {
			left++;
			i++;
			continue;
		}
		if (!typable(cp) || !put_bytes(l, s + i, k))
			left++;
		i += k;
	}
	return left;
}

size_t
lineedit_set(struct lineedit *l, const char *s)
{
	lineedit_clear(l);
	return s ? lineedit_insert(l, s, strlen(s)) : 0;
}

/* Byte offset of the character before offset at (at > 0). */
static size_t
prev_char(const struct lineedit *l, size_t at)
{
	while (at > 0 && ((unsigned char)l->s[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t
next_char(const struct lineedit *l, size_t at)
{
	if (at < l->len)
		at++;
	while (at < l->len && ((unsigned char)l->s[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static int
move_to(struct lineedit *l, size_t at)
{
	if (at == l->cur)
		return 0;
	l->cur = at;
	return 1;
}

int
lineedit_left(struct lineedit *l)
{
	return move_to(l, prev_char(l, l->cur));
}

int
lineedit_right(struct lineedit *l)
{
	return move_to(l, next_char(l, l->cur));
}

int
lineedit_home(struct lineedit *l)
{
	return move_to(l, 0);
}

int
lineedit_end(struct lineedit *l)
{
	return move_to(l, l->len);
}

/* Remove the bytes [a, b) and leave the cursor at a. */
static int
cut(struct lineedit *l, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	memmove(l->s + a, l->s + b, l->len - b + 1);
	l->len -= b - a;
	l->cur = a;
	return 1;
}

int
lineedit_backspace(struct lineedit *l)
{
	return cut(l, prev_char(l, l->cur), l->cur);
}

int
lineedit_delete(struct lineedit *l)
{
	size_t at = l->cur;

	return cut(l, at, next_char(l, at)) ? (l->cur = at, 1) : 0;
}

int
lineedit_kill_start(struct lineedit *l)
{
	return cut(l, 0, l->cur);
}

int
lineedit_kill_end(struct lineedit *l)
{
	size_t at = l->cur;

	return cut(l, at, l->len);
}

/* As in a shell: the blanks before the cursor, then the word before them. */
int
lineedit_kill_word(struct lineedit *l)
{
	size_t a = l->cur;

	while (a > 0 && l->s[a - 1] == ' ')
		a--;
	while (a > 0 && l->s[a - 1] != ' ')
		a = prev_char(l, a);
	return cut(l, a, l->cur);
}

int
lineedit_cursor_col(const struct lineedit *l)
{
	char before[LINEEDIT_MAX];

	memcpy(before, l->s, l->cur);
	before[l->cur] = '\0';
	return text_width(before);
}

int
lineedit_scroll(const struct lineedit *l, int w)
{
	int col = lineedit_cursor_col(l);

	if (w <= 1 || col < w)
		return 0;
	return col - (w - 1);
}
