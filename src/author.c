/*
 * author.c - resolve and check who is writing (SPEC 7).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "author.h"
#include "text.h"
#include "validate.h"

/* Check one label into out; `what` names it and where it came from. */
static int
take(const char *value, const char *what, char *out, size_t cap, char *err,
    size_t errlen)
{
	char shown[RC_LABEL_MAX * 4 + 1];
	const char *why;

	if (validate_label(value, out, cap, &why) == 0)
		return 0;
	text_escape(value, strlen(value), shown, sizeof(shown));
	snprintf(err, errlen, "invalid %s '%.80s': %s (it must be 1 to 64 "
	    "printable characters)", what, shown, why);
	return -1;
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
resolve_actor(const char *given, char *out, size_t cap, char *err,
    size_t errlen)
{
	struct passwd *pw;
	char uid[32];

	if (given != NULL)
		return take(given, "actor (--as)", out, cap, err, errlen);
	if (env("ROLLCALL_ACTOR") != NULL)
		return take(env("ROLLCALL_ACTOR"), "actor ($ROLLCALL_ACTOR)",
		    out, cap, err, errlen);
	if ((pw = getpwuid(geteuid())) != NULL && pw->pw_name != NULL &&
	    take(pw->pw_name, "login name", out, cap, err, errlen) == 0)
		return 0;
	/* A user with no (usable) name still writes as someone. */
	snprintf(uid, sizeof(uid), "uid %lu", (unsigned long)geteuid());
	return take(uid, "actor", out, cap, err, errlen);
}

static int
resolve_desk(const char *given, char *out, size_t cap, char *err,
    size_t errlen)
{
	char host[RC_LABEL_MAX + 1];

	if (given != NULL)
		return take(given, "desk", out, cap, err, errlen);
	if (env("ROLLCALL_DESK") != NULL)
		return take(env("ROLLCALL_DESK"), "desk ($ROLLCALL_DESK)",
		    out, cap, err, errlen);
	memset(host, 0, sizeof(host));
	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0' ||
	    take(host, "host name", out, cap, err, errlen) != 0)
		return take("unknown", "desk", out, cap, err, errlen);
	return 0;
}

int
author_resolve(const char *actor, const char *desk, const char *source,
    struct rc_author *out, char *err, size_t errlen)
{
	unsigned src = event_source_parse(source != NULL ? source : "cli");

	if (src == SRC_NONE) {
		snprintf(err, errlen, "invalid source '%.20s': expected cli, "
		    "tui, kiosk or import", source);
		return -1;
	}
	out->source = (uint8_t)src;
	if (resolve_actor(actor, out->actor, sizeof(out->actor), err,
	    errlen) != 0 ||
	    resolve_desk(desk, out->desk, sizeof(out->desk), err, errlen) != 0)
		return -1;
	return 0;
}
