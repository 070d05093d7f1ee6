/*
 * keyship.h - the keys bucket (SPEC 9): the per-student keys of SPEC 7
 * travel beside the log in a JetStream key-value bucket of the
 * database's own, ROLLCALL-KEYS-<origin>, one revision kept, so that a
 * replica can open the personal data its copied records seal.  publish
 * puts a student's key before the first record sealed under it goes out
 * and purges it when their student_erased does; a replica fetches the
 * keys of the records it copies, and destroys its copy when it copies an
 * erasure.  The broker therefore holds the keys (README).  Internal to
 * publish.c, replica.c and keyship.c.
 */
#ifndef ROLLCALL_KEYSHIP_H
#define ROLLCALL_KEYSHIP_H

#include <pthread.h>

#include "logship.h"
#include "natslink.h"

/* What publish.c and replica.c call LOST: the server went away. */
#define KEYSHIP_LOST 100

/*
 * The bucket: created when `create` (publish), else opened if there is
 * one (*kv NULL when not: the origin sealed nothing yet).  RC_* code,
 * with l->err set.
 */
int keyship_open(struct natslink *l, int create, kvStore **kv);

/*
 * publish's side: the keys of a chunk of records go out together, on a
 * JetStream context of their own, and are all stored before any of the
 * chunk's records is sent: one wait a chunk, not one a student.
 */
struct keyship_out {
	kvStore *kv;
	jsCtx *js;		/* waiting on it waits for no record */
	char prefix[96];	/* $KV.<bucket>. */
	pthread_mutex_t mu;
	int open;
	int failed;		/* an acknowledgement said no */
	char why[160];
	natsStatus err;		/* ... its status and JetStream code */
	jsErrCode jerr;
};

/* On a new connection (kv from keyship_open, may be NULL).  RC_* code. */
int keyship_out_open(struct natslink *l, kvStore *kv,
    struct keyship_out *o);
void keyship_out_close(struct keyship_out *o);

/*
 * Before publishing record rec: send the key of a sealed registration's
 * or update's student (keyship_flush waits for it), or purge an erased
 * student's.  RC_* code.
 */
int keyship_send(struct natslink *l, struct keyship_out *o, rc_db *db,
    const uint8_t *rec, size_t len);

/* Wait until every key sent is stored.  RC_* code. */
int keyship_flush(struct natslink *l, struct keyship_out *o);

/*
 * Every key the bucket holds, read in one stream (a watcher) rather
 * than one request each, for a replica with a long way to go: the
 * cache keyship_fetch looks in first.  RC_* code.
 */
struct keyship_cache {
	struct logship_key *k;	/* sorted by id */
	size_t n, cap;
	int loaded;
};

int keyship_preload(struct natslink *l, kvStore *kv,
    struct keyship_cache *c);
void keyship_cache_free(struct keyship_cache *c);

/*
 * The keys the replica db lacks for the sealed records of recs, from
 * the cache c (may be NULL) or else the bucket, into keys (room for n);
 * *nkeys how many.  A key the bucket does not
 * have is left out (its records then wait for a later erasure or are
 * damage).  RC_* code.
 */
int keyship_fetch(struct natslink *l, kvStore *kv,
    const struct keyship_cache *c, rc_db *db,
    const struct logship_rec *recs, size_t n, struct logship_key *keys,
    size_t *nkeys);

#endif
