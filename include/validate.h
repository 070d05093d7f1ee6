/*
 * validate.h - the domain's input rules (SPEC section 1).  Pure.
 *
 * Each validator trims its input into `out` (cap bytes, NUL-terminated)
 * and returns 0, or -1 with a short reason in *why (a static string such
 * as "name is empty").
 */
#ifndef ROLLCALL_VALIDATE_H
#define ROLLCALL_VALIDATE_H

#include <stddef.h>

int validate_name(const char *in, char *out, size_t cap, const char **why);
int validate_email(const char *in, char *out, size_t cap, const char **why);

/* Gender: female/male/other, any case; *out is an enum gender. */
int validate_gender(const char *in, int *out, const char **why);

/* Void reason: valid UTF-8, at most RC_REASON_MAX bytes, may be empty. */
int validate_reason(const char *in, char *out, size_t cap, const char **why);

/*
 * Actor or desk (SPEC 7): 1 to 64 printable characters, trimmed of
 * ASCII white space.  *why is a phrase to put after the field's name
 * ("is empty", "contains control characters", ...).
 */
int validate_label(const char *in, char *out, size_t cap, const char **why);

/* 0 if s[0..len) is a label as validate_label() leaves it, else -1. */
int validate_label_bytes(const char *s, size_t len);

/*
 * Student code (SPEC 8): 1 to 32 of A-Z a-z 0-9 - _ . (not trimmed: a
 * space anywhere is refused).
 */
int validate_code(const char *in, char *out, size_t cap, const char **why);

/* 0 if s[0..len) is a valid code, else -1 (the event decoder's check). */
int validate_code_bytes(const char *s, size_t len);

/*
 * The key codes are unique under: ASCII lower case, into out (NUL-
 * terminated).  Returns the length.
 */
size_t validate_code_key(const char *s, size_t len, char *out);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int validate_utf8(const char *s, size_t len);

#endif
