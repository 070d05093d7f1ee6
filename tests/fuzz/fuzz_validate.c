/*
 * fuzz_validate.c - libFuzzer harness for the input validators and the
 * text helpers every screen and table prints through.
 *
 * Properties: a validator that accepts gives back trimmed, valid UTF-8
 * within its limits and accepts its own output unchanged; text_escape
 * and text_fit never let a control character or an invalid byte
 * through, never overrun their buffers and never split a character.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "text.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_validate: %s\n", what);
	abort();
}

/* Safe for a terminal: valid UTF-8 without C0, DEL or C1. */
static int
harmless(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = text_utf8_next(s + i, len - i, &cp)) == 0)
			return 0;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
		i += n;
	}
	return 1;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

/* An accepted value: trimmed, harmless or at least valid, and stable. */
static void
check_value(int (*fn)(const char *, char *, size_t, const char **),
    const char *in, size_t cap, int strict)
{
	char *out = malloc(cap), *again = malloc(cap);
	const char *why = NULL;
	size_t len;

	if (out == NULL || again == NULL)
		abort();
	if (fn(in, out, cap, &why) != 0) {
		if (why == NULL || *why == 0)
			die("refused without a reason");
		if (cap > 0 && out[0] != 0)
			die("refused but left a value");
		free(out), free(again);
		return;
	}
	len = strlen(out);
	if (len >= cap)
		die("value overran its buffer");
	if (len > 0 && (blank(out[0]) || blank(out[len - 1])))
		die("value not trimmed");
	if (!validate_utf8(out, len))
		die("accepted invalid UTF-8");
	if (strict && !harmless(out, len))
		die("accepted a control character");
	if (fn(out, again, cap, &why) != 0 || strcmp(out, again) != 0)
		die("validator does not accept its own output");
	free(out), free(again);
}

static void
check_escape(const char *s, size_t len, size_t cap)
{
	char *out = malloc(cap ? cap : 1);
	size_t n;

	if (out == NULL)
		abort();
	n = text_escape(s, len, out, cap);
	if (cap == 0) {
		if (n != 0)
			die("escape wrote into no room");
		free(out);
		return;
	}
	if (n >= cap || out[n] != 0 || strlen(out) != n)
		die("escape length wrong");
	if (!harmless(out, n))
		die("escape let something unsafe through");
	free(out);
}

static void
check_fit(const char *s, int cols, size_t cap)
{
	char *out = malloc(cap ? cap : 1);
	int used;

	if (out == NULL)
		abort();
	used = text_fit(s, cols, cols & 1, out, cap);
	if (cap > 0) {
		if (strlen(out) >= cap)
			die("fit overran its buffer");
		if (!harmless(out, strlen(out)))
			die("fit let something unsafe through");
		if (used > cols || used < 0)
			die("fit used more columns than allowed");
		if (text_width(out) != used)
			die("fit reported a width that is not the output's");
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *folded, *refolded;
	size_t len, n, cap;
	int g, cols;
	const char *why;

	if (size < 2)
		return 0;
	cap = data[1];
	len = size - 2;
	if ((s = malloc(len + 1)) == NULL)
		return 0;
	memcpy(s, data + 2, len);
	s[len] = 0;

	switch (data[0] % 6) {
	case 0:
		check_value(validate_name, s, RC_NAME_MAX + 1, 1);
		check_value(validate_name, s, cap + 1, 1);
		break;
	case 1:
		check_value(validate_email, s, RC_EMAIL_MAX + 1, 1);
		check_value(validate_email, s, cap + 1, 1);
		break;
	case 2:
		check_value(validate_reason, s, RC_REASON_MAX + 1, 1);
		if (validate_gender(s, &g, &why) == 0 &&
		    (g < 1 || g > 3))
			die("gender out of range");
		break;
	case 3:
		check_escape(s, len, cap);
		check_escape(s, len, len * 4 + 1);
		break;
	case 4:
		cols = (int)(cap % 40);
		check_fit(s, cols, cap);
		check_fit(s, cols, 4 * (size_t)cols + 1);
		break;
	case 5:
		folded = malloc(cap ? cap : 1);
		refolded = malloc(cap ? cap : 1);
		if (folded == NULL || refolded == NULL)
			abort();
		n = text_fold(s, len, folded, cap);
		if (cap > 0 && (n >= cap || folded[n] != 0))
			die("fold length wrong");
		if (cap == 0 && n != 0)
			die("fold wrote into no room");
		free(folded), free(refolded);
		break;
	}
	free(s);
	return 0;
}
