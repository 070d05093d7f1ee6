/*
 * cli.c - the command line: argv in, one command or query, result out.
 *
 * One table, cli_commands[], says what each command is called, what it takes
 * and which function runs it; parsing, checking, dispatch and every help
 * text are generated from it, so help cannot drift from behaviour.
 *
 * A run goes: parse argv (options may sit anywhere, GNU style), answer
 * --help or --version, report usage errors (exit 2), check the values
 * (exit 1 when one is empty or invalid), open the database, call one
 * command_* or query_* function, print, close.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "cli.h"
#include "clock.h"
#include "db.h"
#include "event.h"
#include "tui.h"
#include "validate.h"

#ifndef ROLLCALL_VERSION
#define ROLLCALL_VERSION "0.1.0"
#endif

struct option_info {
	const char *name;
	const char *arg;
	const char *help;
};

static const struct option_info options[OPT_COUNT] = {
#define X(sym, name, arg, help) { name, arg, help },
	CLI_OPTIONS(X)
#undef X
};

/* What argv said, before any value is checked. */
struct args {
	const char *val[OPT_COUNT];	/* value of each option given */
	unsigned seen;			/* BIT(opt) for each given */
	char **pos;
	int npos;
	char usage[256];		/* the first usage error, if any */
};

/* ---- parsing ---------------------------------------------------------- */

static void
usage_error(struct args *a, const char *fmt, const char *what)
{
	if (a->usage[0] == '\0')
		snprintf(a->usage, sizeof(a->usage), fmt, what);
}

static int
find_option(const char *name, size_t len)
{
	int i;

	for (i = 0; i < OPT_COUNT; i++)
		if (strlen(options[i].name) == len &&
		    strncmp(options[i].name, name, len) == 0)
			return i;
	return -1;
}

/*
 * Take the option at argv[*i], consuming its value (the next argument
 * unless given as --opt=value).  Errors are kept, not reported, so that
 * a --help further on still wins.
 */
static void
parse_option(struct args *a, int argc, char **argv, int *i)
{
	const char *s = argv[*i], *eq;
	size_t len;
	int o;

	if (strcmp(s, "-h") == 0) {
		a->seen |= BIT(OPT_HELP);
		return;
	}
	if (s[1] != '-') {
		usage_error(a, "unknown option '%s'", s);
		return;
	}
	eq = strchr(s + 2, '=');
	len = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
	if ((o = find_option(s + 2, len)) < 0) {
		usage_error(a, "unknown option '%s'", s);
		return;
	}
	if (options[o].arg == NULL) {
		if (eq)
			usage_error(a, "option --%s takes no value",
			    options[o].name);
		else
			a->seen |= BIT(o);
		return;
	}
	if (eq) {
		a->val[o] = eq + 1;
	} else if (*i + 1 < argc) {
		a->val[o] = argv[++*i];
	} else {
		usage_error(a, "option --%s needs a value", options[o].name);
		return;
	}
	a->seen |= BIT(o);
}

/*
 * "-" alone and "-" before a digit are arguments, so that a value such
 * as a negative number reaches the check that refuses it (exit 1).
 */
static int
is_option(const char *s)
{
	return s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9');
}

static void
parse_args(int argc, char **argv, struct args *a)
{
	int i, options_end = 0;

	memset(a, 0, sizeof(*a));
	if ((a->pos = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		cli_oom();
	for (i = 1; i < argc; i++) {
		if (!options_end && strcmp(argv[i], "--") == 0)
			options_end = 1;
		else if (!options_end && is_option(argv[i]))
			parse_option(a, argc, argv, &i);
		else
			a->pos[a->npos++] = argv[i];
	}
}

/* Whether command i is one of the family `name` ("import ..."). */
static int
in_family(size_t i, const char *name)
{
	return cli_commands[i].sub && strcmp(cli_commands[i].name, name) == 0;
}

/* Whether name heads a family of commands with a second word. */
static int
is_family(const char *name)
{
	size_t i;

	for (i = 0; i < cli_ncommands; i++)
		if (in_family(i, name))
			return 1;
	return 0;
}

/* The second words of a family, for people: "students or attendance". */
static void
family_words(const char *name, char *out, size_t cap)
{
	size_t i, n = 0, k = 0, len = 0;

	out[0] = '\0';
	for (i = 0; i < cli_ncommands; i++)
		n += in_family(i, name);
	for (i = 0; i < cli_ncommands && len < cap; i++) {
		if (!in_family(i, name))
			continue;
		k++;
		len += (size_t)snprintf(out + len, cap - len, "%s%s",
		    k == 1 ? "" : k == n ? " or " : ", ", cli_commands[i].sub);
	}
}

/*
 * The command named by the first positional words, setting *words to how
 * many it used.  NULL with no words; NULL with a message in *err for an
 * unknown command.  A family's name alone (or with an unknown second
 * word) finds no command but sets *family so that help can still
 * describe the whole family.
 */
static const struct cli_command *
find_command(const struct args *a, int *words, const char **family,
    char *err, size_t errlen)
{
	char subs[200];
	size_t i;

	*words = 0;
	*family = NULL;
	if (a->npos == 0)
		return NULL;
	if (is_family(a->pos[0])) {
		*family = a->pos[0];
		family_words(*family, subs, sizeof(subs));
		if (a->npos < 2) {
			snprintf(err, errlen, "%s needs what to %s: %s",
			    *family, *family, subs);
			return NULL;
		}
		for (i = 0; i < cli_ncommands; i++)
			if (in_family(i, *family) &&
			    strcmp(cli_commands[i].sub, a->pos[1]) == 0) {
				*words = 2;
				return &cli_commands[i];
			}
		snprintf(err, errlen, "cannot %s '%s': %s", *family,
		    a->pos[1], subs);
		return NULL;
	}
	for (i = 0; i < cli_ncommands; i++)
		if (cli_commands[i].sub == NULL &&
		    strcmp(cli_commands[i].name, a->pos[0]) == 0) {
			*words = 1;
			return &cli_commands[i];
		}
	snprintf(err, errlen, "unknown command '%s' (see rollcall --help)",
	    a->pos[0]);
	return NULL;
}

/* ---- help ------------------------------------------------------------- */

/* Append one word of a synopsis, wrapping before column 80. */
static void
synopsis_word(FILE *f, int *col, const char *fmt, const char *a,
    const char *b)
{
	char word[128];
	int n;

	n = snprintf(word, sizeof(word), fmt, a, b);
	if (*col + 1 + n > 79) {
		fputs("\n               ", f);
		*col = 15;
	}
	fprintf(f, " %s", word);
	*col += 1 + n;
}

/* An option's argument name: --from and --to of publish, replica are URLs. */
static const char *
option_arg(int o, const struct cli_command *cmd)
{
	if ((o == OPT_FROM || o == OPT_TO) && cmd && (cmd->flags & CMD_URL))
		return "URL";
	return options[o].arg;
}

static void
print_synopsis(FILE *f, const struct cli_command *cmd)
{
	const char *arg;
	int o, col;

	col = fprintf(f, "usage: rollcall [--db DIR] %s", cmd->name);
	if (cmd->sub)
		synopsis_word(f, &col, "%s%s", cmd->sub, "");
	if (cmd->args[0])
		synopsis_word(f, &col, "%s%s", cmd->args, "");
	for (o = 0; o < OPT_COUNT; o++) {
		if (!(cmd->opts & BIT(o)))
			continue;
		arg = option_arg(o, cmd);
		if (cmd->need & BIT(o))
			synopsis_word(f, &col, "--%s %s", options[o].name,
			    arg);
		else if (arg)
			synopsis_word(f, &col, "[--%s %s]", options[o].name,
			    arg);
		else
			synopsis_word(f, &col, "[--%s]%s", options[o].name,
			    "");
	}
	synopsis_word(f, &col, "[--format FORMAT]%s%s", "", "");
	fputc('\n', f);
}

static void
print_option(FILE *f, int o, const struct cli_command *cmd)
{
	char left[64];
	const char *help = options[o].help;

	if (o == OPT_HELP)
		snprintf(left, sizeof(left), "-h, --help");
	else if (option_arg(o, cmd))
		snprintf(left, sizeof(left), "--%s %s", options[o].name,
		    option_arg(o, cmd));
	else
		snprintf(left, sizeof(left), "--%s", options[o].name);
	if (o == OPT_FORMAT && cmd && (cmd->flags & CMD_JSONL))
		help = "table (default), csv, json or jsonl";
	if ((o == OPT_FROM || o == OPT_TO) && cmd && (cmd->flags & CMD_URL))
		help = "the NATS server, nats://HOST:PORT";
	if (o == OPT_FOLLOW && cmd && (cmd->flags & CMD_URL))
		help = "keep going: new events, and a server that went away";
	if (strlen(left) > 20)
		fprintf(f, "  %s\n  %-20s  %s\n", left, "", help);
	else
		fprintf(f, "  %-20s  %s\n", left, help);
}

static void
command_help(FILE *f, const struct cli_command *cmd)
{
	int o;

	print_synopsis(f, cmd);
	fprintf(f, "\n%s\n", cmd->about);
	if (strstr(cmd->args, "STUDENT"))
		fputs("\nSTUDENT is a student id, email address or code.\n", f);
	fputs("\nOptions:\n", f);
	for (o = 0; o < OPT_COUNT; o++)
		if ((cmd->opts | COMMON) & BIT(o))
			print_option(f, o, cmd);
}

static void
family_help(FILE *f, const char *family)
{
	size_t i;
	int first = 1;

	for (i = 0; i < cli_ncommands; i++) {
		if (!in_family(i, family))
			continue;
		if (!first)
			fputc('\n', f);
		command_help(f, &cli_commands[i]);
		first = 0;
	}
}

static void
general_help(FILE *f)
{
	char name[32];
	size_t i;

	fputs("usage: rollcall [--db DIR] [COMMAND [ARGS]]\n"
	    "\n"
	    "rollcall is an attendance desk.  With no command, on a terminal,\n"
	    "it opens the desk: a full-screen, keyboard-driven interface.\n"
	    "\n"
	    "Commands:\n", f);
	for (i = 0; i < cli_ncommands; i++) {
		snprintf(name, sizeof(name), "%s%s%s", cli_commands[i].name,
		    cli_commands[i].sub ? " " : "",
		    cli_commands[i].sub ? cli_commands[i].sub : "");
		fprintf(f, "  %-19s %s\n", name, cli_commands[i].summary);
	}
	fputs("\nOptions, anywhere on the line:\n", f);
	print_option(f, OPT_DB, NULL);
	print_option(f, OPT_AS, NULL);
	fputs("  --format FORMAT       table (default), csv or json; events "
	    "also jsonl\n", f);
	print_option(f, OPT_HELP, NULL);
	print_option(f, OPT_VERSION, NULL);
	fputs("\n"
	    "STUDENT is a student id, email address or code.  'rollcall "
	    "COMMAND\n--help' "
	    "shows a command's arguments and options.\n"
	    "\n"
	    "The database is --db DIR, else $ROLLCALL_DB, else\n"
	    "$XDG_DATA_HOME/rollcall, else ~/.local/share/rollcall.\n"
	    "ROLLCALL_NOW=" TIME_ARG " replaces the clock.\n"
	    "Every event records who (--as, else $ROLLCALL_ACTOR, else the\n"
	    "login name) and where ($ROLLCALL_DESK, else the host name).\n"
	    "\n"
	    "Exit status: 0 success, 1 refused, 2 usage error, 3 storage or "
	    "system\nerror.  See rollcall(1).\n", f);
}

/* ---- checking values -------------------------------------------------- */

/* Check argument counts and required options: usage errors (2). */
static int
check_usage(const struct cli_command *cmd, const struct args *a, int npos)
{
	unsigned extra = a->seen & ~(cmd->opts | COMMON);
	int o;

	for (o = 0; o < OPT_COUNT; o++)
		if (extra & BIT(o)) {
			cli_error("%s does not take --%s", cmd->name,
			    options[o].name);
			return RC_USAGE;
		}
	if (npos < cmd->minpos) {
		cli_error("%s%s%s needs %s", cmd->name, cmd->sub ? " " : "",
		    cmd->sub ? cmd->sub : "", cmd->args);
		return RC_USAGE;
	}
	if (npos > cmd->maxpos) {
		cli_error("too many arguments for %s", cmd->name);
		return RC_USAGE;
	}
	for (o = 0; o < OPT_COUNT; o++)
		if ((cmd->need & BIT(o)) && !(a->seen & BIT(o))) {
			cli_error("%s needs --%s", cmd->name, options[o].name);
			return RC_USAGE;
		}
	if ((cmd->flags & CMD_CONTACT) &&
	    !(a->seen & (BIT(OPT_EMAIL) | BIT(OPT_CODE)))) {
		cli_error("%s needs --email or --code", cmd->name);
		return RC_USAGE;
	}
	if ((cmd->flags & CMD_ANY_OPT) && !(a->seen & cmd->opts)) {
		cli_error("%s needs one of its options (see rollcall %s "
		    "--help)", cmd->name, cmd->name);
		return RC_USAGE;
	}
	return RC_OK;
}

static int
parse_format(const struct cli_command *cmd, const char *s, enum cli_format *fmt)
{
	if (s == NULL || strcmp(s, "table") == 0)
		*fmt = FMT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*fmt = FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*fmt = FMT_JSON;
	else if (strcmp(s, "jsonl") == 0 && (cmd->flags & CMD_JSONL))
		*fmt = FMT_JSONL;
	else {
		cli_error("invalid format '%s': expected table, csv%s", s,
		    (cmd->flags & CMD_JSONL) ? ", json or jsonl" : " or json");
		return RC_REFUSED;
	}
	return RC_OK;
}

/* A sequence number: digits only, 0 meaning the start as 1 does. */
static int
parse_seq(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v ? v : 1;
	return 0;
}

/* --clear's value: email, code or gender. */
static int
parse_clear(const char *s, unsigned *bits)
{
	if (strcmp(s, "email") == 0)
		*bits = UPD_EMAIL;
	else if (strcmp(s, "code") == 0)
		*bits = UPD_CODE;
	else if (strcmp(s, "gender") == 0)
		*bits = UPD_GENDER;
	else
		return -1;
	return 0;
}

/*
 * The student fields are checked here, with the core's own validators,
 * so that a refused add never creates a database on first use.
 */
static int
check_student_fields(const struct cli *c)
{
	char buf[RC_NAME_MAX + RC_EMAIL_MAX + RC_REASON_MAX + 3];
	const char *why;
	int g;

	if (c->name && validate_name(c->name, buf, sizeof(buf), &why) != 0)
		goto bad;
	if (c->email && validate_email(c->email, buf, sizeof(buf), &why) != 0)
		goto bad;
	if (c->code && validate_code(c->code, buf, sizeof(buf), &why) != 0)
		goto bad;
	if (c->gender && validate_gender(c->gender, &g, &why) != 0)
		goto bad;
	if (c->reason && validate_reason(c->reason, buf, sizeof(buf),
	    &why) != 0)
		goto bad;
	return RC_OK;
bad:
	cli_error("%s", why);
	return RC_REFUSED;
}

/* A day option's value into *day; refusals (1) name the option. */
static int
parse_day_option(const char *opt, const char *v, int32_t *day)
{
	if (clock_parse_day(v, day) != 0) {
		cli_error("invalid day '%s' for --%s: expected YYYY-MM-DD", v,
		    opt);
		return RC_REFUSED;
	}
	return RC_OK;
}

/* The options of SPEC 6: day ranges, excuses, report filters. */
static int
check_range_values(const struct cli_command *cmd, const struct args *a,
    struct cli *c)
{
	int rc;

	c->note = a->val[OPT_NOTE];
	c->student = a->val[OPT_STUDENT];
	c->sort = a->val[OPT_SORT];
	c->withdraw = (a->seen & BIT(OPT_WITHDRAW)) != 0;
	c->chronic = (a->seen & BIT(OPT_CHRONIC)) != 0;
	c->unset = (a->seen & BIT(OPT_UNSET)) != 0;
	c->below = -1;
	if ((cmd->flags & CMD_RANGE) && a->val[OPT_FROM]) {
		if ((rc = parse_day_option("from", a->val[OPT_FROM],
		    &c->from_day)) != RC_OK)
			return rc;
		c->has_from_day = 1;
	}
	c->to = c->day;
	if (cmd->flags & CMD_URL)
		c->to_url = a->val[OPT_TO];
	else if (a->val[OPT_TO]) {
		if ((rc = parse_day_option("to", a->val[OPT_TO], &c->to)) !=
		    RC_OK)
			return rc;
		c->has_to = 1;
	}
	if (a->val[OPT_BELOW] &&
	    cal_parse_percent(a->val[OPT_BELOW], &c->below) != 0) {
		cli_error("invalid --below '%s': expected a percentage from 0 "
		    "to 100", a->val[OPT_BELOW]);
		return RC_REFUSED;
	}
	if (c->sort && strcmp(c->sort, "name") != 0 &&
	    strcmp(c->sort, "rate") != 0) {
		cli_error("invalid --sort '%s': expected name or rate", c->sort);
		return RC_REFUSED;
	}
	return RC_OK;
}

/* Turn the option values into c's typed fields; refusals (1). */
static int
check_values(const struct cli_command *cmd, const struct args *a, struct cli *c)
{
	const char *v;
	int rc;

	if (a->val[OPT_DB] && a->val[OPT_DB][0] == '\0') {
		cli_error("the database directory (--db) is empty");
		return RC_REFUSED;
	}
	if ((rc = parse_format(cmd, a->val[OPT_FORMAT], &c->fmt)) != RC_OK)
		return rc;
	memcpy(c->opt, a->val, sizeof(c->opt));
	c->seen = a->seen;
	c->name = a->val[OPT_NAME];
	c->email = a->val[OPT_EMAIL];
	c->gender = a->val[OPT_GENDER];
	c->code = a->val[OPT_CODE];
	c->clear_name = a->val[OPT_CLEAR];
	if (c->clear_name && parse_clear(c->clear_name, &c->clear) != 0) {
		cli_error("cannot clear '%s': email, code or gender",
		    c->clear_name);
		return RC_REFUSED;
	}
	c->reason = a->val[OPT_REASON];
	c->all = (a->seen & BIT(OPT_ALL)) != 0;
	c->follow = (a->seen & BIT(OPT_FOLLOW)) != 0;
	c->merge = (a->seen & BIT(OPT_MERGE)) != 0;
	cli_csv_bom((a->seen & BIT(OPT_BOM)) != 0);
	c->daily = (a->seen & BIT(OPT_DAILY)) != 0;
	if ((rc = check_student_fields(c)) != RC_OK)
		return rc;
	if ((v = a->val[OPT_AT]) != NULL) {
		if (clock_parse_datetime(v, &c->at) != 0) {
			cli_error("invalid time '%s': expected " TIME_ARG, v);
			return RC_REFUSED;
		}
		c->has_at = 1;
	}
	c->day = c->now.day;
	v = a->val[OPT_DAY];
	if ((cmd->flags & CMD_DAY_ARG) && c->npos > 0)
		v = c->pos[0];
	if (v && clock_parse_day(v, &c->day) != 0) {
		cli_error("invalid day '%s': expected YYYY-MM-DD", v);
		return RC_REFUSED;
	}
	c->has_day = v != NULL;
	c->from = 1;
	if ((rc = check_range_values(cmd, a, c)) != RC_OK)
		return rc;
	c->stream = a->val[OPT_STREAM];
	c->origin = a->val[OPT_ORIGIN];
	if (cmd->flags & CMD_URL)
		c->from_url = a->val[OPT_FROM];
	else if (!(cmd->flags & CMD_RANGE) && (v = a->val[OPT_FROM]) != NULL &&
	    parse_seq(v, &c->from) != 0) {
		cli_error("invalid event number '%s' for --from", v);
		return RC_REFUSED;
	}
	if (c->follow && c->fmt == FMT_JSON) {
		cli_error("--follow cannot make one JSON document; use "
		    "--format jsonl");
		return RC_REFUSED;
	}
	return cmd->check ? cmd->check(c) : RC_OK;
}

/* The clock, once: a bad ROLLCALL_NOW refuses every command. */
static int
read_clock(struct cli *c)
{
	int64_t us;

	if (clock_now(&us, &c->now) != 0) {
		cli_error("invalid ROLLCALL_NOW '%s': expected " TIME_ARG,
		    getenv("ROLLCALL_NOW") ? getenv("ROLLCALL_NOW") : "");
		return RC_REFUSED;
	}
	return RC_OK;
}

/* config KEY VALUE and config KEY --unset write; the rest are queries. */
static int
cmd_writes(const struct cli_command *cmd, const struct cli *c)
{
	return cmd != NULL && ((cmd->flags & CMD_WRITES) ||
	    (cmd->run == cli_config && (c->npos == 2 || c->unset)));
}

/*
 * The author of the events a command writes, checked before the
 * database is opened (and so created) for a command that writes; for
 * any other, only a --as given must be right.
 */
static int
check_author(const struct cli_command *cmd, const struct args *a,
    const struct cli *c)
{
	char err[512];
	int writes = cmd_writes(cmd, c);

	if (writes && db_check_author(a->val[OPT_AS], NULL, c->source, err,
	    sizeof(err)) != RC_OK) {
		cli_error("%s", err);
		return RC_REFUSED;
	}
	if (a->val[OPT_AS] && db_check_author(a->val[OPT_AS], "-", NULL, err,
	    sizeof(err)) != RC_OK) {
		cli_error("%s", err);
		return RC_REFUSED;
	}
	return RC_OK;
}

static int
open_db(const struct args *a, struct cli *c, int writes)
{
	char path[PATH_MAX], err[512];
	int rc, is_default;

	if (db_resolve(a->val[OPT_DB], path, sizeof(path), &is_default) !=
	    RC_OK) {
		cli_error("cannot find a place for the database: use --db, "
		    "ROLLCALL_DB or HOME");
		return RC_ESYS;
	}
	err[0] = '\0';
	if ((rc = db_open_flags(path, is_default ? DB_OPEN_PARENTS : 0,
	    &c->db, err, sizeof(err))) != RC_OK) {
		cli_error("%s", err[0] ? err : "cannot open the database");
		c->db = NULL;
		return rc;
	}
	/*
	 * A bad $ROLLCALL_ACTOR or $ROLLCALL_DESK refuses only the commands
	 * that write (the handle keeps the refusal): queries still answer,
	 * and never look the author up (the login's passwd entry, the host
	 * name), which costs a query more than its answer.
	 */
	if (writes)
		db_set_author(c->db, a->val[OPT_AS], NULL, c->source);
	return RC_OK;
}

int
cli_fail(struct cli *c, int rc)
{
	cli_error("%s", db_error(c->db));
	return rc;
}

/* ---- the desk --------------------------------------------------------- */

/* No command: the TUI on a terminal, else the usage (SPEC 3). */
static int
run_desk(const struct args *a)
{
	struct cli c;
	int rc;

	if (a->seen & ~(BIT(OPT_DB) | BIT(OPT_AS) | BIT(OPT_QUIET))) {
		cli_error("options other than --db, --as and --quiet need a "
		    "command (see rollcall --help)");
		return RC_USAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("no command given, and the desk needs a terminal");
		general_help(stderr);
		return RC_USAGE;
	}
	memset(&c, 0, sizeof(c));
	c.source = "tui";
	if (a->val[OPT_DB] && a->val[OPT_DB][0] == '\0') {
		cli_error("the database directory (--db) is empty");
		return RC_REFUSED;
	}
	if ((rc = read_clock(&c)) != RC_OK ||
	    (rc = check_author(NULL, a, &c)) != RC_OK ||
	    (rc = open_db(a, &c, 1)) != RC_OK)
		return rc;
	rc = tui_run(c.db, (a->seen & BIT(OPT_QUIET)) != 0);
	db_close(c.db);
	return rc;
}

/* ---- main ------------------------------------------------------------- */

static int
finish_output(const struct cli *c, int rc)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	if (c->out_closed || errno == EPIPE)
		return rc;
	cli_error("cannot write the output: %s", strerror(errno));
	return rc == RC_OK ? RC_ESYS : rc;
}

/* Help, version and usage errors, in that order; -1 to go on. */
static int
answer_early(const struct args *a, const struct cli_command *cmd,
    const char *family, const char *err)
{
	if (a->seen & BIT(OPT_HELP)) {
		if (cmd)
			command_help(stdout, cmd);
		else if (family)
			family_help(stdout, family);
		else if (a->npos == 0)
			general_help(stdout);
		else {
			cli_error("%s", err);
			return RC_USAGE;
		}
		return RC_OK;
	}
	if (a->seen & BIT(OPT_VERSION)) {
		printf("rollcall %s\n", ROLLCALL_VERSION);
		return RC_OK;
	}
	if (a->usage[0]) {
		cli_error("%s", a->usage);
		return RC_USAGE;
	}
	if (a->npos > 0 && cmd == NULL) {
		cli_error("%s", err);
		return RC_USAGE;
	}
	return -1;
}

int
cli_main(int argc, char **argv)
{
	const struct cli_command *cmd;
	struct args a;
	struct cli c;
	const char *family;
	char err[300] = "";
	int rc, words;

	memset(&c, 0, sizeof(c));
	cli_buffer_stdout();
	parse_args(argc, argv, &a);
	cmd = find_command(&a, &words, &family, err, sizeof(err));
	if ((rc = answer_early(&a, cmd, family, err)) >= 0)
		goto out;
	if (cmd == NULL) {
		rc = run_desk(&a);
		goto out;
	}
	c.pos = a.pos + words;
	c.npos = a.npos - words;
	if (cmd->run == cli_kiosk)
		c.source = "kiosk";	/* its check-ins say so (SPEC 7) */
	if ((rc = check_usage(cmd, &a, c.npos)) != RC_OK ||
	    (rc = read_clock(&c)) != RC_OK ||
	    (rc = check_values(cmd, &a, &c)) != RC_OK ||
	    (rc = check_author(cmd, &a, &c)) != RC_OK)
		goto out;
	if (!(cmd->flags & CMD_NO_DB)) {
		if ((rc = open_db(&a, &c, cmd_writes(cmd, &c))) != RC_OK)
			goto out;
		/*
		 * A read side written by an older release (another format)
		 * is replayed first, so that queries see every read model;
		 * when the database cannot be written, queries read what is
		 * there.  verify must judge the database as it found it, so
		 * it writes nothing; a command that writes catches up in its
		 * own transaction.
		 */
		if (!(cmd->flags & CMD_AS_IS) && !cmd_writes(cmd, &c) &&
		    db_catch_up(c.db) != RC_OK && !db_read_only(c.db)) {
			rc = cli_fail(&c, RC_ESYS);
			goto close;
		}
	}
	rc = cmd->run(&c);
close:
	db_close(c.db);
out:
	free(a.pos);
	return finish_output(&c, rc);
}
