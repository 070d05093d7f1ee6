/*
 * publish.c - send the log to its JetStream stream, each event exactly
 * once (SPEC 9).
 *
 * The stream is the database's own: subject rollcall.<origin>, one
 * message per event, so the stream's sequence numbers are the log's.
 * That is what makes publication exactly-once without trusting the
 * server's de-duplication window: every message carries
 * Nats-Expected-Last-Sequence = its seq - 1 (also 0 for the first, which
 * cnats would leave out, so it is set by hand), so the server stores
 * event N only right after event N-1 and never twice.  Many messages are
 * in flight at once (a bounded window); when one is refused, the rest
 * fail behind it and the run starts over from what the stream holds.
 *
 * Only the last message of each chunk asks for an acknowledgement; the
 * others go without a reply subject.  Since every message is
 * conditional on the one before, the stream acknowledging event N as
 * its message N says that events 1 to N-1 are its messages 1 to N-1 as
 * well, so one answer per chunk tells as much as one per message did,
 * at half the server's work (an answer costs it more than storing the
 * message).  A message refused without a word stops everything behind
 * it the same way, and the chunk's last one says so.
 *
 * On every (re)connection the run reconciles: the stream's last message
 * must be our own record under that sequence (byte for byte, and the
 * records chain by hash, so the whole prefix is ours); a different one
 * means this database is a copy or restore that diverged, and nothing
 * more is sent.  The position acknowledged is kept with the database
 * (status shows it); the stream stays the truth.
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "keyship.h"
#include "logship.h"
#include "natslink.h"

#define WINDOW 4096		/* messages in flight at most */
#define CHUNK 1024		/* records read at a time; one acknowledgement */
#define ACK_WAIT_MS 10000	/* for the last acknowledgements */
#define SAVE_EVERY_MS 1000	/* store the position this often */
#define IDLE_CHECK_MS 1000	/* follow: look at the log at least this often */
#define SETTLE_MS 10		/* ... and soon again after a write, doubling */

/* A run's outcome besides the RC_* codes: the connection went away. */
#define LOST 100

struct chunk {
	size_t n;
	uint64_t seq[CHUNK];
	size_t len[CHUNK];
	uint8_t rec[CHUNK][EVENT_MAX_LEN];
};

struct pub {
	struct natslink l;
	rc_db *db;
	pthread_mutex_t mu;	/* guards what acknowledgements change */
	uint64_t acked;		/* highest seq the stream acknowledged */
	int refused;		/* a publish was refused */
	char why[300];		/* ... and why (the first one) */
	uint64_t sent;		/* last seq handed to the library */
	uint64_t saved;		/* position stored in the database */
	int saved_known;
	uint64_t start;		/* where the stream was at the first look */
	int started;
	struct timespec last_save;
	struct chunk *chunk;
	kvStore *kv;		/* the keys bucket (keyship.h) */
	struct keyship_out keys;	/* ... and the keys going into it */
};

static long
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000L +
	    (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* ---- acknowledgements (on the library's thread) ----------------------- */

/* Our seq, from the message's Nats-Msg-Id "<origin>:<seq>". */
static uint64_t
seq_of(natsMsg *msg)
{
	const char *id = NULL, *colon;

	if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) != NATS_OK || id == NULL ||
	    (colon = strrchr(id, ':')) == NULL)
		return 0;
	return strtoull(colon + 1, NULL, 10);
}

static void
on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *arg)
{
	struct pub *p = arg;
	uint64_t seq = seq_of(msg);

	(void)js;
	pthread_mutex_lock(&p->mu);
	if (pa && pa->Sequence == seq) {
		if (seq > p->acked)
			p->acked = seq;
	} else if (!p->refused) {
		p->refused = 1;
		if (pa)
			snprintf(p->why, sizeof(p->why), "the stream stored "
			    "event %llu as message %llu",
			    (unsigned long long)seq,
			    (unsigned long long)pa->Sequence);
		else
			snprintf(p->why, sizeof(p->why), "event %llu: %s",
			    (unsigned long long)seq, pae->ErrText ?
			    pae->ErrText : natsStatus_GetText(pae->Err));
	}
	pthread_mutex_unlock(&p->mu);
	natsMsg_Destroy(msg);
}

static uint64_t
acked(struct pub *p)
{
	uint64_t v;

	pthread_mutex_lock(&p->mu);
	v = p->acked;
	pthread_mutex_unlock(&p->mu);
	return v;
}

/* ---- the position kept with the database ------------------------------ */

static int
save_position(struct pub *p, uint64_t pos)
{
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &p->last_save);
	/* status says null until the stream has acknowledged something */
	if ((p->saved_known && p->saved == pos) || (!p->saved_known && !pos))
		return RC_OK;
	if ((rc = logship_set_published(p->db, pos)) != RC_OK) {
		snprintf(p->l.err, p->l.errlen, "%s", db_error(p->db));
		return rc;
	}
	p->saved = pos;
	p->saved_known = 1;
	return RC_OK;
}

/* ---- the stream ------------------------------------------------------- */

/* A failed request: the server went away (LOST), or it said no. */
static int
request_fail(struct pub *p, natsStatus s, jsErrCode jerr, const char *what)
{
	int lost = jerr == 0 && s != NATS_NO_RESPONDERS;

	return natslink_fail(&p->l, lost ? LOST : RC_REFUSED, s, jerr, what);
}

static int
create_stream(struct pub *p, jsStreamInfo **si)
{
	const char *subjects[1] = { p->l.subject };
	jsStreamConfig cfg;
	jsErrCode jerr = 0;
	natsStatus s;
	char what[300];

	jsStreamConfig_Init(&cfg);
	cfg.Name = p->l.stream;
	cfg.Subjects = subjects;
	cfg.SubjectsLen = 1;
	cfg.Storage = js_FileStorage;
	cfg.DenyDelete = true;
	cfg.DenyPurge = true;
	/* Three copies on a cluster (a district's); one on a lone server. */
	cfg.Replicas = 3;
	s = js_AddStream(si, p->l.js, &cfg, NULL, &jerr);
	if (jerr == JSStreamReplicasNotSupportedErr ||
	    jerr == JSInsufficientResourcesErr) {
		cfg.Replicas = 1;
		jerr = 0;
		s = js_AddStream(si, p->l.js, &cfg, NULL, &jerr);
	}
	if (s == NATS_OK)
		return RC_OK;
	if (jerr == JSStreamNameExistErr)	/* made meanwhile */
		return js_GetStreamInfo(si, p->l.js, p->l.stream, NULL,
		    &jerr) == NATS_OK ? RC_OK :
		    request_fail(p, s, jerr, "cannot read the stream");
	snprintf(what, sizeof(what), "cannot create stream %s", p->l.stream);
	return request_fail(p, s, jerr, what);
}

/* The stream's state, creating the stream when there is none. */
static int
open_stream(struct pub *p, jsStreamInfo **si)
{
	jsErrCode jerr = 0;
	natsStatus s;
	int i;

	*si = NULL;
	s = js_GetStreamInfo(si, p->l.js, p->l.stream, NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr)
		return create_stream(p, si);
	if (s == NATS_NO_RESPONDERS) {
		snprintf(p->l.err, p->l.errlen, "the NATS server at %s has no "
		    "JetStream (start it with -js)", p->l.o->url);
		return RC_ESYS;
	}
	if (s != NATS_OK)
		return request_fail(p, s, jerr, "cannot read the stream");
	for (i = 0; i < (*si)->Config->SubjectsLen; i++)
		if (strcmp((*si)->Config->Subjects[i], p->l.subject) == 0)
			return RC_OK;
	jsStreamInfo_Destroy(*si);
	*si = NULL;
	snprintf(p->l.err, p->l.errlen, "stream %s does not take the subject "
	    "%s: give another --stream", p->l.stream, p->l.subject);
	return RC_REFUSED;
}

static int
diverged(struct pub *p, uint64_t seq)
{
	snprintf(p->l.err, p->l.errlen, "stream %s holds a different event "
	    "%llu than this database: it was copied or restored after "
	    "publishing; nothing more is sent", p->l.stream,
	    (unsigned long long)seq);
	return RC_REFUSED;
}

/* The stream's message `last` must be our own record `last`. */
static int
same_event(struct pub *p, uint64_t last)
{
	uint8_t rec[EVENT_MAX_LEN];
	jsErrCode jerr = 0;
	natsMsg *m = NULL;
	natsStatus s;
	size_t len;
	int rc, found, same;

	if ((rc = logship_record(p->db, last, rec, &len, &found)) != RC_OK) {
		snprintf(p->l.err, p->l.errlen, "%s", db_error(p->db));
		return rc;
	}
	s = js_GetMsg(&m, p->l.js, p->l.stream, last, NULL, &jerr);
	if (s != NATS_OK)
		return request_fail(p, s, jerr, "cannot read the stream");
	same = found && strcmp(natsMsg_GetSubject(m), p->l.subject) == 0 &&
	    (size_t)natsMsg_GetDataLength(m) == len &&
	    memcmp(natsMsg_GetData(m), rec, len) == 0;
	natsMsg_Destroy(m);
	return same ? RC_OK : diverged(p, last);
}

/*
 * Where to go on from: the stream's last sequence, once it is shown to
 * be a prefix of our log.
 */
static int
reconcile(struct pub *p)
{
	uint8_t hash[EVENT_HASH_LEN];
	const jsStreamState *st;
	jsStreamInfo *si;
	uint64_t head;
	int rc;

	if ((rc = open_stream(p, &si)) != RC_OK)
		return rc;
	st = &si->State;
	rc = logship_head(p->db, &head, hash);
	if (rc != RC_OK)
		snprintf(p->l.err, p->l.errlen, "%s", db_error(p->db));
	else if (st->LastSeq > 0 && (st->FirstSeq != 1 ||
	    st->Msgs != st->LastSeq)) {
		snprintf(p->l.err, p->l.errlen, "stream %s is not a whole log "
		    "(%llu messages, %llu to %llu): it is not rollcall's",
		    p->l.stream, (unsigned long long)st->Msgs,
		    (unsigned long long)st->FirstSeq,
		    (unsigned long long)st->LastSeq);
		rc = RC_REFUSED;
	} else if (st->LastSeq > head) {
		snprintf(p->l.err, p->l.errlen, "stream %s holds %llu events, "
		    "this database only %llu: it is an older copy of the one "
		    "that published them; nothing is sent", p->l.stream,
		    (unsigned long long)st->LastSeq,
		    (unsigned long long)head);
		rc = RC_REFUSED;
	} else if (st->LastSeq > 0) {
		rc = same_event(p, st->LastSeq);
	}
	if (rc == RC_OK && !p->started) {
		p->start = st->LastSeq;
		p->started = 1;
	}
	if (rc == RC_OK) {
		p->sent = p->acked = st->LastSeq;
		p->refused = 0;
		rc = save_position(p, st->LastSeq);
	}
	jsStreamInfo_Destroy(si);
	return rc;
}

/* ---- sending ---------------------------------------------------------- */

static int
copy_record(void *arg, uint64_t seq, const uint8_t *rec, size_t len)
{
	struct chunk *c = arg;

	c->seq[c->n] = seq;
	c->len[c->n] = len;
	memcpy(c->rec[c->n], rec, len);
	return ++c->n == CHUNK;
}

/* One event as a message: the record's bytes, conditional on the last. */
static natsStatus
make_msg(struct pub *p, uint64_t seq, const uint8_t *rec, size_t len,
    natsMsg **msg)
{
	char id[64], last[24];
	natsStatus s;

	snprintf(id, sizeof(id), "%s:%llu", p->l.origin,
	    (unsigned long long)seq);
	snprintf(last, sizeof(last), "%llu", (unsigned long long)seq - 1);
	s = natsMsg_Create(msg, p->l.subject, NULL, (const char *)rec,
	    (int)len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(*msg, "Nats-Msg-Id", id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(*msg, "Nats-Expected-Last-Sequence",
		    last);
	return s;
}

static int
send_chunk(struct pub *p, const struct chunk *c)
{
	natsMsg *msg = NULL;
	natsStatus s;
	size_t i;
	int rc;

	/* The students' keys are in the bucket before their records go. */
	for (i = 0; i < c->n; i++)
		if ((rc = keyship_send(&p->l, &p->keys, p->db, c->rec[i],
		    c->len[i])) != RC_OK)
			return rc;
	if ((rc = keyship_flush(&p->l, &p->keys)) != RC_OK)
		return rc;
	for (i = 0; i < c->n; i++) {
		s = make_msg(p, c->seq[i], c->rec[i], c->len[i], &msg);
		/* The chunk's last answers for it (see the top). */
		if (s == NATS_OK && i + 1 < c->n)
			s = natsConnection_PublishMsg(p->l.nc, msg);
		else if (s == NATS_OK)
			s = js_PublishMsgAsync(p->l.js, &msg, NULL);
		natsMsg_Destroy(msg);	/* NULL once the library owns it */
		msg = NULL;
		if (s != NATS_OK)
			return natslink_fail(&p->l, LOST, s, 0,
			    "cannot publish");
		p->sent = c->seq[i];
	}
	return RC_OK;
}

/* Wait for every acknowledgement; LOST or RC_REFUSED when one failed. */
static int
drain(struct pub *p)
{
	jsPubOptions po;
	natsStatus s;

	jsPubOptions_Init(&po);
	po.MaxWait = ACK_WAIT_MS;
	s = js_PublishAsyncComplete(p->l.js, &po);
	if (s != NATS_OK)
		return natslink_fail(&p->l, LOST, s, 0, "no acknowledgement "
		    "from the stream");
	pthread_mutex_lock(&p->mu);
	if (p->refused)
		snprintf(p->l.err, p->l.errlen, "stream %s refused %s",
		    p->l.stream, p->why);
	pthread_mutex_unlock(&p->mu);
	return p->refused ? RC_REFUSED : RC_OK;
}

/* Send everything after p->sent up to the log's head, then drain. */
static int
send_all(struct pub *p)
{
	int rc;

	for (;;) {
		p->chunk->n = 0;
		rc = logship_walk(p->db, p->sent + 1, CHUNK, copy_record,
		    p->chunk);
		if (rc != RC_OK) {
			snprintf(p->l.err, p->l.errlen, "%s", db_error(p->db));
			return rc;
		}
		if (p->chunk->n == 0)
			break;
		if ((rc = send_chunk(p, p->chunk)) != RC_OK)
			return rc;
		if (p->refused)
			break;
		if (elapsed_ms(&p->last_save) >= SAVE_EVERY_MS &&
		    (rc = save_position(p, acked(p))) != RC_OK)
			return rc;
	}
	if ((rc = drain(p)) != RC_OK)
		return rc;
	return save_position(p, acked(p));
}

/*
 * Send, and when the stream refused something start over from what it
 * holds: a refusal that repeats with no progress is final.
 */
static int
catch_up(struct pub *p)
{
	uint64_t before;
	int rc, tries = 0;

	for (;;) {
		before = acked(p);
		if ((rc = send_all(p)) != RC_REFUSED || p->refused == 0)
			return rc;
		if (acked(p) == before && ++tries >= 3)
			return RC_REFUSED;
		if ((rc = reconcile(p)) != RC_OK)
			return rc;
	}
}

/* ---- following -------------------------------------------------------- */

/*
 * A watch on the data file: LMDB writes every commit into it, so the
 * wait ends as soon as another process appends, with no polling.  The
 * last write of a commit (its meta page) comes just before the commit
 * is published to readers (in the lock file's memory, which no watch
 * sees), so a change that does not show yet is looked at again shortly.
 */
static int
watch_open(rc_db *db)
{
	char file[4200];
	int fd;

	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	snprintf(file, sizeof(file), "%s/data.mdb", db_path(db));
	if (inotify_add_watch(fd, file, IN_MODIFY) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Until the data file changes (or ms pass); then drain the watch.
 * Returns whether it changed.
 */
static int
watch_wait(int fd, int ms)
{
	char buf[4096];
	struct pollfd pfd;
	int changed = 0;

	if (fd < 0) {		/* no inotify: a cheap look, now and then */
		natslink_sleep_ms(100);
		return 0;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) > 0)
		changed = 1;
	while (changed && read(fd, buf, sizeof(buf)) > 0)
		;
	return changed;
}

static int
follow(struct pub *p, int watch)
{
	uint8_t hash[EVENT_HASH_LEN];
	uint64_t head;
	int rc, wait_ms = IDLE_CHECK_MS;

	while (!natslink_stopping()) {
		if ((rc = logship_head(p->db, &head, hash)) != RC_OK) {
			snprintf(p->l.err, p->l.errlen, "%s", db_error(p->db));
			return rc;
		}
		if (head > p->sent) {
			if ((rc = catch_up(p)) != RC_OK)
				return rc;
			continue;
		}
		/*
		 * After a write, look again at 10, 20, 40 ms...: the
		 * writer may be descheduled between its last write and
		 * publishing the commit (a busy machine).
		 */
		if (!natsConnection_IsClosed(p->l.nc) &&
		    natsConnection_Status(p->l.nc) == NATS_CONN_STATUS_CONNECTED)
			wait_ms = watch_wait(watch, wait_ms) ? SETTLE_MS :
			    wait_ms * 2 < IDLE_CHECK_MS ? wait_ms * 2 :
			    IDLE_CHECK_MS;
		else
			return natslink_fail(&p->l, LOST,
			    NATS_CONNECTION_CLOSED, 0, "lost the NATS server");
	}
	return RC_OK;
}

/* One connection's worth: connect, reconcile, catch up, maybe follow. */
static int
session(struct pub *p, int watch)
{
	jsOptions jo;
	int rc;

	jsOptions_Init(&jo);
	/* One acknowledgement a chunk: the window counts chunks. */
	jo.PublishAsync.MaxPending = WINDOW / CHUNK;
	jo.PublishAsync.AckHandler = on_ack;
	jo.PublishAsync.AckHandlerClosure = p;
	jo.PublishAsync.StallWait = ACK_WAIT_MS;
	keyship_out_close(&p->keys);	/* the last connection's */
	kvStore_Destroy(p->kv);
	p->kv = NULL;
	if ((rc = natslink_connect(&p->l, &jo)) != RC_OK)
		return p->l.o->follow ? LOST : rc;
	if ((rc = reconcile(p)) != RC_OK ||
	    (rc = keyship_open(&p->l, 1, &p->kv)) != RC_OK ||
	    (rc = keyship_out_open(&p->l, p->kv, &p->keys)) != RC_OK ||
	    (rc = catch_up(p)) != RC_OK)
		return rc;
	natslink_reset_backoff(&p->l);
	return p->l.o->follow ? follow(p, watch) : RC_OK;
}

static int
run(struct pub *p)
{
	int rc, watch = -1;

	if (p->l.o->follow) {
		natslink_catch_signals();
		watch = watch_open(p->db);
	}
	for (;;) {
		rc = session(p, watch);
		if (rc != LOST)
			break;
		if (!p->l.o->follow) {
			rc = RC_ESYS;
			break;
		}
		/* Keep the place the stream acknowledged, then retry. */
		save_position(p, acked(p));
		if (natslink_backoff(&p->l) != 0) {
			rc = RC_OK;
			break;
		}
	}
	if (watch >= 0)
		close(watch);
	return rc;
}

/* The origin names the stream: make sure the database has one. */
static int
origin_of(rc_db *db, char origin[RC_ID_TEXT], char *err, size_t errlen)
{
	uint8_t mark[RC_ID_LEN];
	char text[RC_ID_TEXT];
	int rc, is;

	if ((rc = logship_replica_of(db, mark, &is)) == RC_OK && is) {
		event_id_text(mark, text);
		snprintf(err, errlen, "this database is a replica of %s: "
		    "publish from the origin", text);
		return RC_REFUSED;
	}
	if (rc == RC_OK)
		rc = logship_origin(db, origin);
	if (rc != RC_OK)
		snprintf(err, errlen, "%s", db_error(db));
	/* No database yet (nothing was ever written): no stream to name. */
	else if (origin[0] == '\0') {
		snprintf(err, errlen, "database %s has no events yet: nothing "
		    "to publish", db_path(db));
		rc = RC_REFUSED;
	}
	return rc;
}

int
publish_run(rc_db *db, const struct ship_opts *o, struct ship_result *r,
    char *err, size_t errlen)
{
	char origin[RC_ID_TEXT];
	struct pub *p;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = origin_of(db, origin, err, errlen)) != RC_OK)
		return rc;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->chunk = malloc(sizeof(*p->chunk))) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return RC_ESYS;
	}
	if ((rc = natslink_init(&p->l, o, origin, err, errlen)) != RC_OK) {
		free(p->chunk);
		free(p);
		return rc;
	}
	pthread_mutex_init(&p->mu, NULL);
	p->db = db;
	logship_published(db, &p->saved, &p->saved_known);
	rc = run(p);
	snprintf(r->stream, sizeof(r->stream), "%s", p->l.stream);
	r->position = acked(p);
	r->moved = r->position - p->start;
	keyship_out_close(&p->keys);
	kvStore_Destroy(p->kv);
	natslink_close(&p->l);
	natslink_shutdown();
	pthread_mutex_destroy(&p->mu);
	free(p->chunk);
	free(p);
	return rc;
}
