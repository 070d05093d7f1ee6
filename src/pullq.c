/*
 * pullq.c - fetching ahead for a pull consumer: see pullq.h.
 *
 * cnats' natsSubscription_Fetch waits for its batch, so a replica that
 * fetched and then committed would leave the network idle during every
 * commit and the disk idle during every fetch.  One thread fetches
 * while the caller commits; a ring of PULLQ_DEPTH batches between them
 * bounds the memory.  (An ordered push consumer would pipeline without
 * a thread, but it queues without bound in the client, and cnats 3.4
 * crashes when one is reset after a slow consumer.)
 */
#include <stdlib.h>
#include <string.h>

#include "pullq.h"

/* The stream sequence of each message fetched (pullq.h). */
static void
read_seqs(struct pullq_item *it)
{
	jsMsgMetaData *meta;
	int i;

	if (it->list.Count <= 0 ||
	    (it->seq = calloc((size_t)it->list.Count, sizeof(*it->seq))) == NULL)
		return;
	for (i = 0; i < it->list.Count; i++) {
		meta = NULL;
		if (natsMsg_GetMetaData(&meta, it->list.Msgs[i]) != NATS_OK)
			continue;
		it->seq[i] = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
}

void
pullq_item_free(struct pullq_item *item)
{
	natsMsgList_Destroy(&item->list);
	free(item->seq);
	item->seq = NULL;
}

static void *
fetcher(void *arg)
{
	struct pullq *p = arg;
	struct pullq_item it;
	int n, end = 0;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && !end && p->left > 0) {
		while (p->count == PULLQ_DEPTH && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop)
			break;
		n = p->left < (uint64_t)p->batch ? (int)p->left : p->batch;
		pthread_mutex_unlock(&p->mu);
		memset(&it, 0, sizeof(it));
		it.status = natsSubscription_Fetch(&it.list, p->sub, n,
		    p->wait_ms, &it.jerr);
		if (it.status == NATS_OK)
			read_seqs(&it);
		pthread_mutex_lock(&p->mu);
		if (it.status == NATS_OK && p->left != UINT64_MAX)
			p->left -= (uint64_t)it.list.Count;
		/* A timeout is news only to a caller that can wait again. */
		end = it.status != NATS_OK && it.status != NATS_TIMEOUT;
		if (p->stop) {
			pullq_item_free(&it);
			break;
		}
		p->q[(p->first + p->count++) % PULLQ_DEPTH] = it;
		pthread_cond_broadcast(&p->cv);
	}
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
pullq_start(struct pullq *p, natsSubscription *sub, int batch,
    int64_t wait_ms, uint64_t left)
{
	memset(p, 0, sizeof(*p));
	p->sub = sub;
	p->batch = batch;
	p->wait_ms = wait_ms;
	p->left = left;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->thread, NULL, fetcher, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		return -1;
	}
	return 0;
}

/* Take the oldest batch; p->mu held, p->count > 0. */
static void
pop(struct pullq *p, struct pullq_item *item)
{
	*item = p->q[p->first];
	p->first = (p->first + 1) % PULLQ_DEPTH;
	p->count--;
	pthread_cond_broadcast(&p->cv);
}

int
pullq_take(struct pullq *p, struct pullq_item *item)
{
	int got = 0;

	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->count > 0) {
		pop(p, item);
		got = 1;
	}
	pthread_mutex_unlock(&p->mu);
	return got;
}

int
pullq_poll(struct pullq *p, struct pullq_item *item)
{
	int got = 0;

	pthread_mutex_lock(&p->mu);
	if (p->count > 0) {
		pop(p, item);
		got = 1;
	}
	pthread_mutex_unlock(&p->mu);
	return got;
}

void
pullq_stop(struct pullq *p)
{
	struct pullq_item it;

	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	/* A fetch waiting for messages returns when its subscription goes. */
	natsSubscription_Unsubscribe(p->sub);
	pthread_join(p->thread, NULL);
	while (p->count > 0) {
		pop(p, &it);
		pullq_item_free(&it);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
}
