/*
 * fuzz_cli.c - libFuzzer harness for the command line: argv parsing,
 * option checking and every command and query behind cli_main().
 *
 * The input is split at newlines into argv.  Each run uses a database in
 * a private temporary directory (reset every few hundred runs so it
 * neither grows forever nor stays empty), a fixed ROLLCALL_NOW, and two
 * small CSV files, s.csv and a.csv, that imports may name.  Inputs that
 * would leave that sandbox or never end are skipped: --db (any other
 * directory), --follow (runs until interrupted) and arguments naming a
 * path with '/'.  The exit status must be one of 0-3.
 */
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_ARGS 24

static char dir[256], dbdir[300];
static unsigned long runs;

static void
write_file(const char *name, const char *text)
{
	FILE *fp = fopen(name, "w");

	if (fp == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
}

static void
remove_db(void)
{
	char f[400];

	snprintf(f, sizeof f, "%s/data.mdb", dbdir);
	unlink(f);
	snprintf(f, sizeof f, "%s/lock.mdb", dbdir);
	unlink(f);
	rmdir(dbdir);
}

static void
cleanup(void)
{
	remove_db();
	unlink("s.csv");
	unlink("a.csv");
	if (chdir("/") == 0)
		rmdir(dir);
}

/* A database with a few students, so that commands find someone. */
static void
seed_db(void)
{
	static char *add1[] = { "rollcall", "add", "--name", "Ada Lovelace",
	    "--email", "ada@example.org", NULL };
	static char *add2[] = { "rollcall", "add", "--name", "Bob",
	    "--email", "bob@example.org", "--gender", "male", NULL };
	static char *imp[] = { "rollcall", "import", "students", "s.csv",
	    NULL };
	static char *att[] = { "rollcall", "import", "attendance", "a.csv",
	    NULL };

	remove_db();
	cli_main(6, add1);
	cli_main(8, add2);
	cli_main(4, imp);
	cli_main(4, att);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)argc, (void)argv;
	setlocale(LC_ALL, "");
	snprintf(dir, sizeof dir, "%s/fuzzcli.XXXXXX",
	    tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		abort();
	snprintf(dbdir, sizeof dbdir, "%s/db", dir);
	setenv("ROLLCALL_DB", dbdir, 1);
	setenv("ROLLCALL_NOW", "2025-09-01T08:30:00", 1);
	setenv("TZ", "UTC", 1);
	unsetenv("XDG_DATA_HOME");
	write_file("s.csv", "name,email,gender\nCy,cy@example.org,other\n"
	    "\"Di, Jr.\",di@example.org,\n");
	write_file("a.csv", "student,arrived_at\ncy@example.org,"
	    "2025-08-29T08:50\ndi@example.org,2025-08-29T09:10:00\n");
	/* The desk must never start: no terminal on stdin or stdout. */
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
	}
	atexit(cleanup);
	seed_db();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2], *p, *nl;
	int argc = 1, rc;

	if (size > 4096)
		return 0;
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[0] = "rollcall";
	for (p = buf; argc <= MAX_ARGS; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + size - p));
		if (nl)
			*nl = 0;
		/* argv strings end at their first NUL, as the kernel's do. */
		if (strncmp(p, "--db", 4) == 0 ||
		    strncmp(p, "--follow", 8) == 0 || strchr(p, '/')) {
			free(buf);
			return 0;
		}
		argv[argc++] = p;
		if (nl == NULL)
			break;
	}
	argv[argc] = NULL;
	if (++runs % 500 == 0)
		seed_db();
	rc = cli_main(argc, argv);
	if (rc < 0 || rc > 3) {
		fprintf(stderr, "fuzz_cli: exit status %d\n", rc);
		abort();
	}
	free(buf);
	return 0;
}
