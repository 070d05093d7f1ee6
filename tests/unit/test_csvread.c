/*
 * test_csvread.c - CSV import files: header, quoting, line numbers and
 * errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"

#define MAX_ROWS 16
#define NCOLS 3

static char dir[64];
static char path[128];

static const struct csv_column students[NCOLS] = {
	{ "name", 1 },
	{ "email", 1 },
	{ "gender", 0 },
};

/* What the callback saw: values copied, NULL kept apart from "". */
struct rows {
	size_t n;
	int stop_at;		/* return 1 on this row (1-based), 0: never */
	unsigned long line[MAX_ROWS];
	int null[MAX_ROWS][NCOLS];
	char val[MAX_ROWS][NCOLS][64];
};

static int
collect(void *ctx, unsigned long line, const char *const *values,
    const char *problem)
{
	(void)problem;
	struct rows *r = ctx;
	size_t i;

	assert_true(r->n < MAX_ROWS);
	r->line[r->n] = line;
	for (i = 0; i < NCOLS; i++) {
		r->null[r->n][i] = values[i] == NULL;
		if (values[i] != NULL) {
			assert_true(strlen(values[i]) < 64);
			strcpy(r->val[r->n][i], values[i]);
		}
	}
	r->n++;
	return r->stop_at != 0 && (size_t)r->stop_at == r->n;
}

static void
write_file(const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Writes data (a string literal) and reads it with the student columns. */
static int
read_str(const char *data, size_t len, struct rows *r, char *err,
    size_t errlen)
{
	write_file(data, len);
	return csvread_file(path, students, NCOLS, collect, r, err, errlen);
}

#define READ(lit, r, err) read_str(lit, sizeof(lit) - 1, r, err, sizeof err)

static void
row_is(const struct rows *r, size_t i, unsigned long line, const char *name,
    const char *email, const char *gender)
{
	const char *want[NCOLS] = { name, email, gender };
	size_t c;

	assert_true(i < r->n);
	assert_int_equal(r->line[i], line);
	for (c = 0; c < NCOLS; c++) {
		if (want[c] == NULL) {
			assert_true(r->null[i][c]);
		} else {
			assert_false(r->null[i][c]);
			assert_string_equal(r->val[i][c], want[c]);
		}
	}
}

/* "FILE" in an expected message stands for the test file's path. */
static void
err_is(const char *err, const char *want)
{
	char buf[512];
	const char *p = strstr(want, "FILE");

	assert_non_null(p);
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - want), want, path,
	    p + 4);
	assert_string_equal(err, buf);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/rc_csvXXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/in.csv", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* Good files */

static void
test_basic(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email,gender\n"
	    "Ada Lovelace,ada@example.org,female\n"
	    "Bob,bob@example.org,\n", &r, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(r.n, 2);
	row_is(&r, 0, 2, "Ada Lovelace", "ada@example.org", "female");
	row_is(&r, 1, 3, "Bob", "bob@example.org", "");
}

static void
test_bom(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("\xef\xbb\xbfname,email\n"
	    "\xc3\x89lodie,e@example.org\n", &r, err), 0);
	assert_int_equal(r.n, 1);
	row_is(&r, 0, 2, "\xc3\x89lodie", "e@example.org", NULL);
}

static void
test_quoting(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email\n"
	    "\"Lovelace, Ada\",\"ada@example.org\"\n"
	    "\"Multi\nLine\",m@example.org\n"
	    "\"Ada \"\"The Countess\"\"\",c@example.org\n"
	    "Last,last@example.org\n", &r, err), 0);
	assert_int_equal(r.n, 4);
	row_is(&r, 0, 2, "Lovelace, Ada", "ada@example.org", NULL);
	row_is(&r, 1, 3, "Multi\nLine", "m@example.org", NULL);
	row_is(&r, 2, 5, "Ada \"The Countess\"", "c@example.org", NULL);
	row_is(&r, 3, 6, "Last", "last@example.org", NULL);
}

/* A row whose first field spans lines starts on its first line. */
static void
test_lines_after_multiline(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email\n"
	    "\"A\nB\nC\",a@example.org\n"
	    "D,\"d@example.org\"\n"
	    "E,\"e\n\n@example.org\"\n"
	    "F,f@example.org\n", &r, err), 0);
	assert_int_equal(r.n, 4);
	row_is(&r, 0, 2, "A\nB\nC", "a@example.org", NULL);
	row_is(&r, 1, 5, "D", "d@example.org", NULL);
	row_is(&r, 2, 6, "E", "e\n\n@example.org", NULL);
	row_is(&r, 3, 9, "F", "f@example.org", NULL);
}

static void
test_crlf(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email,gender\r\n"
	    "Ada,ada@example.org,female\r\n"
	    "\r\n"
	    "\"Two\r\nLines\",b@example.org,male\r\n"
	    "Cy,c@example.org,other\r\n", &r, err), 0);
	assert_int_equal(r.n, 3);
	row_is(&r, 0, 2, "Ada", "ada@example.org", "female");
	row_is(&r, 1, 4, "Two\r\nLines", "b@example.org", "male");
	row_is(&r, 2, 6, "Cy", "c@example.org", "other");
}

/* Columns in any order, any case, blanks around; extra ones ignored. */
static void
test_column_order(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ(" Gender ,notes,EMAIL,\tName\n"
	    "male,likes maths,bob@example.org,Bob\n", &r, err), 0);
	assert_int_equal(r.n, 1);
	row_is(&r, 0, 2, "Bob", "bob@example.org", "male");
}

static void
test_optional_absent(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("email,name\n"
	    "ada@example.org,Ada\n", &r, err), 0);
	assert_int_equal(r.n, 1);
	row_is(&r, 0, 2, "Ada", "ada@example.org", NULL);
}

static void
test_short_and_long_rows(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email,gender\n"
	    "Ada\n"
	    "Bob,bob@example.org\n"
	    "Cy,c@example.org,other,extra,more\n", &r, err), 0);
	assert_int_equal(r.n, 3);
	row_is(&r, 0, 2, "Ada", NULL, NULL);
	row_is(&r, 1, 3, "Bob", "bob@example.org", NULL);
	row_is(&r, 2, 4, "Cy", "c@example.org", "other");
}

/* Blank and whitespace-only lines, and rows of empty fields, are skipped. */
static void
test_blank_lines(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("\n\nname,email\n"
	    "\n"
	    "   \t\n"
	    "Ada,ada@example.org\n"
	    ",,\n"
	    "\n"
	    "Bob,bob@example.org", &r, err), 0);	/* no final newline */
	assert_int_equal(r.n, 2);
	row_is(&r, 0, 6, "Ada", "ada@example.org", NULL);
	row_is(&r, 1, 9, "Bob", "bob@example.org", NULL);
}

static void
test_header_only(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email\n", &r, err), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(READ("name,email", &r, err), 0);
	assert_int_equal(r.n, 0);
}

/* Trailing empty header cells, as spreadsheets write them, are fine. */
static void
test_empty_header_cells(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email,,\n"
	    "Ada,ada@example.org,,\n", &r, err), 0);
	assert_int_equal(r.n, 1);
	row_is(&r, 0, 2, "Ada", "ada@example.org", NULL);
}

static void
test_stop(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	r.stop_at = 2;
	assert_int_equal(READ("name,email\n"
	    "A,a@example.org\nB,b@example.org\nC,c@example.org\n",
	    &r, err), -2);
	assert_int_equal(r.n, 2);

	memset(&r, 0, sizeof r);	/* stopping on the last, unended row */
	r.stop_at = 1;
	assert_int_equal(READ("name,email\nA,a@example.org", &r, err), -2);
	assert_int_equal(r.n, 1);
}

/* Many rows, so lines and quoted newlines straddle the read chunks. */
static int
check_big(void *ctx, unsigned long line, const char *const *values,
    const char *problem)
{
	(void)problem;
	unsigned long *next = ctx;	/* [0] row number, [1] its line */
	char want[64];

	assert_int_equal(line, next[1]);
	snprintf(want, sizeof want, "%s%lu", next[0] % 7 ? "n" : "m\nx",
	    next[0]);
	assert_string_equal(values[0], want);
	snprintf(want, sizeof want, "s%lu@example.org", next[0]);
	assert_string_equal(values[1], want);
	next[1] += next[0] % 7 ? 1 : 2;
	next[0]++;
	return 0;
}

static void
test_big_file(void **state)
{
	FILE *fp;
	unsigned long i, next[2] = { 0, 2 };
	char err[256] = "";

	(void)state;
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("name,email\n", fp);
	for (i = 0; i < 5000; i++) {
		if (i % 7)
			fprintf(fp, "n%lu,s%lu@example.org\n", i, i);
		else
			fprintf(fp, "\"m\nx%lu\",s%lu@example.org\n", i, i);
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(csvread_file(path, students, NCOLS, check_big, next,
	    err, sizeof err), 0);
	assert_int_equal(next[0], 5000);
}

/*
 * Only the file's first bytes can be a BOM: later a U+FEFF is data.
 * Header and rows are 16 bytes each, so some row starts exactly where
 * any power-of-two sized read chunk does.
 */
static int
check_feff(void *ctx, unsigned long line, const char *const *values,
    const char *problem)
{
	(void)problem;
	unsigned long *n = ctx;

	assert_int_equal(line, *n + 2);
	assert_string_equal(values[0], "\xef\xbb\xbfNN");
	assert_string_equal(values[1], "e@xyz.org");
	(*n)++;
	return 0;
}

static void
test_feff_in_data(void **state)
{
	FILE *fp;
	unsigned long i, n = 0;
	char err[256] = "";

	(void)state;
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("name,email,note\n", fp);
	for (i = 0; i < 4096; i++)
		fputs("\xef\xbb\xbfNN,e@xyz.org\n", fp);
	assert_int_equal(ftell(fp), 16 * 4097);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(csvread_file(path, students, NCOLS, check_feff, &n,
	    err, sizeof err), 0);
	assert_int_equal(n, 4096);
}

/* ------------------------------------------------------------------ */
/* Bad files */

static void
test_missing_column(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,gender\nAda,female\n", &r, err), -1);
	err_is(err, "FILE:1: missing column email");
	assert_int_equal(r.n, 0);
	assert_int_equal(READ("\n\nemail\nada@example.org\n", &r, err), -1);
	err_is(err, "FILE:3: missing column name");
	assert_int_equal(READ("nam,e-mail\n", &r, err), -1);
	err_is(err, "FILE:1: missing column name");
}

static void
test_duplicate_column(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email, Email \nA,a@example.org,b\n",
	    &r, err), -1);
	err_is(err, "FILE:1: duplicate column email");
	assert_int_equal(r.n, 0);
	assert_int_equal(READ("notes,name,email,NOTES\n", &r, err), -1);
	err_is(err, "FILE:1: duplicate column notes");
	/* the name is escaped in the message */
	assert_int_equal(READ("\"a\x1b\",name,email,\"A\x1b\"\n", &r, err),
	    -1);
	err_is(err, "FILE:1: duplicate column a\\x1b");
}

static void
test_malformed(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email\n"
	    "Ada,ada@example.org\n"
	    "B\"ob,bob@example.org\n", &r, err), -1);
	err_is(err, "FILE:3: malformed CSV (a quote in the wrong place)");

	memset(&r, 0, sizeof r);
	assert_int_equal(READ("name,email\n"
	    "\"Multi\nline\",m@example.org\n"
	    "\"Bob\"x,bob@example.org\n", &r, err), -1);
	err_is(err, "FILE:4: malformed CSV (a quote in the wrong place)");
	assert_int_equal(r.n, 1);

	memset(&r, 0, sizeof r);
	assert_int_equal(READ("name,email\n"
	    "Ada,ada@example.org\n"
	    "\"Bob,bob@example.org\n"
	    "Cy,c@example.org\n", &r, err), -1);
	err_is(err, "FILE:3: malformed CSV (a quoted field is not closed)");
}

static void
test_nul_byte(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("name,email\nA\0da,ada@example.org\n", &r, err),
	    -1);
	err_is(err, "FILE:2: a field contains a NUL byte");
	assert_int_equal(r.n, 0);
}

static void
test_empty_file(void **state)
{
	struct rows r = { 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(READ("", &r, err), -1);
	err_is(err, "FILE: the file is empty (expected a header row)");
	assert_int_equal(READ("\xef\xbb\xbf\n\n", &r, err), -1);
	err_is(err, "FILE: the file is empty (expected a header row)");
}

static void
test_open_errors(void **state)
{
	struct rows r = { 0 };
	char err[256] = "", want[256];

	(void)state;
	snprintf(want, sizeof want, "%s/nope.csv", dir);
	assert_int_equal(csvread_file(want, students, NCOLS, collect, &r,
	    err, sizeof err), -1);
	strcat(want, ": No such file or directory");
	assert_string_equal(err, want);

	assert_int_equal(csvread_file(dir, students, NCOLS, collect, &r,
	    err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: Is a directory", dir);
	assert_string_equal(err, want);
	assert_int_equal(r.n, 0);
}

/* A short error buffer still ends in a NUL. */
static void
test_small_err(void **state)
{
	struct rows r = { 0 };
	char err[8];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(READ("name\n", &r, err), -1);
	assert_int_equal(strlen(err), sizeof err - 1);
	assert_memory_equal(err, path, sizeof err - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_lines_after_multiline),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_column_order),
		cmocka_unit_test(test_optional_absent),
		cmocka_unit_test(test_short_and_long_rows),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_empty_header_cells),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_feff_in_data),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_duplicate_column),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_small_err),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
