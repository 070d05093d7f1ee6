/*
 * rm_errors.c - the projection errors read model: the events the read
 * side could not apply, by seq, with the reason (errors; layout in
 * record.h).  The desk carries on past them; status and verify show
 * them.
 */
#include <string.h>

#include "bytes.h"
#include "rm_errors.h"

static int
errors_refused(rc_db *db, MDB_txn *txn, uint64_t seq, const char *reason)
{
	uint8_t key[8];

	put_u64(key, seq);
	return rs_put(db, txn, DB_ERRORS, key, 8, reason, strlen(reason));
}

const struct read_model rm_errors = {
	.name = "errors",
	.refused = errors_refused,
};
