/*
 * pullq.h - a JetStream pull consumer that fetches ahead on a thread of
 * its own (replica.c), so the next batches cross the network while the
 * last one commits to disk.  Memory stays bounded: at most PULLQ_DEPTH
 * fetched batches wait.  Internal to replica.c and pullq.c.
 */
#ifndef ROLLCALL_PULLQ_H
#define ROLLCALL_PULLQ_H

#include <pthread.h>
#include <stdint.h>

#include "natsdl.h"

#define PULLQ_DEPTH 32

struct pullq_item {
	natsMsgList list;
	/*
	 * Each message's stream sequence, read from its JetStream metadata
	 * on the fetching thread (a tenth of the applying thread's work
	 * otherwise); 0 for a message that has none.  NULL when the list
	 * is empty or memory ran out: then the caller reads them.
	 */
	uint64_t *seq;
	natsStatus status;	/* of the fetch: NATS_TIMEOUT when none came */
	jsErrCode jerr;
};

struct pullq {
	natsSubscription *sub;
	int batch;		/* messages per fetch */
	int64_t wait_ms;	/* how long one fetch waits */
	uint64_t left;		/* messages to fetch; UINT64_MAX: no end */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pullq_item q[PULLQ_DEPTH];
	int first, count;
	int stop, done;		/* asked to stop; the thread has ended */
};

/*
 * Start fetching from sub: batches of `batch`, each fetch waiting up to
 * wait_ms, `left` messages in all (UINT64_MAX: until pullq_stop).
 * 0, or -1 when the thread cannot start.
 */
int pullq_start(struct pullq *p, natsSubscription *sub, int batch,
    int64_t wait_ms, uint64_t left);

/*
 * The next fetched batch, waiting for it: 1 with *item filled (its list
 * the caller's to destroy), 0 when the thread has ended with nothing
 * more (all `left` fetched, or an error already returned).
 */
int pullq_take(struct pullq *p, struct pullq_item *item);

/* A batch already fetched, without waiting: 1 with *item, else 0. */
int pullq_poll(struct pullq *p, struct pullq_item *item);

/* Free a batch taken: its messages and their sequences. */
void pullq_item_free(struct pullq_item *item);

/* Stop the thread (unsubscribing wakes a waiting fetch), drop the rest. */
void pullq_stop(struct pullq *p);

#endif
