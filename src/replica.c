/*
 * replica.c - follow an origin's stream into a read-only copy (SPEC 9).
 *
 * A pull consumer reads the stream from the message after our own head,
 * so the replica's position is its log and nothing else: a replica
 * killed at any instant resumes exactly where its last commit left it.
 * Each fetched batch is appended verbatim and projected in one write
 * transaction (logship_append), each record checked to be the next of
 * the chain; a message that is not, or is not rollcall's at all, stops
 * the replica with the stream sequence and the reason, keeping every
 * event before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyship.h"
#include "logship.h"
#include "natslink.h"

#define BATCH 1024		/* messages per fetch, and per commit */
#define FETCH_WAIT_MS 1000	/* follow: how long one fetch waits */
#define CATCHUP_WAIT_MS 5000	/* catch-up: a stream that stops sending */

#define LOST 100

struct rep {
	struct natslink l;
	rc_db *db;
	uint8_t origin[RC_ID_LEN];
	natsSubscription *sub;
	uint64_t head, start, target;
	struct logship_rec recs[BATCH];
	kvStore *kv;		/* the origin's keys bucket (keyship.h) */
	struct logship_key keys[BATCH];
};

static int
lost(struct rep *r, natsStatus s, jsErrCode jerr, const char *what)
{
	return natslink_fail(&r->l, jerr ? RC_REFUSED : LOST, s, jerr, what);
}

static int
db_fail(struct rep *r, int rc)
{
	snprintf(r->l.err, r->l.errlen, "%s", db_error(r->db));
	return rc;
}

/* The stream's last sequence: what a catch-up without --follow reaches. */
static int
stream_end(struct rep *r)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;

	s = js_GetStreamInfo(&si, r->l.js, r->l.stream, NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
		snprintf(r->l.err, r->l.errlen, "the NATS server at %s has no "
		    "stream %s (has the origin published?)", r->l.o->url,
		    r->l.stream);
		/* Following, wait for the origin's first publish. */
		return r->l.o->follow ? LOST : RC_REFUSED;
	}
	if (s == NATS_NO_RESPONDERS) {
		snprintf(r->l.err, r->l.errlen, "the NATS server at %s has no "
		    "JetStream (start it with -js)", r->l.o->url);
		return RC_ESYS;
	}
	if (s != NATS_OK)
		return lost(r, s, jerr, "cannot read the stream");
	r->target = si->State.LastSeq;
	jsStreamInfo_Destroy(si);
	if (r->target < r->head) {
		snprintf(r->l.err, r->l.errlen, "stream %s holds %llu events, "
		    "this replica %llu: it is not the stream this replica "
		    "copied", r->l.stream, (unsigned long long)r->target,
		    (unsigned long long)r->head);
		return RC_REFUSED;
	}
	return RC_OK;
}

/* A pull consumer of our subject from the event after our head. */
static int
subscribe(struct rep *r)
{
	jsErrCode jerr = 0;
	jsSubOptions so;
	natsStatus s;

	natsSubscription_Destroy(r->sub);
	r->sub = NULL;
	jsSubOptions_Init(&so);
	so.Stream = r->l.stream;
	so.Config.DeliverPolicy = js_DeliverByStartSequence;
	so.Config.OptStartSeq = r->head + 1;
	so.Config.AckPolicy = js_AckNone;
	s = js_PullSubscribe(&r->sub, r->l.js, r->l.subject, NULL, NULL, &so,
	    &jerr);
	if (s != NATS_OK)
		return lost(r, s, jerr, "cannot read the stream");
	return RC_OK;
}

/* The first bad message of a batch stops the replica: say which, why. */
static int
stop_at(struct rep *r, uint64_t stream_seq, const char *why)
{
	snprintf(r->l.err, r->l.errlen, "stream %s sequence %llu: %s; the "
	    "replica stops at event %llu", r->l.stream,
	    (unsigned long long)stream_seq, why, (unsigned long long)r->head);
	return RC_REFUSED;
}

/* Append a fetched batch: the good prefix, then stop at a bad one. */
static int
apply(struct rep *r, natsMsgList *list)
{
	jsMsgMetaData *meta;
	natsMsg *m;
	const char *bad = NULL;
	char why[160];
	uint64_t bad_seq = 0;
	size_t n = 0, done, nkeys;
	int i, rc;

	for (i = 0; i < list->Count && bad == NULL; i++) {
		m = list->Msgs[i];
		meta = NULL;
		if (natsMsg_GetMetaData(&meta, m) != NATS_OK) {
			bad = "a message without JetStream metadata";
			bad_seq = r->head + n + 1;
			break;
		}
		r->recs[n].stream_seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
		if (strcmp(natsMsg_GetSubject(m), r->l.subject) != 0) {
			snprintf(why, sizeof(why), "not a rollcall event "
			    "(subject %.80s)", natsMsg_GetSubject(m));
			bad = why;
			bad_seq = r->recs[n].stream_seq;
			break;
		}
		r->recs[n].rec = (const uint8_t *)natsMsg_GetData(m);
		r->recs[n].len = (size_t)natsMsg_GetDataLength(m);
		n++;
	}
	/* The keys of the students these records seal, first. */
	nkeys = 0;
	if (n && r->kv == NULL && (rc = keyship_open(&r->l, 0, &r->kv)) != RC_OK)
		return rc;
	if (n && (rc = keyship_fetch(&r->l, r->kv, r->db, r->recs, n, r->keys,
	    &nkeys)) != RC_OK)
		return rc;
	rc = n ? logship_append(r->db, r->origin, r->recs, n, r->keys, nkeys,
	    &done) : RC_OK;
	if (n == 0)
		done = 0;
	r->head += done;
	if (rc == RC_REFUSED && done < n)
		return stop_at(r, r->recs[done].stream_seq, db_error(r->db));
	if (rc != RC_OK)
		return db_fail(r, rc);
	return bad ? stop_at(r, bad_seq, bad) : RC_OK;
}

static int
pull(struct rep *r)
{
	natsMsgList list = { NULL, 0 };
	jsErrCode jerr = 0;
	natsStatus s;
	int rc;

	while (!natslink_stopping() && (r->l.o->follow || r->head < r->target)) {
		s = natsSubscription_Fetch(&list, r->sub, BATCH,
		    r->l.o->follow ? FETCH_WAIT_MS : CATCHUP_WAIT_MS, &jerr);
		if (s == NATS_TIMEOUT && r->l.o->follow) {
			if (natsConnection_IsClosed(r->l.nc))
				return lost(r, NATS_CONNECTION_CLOSED, 0,
				    "lost the NATS server");
			continue;
		}
		if (s != NATS_OK)
			return lost(r, s, jerr, "cannot read the stream");
		rc = apply(r, &list);
		natsMsgList_Destroy(&list);
		if (rc != RC_OK)
			return rc;
		natslink_reset_backoff(&r->l);
	}
	return RC_OK;
}

static int
session(struct rep *r)
{
	uint8_t hash[EVENT_HASH_LEN];
	int rc;

	kvStore_Destroy(r->kv);		/* the last connection's */
	r->kv = NULL;
	if ((rc = natslink_connect(&r->l, NULL)) != RC_OK)
		return r->l.o->follow ? LOST : rc;
	if ((rc = logship_head(r->db, &r->head, hash)) != RC_OK)
		return db_fail(r, rc);
	if ((rc = stream_end(r)) != RC_OK)
		return rc;
	/* The stream is there: from now on this database is its replica. */
	if ((rc = logship_claim(r->db, r->origin)) != RC_OK)
		return db_fail(r, rc);
	if ((rc = subscribe(r)) != RC_OK)
		return rc;
	return pull(r);
}

static int
run(struct rep *r)
{
	int rc;

	if (r->l.o->follow)
		natslink_catch_signals();
	for (;;) {
		rc = session(r);
		natsSubscription_Destroy(r->sub);
		r->sub = NULL;
		if (rc != LOST)
			return rc;
		if (!r->l.o->follow)
			return RC_ESYS;
		if (natslink_backoff(&r->l) != 0)
			return RC_OK;
	}
}

int
replica_run(rc_db *db, const struct ship_opts *o, struct ship_result *res,
    char *err, size_t errlen)
{
	uint8_t hash[EVENT_HASH_LEN];
	struct rep *r;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return RC_ESYS;
	}
	natslink_init(&r->l, o, o->origin, err, errlen);
	r->db = db;
	event_id_parse(o->origin, r->origin);
	/* Refuse a database that is not (or cannot become) this replica. */
	if ((rc = logship_check_claim(db, r->origin)) != RC_OK ||
	    (rc = logship_head(db, &r->start, hash)) != RC_OK)
		db_fail(r, rc);
	else
		rc = run(r);
	snprintf(res->stream, sizeof(res->stream), "%s", r->l.stream);
	res->position = r->head > r->start ? r->head : r->start;
	res->moved = res->position - r->start;
	kvStore_Destroy(r->kv);
	natslink_close(&r->l);
	natslink_shutdown();
	free(r);
	return rc;
}
