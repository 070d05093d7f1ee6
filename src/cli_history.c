/*
 * cli_history.c - `rollcall history STUDENT` (SPEC 7): every event about
 * one student, oldest first, with who, where and how, from the read
 * side's per-student index.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "clock.h"
#include "command.h"
#include "query.h"

#define NFIELDS 7

static void
history_fields(const struct rc_history *h, const char *at,
    struct cli_field f[NFIELDS])
{
	const struct cli_field tmpl[NFIELDS] = {
		{ "seq", CF_INT, NULL, (long long)h->seq },
		{ "recorded_at", CF_STR, at, 0 },
		{ "type", CF_STR, h->type, 0 },
		{ "actor", CF_TEXT, h->actor[0] ? h->actor : NULL, 0 },
		{ "desk", CF_TEXT, h->desk[0] ? h->desk : NULL, 0 },
		{ "source", CF_STR, h->source[0] ? h->source : NULL, 0 },
		{ "summary", CF_TEXT, h->summary, 0 },
	};
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		f[i] = tmpl[i];
}

static void
history_table(const struct rc_history *rows, size_t n)
{
	static const char *const head[NFIELDS] = {
		"SEQ", "RECORDED AT", "TYPE", "ACTOR", "DESK", "SOURCE",
		"SUMMARY"
	};
	struct cli_table *t = cli_table_new(NFIELDS, head, 1u);
	const char *cells[NFIELDS];
	char seq[24], at[32];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(seq, sizeof(seq), "%llu",
		    (unsigned long long)rows[i].seq);
		clock_format_utc(rows[i].recorded_at, at);
		cells[0] = seq;
		cells[1] = at;
		cells[2] = rows[i].type;
		cells[3] = rows[i].actor[0] ? rows[i].actor : "-";
		cells[4] = rows[i].desk[0] ? rows[i].desk : "-";
		cells[5] = rows[i].source[0] ? rows[i].source : "-";
		cells[6] = rows[i].summary;
		cli_table_add(t, cells);
	}
	cli_table_print(t, "");
	cli_table_free(t);
}

/* CSV and JSON written as the rows come (src/cli_json.c streams JSON). */
static void
history_data(const struct cli *c, const struct rc_history *rows, size_t n)
{
	struct cli_field f[NFIELDS];
	char at[32];
	size_t i;

	if (c->fmt == FMT_CSV) {
		history_fields(&(struct rc_history){ 0 }, "", f);
		cli_csv_header(f, NFIELDS);
	} else
		putchar('[');
	for (i = 0; i < n; i++) {
		clock_format_utc(rows[i].recorded_at, at);
		history_fields(&rows[i], at, f);
		if (c->fmt == FMT_CSV)
			cli_csv_row(f, NFIELDS);
		else {
			cli_jw_item(i, 1);
			cli_jw_fields(f, NFIELDS, 1, 0);
		}
	}
	if (c->fmt != FMT_CSV) {
		cli_jw_close(']', n, 0);
		putchar('\n');
	}
}

int
cli_history(struct cli *c)
{
	struct rc_history *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = query_history(c->db, c->pos[0], &rows, &n)) != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_TABLE)
		history_table(rows, n);
	else
		history_data(c, rows, n);
	free(rows);
	return RC_OK;
}

int
cli_compact(struct cli *c)
{
	uint64_t before = 0, after = 0;
	int rc;

	if ((rc = command_compact(c->db, &before, &after)) != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt == FMT_TABLE)
		printf("compacted %s: %llu bytes, was %llu\n", db_path(c->db),
		    (unsigned long long)after, (unsigned long long)before);
	else
		cli_record(c->fmt, (struct cli_field[]){
		    { "db_path", CF_STR, db_path(c->db), 0 },
		    { "db_bytes", CF_INT, NULL, (long long)after },
		    { "db_bytes_before", CF_INT, NULL, (long long)before } }, 3);
	return RC_OK;
}
