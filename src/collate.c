/*
 * collate.c - ICU collation sort keys for the name index (SPEC 3 "Name
 * order").
 *
 * ICU is opened with dlopen() on first use rather than linked: linking
 * it makes every process map libicuuc, libicui18n, libicudata and
 * libstdc++ and relocate them at start-up, which would cost each query
 * more than the whole answer, and queries never need a collator (they
 * read keys made when names were projected).  The header of the ICU we
 * were built with names the library (libicui18n.so.MAJOR) and the
 * versioned symbols (ucol_open_72): its renaming macros turn each name
 * below into the one the library exports.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/uvernum.h>

#include "collate.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define ICU_LIB "libicui18n.so." STR(U_ICU_VERSION_MAJOR_NUM)

/* The ICU functions used, loaded once. */
static struct {
	void *lib;
	UCollator *(*open)(const char *, UErrorCode *);
	void (*close)(UCollator *);
	void (*set_strength)(UCollator *, UCollationStrength);
	void (*set_attribute)(UCollator *, UColAttribute,
	    UColAttributeValue, UErrorCode *);
	int32_t (*sort_key)(const UCollator *, const UChar *, int32_t,
	    uint8_t *, int32_t);
	const char *(*locale)(const UCollator *, ULocDataLocaleType,
	    UErrorCode *);
	UChar *(*from_utf8)(UChar *, int32_t, int32_t *, const char *,
	    int32_t, UChar32, int32_t *, UErrorCode *);
	int32_t (*for_tag)(const char *, char *, int32_t, int32_t *,
	    UErrorCode *);
} icu;

/* The collator of the last tag asked for: a projection uses one. */
static UCollator *coll;
static char coll_tag[COLLATE_TAG_MAX + 1];

/* dlsym into a function pointer (ISO C has no cast for it). */
static int
load_sym(void *fnptr, const char *name)
{
	void *sym = dlsym(icu.lib, name);

	if (sym == NULL)
		return -1;
	memcpy(fnptr, &sym, sizeof(sym));
	return 0;
}

static int
load_icu(char *why, size_t whylen)
{
	if (icu.lib != NULL)
		return 0;
	if ((icu.lib = dlopen(ICU_LIB, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(why, whylen, "cannot load ICU for name order (%s): "
		    "install libicu%d", dlerror(), U_ICU_VERSION_MAJOR_NUM);
		return -1;
	}
	if (load_sym(&icu.open, STR(ucol_open)) != 0 ||
	    load_sym(&icu.close, STR(ucol_close)) != 0 ||
	    load_sym(&icu.set_strength, STR(ucol_setStrength)) != 0 ||
	    load_sym(&icu.set_attribute, STR(ucol_setAttribute)) != 0 ||
	    load_sym(&icu.sort_key, STR(ucol_getSortKey)) != 0 ||
	    load_sym(&icu.locale, STR(ucol_getLocaleByType)) != 0 ||
	    load_sym(&icu.from_utf8, STR(u_strFromUTF8WithSub)) != 0 ||
	    load_sym(&icu.for_tag, STR(uloc_forLanguageTag)) != 0) {
		snprintf(why, whylen, "cannot load ICU for name order: %s "
		    "lacks a function", ICU_LIB);
		dlclose(icu.lib);
		icu.lib = NULL;
		return -1;
	}
	return 0;
}

/* A tag is ASCII letters, digits and hyphens (BCP 47), or "root". */
static int
tag_chars_ok(const char *tag)
{
	size_t i, n = strlen(tag);

	if (n == 0 || n > COLLATE_TAG_MAX || tag[0] == '-' || tag[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = tag[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

/*
 * Open a collator for tag at secondary strength.  *fallback is set when
 * ICU has no collation of the tag's own: its valid locale is the root
 * although the tag is not (ICU's status alone cannot tell, as it warns
 * that it used the default for "de" too, whose order is the root's).
 */
static UCollator *
open_tag(const char *tag, int *fallback, char *why, size_t whylen)
{
	char id[ULOC_FULLNAME_CAPACITY];
	UErrorCode st = U_ZERO_ERROR;
	const char *valid;
	UCollator *c;
	int32_t used = 0;

	*fallback = 0;
	if (load_icu(why, whylen) != 0)
		return NULL;
	/* "und" (undetermined) is BCP 47's name for the root. */
	if (strcmp(tag, "root") == 0 || strcmp(tag, "und") == 0)
		snprintf(id, sizeof(id), "root");
	else {
		icu.for_tag(tag, id, (int32_t)sizeof(id), &used, &st);
		if (U_FAILURE(st) || used != (int32_t)strlen(tag) ||
		    id[0] == 0) {
			snprintf(why, whylen, "not a language tag");
			return NULL;
		}
	}
	st = U_ZERO_ERROR;
	if ((c = icu.open(id, &st)) == NULL || U_FAILURE(st)) {
		snprintf(why, whylen, "ICU cannot open it");
		return NULL;
	}
	icu.set_strength(c, UCOL_SECONDARY);
	/* Names are stored in NFC, but events older than that may not be. */
	icu.set_attribute(c, UCOL_NORMALIZATION_MODE, UCOL_ON, &st);
	st = U_ZERO_ERROR;
	valid = icu.locale(c, ULOC_VALID_LOCALE, &st);
	if (strcmp(id, "root") != 0 && (U_FAILURE(st) || valid == NULL ||
	    strcmp(valid, "root") == 0 || valid[0] == 0))
		*fallback = 1;
	return c;
}

int
collate_check(const char *tag, char *why, size_t whylen)
{
	UCollator *c;
	int fallback;

	if (!tag_chars_ok(tag)) {
		snprintf(why, whylen, "not a language tag");
		return -1;
	}
	if (load_icu(why, whylen) != 0)
		return -2;
	if ((c = open_tag(tag, &fallback, why, whylen)) == NULL)
		return -1;
	icu.close(c);
	if (fallback) {
		snprintf(why, whylen, "ICU has no collation for it");
		return -1;
	}
	return 0;
}

size_t
collate_key(const char *tag, const char *s, size_t len, uint8_t *out,
    size_t cap, char *why, size_t whylen)
{
	UChar text[512];
	uint8_t key[2048];
	UErrorCode st = U_ZERO_ERROR;
	int32_t ulen = 0, n;
	int fallback;

	if (cap == 0)
		return 0;
	if (coll == NULL || strcmp(coll_tag, tag) != 0) {
		if (coll != NULL)
			icu.close(coll);
		coll = NULL;
		if (strlen(tag) > COLLATE_TAG_MAX)
			tag = COLLATE_DEFAULT;
		/* A stored tag was checked when it was set. */
		if ((coll = open_tag(tag, &fallback, why, whylen)) == NULL)
			return 0;
		snprintf(coll_tag, sizeof(coll_tag), "%s", tag);
	}
	/* Invalid UTF-8 (only in very old events) sorts as U+FFFD. */
	icu.from_utf8(text, (int32_t)(sizeof(text) / sizeof(text[0])), &ulen,
	    s, (int32_t)len, 0xfffd, NULL, &st);
	if (U_FAILURE(st) && st != U_BUFFER_OVERFLOW_ERROR) {
		ulen = 0;
	} else if (ulen > (int32_t)(sizeof(text) / sizeof(text[0])))
		ulen = (int32_t)(sizeof(text) / sizeof(text[0]));
	n = icu.sort_key(coll, text, ulen, key, (int32_t)sizeof(key));
	if (n <= 0) {
		snprintf(why, whylen, "ICU made no sort key");
		return 0;
	}
	if (n > (int32_t)sizeof(key))
		n = (int32_t)sizeof(key);
	if ((size_t)n > cap)
		n = (int32_t)cap;
	memcpy(out, key, (size_t)n);
	return (size_t)n;
}

const char *
collate_version(void)
{
	return U_ICU_VERSION;
}
