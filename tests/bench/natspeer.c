/*
 * natspeer.c - the bare cnats peers that publish and replica are
 * measured against (issue 13), and the follow latency probe.
 *
 *   natspeer pub URL DB STREAM       the database's records, read into
 *                                    memory first, published with
 *                                    js_PublishAsync (no headers, no
 *                                    conditions) to a new stream STREAM;
 *                                    prints ship_bare_pub events/s
 *   natspeer pubh URL DB STREAM      the same with publish's two headers
 *                                    (prints ship_bare_pub_headed)
 *   natspeer pull URL STREAM N       a pull consumer reading N messages
 *                                    in batches; prints ship_bare_pull
 *   natspeer follow SRC REP N        N registrations on SRC (in-process,
 *                                    durable), each timed until REP's
 *                                    read side shows it (publish and
 *                                    replica --follow running); prints
 *                                    the median and p99 in ms
 *
 * Same batch sizes and window as rollcall's own (publish.c, replica.c),
 * so the ratios compare the work rollcall adds, not the tuning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#include "command.h"
#include "db.h"
#include "logship.h"
#include "query.h"
#include "util.h"

#define WINDOW 4096
#define BATCH 1024

struct recs {
	size_t n, cap;
	uint8_t **rec;
	size_t *len;
};

static int
keep(void *arg, uint64_t seq, const uint8_t *rec, size_t len)
{
	struct recs *r = arg;

	(void)seq;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4096;
		r->rec = realloc(r->rec, r->cap * sizeof(*r->rec));
		r->len = realloc(r->len, r->cap * sizeof(*r->len));
		if (r->rec == NULL || r->len == NULL)
			util_die("out of memory");
	}
	if ((r->rec[r->n] = malloc(len)) == NULL)
		util_die("out of memory");
	memcpy(r->rec[r->n], rec, len);
	r->len[r->n++] = len;
	return 0;
}

static void
check(natsStatus s, const char *what)
{
	if (s != NATS_OK)
		util_die("%s: %s", what, natsStatus_GetText(s));
}

static void
connect_js(const char *url, natsConnection **nc, jsCtx **js)
{
	jsOptions jo;

	check(natsConnection_ConnectTo(nc, url), "connect");
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = WINDOW;
	/* As publish waits (the default 200 ms fails on a loaded machine). */
	jo.PublishAsync.StallWait = 10000;
	check(natsConnection_JetStream(js, *nc, &jo), "jetstream");
}

/*
 * One message as publish sends it: the same two headers (SPEC 9), so
 * the server does the same work (de-duplication, the expected sequence).
 */
static void
publish_headed(jsCtx *js, const uint8_t *rec, size_t len, size_t seq)
{
	char id[64], last[24];
	natsMsg *m = NULL;

	snprintf(id, sizeof(id), "bench:%zu", seq);
	snprintf(last, sizeof(last), "%zu", seq - 1);
	check(natsMsg_Create(&m, "bench.bare", NULL, (const char *)rec,
	    (int)len), "message");
	check(natsMsgHeader_Set(m, "Nats-Msg-Id", id), "header");
	check(natsMsgHeader_Set(m, "Nats-Expected-Last-Sequence", last),
	    "header");
	check(js_PublishMsgAsync(js, &m, NULL), "publish");
}

static void
bare_pub(const char *url, const char *dir, const char *stream, int headed)
{
	const char *subjects[1] = { "bench.bare" };
	struct recs r = { 0, 0, NULL, NULL };
	natsConnection *nc;
	jsStreamConfig cfg;
	jsStreamInfo *si = NULL;
	jsPubOptions po;
	jsErrCode jerr;
	jsCtx *js;
	rc_db *db;
	char err[512];
	uint64_t t0, t1;
	size_t i;

	if (db_open(dir, &db, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	if (logship_walk(db, 1, 0, keep, &r) != RC_OK)
		util_die("%s", db_error(db));
	db_close(db);
	connect_js(url, &nc, &js);
	jsStreamConfig_Init(&cfg);
	cfg.Name = stream;
	cfg.Subjects = subjects;
	cfg.SubjectsLen = 1;
	cfg.Storage = js_FileStorage;
	check(js_AddStream(&si, js, &cfg, NULL, &jerr), "add stream");
	jsStreamInfo_Destroy(si);
	t0 = util_now_ns();
	for (i = 0; i < r.n; i++)
		if (headed)
			publish_headed(js, r.rec[i], r.len[i], i + 1);
		else
			check(js_PublishAsync(js, "bench.bare", r.rec[i],
			    (int)r.len[i], NULL), "publish");
	jsPubOptions_Init(&po);
	po.MaxWait = 60000;
	check(js_PublishAsyncComplete(js, &po), "complete");
	t1 = util_now_ns();
	util_figure(headed ? "ship_bare_pub_headed" : "ship_bare_pub",
	    r.n / ((t1 - t0) / 1e9), "events/s");
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
}

static void
bare_pull(const char *url, const char *stream, unsigned long want)
{
	natsMsgList list;
	natsConnection *nc;
	natsSubscription *sub = NULL;
	jsSubOptions so;
	jsErrCode jerr;
	jsCtx *js;
	uint64_t t0, t1, bytes = 0;
	unsigned long got = 0;
	int i;

	connect_js(url, &nc, &js);
	t0 = util_now_ns();
	jsSubOptions_Init(&so);
	so.Stream = stream;
	so.Config.AckPolicy = js_AckNone;
	check(js_PullSubscribe(&sub, js, "bench.bare", NULL, NULL, &so, &jerr),
	    "subscribe");
	while (got < want) {
		check(natsSubscription_Fetch(&list, sub, BATCH, 5000, &jerr),
		    "fetch");
		for (i = 0; i < list.Count; i++)
			bytes += natsMsg_GetDataLength(list.Msgs[i]);
		got += list.Count;
		natsMsgList_Destroy(&list);
	}
	t1 = util_now_ns();
	util_figure("ship_bare_pull", got / ((t1 - t0) / 1e9), "events/s");
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
}

/* The replica's head, read as any query would. */
static uint64_t
head_of(rc_db *db)
{
	struct rc_status st;

	if (query_status(db, &st) != RC_OK)
		util_die("%s", db_error(db));
	return st.head;
}

static void
follow_latency(const char *src, const char *rep, unsigned long n)
{
	rc_db *s, *r;
	char err[512], name[64], email[64], id[RC_ID_TEXT];
	uint64_t *ns, t0, head;
	unsigned long i;

	if (db_open(src, &s, err, sizeof(err)) != RC_OK ||
	    db_open(rep, &r, err, sizeof(err)) != RC_OK)
		util_die("%s", err);
	if ((ns = calloc(n, sizeof(*ns))) == NULL)
		util_die("out of memory");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Follow %lu", i);
		snprintf(email, sizeof(email), "follow%lu.%ld@example.org", i,
		    (long)getpid());
		if (command_register(s, name, email, NULL, id) != RC_OK)
			util_die("%s", db_error(s));
		t0 = util_now_ns();
		head = head_of(s);
		while (head_of(r) < head) {
			if (util_now_ns() - t0 > 5000000000ULL)
				util_die("the replica did not follow in 5 s");
			usleep(200);
		}
		ns[i] = util_now_ns() - t0;
		usleep(20000);	/* a desk's pace, not a burst */
	}
	util_figure("ship_follow_median", util_quantile(ns, n, 0.5) / 1e6,
	    "ms");
	util_figure("ship_follow_p99", util_quantile(ns, n, 0.99) / 1e6, "ms");
	free(ns);
	db_close(s);
	db_close(r);
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "pub") == 0)
		bare_pub(argv[2], argv[3], argv[4], 0);
	else if (argc == 5 && strcmp(argv[1], "pubh") == 0)
		bare_pub(argv[2], argv[3], argv[4], 1);
	else if (argc == 5 && strcmp(argv[1], "pull") == 0)
		bare_pull(argv[2], argv[3], util_number(argv[4]));
	else if (argc == 5 && strcmp(argv[1], "follow") == 0)
		follow_latency(argv[2], argv[3], util_number(argv[4]));
	else
		util_die("usage: natspeer pub URL DB STREAM | pull URL STREAM "
		    "N | follow SRC REP N");
	nats_Close();
	return 0;
}
