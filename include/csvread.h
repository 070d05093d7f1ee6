/*
 * csvread.h - reading the CSV files rollcall imports (libcsv underneath).
 *
 * RFC 4180 quoting, a header row naming the columns (any order, matched
 * case-insensitively after trimming), UTF-8 with an optional BOM.
 */
#ifndef ROLLCALL_CSVREAD_H
#define ROLLCALL_CSVREAD_H

#include <stddef.h>

struct csv_column {
	const char *name;	/* header text to look for */
	int required;		/* 1, 0, or CSV_ONE_OF */
};

/* Columns marked so are each optional, but the header needs one of them. */
#define CSV_ONE_OF 2

/*
 * Called once per data row (blank lines are skipped) with the value of
 * each wanted column, in the order of `cols`: NUL-terminated, NULL for an
 * optional column the file lacks or a row too short to reach it.  `line`
 * is the row's first physical line number (the header is line 1).  The
 * values live only during the call.  `problem` is NULL, or says why the
 * row is malformed (more fields than the header has).  Return non-zero
 * to stop.
 */
typedef int (*csv_row_fn)(void *ctx, unsigned long line,
    const char *const *values, const char *problem);

/*
 * Read `path`.  Returns 0 when every row was passed to fn; -1 with a
 * message in err (already prefixed "FILE:LINE: " where a line applies)
 * when the file cannot be read, is not valid CSV, or lacks a required
 * column; -2 when fn stopped early.
 */
int csvread_file(const char *path, const struct csv_column *cols,
    size_t ncols, csv_row_fn fn, void *ctx, char *err, size_t errlen);

/*
 * As csvread_file, and also names the header's columns that match none
 * of `cols` in `unknown` (escaped, joined by ", "; empty when there are
 * none; cut short when it does not fit), so they can be warned about.
 */
int csvread_file_noting(const char *path, const struct csv_column *cols,
    size_t ncols, csv_row_fn fn, void *ctx, char *unknown, size_t unknownlen,
    char *err, size_t errlen);

#endif
