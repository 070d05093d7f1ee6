/*
 * text.c - UTF-8 text for people: case folding, escaping and fitting
 * into display columns.
 *
 * Validity is decided here, strictly, by text_utf8_next(); character
 * classes (lower case, display width) come from the C library in a
 * C.UTF-8 ctype locale, switched to with uselocale() for the duration of
 * one call so the user's own locale is never disturbed.  No private
 * width or case tables.
 */
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <sodium.h>
#include <utf8proc.h>

#include "text.h"

/* ------------------------------------------------------------------ */
/* UTF-8 decoding */

size_t
text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2, c = u[0] & 0x1f, min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3, c = u[0] & 0x0f, min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4, c = u[0] & 0x07, min = 0x10000;
	} else
		return 0;	/* continuation byte, C0/C1 overlong, F5-FF */
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* ------------------------------------------------------------------ */
/* The C.UTF-8 ctype */

/*
 * Made once and kept for the life of the process, on the first text
 * that is not ASCII (loading it reads the locale files: a tenth of a
 * small query's instructions).  NULL when the system has no C.UTF-8:
 * callers then fall back to ASCII rules.
 */
static locale_t
utf8_locale(void)
{
	static int tried;
	static locale_t loc;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (loc == (locale_t)0)
			loc = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
	}
	return loc;
}

/* The n bytes of one valid character as a wchar_t, in the UTF-8 ctype. */
static int
to_wide(const char *s, size_t n, wchar_t *wc)
{
	mbstate_t st;
	size_t r;

	memset(&st, 0, sizeof st);
	r = mbrtowc(wc, s, n, &st);
	if (r == 0 && n == 1)
		return 0;	/* U+0000 */
	return r == n ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Folding */

/* Lower-cases one valid character into buf; returns its new length. */
static size_t
fold_char(const char *s, size_t n, int have_locale, char *buf)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;

	if (n == 1 && (!have_locale || (unsigned char)s[0] < 0x80)) {
		buf[0] = (s[0] >= 'A' && s[0] <= 'Z') ? s[0] - 'A' + 'a' : s[0];
		return 1;
	}
	if (have_locale && to_wide(s, n, &wc) == 0) {
		memset(&st, 0, sizeof st);
		r = wcrtomb(buf, (wchar_t)towlower((wint_t)wc), &st);
		if (r != (size_t)-1 && r > 0)
			return r;
	}
	memcpy(buf, s, n);
	return n;
}

/*
 * Most names and nearly every email are ASCII: these fast paths skip the
 * locale switch and the per-character conversions, which dominate the
 * cost of painting a roster and of every email lookup.
 */
static int
all_ascii(const char *s, size_t len, unsigned char lo)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < lo || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static size_t
fold_ascii(const char *s, size_t len, char *out, size_t cap)
{
	size_t i, n = len < cap - 1 ? len : cap - 1;

	for (i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[n] = '\0';
	return n;
}

size_t
text_fold(const char *s, size_t len, char *out, size_t cap)
{
	locale_t loc, old = (locale_t)0;
	char buf[MB_LEN_MAX > 8 ? MB_LEN_MAX : 8];
	size_t i = 0, o = 0, n, k;
	uint32_t cp;

	if (cap == 0)
		return 0;
	if (all_ascii(s, len, 0))
		return fold_ascii(s, len, out, cap);
	if ((loc = utf8_locale()) != (locale_t)0)
		old = uselocale(loc);
	while (i < len) {
		n = text_utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			buf[0] = s[i];	/* invalid byte: copied unchanged */
			n = k = 1;
		} else
			k = fold_char(s + i, n, loc != (locale_t)0, buf);
		if (o + k + 1 > cap)
			break;
		memcpy(out + o, buf, k);
		o += k;
		i += n;
	}
	out[o] = '\0';
	if (loc != (locale_t)0)
		uselocale(old);
	return o;
}

/* ------------------------------------------------------------------ */
/* Escaping */

/*
 * The escape for one character or invalid byte, or 0 when it is safe to
 * print as it is.  Writes at most 7 bytes plus NUL into esc.
 */
static size_t
escape_for(uint32_t cp, int valid, unsigned char byte, char *esc)
{
	if (!valid)
		return (size_t)snprintf(esc, 8, "\\x%02x", byte);
	switch (cp) {
	case '\n':
		return (size_t)snprintf(esc, 8, "\\n");
	case '\t':
		return (size_t)snprintf(esc, 8, "\\t");
	case '\r':
		return (size_t)snprintf(esc, 8, "\\r");
	}
	if (cp < 0x20 || cp == 0x7f)
		return (size_t)snprintf(esc, 8, "\\x%02x", (unsigned)cp);
	if (cp >= 0x80 && cp <= 0x9f)
		return (size_t)snprintf(esc, 8, "\\u%04x", (unsigned)cp);
	return 0;
}

size_t
text_escape(const char *s, size_t len, char *out, size_t cap)
{
	char esc[8];
	const char *piece;
	size_t i = 0, o = 0, n, k;
	uint32_t cp = 0;

	if (cap == 0)
		return 0;
	if (all_ascii(s, len, 0x20)) {
		/* nothing to escape: as the walk below, a byte at a time */
		o = len < cap - 1 ? len : cap - 1;
		memcpy(out, s, o);
		out[o] = '\0';
		return o;
	}
	while (i < len) {
		n = text_utf8_next(s + i, len - i, &cp);
		k = escape_for(cp, n != 0, (unsigned char)s[i], esc);
		if (n == 0)
			n = 1;
		piece = k ? esc : s + i;
		if (k == 0)
			k = n;
		if (o + k + 1 > cap)
			break;	/* only whole escapes and characters */
		memcpy(out + o, piece, k);
		o += k;
		i += n;
	}
	out[o] = '\0';
	return o;
}

/* ------------------------------------------------------------------ */
/* Display columns */

/*
 * Columns of one valid character, or -1 for one that has no width of
 * its own (a control character): the caller shows it as '?'.
 */
static int
char_width(const char *s, size_t n, uint32_t cp, int have_locale)
{
	wchar_t wc;

	if (!have_locale)
		return (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) ? -1 : 1;
	if (to_wide(s, n, &wc) != 0)
		return -1;
	return wcwidth(wc);
}

int
text_width(const char *s)
{
	locale_t loc, old = (locale_t)0;
	size_t len, i = 0, n;
	uint32_t cp;
	int cols = 0, w;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (all_ascii(s, len, 0x20))
		return (int)len;
	if ((loc = utf8_locale()) != (locale_t)0)
		old = uselocale(loc);
	while (i < len) {
		n = text_utf8_next(s + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			w = 1;	/* an invalid byte, shown as '?' */
		} else if ((w = char_width(s + i, n, cp,
		    loc != (locale_t)0)) < 0)
			w = 1;
		cols += w;
		i += n;
	}
	if (loc != (locale_t)0)
		uselocale(old);
	return cols;
}

/*
 * Walk s, copying whole characters while they fit both the columns and
 * the buffer; unprintable ones become '?'.  Zero-width characters stay
 * with the character before them.
 */
int
text_fit(const char *s, int cols, int pad, char *out, size_t cap)
{
	locale_t loc = (locale_t)0, old = (locale_t)0;
	size_t len, i = 0, o = 0, n, k;
	const char *piece;
	uint32_t cp;
	int used = 0, w;

	if (cap == 0)
		return 0;
	len = s == NULL ? 0 : strlen(s);
	if (all_ascii(s, len, 0x20)) {
		o = len < (size_t)(cols > 0 ? cols : 0) ? len :
		    (size_t)(cols > 0 ? cols : 0);
		if (o > cap - 1)
			o = cap - 1;
		memcpy(out, s, o);
		used = (int)o;
		i = len;	/* skip the general walk below */
	}
	if (i < len && (loc = utf8_locale()) != (locale_t)0)
		old = uselocale(loc);
	while (i < len) {
		n = text_utf8_next(s + i, len - i, &cp);
		piece = s + i;
		k = n;
		if (n == 0 || (w = char_width(s + i, n, cp,
		    loc != (locale_t)0)) < 0) {
			piece = "?";
			k = w = 1;
		}
		if (n == 0)
			n = 1;
		if (used + w > cols || o + k + 1 > cap)
			break;
		memcpy(out + o, piece, k);
		o += k;
		used += w;
		i += n;
	}
	if (old != (locale_t)0)
		uselocale(old);
	while (pad && used < cols && o + 2 <= cap) {
		out[o++] = ' ';
		used++;
	}
	out[o] = '\0';
	return used;
}

/* ------------------------------------------------------------------ */
/* The CSV formula guard */

int
text_csv_risky(const char *s)
{
	while (*s == '\'')
		s++;
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

/*
 * Only a cell the guard could have made: a ' and then something risky.
 * A lone ' or 'plain text was never guarded and is kept as it is.
 */
const char *
text_csv_unguard(const char *s)
{
	if (s != NULL && s[0] == '\'' && text_csv_risky(s + 1))
		return s + 1;
	return s;
}

/* ------------------------------------------------------------------ */
/* Unicode at the boundary (utf8proc) */

/*
 * Unicode's White_Space property: the separators (Zs, Zl, Zp) and the
 * controls TAB..CR and NEL.  utf8proc has the categories, not the
 * property; these two together are the property's exact membership.
 */
int
text_is_white(uint32_t cp)
{
	if ((cp >= 0x9 && cp <= 0xd) || cp == 0x85)
		return 1;
	if (cp < 0x80)		/* ASCII's one Zs, without a table look-up */
		return cp == 0x20;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return 1;
	default:
		return 0;
	}
}

int
text_is_mark(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return 1;
	default:
		return 0;
	}
}

int
text_trim_nfc(const char *s, size_t len, char **out, size_t *outlen)
{
	size_t i = 0, n, start = 0, end = 0;
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t r;
	int seen = 0;
	uint32_t cp;

	while (i < len) {
		if ((n = text_utf8_next(s + i, len - i, &cp)) == 0)
			return -1;
		if (!text_is_white(cp)) {
			if (!seen)
				start = i;
			seen = 1;
			end = i + n;
		}
		i += n;
	}
	for (i = start; i < end && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == end) {		/* ASCII is its own NFC: a copy will do */
		if ((*out = malloc(end - start + 1)) == NULL)
			return -1;
		memcpy(*out, s + start, end - start);
		(*out)[end - start] = 0;
		*outlen = end - start;
		return 0;
	}
	r = utf8proc_map((const utf8proc_uint8_t *)s + start,
	    (utf8proc_ssize_t)(end - start), &dst,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0)
		return -1;
	*out = (char *)dst;
	*outlen = (size_t)r;
	return 0;
}

#define KEY_HASH 16

/*
 * The key of an ASCII email (nearly every one) without utf8proc: NFC
 * leaves ASCII as it is and folding lowers A-Z, so trimming and
 * lowering give the same bytes at a fifth of the cost (a student's
 * record looked up by email spent a fifth of its time here).
 * Returns TEXT_KEY_MAX + 1 when s is not all ASCII.
 */
static size_t
ascii_email_key(const char *s, size_t len, char *out)
{
	size_t i, start = 0, end = len;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return TEXT_KEY_MAX + 1;
	while (start < end && text_is_white((unsigned char)s[start]))
		start++;
	while (end > start && text_is_white((unsigned char)s[end - 1]))
		end--;
	if (end - start > TEXT_KEY_MAX)
		return TEXT_KEY_MAX + 1;
	for (i = start; i < end; i++)
		out[i - start] = s[i] >= 'A' && s[i] <= 'Z' ?
		    (char)(s[i] - 'A' + 'a') : s[i];
	out[end - start] = '\0';
	return end - start;
}

size_t
text_email_key(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char hash[KEY_HASH];
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t r;
	size_t n, keep;
	char *trimmed;

	if ((n = ascii_email_key(s, len, out)) <= TEXT_KEY_MAX)
		return n;
	if (text_trim_nfc(s, len, &trimmed, &n) != 0)
		return text_fold(s, len, out, TEXT_KEY_MAX + 1);
	/*
	 * Fold the case, then compose: folding a composed letter can leave
	 * it decomposed (and NFC of the folded text is what Unicode calls
	 * the canonical caseless match).
	 */
	r = utf8proc_map((const utf8proc_uint8_t *)trimmed,
	    (utf8proc_ssize_t)n, &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_CASEFOLD);
	free(trimmed);
	if (r < 0)
		return text_fold(s, len, out, TEXT_KEY_MAX + 1);
	n = (size_t)r;
	if (n <= TEXT_KEY_MAX) {
		memcpy(out, dst, n + 1);
		free(dst);
		return n;
	}
	/*
	 * Rare: folding can triple some letters (U+0390), so a 254-byte
	 * email can fold past what an LMDB key holds.  Keep a prefix and a
	 * hash of the rest, as hex so that the key stays NUL-free text.
	 */
	keep = TEXT_KEY_MAX - 2 * KEY_HASH;
	memcpy(out, dst, keep);
	crypto_generichash(hash, KEY_HASH, dst + keep, n - keep, NULL, 0);
	free(dst);
	for (n = 0; n < KEY_HASH; n++) {
		out[keep + 2 * n] = hex[hash[n] >> 4];
		out[keep + 2 * n + 1] = hex[hash[n] & 15];
	}
	out[TEXT_KEY_MAX] = '\0';
	return TEXT_KEY_MAX;
}
