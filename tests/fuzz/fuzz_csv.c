/*
 * fuzz_csv.c - libFuzzer harness for the CSV reader the imports use.
 *
 * The bytes become a file; csvread_file reads it as a students file and
 * as an attendance file, and every row is put through what the import
 * does with it (the validators and the time parser).  It must return
 * one of its documented codes, give a "FILE..." message on failure, and
 * hand the callback only NUL-terminated values and sane line numbers.
 *
 * regress/csv/ holds the file with a lone CR on which rows were once
 * numbered "line 1": libcsv ends a row there, so a line must end too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "csvread.h"
#include "event.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char path[64];

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_csv: %s\n", what);
	abort();
}

struct seen {
	size_t ncols;
	unsigned long last_line, lines;
	size_t rows;
};

static int
row(void *ctx, unsigned long line, const char *const *v, const char *problem)
{
	(void)problem;
	struct seen *s = ctx;
	char name[RC_NAME_MAX + 1], email[RC_EMAIL_MAX + 1];
	struct rc_local at;
	const char *why;
	size_t i;
	int g;

	if (line < 2 || line <= s->last_line || line > s->lines + 1)
		die("row line number out of order or range");
	s->last_line = line;
	s->rows++;
	if (problem != NULL && *problem == 0)
		die("an empty problem");
	for (i = 0; i < s->ncols; i++)
		if (v[i] != NULL)
			(void)strlen(v[i]);
	if (s->ncols == 3) {
		validate_name(v[0] ? v[0] : "", name, sizeof name, &why);
		validate_email(v[1] ? v[1] : "", email, sizeof email, &why);
		if (v[2])
			validate_gender(v[2], &g, &why);
	} else if (v[1])
		clock_parse_datetime(v[1], &at);
	return s->rows > 5000;	/* exercise the early stop too */
}

static void
remove_file(void)
{
	unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)argc, (void)argv;
	snprintf(path, sizeof path, "%s/fuzzcsv.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	atexit(remove_file);
	return 0;
}

static void
read_as(const struct csv_column *cols, size_t ncols, unsigned long lines)
{
	struct seen s = { ncols, 0, lines, 0 };
	char err[512];
	int rc;

	err[0] = 'x';
	rc = csvread_file(path, cols, ncols, row, &s, err, sizeof err);
	if (rc != 0 && rc != -1 && rc != -2)
		die("undocumented return code");
	if (rc == -1 && strncmp(err, path, strlen(path)) != 0)
		die("error message does not start with the file name");
	if (rc == -2 && s.rows <= 5000)
		die("stopped although the callback did not ask");
	if (strlen(err) >= sizeof err)
		die("error message overran");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct csv_column students[] = {
		{ "name", 1 }, { "email", 1 }, { "gender", 0 }
	};
	static const struct csv_column attendance[] = {
		{ "student", 1 }, { "arrived_at", 1 }
	};
	unsigned long lines = 1;
	FILE *fp;
	size_t i;

	/* A line ends at LF, at CR LF, or at a CR alone. */
	for (i = 0; i < size; i++)
		lines += data[i] == '\n' ||
		    (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	read_as(students, 3, lines);
	read_as(attendance, 2, lines);
	return 0;
}
