/*
 * keyship.c - the keys bucket beside the stream (SPEC 9): see keyship.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyship.h"

/*
 * A failed call on the bucket: a connection that went away is LOST, so
 * that --follow waits and retries as for the stream; else an error.
 */
static int
kv_fail(struct natslink *l, natsStatus s, const char *what)
{
	int lost = s == NATS_TIMEOUT || s == NATS_CONNECTION_CLOSED ||
	    s == NATS_CONNECTION_DISCONNECTED || s == NATS_NO_SERVER ||
	    s == NATS_IO_ERROR || s == NATS_STALE_CONNECTION ||
	    natsConnection_IsClosed(l->nc);

	return natslink_fail(l, lost ? KEYSHIP_LOST : RC_ESYS, s, 0, what);
}

/* A sealed record's student (registration or update), or an erasure's. */
static int
about(const uint8_t *rec, size_t len, struct rc_event *ev)
{
	if (len < EVENT_HEADER_LEN || (rec[1] != EV_STUDENT_REGISTERED &&
	    rec[1] != EV_STUDENT_UPDATED && rec[1] != EV_STUDENT_ERASED) ||
	    rec[2] < EVENT_SEALED_SINCE)
		return 0;
	return event_decode(rec, len, ev, NULL) == 0;
}

int
keyship_open(struct natslink *l, int create, kvStore **kv)
{
	char bucket[64];
	kvConfig cfg;
	natsStatus s;

	*kv = NULL;
	snprintf(bucket, sizeof(bucket), "ROLLCALL-KEYS-%s", l->origin);
	s = js_KeyValue(kv, l->js, bucket);
	if (s == NATS_OK)
		return RC_OK;
	*kv = NULL;
	if (!create)
		return RC_OK;
	kvConfig_Init(&cfg);
	cfg.Bucket = bucket;
	cfg.History = 1;
	cfg.StorageType = js_FileStorage;
	s = js_CreateKeyValue(kv, l->js, &cfg);
	if (s != NATS_OK) {
		*kv = NULL;
		return kv_fail(l, s, "cannot create the keys bucket");
	}
	return RC_OK;
}

static void
on_key_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae,
    void *arg)
{
	struct keyship_out *o = arg;

	(void)js;
	(void)pa;
	pthread_mutex_lock(&o->mu);
	if (pae != NULL && !o->failed) {
		o->failed = 1;
		o->err = pae->Err;
		o->jerr = pae->ErrCode;
		snprintf(o->why, sizeof(o->why), "%s", pae->ErrText ?
		    pae->ErrText : natsStatus_GetText(pae->Err));
	}
	pthread_mutex_unlock(&o->mu);
	natsMsg_Destroy(msg);
}

int
keyship_out_open(struct natslink *l, kvStore *kv, struct keyship_out *o)
{
	jsOptions jo;
	natsStatus s;

	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->mu, NULL);
	o->open = 1;
	if ((o->kv = kv) == NULL)
		return RC_OK;
	snprintf(o->prefix, sizeof(o->prefix), "$KV.ROLLCALL-KEYS-%s.",
	    l->origin);
	jsOptions_Init(&jo);
	jo.PublishAsync.AckHandler = on_key_ack;
	jo.PublishAsync.AckHandlerClosure = o;
	if ((s = natsConnection_JetStream(&o->js, l->nc, &jo)) != NATS_OK)
		return kv_fail(l, s, "cannot open the keys bucket");
	return RC_OK;
}

void
keyship_out_close(struct keyship_out *o)
{
	if (!o->open)
		return;
	jsCtx_Destroy(o->js);
	pthread_mutex_destroy(&o->mu);
	memset(o, 0, sizeof(*o));
}

int
keyship_send(struct natslink *l, struct keyship_out *o, rc_db *db,
    const uint8_t *rec, size_t len)
{
	uint8_t key[LOGSHIP_KEY_LEN];
	char idt[RC_ID_TEXT], subj[160];
	struct rc_event ev;
	natsStatus s;
	int rc, found;

	if (o->kv == NULL || !about(rec, len, &ev))
		return RC_OK;
	event_id_text(ev.id, idt);
	if (ev.type == EV_STUDENT_ERASED) {
		/* after the keys before it, so no put lands after the purge */
		if ((rc = keyship_flush(l, o)) != RC_OK)
			return rc;
		s = kvStore_Purge(o->kv, idt, NULL);
		return s == NATS_OK || s == NATS_NOT_FOUND ? RC_OK :
		    kv_fail(l, s, "cannot purge a key");
	}
	if ((rc = logship_key(db, ev.id, key, &found)) != RC_OK) {
		snprintf(l->err, l->errlen, "%s", db_error(db));
		return rc;
	}
	if (!found)
		return RC_OK;	/* erased since, or lost: nothing to send */
	snprintf(subj, sizeof(subj), "%s%s", o->prefix, idt);
	s = js_PublishAsync(o->js, subj, key, LOGSHIP_KEY_LEN, NULL);
	sodium_memzero(key, sizeof(key));
	return s == NATS_OK ? RC_OK : kv_fail(l, s, "cannot put a key");
}

int
keyship_flush(struct natslink *l, struct keyship_out *o)
{
	jsPubOptions po;
	jsErrCode jerr;
	natsStatus s;
	int failed;

	if (o->js == NULL)
		return RC_OK;
	jsPubOptions_Init(&po);
	po.MaxWait = 10000;
	if ((s = js_PublishAsyncComplete(o->js, &po)) != NATS_OK)
		return kv_fail(l, s, "no acknowledgement from the keys bucket");
	pthread_mutex_lock(&o->mu);
	failed = o->failed;
	s = o->err;
	jerr = o->jerr;
	pthread_mutex_unlock(&o->mu);
	if (!failed)
		return RC_OK;
	/* No JetStream error code: the server went away, not a refusal. */
	if (jerr == 0)
		return natslink_fail(l, KEYSHIP_LOST, s, 0, "cannot put a key");
	snprintf(l->err, l->errlen, "the keys bucket refused a key: %s",
	    o->why);
	return RC_REFUSED;
}

static int
by_id(const void *a, const void *b)
{
	return memcmp(((const struct logship_key *)a)->id,
	    ((const struct logship_key *)b)->id, RC_ID_LEN);
}

/* One entry of the watch into the cache; a value not a key is skipped. */
static int
cache_add(struct keyship_cache *c, kvEntry *e)
{
	struct logship_key *k;
	size_t cap;

	if (kvEntry_ValueLen(e) != LOGSHIP_KEY_LEN)
		return 0;
	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 256;
		if ((k = realloc(c->k, cap * sizeof(*k))) == NULL)
			return -1;
		c->k = k;
		c->cap = cap;
	}
	k = &c->k[c->n];
	if (event_id_parse(kvEntry_Key(e), k->id) != 0)
		return 0;
	memcpy(k->key, kvEntry_Value(e), LOGSHIP_KEY_LEN);
	c->n++;
	return 0;
}

int
keyship_preload(struct natslink *l, kvStore *kv, struct keyship_cache *c)
{
	kvWatchOptions o;
	kvWatcher *w = NULL;
	kvEntry *e;
	natsStatus s;
	int bad = 0;

	if (kv == NULL || c->loaded)
		return RC_OK;
	kvWatchOptions_Init(&o);
	o.IgnoreDeletes = true;
	if ((s = kvStore_WatchAll(&w, kv, &o)) != NATS_OK)
		return kv_fail(l, s, "cannot read the keys bucket");
	/* The initial values end with a NULL entry. */
	while ((s = kvWatcher_Next(&e, w, 5000)) == NATS_OK && e != NULL) {
		bad = bad || cache_add(c, e) != 0;
		kvEntry_Destroy(e);
	}
	kvWatcher_Destroy(w);
	if (bad) {
		snprintf(l->err, l->errlen, "out of memory");
		return RC_ESYS;
	}
	if (s != NATS_OK)
		return kv_fail(l, s, "cannot read the keys bucket");
	qsort(c->k, c->n, sizeof(*c->k), by_id);
	c->loaded = 1;
	return RC_OK;
}

void
keyship_cache_free(struct keyship_cache *c)
{
	if (c->k != NULL)
		sodium_memzero(c->k, c->cap * sizeof(*c->k));
	free(c->k);
	memset(c, 0, sizeof(*c));
}

static const struct logship_key *
cache_find(const struct keyship_cache *c, const uint8_t id[RC_ID_LEN])
{
	struct logship_key want;

	if (c == NULL || !c->loaded)
		return NULL;
	memcpy(want.id, id, RC_ID_LEN);
	return bsearch(&want, c->k, c->n, sizeof(*c->k), by_id);
}

int
keyship_fetch(struct natslink *l, kvStore *kv, const struct keyship_cache *c,
    rc_db *db, const struct logship_rec *recs, size_t n,
    struct logship_key *keys, size_t *nkeys)
{
	const struct logship_key *hit;
	uint8_t have[LOGSHIP_KEY_LEN];
	char idt[RC_ID_TEXT];
	struct rc_event ev;
	kvEntry *e;
	natsStatus s;
	size_t i, j;
	int rc, found, dup;

	*nkeys = 0;
	for (i = 0; kv != NULL && i < n; i++) {
		if (!about(recs[i].rec, recs[i].len, &ev) ||
		    ev.type == EV_STUDENT_ERASED)
			continue;
		for (dup = 0, j = 0; j < *nkeys && !dup; j++)
			dup = memcmp(keys[j].id, ev.id, RC_ID_LEN) == 0;
		if (dup)
			continue;
		if ((rc = logship_key(db, ev.id, have, &found)) != RC_OK) {
			snprintf(l->err, l->errlen, "%s", db_error(db));
			return rc;
		}
		if (found)
			continue;
		if ((hit = cache_find(c, ev.id)) != NULL) {
			keys[(*nkeys)++] = *hit;
			continue;
		}
		event_id_text(ev.id, idt);
		e = NULL;
		s = kvStore_Get(&e, kv, idt);
		if (s == NATS_NOT_FOUND)
			continue;
		if (s != NATS_OK)
			return kv_fail(l, s, "cannot read the keys bucket");
		if (kvEntry_ValueLen(e) == LOGSHIP_KEY_LEN) {
			memcpy(keys[*nkeys].id, ev.id, RC_ID_LEN);
			memcpy(keys[*nkeys].key, kvEntry_Value(e),
			    LOGSHIP_KEY_LEN);
			(*nkeys)++;
		}
		kvEntry_Destroy(e);
	}
	return RC_OK;
}
