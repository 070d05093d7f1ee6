/*
 * validate.c - the domain's input rules (SPEC section 1).  Pure.
 *
 * The reasons are short lowercase phrases for a clerk; the command line
 * prints them after "rollcall: ", the TUI beside the field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "text.h"
#include "validate.h"

#define NAME_MAX_CHARS 100

/* ------------------------------------------------------------------ */
/* Helpers */

static int
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

/* Trims ASCII whitespace from both ends: start and length in *s, *len. */
static void
trim(const char *in, const char **s, size_t *len)
{
	size_t n;

	if (in == NULL)
		in = "";
	while (is_ascii_space((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n > 0 && is_ascii_space((unsigned char)in[n - 1]))
		n--;
	*s = in;
	*len = n;
}

static int
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Counts the code points of valid UTF-8 and looks for control characters
 * and spaces; returns -1 when the bytes are not valid UTF-8.
 */
static int
scan(const char *s, size_t len, size_t *chars, int *control, int *space)
{
	size_t i = 0, n;
	uint32_t cp;

	*chars = 0;
	*control = *space = 0;
	while (i < len) {
		/* Printable ASCII, most labels and names: no look-ups. */
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			*space |= s[i] == ' ';
			(*chars)++;
			i++;
			continue;
		}
		if ((n = text_utf8_next(s + i, len - i, &cp)) == 0)
			return -1;
		if (is_control(cp))
			*control = 1;
		if (text_is_white(cp))
			*space = 1;
		(*chars)++;
		i += n;
	}
	return 0;
}

/* Copies the checked value out, or fails when the caller's buffer is small. */
static int
put(const char *s, size_t len, char *out, size_t cap)
{
	if (len + 1 > cap)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

static int
fail(char *out, size_t cap, const char **why, const char *reason)
{
	if (cap > 0)
		out[0] = '\0';
	*why = reason;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Validators */

int
validate_utf8(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = text_utf8_next(s + i, len - i, &cp)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

static int
check_name(const char *s, size_t len, char *out, size_t cap,
    const char **why)
{
	size_t chars;
	int control, space;
	uint32_t cp;

	if (len == 0)
		return fail(out, cap, why, "name is empty");
	if (scan(s, len, &chars, &control, &space) != 0)
		return fail(out, cap, why, "name is not valid UTF-8");
	if (control)
		return fail(out, cap, why, "name contains control characters");
	/* A mark first would join whatever is printed before the name. */
	if (text_utf8_next(s, len, &cp) != 0 && text_is_mark(cp))
		return fail(out, cap, why, "name starts with a combining mark");
	if (chars > NAME_MAX_CHARS)
		return fail(out, cap, why,
		    "name is longer than 100 characters");
	if (put(s, len, out, cap) != 0)
		return fail(out, cap, why, "name is too long");
	return 0;
}

/*
 * SPEC 1: trimmed of Unicode White_Space (not only ASCII) and stored in
 * NFC; the length rule counts the code points of the NFC form.
 */
int
validate_name(const char *in, char *out, size_t cap, const char **why)
{
	char *nfc;
	size_t len;
	int rc;

	if (in == NULL)
		in = "";
	if (text_trim_nfc(in, strlen(in), &nfc, &len) != 0)
		return fail(out, cap, why, "name is not valid UTF-8");
	rc = check_name(nfc, len, out, cap, why);
	free(nfc);
	return rc;
}

/* The domain must have a dot and no empty label (".x", "x.", "x..y"). */
static const char *
check_domain(const char *d, size_t len)
{
	size_t i;

	if (len == 0)
		return "invalid email: nothing after @";
	if (memchr(d, '.', len) == NULL)
		return "invalid email: the domain has no dot";
	if (d[0] == '.' || d[len - 1] == '.')
		return "invalid email: the domain starts or ends with a dot";
	for (i = 1; i < len; i++)
		if (d[i] == '.' && d[i - 1] == '.')
			return "invalid email: the domain has two dots "
			    "in a row";
	return NULL;
}

static int
check_email(const char *s, size_t len, char *out, size_t cap,
    const char **why)
{
	const char *at, *reason;
	size_t chars;
	int control, space;

	if (len == 0)
		return fail(out, cap, why, "email is empty");
	if (len > RC_EMAIL_MAX)
		return fail(out, cap, why, "email is longer than 254 bytes");
	if (scan(s, len, &chars, &control, &space) != 0)
		return fail(out, cap, why, "email is not valid UTF-8");
	if (control)
		return fail(out, cap, why, "email contains control characters");
	if (space)
		return fail(out, cap, why, "invalid email: contains a space");
	if ((at = memchr(s, '@', len)) == NULL)
		return fail(out, cap, why, "invalid email: missing @");
	if (memchr(at + 1, '@', len - (size_t)(at + 1 - s)) != NULL)
		return fail(out, cap, why, "invalid email: more than one @");
	if (at == s)
		return fail(out, cap, why, "invalid email: nothing before @");
	reason = check_domain(at + 1, len - (size_t)(at + 1 - s));
	if (reason != NULL)
		return fail(out, cap, why, reason);
	if (put(s, len, out, cap) != 0)
		return fail(out, cap, why, "email is too long");
	return 0;
}

/*
 * SPEC 1: trimmed of Unicode White_Space and stored in NFC, as entered
 * otherwise; compared by text_email_key (NFC and case folding).
 */
int
validate_email(const char *in, char *out, size_t cap, const char **why)
{
	char *nfc;
	size_t len;
	int rc;

	if (in == NULL)
		in = "";
	if (text_trim_nfc(in, strlen(in), &nfc, &len) != 0)
		return fail(out, cap, why, "email is not valid UTF-8");
	rc = check_email(nfc, len, out, cap, why);
	free(nfc);
	return rc;
}

/* ASCII only: strcasecmp would follow the user's locale. */
static int
ascii_caseeq(const char *a, size_t alen, const char *b)
{
	size_t i;
	char c;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++) {
		c = a[i];
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != b[i])
			return 0;
	}
	return 1;
}

int
validate_gender(const char *in, int *out, const char **why)
{
	static const struct {
		const char *name;
		int value;
	} genders[] = {
		{ "female", GENDER_FEMALE },
		{ "male", GENDER_MALE },
		{ "other", GENDER_OTHER },
	};
	const char *s;
	size_t len, i;

	trim(in, &s, &len);
	if (len == 0) {
		*why = "gender is empty (use female, male or other)";
		return -1;
	}
	for (i = 0; i < sizeof genders / sizeof genders[0]; i++) {
		if (ascii_caseeq(s, len, genders[i].name)) {
			*out = genders[i].value;
			return 0;
		}
	}
	*why = "gender must be female, male or other";
	return -1;
}

int
validate_reason(const char *in, char *out, size_t cap, const char **why)
{
	const char *s;
	size_t len, chars;
	int control, space;

	trim(in, &s, &len);
	if (len > RC_REASON_MAX)
		return fail(out, cap, why,
		    "reason is longer than 500 bytes");
	if (scan(s, len, &chars, &control, &space) != 0)
		return fail(out, cap, why, "reason is not valid UTF-8");
	if (control)
		return fail(out, cap, why,
		    "reason contains control characters");
	if (put(s, len, out, cap) != 0)
		return fail(out, cap, why, "reason is too long");
	return 0;
}

/* Actor and desk as stored: 1-64 characters of UTF-8, none a control. */
int
validate_label_bytes(const char *s, size_t len)
{
	size_t chars;
	int control, space;

	if (len == 0 || len > RC_LABEL_MAX ||
	    scan(s, len, &chars, &control, &space) != 0)
		return -1;
	return control || chars > RC_LABEL_CHARS ? -1 : 0;
}

int
validate_label(const char *in, char *out, size_t cap, const char **why)
{
	const char *s;
	size_t len, chars;
	int control, space;

	trim(in, &s, &len);
	if (len == 0)
		return fail(out, cap, why, "is empty");
	if (scan(s, len, &chars, &control, &space) != 0)
		return fail(out, cap, why, "is not valid UTF-8");
	if (control)
		return fail(out, cap, why, "contains control characters");
	if (chars > RC_LABEL_CHARS)
		return fail(out, cap, why, "is longer than 64 characters");
	if (put(s, len, out, cap) != 0)
		return fail(out, cap, why, "is too long");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Student codes (SPEC 8) */

static int
is_code_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

int
validate_code_bytes(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || len == 0 || len > RC_CODE_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if (!is_code_char((unsigned char)s[i]))
			return -1;
	return 0;
}

/*
 * Not trimmed: the SPEC names the characters a code is made of, and a
 * space is not one of them, wherever it stands.
 */
int
validate_code(const char *in, char *out, size_t cap, const char **why)
{
	size_t len = in ? strlen(in) : 0;
	size_t i;

	if (len == 0)
		return fail(out, cap, why, "code is empty");
	for (i = 0; i < len; i++)
		if (!is_code_char((unsigned char)in[i]))
			return fail(out, cap, why, in[i] == ' ' ?
			    "invalid code: contains a space" :
			    "invalid code: only letters, digits, - _ and . "
			    "are allowed");
	if (len > RC_CODE_MAX)
		return fail(out, cap, why,
		    "code is longer than 32 characters");
	if (put(in, len, out, cap) != 0)
		return fail(out, cap, why, "code is too long");
	return 0;
}

size_t
validate_code_key(const char *s, size_t len, char *out)
{
	size_t i;

	if (len > RC_CODE_MAX)
		len = RC_CODE_MAX;
	for (i = 0; i < len; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ?
		    (char)(s[i] - 'A' + 'a') : s[i];
	out[len] = 0;
	return len;
}
