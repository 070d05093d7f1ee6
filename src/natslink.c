/*
 * natslink.c - what publish and replica share: checking the URL, stream
 * name and origin, connecting to NATS, and waiting out an outage.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "natslink.h"

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000

/* ---- values ----------------------------------------------------------- */

/* A host name or an IPv4 address: letters, digits, dots and dashes. */
static int
valid_host(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 253)
		return 0;
	if (s[0] == '[')	/* an IPv6 literal */
		return len > 2 && s[len - 1] == ']' &&
		    strspn(s + 1, "0123456789abcdefABCDEF:.") == len - 2;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-')
			return 0;
	return 1;
}

int
ship_check_url(const char *url, char *err, size_t errlen)
{
	const char *host, *colon, *p;
	unsigned long port = 0;

	if (strncmp(url, "nats://", 7) != 0)
		goto bad;
	host = url + 7;
	if ((colon = strrchr(host, ':')) == NULL || colon[1] == '\0')
		goto bad;
	if (!valid_host(host, (size_t)(colon - host)))
		goto bad;
	for (p = colon + 1; *p; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			goto bad;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port == 0 || port > 65535)
		goto bad;
	return RC_OK;
bad:
	snprintf(err, errlen, "invalid server URL '%s': expected "
	    "nats://HOST:PORT", url);
	return RC_REFUSED;
}

/*
 * What the server refuses in a stream name (wildcards, the subject
 * separator, white space, path separators: the name is a directory of
 * its file store), plus control characters and lengths past a file name.
 */
int
ship_check_stream(const char *name, char *err, size_t errlen)
{
	const unsigned char *p;
	const char *why = NULL;

	if (name[0] == '\0')
		why = "it is empty";
	else if (strlen(name) > 200)
		why = "it is longer than 200 bytes";
	for (p = (const unsigned char *)name; why == NULL && *p; p++)
		if (*p < 0x21 || *p == 0x7f || strchr(".*>/\\", *p))
			why = "it may not hold white space, control characters "
			    "or any of . * > / \\";
	if (why == NULL)
		return RC_OK;
	snprintf(err, errlen, "invalid stream name: %s", why);
	return RC_REFUSED;
}

int
ship_check_origin(const char *origin, char *err, size_t errlen)
{
	uint8_t id[RC_ID_LEN];
	char text[RC_ID_TEXT];

	if (strlen(origin) == 36 && event_id_parse(origin, id) == 0) {
		event_id_text(id, text);
		if (strcmp(text, origin) == 0)
			return RC_OK;
	}
	snprintf(err, errlen, "invalid origin '%.40s': expected a database's "
	    "origin, a UUID such as status shows", origin);
	return RC_REFUSED;
}

/* ---- connection ------------------------------------------------------- */

int
natslink_init(struct natslink *l, const struct ship_opts *o,
    const char *origin, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	l->o = o;
	l->err = err;
	l->errlen = errlen;
	snprintf(l->origin, sizeof(l->origin), "%s", origin);
	if (o->stream)
		snprintf(l->stream, sizeof(l->stream), "%s", o->stream);
	else
		snprintf(l->stream, sizeof(l->stream), "ROLLCALL-%s", origin);
	snprintf(l->subject, sizeof(l->subject), "rollcall.%s", origin);
	l->backoff_ms = BACKOFF_FIRST_MS;
	return natsdl_load(err, errlen) == 0 ? RC_OK : RC_ESYS;
}

int
natslink_fail(struct natslink *l, int code, natsStatus s, jsErrCode jerr,
    const char *what)
{
	const char *text = nats_GetLastError(NULL), *p;

	/* The library's text may start with its source position: "(x.c:1): " */
	if (text && text[0] == '(' && (p = strstr(text, "): ")) != NULL)
		text = p + 3;
	if (text == NULL || *text == '\0')
		text = natsStatus_GetText(s);
	if (jerr)
		snprintf(l->err, l->errlen, "%s: %s (JetStream error %d)", what,
		    text, (int)jerr);
	else
		snprintf(l->err, l->errlen, "%s: %s", what, text);
	return code;
}

int
natslink_connect(struct natslink *l, jsOptions *jo)
{
	natsOptions *opts = NULL;
	natsStatus s;
	char what[300];

	natslink_close(l);
	s = natsOptions_Create(&opts);
	if (s == NATS_OK)
		s = natsOptions_SetURL(opts, l->o->url);
	if (s == NATS_OK)
		s = natsOptions_SetAllowReconnect(opts, false);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(opts, 3000);
	if (s == NATS_OK)
		s = natsOptions_SetName(opts, "rollcall");
	if (s == NATS_OK)
		s = natsConnection_Connect(&l->nc, opts);
	natsOptions_Destroy(opts);
	if (s != NATS_OK) {
		l->nc = NULL;
		snprintf(what, sizeof(what), "cannot reach the NATS server at "
		    "%s", l->o->url);
		snprintf(l->err, l->errlen, "%s: %s", what,
		    s == NATS_NO_SERVER ? "no server answers there" :
		    natsStatus_GetText(s));
		return RC_ESYS;
	}
	if ((s = natsConnection_JetStream(&l->js, l->nc, jo)) != NATS_OK) {
		natslink_close(l);
		return natslink_fail(l, RC_ESYS, s, 0, "cannot use JetStream");
	}
	return RC_OK;
}

void
natslink_close(struct natslink *l)
{
	jsCtx_Destroy(l->js);
	l->js = NULL;
	if (l->nc) {
		natsConnection_Close(l->nc);
		natsConnection_Destroy(l->nc);
	}
	l->nc = NULL;
}

void
natslink_shutdown(void)
{
	nats_CloseAndWait(2000);
}

/* ---- stopping and waiting --------------------------------------------- */

static volatile sig_atomic_t stop_asked;

static void
on_signal(int sig)
{
	(void)sig;
	stop_asked = 1;
}

void
natslink_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A dropped connection is an error to handle, not a way to die. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
natslink_stopping(void)
{
	return stop_asked != 0;
}

/* Sleep in short slices so that a signal ends the wait promptly. */
void
natslink_sleep_ms(unsigned ms)
{
	unsigned slice;

	while (ms > 0 && !stop_asked) {
		slice = ms < 100 ? ms : 100;
		poll(NULL, 0, (int)slice);
		ms -= slice;
	}
}

int
natslink_backoff(struct natslink *l)
{
	char msg[700];

	snprintf(msg, sizeof(msg), "%s; retrying in %.1f s", l->err,
	    l->backoff_ms / 1000.0);
	if (l->o->notice)
		l->o->notice(l->o->ctx, msg);
	natslink_sleep_ms(l->backoff_ms);
	l->backoff_ms *= 2;
	if (l->backoff_ms > BACKOFF_MAX_MS)
		l->backoff_ms = BACKOFF_MAX_MS;
	return stop_asked ? -1 : 0;
}

void
natslink_reset_backoff(struct natslink *l)
{
	l->backoff_ms = BACKOFF_FIRST_MS;
}
