/*
 * projector.c - the dispatcher of the read side: routes each event
 * through the read models of the table below, in order, and keeps the
 * checkpoint.  What each model stores, and how, is in its own rm_*.c;
 * the layout of the bytes is in record.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "keys.h"
#include "projector.h"
#include "rm_backup.h"
#include "rm_collation.h"
#include "rm_calendar.h"
#include "rm_days.h"
#include "rm_daymarks.h"
#include "rm_desk.h"
#include "rm_departures.h"
#include "rm_enrolment.h"
#include "rm_excuses.h"
#include "rm_errors.h"
#include "rm_figures.h"
#include "rm_history.h"
#include "rm_policy.h"
#include "rm_pin.h"
#include "rm_roster.h"

/*
 * The read models, in the order an event goes through them: a model
 * reads what the ones before it found (struct proj_step), and only
 * models before the first writer of an event may refuse it.  A new
 * read model is one rm_*.c file and one row here.
 */
static const struct read_model *const models[] = {
	&rm_collation,	/* the name order, which the roster keys names by */
	&rm_roster,	/* resolves the student an event names */
	&rm_days,	/* a day's check-ins: says which one counts */
	&rm_daymarks,	/* the counted ones again, by day */
	&rm_excuses,	/* an excused late day counts 0 points */
	&rm_figures,	/* counts it */
	&rm_backup,	/* backup-dir and backup-keep */
	&rm_desk,	/* quiet */
	&rm_policy,
	&rm_calendar,
	&rm_enrolment,
	&rm_departures,
	&rm_pin,	/* the admin PIN (SPEC 8) */
	&rm_errors,
	&rm_history,	/* every event about a student, by student */
};

#define NMODELS (sizeof(models) / sizeof(models[0]))

/* ---- the models' memory on the handle --------------------------------- */

static void
mem_free(void *upper)
{
	struct rs_mem *m = upper;
	size_t i;

	for (i = 0; i < NMODELS; i++)
		if (models[i]->free_mem)
			models[i]->free_mem(m);
	free(m);
}

/* Give the handle the models' memory (readside.h) if it has none yet. */
static int
mem_open(rc_db *db)
{
	if (db->upper)
		return RC_OK;
	if ((db->upper = calloc(1, sizeof(struct rs_mem))) == NULL)
		return store_fail(db, RC_ESYS, "out of memory");
	db->upper_free = mem_free;
	return RC_OK;
}

/* ---- applying events -------------------------------------------------- */

int
proj_apply(rc_db *db, MDB_txn *txn, const struct rc_event *ev)
{
	struct proj_step step;
	size_t i;
	int rc;

	if (event_type_version(ev->type) == 0)
		return store_fail(db, RC_REFUSED, "unknown event type %u",
		    ev->type);
	if ((rc = mem_open(db)) != RC_OK)
		return rc;
	memset(&step, 0, sizeof(step));
	for (i = 0; i < NMODELS; i++)
		if (models[i]->apply &&
		    (rc = models[i]->apply(db, txn, ev, &step)) != RC_OK)
			return rc;
	return RC_OK;
}

static int
refused(rc_db *db, MDB_txn *txn, uint64_t seq, const char *reason)
{
	size_t i;
	int rc;

	for (i = 0; i < NMODELS; i++)
		if (models[i]->refused &&
		    (rc = models[i]->refused(db, txn, seq, reason)) != RC_OK)
			return rc;
	return RC_OK;
}

int
proj_apply_record(rc_db *db, MDB_txn *txn, uint64_t seq, const uint8_t *rec,
    size_t len)
{
	struct rc_event ev;
	const char *why = NULL;
	char reason[sizeof(db->err)];
	uint8_t opened[SEAL_PLAIN_MAX];
	int rc;

	if (event_decode(rec, len, &ev, &why) != 0)
		snprintf(reason, sizeof(reason), "%s", why);
	else if (ev.seq != seq)
		snprintf(reason, sizeof(reason),
		    "record carries sequence %llu", (unsigned long long)ev.seq);
	/* Sealed personal data: opened, or a lost key is this event's error. */
	else if ((rc = keys_open(db, txn, &ev, opened)) != RC_OK &&
	    rc != RC_REFUSED)
		return rc;
	else if (rc == RC_REFUSED)
		snprintf(reason, sizeof(reason), "%s", db->err);
	else if ((rc = proj_apply(db, txn, &ev)) == RC_OK)
		return RC_OK;
	else if (rc != RC_REFUSED)
		return rc;
	else
		snprintf(reason, sizeof(reason), "%s", db->err);
	db->err[0] = 0;
	return refused(db, txn, seq, reason);
}

int
proj_stale(rc_db *db, MDB_txn *txn, int *stale)
{
	uint8_t h1[EVENT_HASH_LEN], h2[EVENT_HASH_LEN];
	uint64_t head, cp;
	uint32_t format;
	int rc, current = 1;

	*stale = 0;
	if ((rc = store_head(db, txn, &head, h1)) != RC_OK ||
	    (rc = rs_checkpoint(db, txn, &cp, h2, &format)) != RC_OK)
		return rc;
	*stale = head > cp || format != READ_FORMAT;
	if (!*stale && (rc = rm_collation_current(db, txn, &current)) != RC_OK)
		return rc;
	*stale = *stale || !current;
	return RC_OK;
}

/*
 * The name index holds sort keys of the ICU this program was built
 * with: keyed by another (or none yet), key it afresh (SPEC 3 "Name
 * order"; the rest of the read side stays).
 */
static int
names_fresh(rc_db *db, MDB_txn *txn)
{
	int rc, current;

	if ((rc = rm_collation_current(db, txn, &current)) != RC_OK ||
	    current)
		return rc;
	if ((rc = rm_roster_rekey_names(db, txn)) != RC_OK)
		return rc;
	return rm_collation_mark_current(db, txn);
}

int
proj_catch_up(rc_db *db, MDB_txn *txn, rc_progress_fn progress, void *ctx)
{
	uint8_t key[8], hash[EVENT_HASH_LEN];
	uint64_t cp, head, seq;
	uint32_t format;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, mrc;

	if ((rc = mem_open(db)) != RC_OK ||
	    (rc = rs_checkpoint(db, txn, &cp, hash, &format)) != RC_OK ||
	    (rc = store_head(db, txn, &head, hash)) != RC_OK)
		return rc;
	/* Written by a build with another layout: start the read side over. */
	if (format != READ_FORMAT)
		return proj_replay(db, txn, progress, ctx);
	if ((rc = names_fresh(db, txn)) != RC_OK)
		return rc;
	/* The next append chains onto this head: spare it another look. */
	store_know_head(db, head, hash);
	if (head <= cp)
		return RC_OK;
	if ((mrc = mdb_cursor_open(txn, db->dbi[DB_EVENTS], &cur)) != 0)
		return store_lmdb_fail(db, mrc, "cannot read the log");
	put_u64(key, cp + 1);
	k = rs_val(key, 8);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8) {
			rc = store_fail(db, RC_ESYS, "the log has a damaged key");
			break;
		}
		seq = get_u64(k.mv_data);
		rc = proj_apply_record(db, txn, seq, v.mv_data, v.mv_size);
		if (rc != RC_OK)
			break;
		if (progress && seq % 4096 == 0 &&
		    progress(ctx, seq, head) != 0) {
			rc = store_fail(db, RC_REFUSED, "cancelled");
			break;
		}
	}
	mdb_cursor_close(cur);
	if (rc != RC_OK)
		return rc;
	if ((rc = store_walk_end(db, mrc, "cannot read the log")) != RC_OK)
		return rc;
	if (progress)
		progress(ctx, head, head);
	/* head's hash was computed above; the checkpoint names it. */
	return rs_set_checkpoint(db, txn, head, hash);
}

/*
 * Write the figures that changed, in sid order.  After a replay the tree
 * is empty and every put appends, so pages fill up; zero figures are
 * never stored (the incremental path deletes them too).
 */

/* ---- many events in one transaction ----------------------------------- */

/* End the bulk mode of the first n models; after a failure only free. */
static int
bulk_end(rc_db *db, MDB_txn *txn, size_t n, int ok)
{
	size_t i;
	int rc = RC_OK, r;

	for (i = 0; i < n; i++) {
		if (models[i]->bulk_end == NULL)
			continue;
		r = models[i]->bulk_end(db, txn, ok && rc == RC_OK);
		if (rc == RC_OK)
			rc = r;
	}
	return ok ? rc : RC_OK;
}

static int
bulk_begin(rc_db *db, MDB_txn *txn, enum rs_bulk how, size_t expect)
{
	size_t i;
	int rc;

	if ((rc = mem_open(db)) != RC_OK)
		return rc;
	rs_mem(db)->bulk_expect = expect;
	for (i = 0; i < NMODELS; i++)
		if (models[i]->bulk_begin &&
		    (rc = models[i]->bulk_begin(db, txn, how)) != RC_OK) {
			bulk_end(db, txn, i, 0);
			return rc;
		}
	return RC_OK;
}

int
proj_batch_begin(rc_db *db, MDB_txn *txn, size_t expect)
{
	return bulk_begin(db, txn, RS_IMPORT, expect);
}

int
proj_batch_end(rc_db *db, MDB_txn *txn, int ok)
{
	return bulk_end(db, txn, NMODELS, ok);
}

int
proj_catch_up_many(rc_db *db, MDB_txn *txn, size_t expect)
{
	uint8_t hash[EVENT_HASH_LEN];
	uint64_t cp;
	uint32_t format;
	int rc;

	if ((rc = rs_checkpoint(db, txn, &cp, hash, &format)) != RC_OK)
		return rc;
	/* Another layout is replayed whole: a bulk mode of its own. */
	if (format != READ_FORMAT)
		return proj_catch_up(db, txn, NULL, NULL);
	if ((rc = bulk_begin(db, txn, RS_COPY, expect)) != RC_OK)
		return rc;
	if ((rc = proj_catch_up(db, txn, NULL, NULL)) != RC_OK) {
		proj_batch_end(db, txn, 0);
		return rc;
	}
	return proj_batch_end(db, txn, 1);
}

int
proj_replay_begin(rc_db *db, MDB_txn *txn, uint64_t events)
{
	uint8_t hash[EVENT_HASH_LEN];
	uint64_t head;
	int rc;

	if ((rc = rs_clear(db, txn)) != RC_OK ||
	    (rc = store_head(db, txn, &head, hash)) != RC_OK)
		return rc;
	return bulk_begin(db, txn, RS_REPLAY, (size_t)(events ? events :
	    head));
}

int
proj_replay_end(rc_db *db, MDB_txn *txn, int ok)
{
	return bulk_end(db, txn, NMODELS, ok);
}

int
proj_replay(rc_db *db, MDB_txn *txn, rc_progress_fn progress, void *ctx)
{
	int rc;

	if ((rc = proj_replay_begin(db, txn, 0)) != RC_OK)
		return rc;
	rc = proj_catch_up(db, txn, progress, ctx);
	if (rc != RC_OK) {
		proj_replay_end(db, txn, 0);
		return rc;
	}
	return proj_replay_end(db, txn, 1);
}
