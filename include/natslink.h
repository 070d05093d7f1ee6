/*
 * natslink.h - the NATS connection shared by publish.c and replica.c:
 * connecting, the stream's name and subject, stopping and back-off.
 * Internal to those two files and natslink.c.
 */
#ifndef ROLLCALL_NATSLINK_H
#define ROLLCALL_NATSLINK_H

#include <stddef.h>
#include <stdint.h>

#include "natsdl.h"

#include "ship.h"

struct natslink {
	const struct ship_opts *o;
	char stream[256];
	char subject[64];	/* rollcall.<origin> */
	char origin[37];
	natsConnection *nc;
	jsCtx *js;
	unsigned backoff_ms;	/* next wait before reconnecting */
	char *err;
	size_t errlen;
};

/*
 * Fill stream and subject for origin (text), and load the NATS client
 * library (natsdl.h) if this process has not yet: RC_OK, or RC_ESYS
 * with err set when it cannot be loaded.  Call it before any other
 * function here or in cnats; when it fails, call none of them.
 */
int natslink_init(struct natslink *l, const struct ship_opts *o,
    const char *origin, char *err, size_t errlen);

/*
 * Connect (no automatic reconnection: the caller starts over, so that
 * each new connection begins by reconciling with the stream).  jo may
 * be NULL.  RC_ESYS with err set when the server cannot be reached.
 */
int natslink_connect(struct natslink *l, jsOptions *jo);
void natslink_close(struct natslink *l);

/* Set err from a failed NATS call about `what`; returns code. */
int natslink_fail(struct natslink *l, int code, natsStatus s, jsErrCode jerr,
    const char *what);

/*
 * After a lost connection in --follow: tell the user (once per outage),
 * wait with doubling back-off up to 30 s and return 0, or -1 when asked
 * to stop meanwhile.
 */
int natslink_backoff(struct natslink *l);
void natslink_reset_backoff(struct natslink *l);

/* SIGINT/SIGTERM end a follow: install the handlers, ask, sleep. */
void natslink_catch_signals(void);
int natslink_stopping(void);
void natslink_sleep_ms(unsigned ms);

/* Free the library's own resources at the end of a run. */
void natslink_shutdown(void);

#endif
