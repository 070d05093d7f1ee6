/*
 * pair.c - durable check-in latency of two databases, interleaved check-in
 * by check-in in one process, so that the machine's load (the disk here
 * is shared, and its latency moves 10x within seconds) falls on both
 * alike and their ratio means something.
 *
 *   pair KIND NAME DIR FILE  KIND NAME DIR FILE  FROM TO
 *
 * KIND is "rollcall" (command_checkin() through the core API) or "floor"
 * (the raw-LMDB floor of floor.c).  Rows [FROM, TO) of each FILE
 * (student,arrived_at) are checked in, each as its own durable command,
 * A then B, then B then A, and so on.  For each NAME prints the median
 * and p99 latency and the mean KiB written per check-in (wchar: what the
 * commit passed to the kernel, repeatable whatever the load).
 *
 * ROLLCALL_NOW (and TZ) come from the environment, as for the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "command.h"
#include "db.h"
#include "floor.h"
#include "util.h"

struct side {
	const char *name;
	rc_db *db;		/* KIND rollcall */
	struct floor *floor;	/* KIND floor */
	struct util_row *rows;
	size_t nrows;
	uint64_t *ns, *bytes;
};

static void
rollcall_checkin(rc_db *db, const struct util_row *r, uint64_t *ns,
    uint64_t *bytes)
{
	struct rc_checkin out;
	struct rc_local at;
	uint64_t w0, t0;

	if (clock_parse_datetime(r->at, &at) != 0)
		util_die("bad time %s", r->at);
	w0 = util_wchar();
	t0 = util_now_ns();
	if (command_checkin(db, r->student, &at, &out) != RC_OK)
		util_die("%s: %s", r->student, db_error(db));
	*ns = util_now_ns() - t0;
	*bytes = util_wchar() - w0;
}

static void
side_open(struct side *s, char **arg, size_t n)
{
	char err[512];

	memset(s, 0, sizeof(*s));
	s->name = arg[1];
	util_read_rows(arg[3], &s->rows, &s->nrows);
	if (strcmp(arg[0], "floor") == 0)
		s->floor = floor_lib_open(arg[2]);
	else if (strcmp(arg[0], "rollcall") == 0) {
		if (db_open(arg[2], &s->db, err, sizeof(err)) != RC_OK)
			util_die("%s", err);
		/* Catch up now: the first check-in must not pay for it. */
		if (db_catch_up(s->db) != RC_OK)
			util_die("%s", db_error(s->db));
	} else
		util_die("pair: kind is floor or rollcall, not %s", arg[0]);
	s->ns = calloc(n + 1, sizeof(*s->ns));
	s->bytes = calloc(n + 1, sizeof(*s->bytes));
	if (s->ns == NULL || s->bytes == NULL)
		util_die("out of memory");
}

static void
side_checkin(struct side *s, size_t row, size_t i)
{
	if (row >= s->nrows)
		util_die("pair: %s has no row %zu", s->name, row);
	if (s->floor)
		floor_lib_checkin(s->floor, s->rows[row].student,
		    s->rows[row].at, &s->ns[i], &s->bytes[i]);
	else
		rollcall_checkin(s->db, &s->rows[row], &s->ns[i],
		    &s->bytes[i]);
}

/* Median and p99 latency and mean KiB written; then close. */
static void
side_report(struct side *s, size_t n)
{
	char fig[128];
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (double)s->bytes[i];
	snprintf(fig, sizeof(fig), "%s_median", s->name);
	util_figure(fig, (double)util_quantile(s->ns, n, 0.5) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_p99", s->name);
	util_figure(fig, (double)util_quantile(s->ns, n, 0.99) / 1e6, "ms");
	snprintf(fig, sizeof(fig), "%s_written", s->name);
	util_figure(fig, n ? sum / (double)n / 1024 : 0, "KiB");
	if (s->floor)
		floor_lib_close(s->floor);
	else
		db_close(s->db);
	free(s->rows);
	free(s->ns);
	free(s->bytes);
}

int
main(int argc, char **argv)
{
	struct side a, b;
	size_t from, to, i;

	if (argc != 11) {
		fprintf(stderr, "usage: pair KIND NAME DIR FILE KIND NAME DIR "
		    "FILE FROM TO\n");
		return 2;
	}
	from = util_number(argv[9]);
	to = util_number(argv[10]);
	if (from > to)
		util_die("pair: rows %zu-%zu", from, to);
	side_open(&a, argv + 1, to - from);
	side_open(&b, argv + 5, to - from);
	for (i = 0; i < to - from; i++) {
		if (i % 2 == 0) {
			side_checkin(&a, from + i, i);
			side_checkin(&b, from + i, i);
		} else {
			side_checkin(&b, from + i, i);
			side_checkin(&a, from + i, i);
		}
	}
	side_report(&a, to - from);
	side_report(&b, to - from);
	return 0;
}
