/*
 * ship.h - beyond one machine (SPEC 9): publish the log to a NATS
 * JetStream stream exactly once, and follow that stream as a replica.
 *
 * publish_run() and replica_run() own their NATS connection for the
 * whole run.  They return an RC_* code; on failure `err` holds one
 * sentence.  Notices while they wait for a server that went away are
 * handed to `notice` (the front end prints them on stderr); SIGINT and
 * SIGTERM end a --follow run cleanly, keeping its place.
 */
#ifndef ROLLCALL_SHIP_H
#define ROLLCALL_SHIP_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct ship_opts {
	const char *url;	/* nats://HOST:PORT */
	const char *stream;	/* NULL: ROLLCALL-<origin> */
	const char *origin;	/* replica: the origin's id text */
	int follow;
	void (*notice)(void *ctx, const char *msg);
	void *ctx;
};

/* What a run did, for the front end to report. */
struct ship_result {
	char stream[256];
	uint64_t position;	/* published, or the replica's head */
	uint64_t moved;		/* events sent, or copied */
};

/*
 * Check the values before anything is opened: RC_OK, or RC_REFUSED with
 * the reason in err.  A URL must be nats://HOST:PORT; a stream name
 * must be one NATS accepts; an origin a UUID.
 */
int ship_check_url(const char *url, char *err, size_t errlen);
int ship_check_stream(const char *name, char *err, size_t errlen);
int ship_check_origin(const char *origin, char *err, size_t errlen);

/* Send every event the stream does not have yet, in order, once. */
int publish_run(rc_db *db, const struct ship_opts *o, struct ship_result *r,
    char *err, size_t errlen);

/* Copy the origin's events from the stream into db, verifying the chain. */
int replica_run(rc_db *db, const struct ship_opts *o, struct ship_result *r,
    char *err, size_t errlen);

#endif
