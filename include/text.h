/*
 * text.h - UTF-8 text for people: case folding, escaping and fitting
 * into display columns.  Pure; no curses.
 */
#ifndef ROLLCALL_TEXT_H
#define ROLLCALL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Lower-case s[0..len) into out (cap bytes, NUL-terminated) for
 * case-insensitive comparison and ordering.  Uses a C.UTF-8 ctype so the
 * result does not depend on the user's locale.  Invalid bytes are copied
 * unchanged.  Returns the length written.
 */
size_t text_fold(const char *s, size_t len, char *out, size_t cap);

/*
 * Copy s[0..len) into out with control characters (C0, DEL, C1) and
 * invalid UTF-8 made harmless: "\n" style escapes or \xNN.  Returns the
 * length written; out is always NUL-terminated.
 */
size_t text_escape(const char *s, size_t len, char *out, size_t cap);

/* Display columns of a valid UTF-8 string (escape it first). */
int text_width(const char *s);

/*
 * Copy the longest prefix of s that fits in `cols` display columns into
 * out, padding with spaces to exactly `cols` when pad is set.  Wide
 * characters are never split.  Returns the columns used.
 */
int text_fit(const char *s, int cols, int pad, char *out, size_t cap);

/*
 * Decode the UTF-8 character at s[0..len): returns its length in bytes
 * (1-4) and the code point in *cp, or 0 when the bytes there are not
 * valid UTF-8 (truncated, overlong, a surrogate, above U+10FFFF).
 */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);

/*
 * The CSV formula guard (SPEC 3): 1 when the cell s, after any leading
 * ' characters, begins with = + - @ TAB or CR, so that a spreadsheet
 * would run it as a formula; every CSV writer puts one more ' in front
 * of such a cell of user text.  text_csv_unguard is its exact inverse,
 * for imports: s without that one ', else s itself (a pointer into s).
 */
int text_csv_risky(const char *s);
const char *text_csv_unguard(const char *s);

/* ---- Unicode at the boundary (SPEC 1; utf8proc) ---------------------- */

/* 1 when cp has Unicode's White_Space property. */
int text_is_white(uint32_t cp);

/* 1 when cp is a combining mark (general category Mn, Mc or Me). */
int text_is_mark(uint32_t cp);

/*
 * s[0..len), valid UTF-8, trimmed of White_Space at both ends and put
 * in NFC: a malloc'd NUL-terminated copy in *out (the caller frees it)
 * of *outlen bytes.  Returns 0, or -1 when s is not valid UTF-8.
 */
int text_trim_nfc(const char *s, size_t len, char **out, size_t *outlen);

/*
 * The key two emails are compared by (SPEC 1): trimmed of white space,
 * case folded and in NFC, so composed, decomposed and any case are one
 * address.  Into out (TEXT_KEY_MAX + 1 bytes, NUL-terminated); a key
 * that would be longer ends in a hash of the rest, so it still fits an
 * LMDB key.  Invalid UTF-8 (only in events older than the check) falls
 * back to text_fold.  Returns the key's length.
 */
#define TEXT_KEY_MAX 480
size_t text_email_key(const char *s, size_t len, char *out);

#endif
