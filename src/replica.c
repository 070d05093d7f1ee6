/*
 * replica.c - follow an origin's stream into a read-only copy (SPEC 9).
 *
 * A pull consumer reads the stream from the message after our own head,
 * so the replica's position is its log and nothing else: a replica
 * killed at any instant resumes exactly where its last commit left it.
 * It fetches ahead on a thread (pullq.h) while the batches that arrived
 * are appended verbatim and projected in one write transaction
 * (logship_append), each record checked to be the next of the chain; a
 * message that is not, or is not rollcall's at all, stops the replica
 * with the stream sequence and the reason, keeping every event before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyship.h"
#include "logship.h"
#include "natslink.h"
#include "pullq.h"

#define BATCH 1024		/* messages per fetch */
/*
 * Batches per commit, at most; the ring holds two groups, so the next
 * one crosses the network while this one commits.  A commit writes
 * every page its events touched (a school day touches a leaf per
 * student in two trees, and the day index), so fewer, bigger ones write far less: the
 * school year took 2.0 s of commits in groups of 4 batches, 0.7 in 16.
 */
#define GROUP_LISTS (PULLQ_DEPTH / 2)
#define GROUP (BATCH * GROUP_LISTS)	/* messages per commit, at most */
#define PRELOAD_AFTER 4096	/* events behind: read all the keys at once */
#define FETCH_WAIT_MS 1000	/* follow: how long one fetch waits */
#define CATCHUP_WAIT_MS 5000	/* catch-up: a stream that stops sending */

#define LOST 100

struct rep {
	struct natslink l;
	rc_db *db;
	uint8_t origin[RC_ID_LEN];
	natsSubscription *sub;
	uint64_t head, start, target;
	kvStore *kv;		/* the origin's keys bucket (keyship.h) */
	struct keyship_cache cache;	/* its keys, for a long catch-up */
	struct pullq pq;
	struct pullq_item held;	/* a failed fetch, seen after a commit */
	int holding;
	struct pullq_item lists[GROUP_LISTS];	/* the group being committed */
	int nlists;
	natsMsg *msgs[GROUP];
	uint64_t seqs[GROUP];	/* their stream sequences (0: none known) */
	struct logship_rec recs[GROUP];
	struct logship_key keys[GROUP];
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

/*
 * The keys bucket, and for a long catch-up all its keys at once: one
 * request a student would cost more than the commits.
 */
static int
open_keys(struct rep *r)
{
	int rc;

	if ((rc = keyship_open(&r->l, 0, &r->kv)) != RC_OK)
		return rc;
	if (r->target > r->head + PRELOAD_AFTER)
		return keyship_preload(&r->l, r->kv, &r->cache);
	return RC_OK;
}

/* A message's stream sequence, from its JetStream metadata; 0: none. */
static uint64_t
stream_seq(natsMsg *m)
{
	jsMsgMetaData *meta = NULL;
	uint64_t seq;

	if (natsMsg_GetMetaData(&meta, m) != NATS_OK)
		return 0;
	seq = meta->Sequence.Stream;
	jsMsgMetaData_Destroy(meta);
	return seq;
}

/* Append a fetched batch: the good prefix, then stop at a bad one. */
static int
apply(struct rep *r, int count)
{
	natsMsg *m;
	const char *bad = NULL;
	char why[160];
	uint64_t bad_seq = 0;
	size_t n = 0, done, nkeys;
	int i, rc;

	for (i = 0; i < count && bad == NULL; i++) {
		m = r->msgs[i];
		if ((r->recs[n].stream_seq = r->seqs[i]) == 0) {
			bad = "a message without JetStream metadata";
			bad_seq = r->head + n + 1;
			break;
		}
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
	if (n && r->kv == NULL && (rc = open_keys(r)) != RC_OK)
		return rc;
	if (n && (rc = keyship_fetch(&r->l, r->kv, &r->cache, r->db, r->recs,
	    n, r->keys, &nkeys)) != RC_OK)
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

/* Add a fetched batch to the group; *count messages so far. */
static void
group_add(struct rep *r, struct pullq_item *it, int *count)
{
	int i;

	for (i = 0; i < it->list.Count; i++) {
		r->msgs[*count] = it->list.Msgs[i];
		/* Read on the fetching thread, unless it had no memory. */
		r->seqs[(*count)++] = it->seq ? it->seq[i] :
		    stream_seq(it->list.Msgs[i]);
	}
	r->lists[r->nlists++] = *it;
}

static void
group_drop(struct rep *r)
{
	while (r->nlists > 0)
		pullq_item_free(&r->lists[--r->nlists]);
}

/*
 * The next group to commit: the next fetch's batch (waiting for it) and
 * those already fetched behind it, so a slow disk commits more at once.
 * RC_OK with *count messages (0: a follow's fetch that timed out).
 */
static int
next_group(struct rep *r, int *count)
{
	struct pullq_item it;

	*count = 0;
	if (r->holding)
		r->holding = 0, it = r->held;
	else if (!pullq_take(&r->pq, &it))
		return lost(r, NATS_CONNECTION_CLOSED, 0, "cannot read the "
		    "stream");
	if (it.status == NATS_TIMEOUT && r->l.o->follow) {
		pullq_item_free(&it);
		if (natsConnection_IsClosed(r->l.nc))
			return lost(r, NATS_CONNECTION_CLOSED, 0,
			    "lost the NATS server");
		return RC_OK;
	}
	if (it.status != NATS_OK) {
		pullq_item_free(&it);
		return lost(r, it.status, it.jerr, "cannot read the stream");
	}
	group_add(r, &it, count);
	/*
	 * Catching up, wait for a whole group (the fetches run ahead of
	 * the commits); following, commit what has come.
	 */
	while (r->nlists < GROUP_LISTS && (r->l.o->follow ?
	    pullq_poll(&r->pq, &it) : r->head + (uint64_t)*count <
	    r->target && pullq_take(&r->pq, &it))) {
		if (it.status != NATS_OK) {
			r->held = it;
			r->holding = 1;
			break;
		}
		group_add(r, &it, count);
	}
	return RC_OK;
}

static int
pull(struct rep *r)
{
	int follow = r->l.o->follow, rc = RC_OK, count;

	if (!follow && r->head >= r->target)
		return RC_OK;
	if (pullq_start(&r->pq, r->sub, BATCH, follow ? FETCH_WAIT_MS :
	    CATCHUP_WAIT_MS, follow ? UINT64_MAX : r->target - r->head) != 0) {
		snprintf(r->l.err, r->l.errlen, "cannot start a thread");
		return RC_ESYS;
	}
	while (rc == RC_OK && !natslink_stopping() &&
	    (follow || r->head < r->target)) {
		if ((rc = next_group(r, &count)) == RC_OK && count > 0)
			rc = apply(r, count);
		group_drop(r);
		if (rc == RC_OK && count > 0)
			natslink_reset_backoff(&r->l);
	}
	pullq_stop(&r->pq);
	if (r->holding)
		pullq_item_free(&r->held);
	r->holding = 0;
	return rc;
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
	if ((rc = natslink_init(&r->l, o, o->origin, err, errlen)) != RC_OK) {
		free(r);
		return rc;
	}
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
	keyship_cache_free(&r->cache);
	natslink_close(&r->l);
	natslink_shutdown();
	free(r);
	return rc;
}
