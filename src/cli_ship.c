/*
 * cli_ship.c - publish and replica on the command line (SPEC 9): check
 * the values, run, report one line.
 */
#include <stdio.h>

#include "cli.h"
#include "ship.h"

static int
refuse(int rc, const char *err)
{
	cli_error("%s", err);
	return rc;
}

int
cli_publish_check(const struct cli *c)
{
	char err[300];
	int rc;

	if ((rc = ship_check_url(c->to_url, err, sizeof(err))) != RC_OK ||
	    (c->stream &&
	    (rc = ship_check_stream(c->stream, err, sizeof(err))) != RC_OK))
		return refuse(rc, err);
	return RC_OK;
}

int
cli_replica_check(const struct cli *c)
{
	char err[300];
	int rc;

	if ((rc = ship_check_url(c->from_url, err, sizeof(err))) != RC_OK ||
	    (rc = ship_check_origin(c->origin, err, sizeof(err))) != RC_OK ||
	    (c->stream &&
	    (rc = ship_check_stream(c->stream, err, sizeof(err))) != RC_OK))
		return refuse(rc, err);
	return RC_OK;
}

/* --follow's notices go to stderr as they come. */
static void
notice(void *ctx, const char *msg)
{
	(void)ctx;
	cli_error("%s", msg);
	fflush(stderr);
}

static void
report(const struct cli *c, const char *verb, const struct ship_result *r)
{
	struct cli_field f[] = {
		{ "stream", CF_STR, r->stream, 0 },
		{ verb, CF_INT, NULL, (long long)r->moved },
		{ "position", CF_INT, NULL, (long long)r->position },
	};

	if (c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f, 3);
		return;
	}
	printf("%s %llu event%s; stream %s, position %llu\n", verb,
	    (unsigned long long)r->moved, r->moved == 1 ? "" : "s", r->stream,
	    (unsigned long long)r->position);
}

static int
ship(struct cli *c, int replica)
{
	struct ship_opts o = { NULL, c->stream, c->origin, c->follow, notice,
	    NULL };
	struct ship_result r;
	char err[800];
	int rc;

	o.url = replica ? c->from_url : c->to_url;
	err[0] = '\0';
	rc = replica ? replica_run(c->db, &o, &r, err, sizeof(err)) :
	    publish_run(c->db, &o, &r, err, sizeof(err));
	if (rc != RC_OK)
		return refuse(rc, err[0] ? err : "failed");
	report(c, replica ? "copied" : "published", &r);
	return RC_OK;
}

int
cli_publish(struct cli *c)
{
	return ship(c, 0);
}

int
cli_replica(struct cli *c)
{
	return ship(c, 1);
}
