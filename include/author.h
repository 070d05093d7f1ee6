/*
 * author.h - who is writing, from where and through what (SPEC 7): the
 * metadata every new event records.  No LMDB; reads the environment,
 * the user database and the host name.
 */
#ifndef ROLLCALL_AUTHOR_H
#define ROLLCALL_AUTHOR_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct rc_author {
	char actor[RC_LABEL_MAX + 1];
	char desk[RC_LABEL_MAX + 1];
	uint8_t source;		/* enum event_source */
};

/*
 * Resolve and check an author.  actor: the given one (--as), else
 * $ROLLCALL_ACTOR, else the login name of the effective user; desk: the
 * given one, else $ROLLCALL_DESK, else the host name; source: a name
 * event_source_parse() knows, NULL meaning "cli".  Returns 0, or -1
 * with one sentence in err naming the bad value and where it came from.
 */
int author_resolve(const char *actor, const char *desk, const char *source,
    struct rc_author *out, char *err, size_t errlen);

#endif
