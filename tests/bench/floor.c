/*
 * floor.c - the raw-LMDB floor: rollcall's attendance logic done with the
 * fewest LMDB operations, so that every rollcall figure can be printed as
 * a ratio to what LMDB itself allows on this machine (WORKLOAD.md).
 *
 *   floor ingest DIR WORKDIR DAY      roster.csv (registered on DAY) then
 *                                     attendance.csv, one durable commit
 *   floor one DIR EMAIL AT            the minimal whole process: open the
 *                                     environment, one check-in, exit
 *   floor rebuild DIR                 naive replay (a put per change), then
 *                                     sorted in memory and MDB_APPEND
 *   floor fsync DIR N NAME            median of N 4 KiB writes + fdatasync
 *   floor usage DIR PREFIX            bytes per event of any environment
 *                                     with an "events" log: the file, and
 *                                     the pages in use
 *
 * A check-in is: the email index lookup, a put of (student, day) with
 * MDB_NOOVERWRITE (lookup and insert in one descent: "already checked in"
 * is MDB_KEYEXIST), an MDB_APPEND of a 64-byte hash-chained event, the
 * figures updated through one cursor, one commit with LMDB's default
 * durable sync.  Links only LMDB, libsodium (the same BLAKE2b as rollcall)
 * and libc.  The durable check-in latency and the queries (roster by
 * name with figures, one student's record, a day's present and absent)
 * are measured by pair.c, which links this file as a library (floor.h).
 *
 * Layout (all integers big-endian):
 *   events  u64 seq -> record (below)
 *   emails  folded email -> u32 sid
 *   roster  u32 sid -> u32 reg_day | u16 name_len | u16 email_len |
 *                      id[16] | name | email
 *   names   folded name | 0 | u32 sid -> u32 sid
 *   att     u32 sid | u32 day -> u32 arrived | u8 status | u8 0 | i16 points
 *   points  u32 sid -> i64 points | u32 present | early | late | on_time
 *
 * Event record: 64 bytes, then id[16], name and email for a registration
 * (the id plays the part of rollcall's UUID: the queries print it).
 *   0 type | 1 version | 2 status | 3 window | 4 u32 sid |
 *   8 u64 recorded_at | 16 u32 day | 20 u32 arrived (or u16 name_len,
 *   u16 email_len) | 24 u32 start | 28 i16 points | 30 u16 policy points |
 *   32 prev[32]
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "floor.h"
#include "util.h"

/* Functions profile.sh counts instructions of must stay functions. */
#define NOINLINE __attribute__((noinline))

#define EV_LEN 64
#define ID_LEN 16		/* a student id, as rollcall's binary UUID */
#define ID_TEXT 37
#define ROSTER_HDR 8		/* then id, name, email */
#define HASH_LEN 32
#define NAME_MAX_B 400
#define EMAIL_MAX_B 254
#define START (9 * 3600)
#define WINDOW_MIN 5
#define POINTS 5
#define FIG_LEN 24
#define ATT_LEN 8
#define MIB (1024 * 1024ULL)

enum { T_REGISTERED = 1, T_RECORDED = 4, T_DEPARTED = 9, T_EXCUSED = 10 };
enum { ST_EARLY = 1, ST_ON_TIME = 2, ST_LATE = 3 };

#define FLOOR_DBS(X) \
	X(F_EVENTS, "events") \
	X(F_EMAILS, "emails") \
	X(F_ROSTER, "roster") \
	X(F_NAMES, "names") \
	X(F_ATT, "att") \
	X(F_POINTS, "points") \
	X(F_EXC, "excuses") \
	X(F_DEP, "departures")

enum {
#define X(sym, name) sym,
	FLOOR_DBS(X)
#undef X
	F_COUNT
};

static const char *const db_names[] = {
#define X(sym, name) name,
	FLOOR_DBS(X)
#undef X
};

struct floor {
	MDB_env *env;
	MDB_dbi dbi[F_COUNT];
};

/* The log's last sequence and its record's hash, cached per transaction. */
struct tail {
	int valid;
	uint64_t seq;
	uint8_t hash[HASH_LEN];
};

struct fig {
	int64_t points;
	uint32_t present, early, late, on_time;
};

/* ---- bytes ------------------------------------------------------------ */

static void
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	put_u32(p, (uint32_t)(v >> 32));
	put_u32(p + 4, (uint32_t)v);
}

static uint16_t
get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

static MDB_val
val(const void *p, size_t n)
{
	MDB_val v;

	v.mv_data = (void *)p;
	v.mv_size = n;
	return v;
}

static void
fig_encode(const struct fig *f, uint8_t b[FIG_LEN])
{
	put_u64(b, (uint64_t)f->points);
	put_u32(b + 8, f->present);
	put_u32(b + 12, f->early);
	put_u32(b + 16, f->late);
	put_u32(b + 20, f->on_time);
}

static void
fig_decode(const uint8_t *b, struct fig *f)
{
	f->points = (int64_t)get_u64(b);
	f->present = get_u32(b + 8);
	f->early = get_u32(b + 12);
	f->late = get_u32(b + 16);
	f->on_time = get_u32(b + 20);
}

/* ---- dates and rules -------------------------------------------------- */

static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD[THH:MM:SS]" into a day and seconds; 0 or -1. */
static int
parse_at(const char *s, int32_t *day, uint32_t *sec)
{
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	int hh = 0, mm = 0, ss = 0;

	if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (s[10] == 'T' && ((hh = digits(s + 11, 2)) < 0 ||
	    (mm = digits(s + 14, 2)) < 0 || (ss = digits(s + 17, 2)) < 0))
		return -1;
	*day = (int32_t)days_from_civil(y, m, d);
	*sec = (uint32_t)(hh * 3600 + mm * 60 + ss);
	return 0;
}

static void
judge(uint32_t arrived, uint8_t *status, int16_t *points)
{
	if (arrived <= START - WINDOW_MIN * 60) {
		*status = ST_EARLY;
		*points = POINTS;
	} else if (arrived >= START + WINDOW_MIN * 60) {
		*status = ST_LATE;
		*points = -POINTS;
	} else {
		*status = ST_ON_TIME;
		*points = 0;
	}
}

/* ASCII case folding: the floor's emails and names are ASCII. */
static size_t
fold(const char *s, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return len;
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- environment ------------------------------------------------------ */

static void
check(int rc, const char *what)
{
	if (rc != 0)
		util_die("floor: %s: %s", what, mdb_strerror(rc));
}

/* Map size as rollcall picks it: twice the file, at least `least`. */
static size_t
mapsize(const char *dir, size_t least)
{
	size_t twice = (size_t)util_file_size(dir) * 2;

	return twice > least ? twice : least;
}

static void
floor_open(struct floor *f, const char *dir, size_t least)
{
	MDB_txn *txn;
	int i;

	check(mdb_env_create(&f->env), "env");
	check(mdb_env_set_maxdbs(f->env, F_COUNT), "maxdbs");
	check(mdb_env_set_mapsize(f->env, mapsize(dir, least)), "mapsize");
	check(mdb_env_open(f->env, dir, 0, 0600), dir);
	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	for (i = 0; i < F_COUNT; i++)
		check(mdb_dbi_open(txn, db_names[i], MDB_CREATE, &f->dbi[i]),
		    db_names[i]);
	check(mdb_txn_commit(txn), "commit");
}

/* ---- the log ---------------------------------------------------------- */

static void
hash(const uint8_t *rec, size_t len, uint8_t out[HASH_LEN])
{
	crypto_generichash(out, HASH_LEN, rec, len, NULL, 0);
}

static void
load_tail(struct floor *f, MDB_txn *txn, struct tail *t)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	check(mdb_cursor_open(txn, f->dbi[F_EVENTS], &cur), "cursor");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	t->valid = 1;
	if (rc == MDB_NOTFOUND) {
		t->seq = 0;
		memset(t->hash, 0, HASH_LEN);
		return;
	}
	check(rc, "last event");
	t->seq = get_u64(k.mv_data);
	hash(v.mv_data, v.mv_size, t->hash);
}

/* Chain rec to the tail and append it under the next sequence. */
static void
append(struct floor *f, MDB_txn *txn, struct tail *t, uint8_t *rec,
    size_t len)
{
	uint8_t key[8];
	MDB_val k, v;

	if (!t->valid)
		load_tail(f, txn, t);
	memcpy(rec + 32, t->hash, HASH_LEN);
	put_u64(key, t->seq + 1);
	k = val(key, 8);
	v = val(rec, len);
	check(mdb_put(txn, f->dbi[F_EVENTS], &k, &v, MDB_APPEND), "append");
	t->seq++;
	hash(rec, len, t->hash);
}

/* ---- the read side ---------------------------------------------------- */

static int put_day(struct floor *f, MDB_txn *txn, int dbi, uint32_t sid,
    int32_t day, const uint8_t *entry, size_t len);

static void
names_key(const char *name, size_t len, uint32_t sid, uint8_t *key,
    size_t *klen)
{
	fold(name, len, (char *)key);
	key[len] = 0;
	put_u32(key + len + 1, sid);
	*klen = len + 5;
}

/*
 * A registration's read side: roster, email and name indexes.  `text`
 * is the id, then the name (nlen bytes), then the email (elen bytes).
 */
static void
apply_registered(struct floor *f, MDB_txn *txn, uint32_t sid,
    int32_t day, const uint8_t *text, size_t nlen, size_t elen)
{
	uint8_t rec[ROSTER_HDR + ID_LEN + NAME_MAX_B + EMAIL_MAX_B], key[4];
	uint8_t nkey[NAME_MAX_B + 5];
	const char *name = (const char *)text + ID_LEN, *email = name + nlen;
	char folded[EMAIL_MAX_B];
	size_t klen;
	MDB_val k, v;

	put_u32(key, sid);
	put_u32(rec, (uint32_t)day);
	put_u16(rec + 4, (uint16_t)nlen);
	put_u16(rec + 6, (uint16_t)elen);
	memcpy(rec + ROSTER_HDR, text, ID_LEN + nlen + elen);
	k = val(key, 4);
	v = val(rec, ROSTER_HDR + ID_LEN + nlen + elen);
	check(mdb_put(txn, f->dbi[F_ROSTER], &k, &v, 0), "roster");
	k = val(folded, fold(email, elen, folded));
	v = val(key, 4);
	check(mdb_put(txn, f->dbi[F_EMAILS], &k, &v, MDB_NOOVERWRITE),
	    "emails");
	names_key(name, nlen, sid, nkey, &klen);
	k = val(nkey, klen);
	check(mdb_put(txn, f->dbi[F_NAMES], &k, &v, 0), "names");
}

static void
fig_add(struct fig *g, uint8_t status, int16_t points)
{
	g->points += points;
	g->present++;
	if (status == ST_EARLY)
		g->early++;
	else if (status == ST_LATE)
		g->late++;
	else
		g->on_time++;
}

/* Add a check-in to a student's figures through one cursor. */
static void
count(struct floor *f, MDB_txn *txn, uint32_t sid, uint8_t status,
    int16_t points, struct fig *g)
{
	uint8_t key[4], buf[FIG_LEN];
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	put_u32(key, sid);
	k = val(key, 4);
	check(mdb_cursor_open(txn, f->dbi[F_POINTS], &cur), "cursor");
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	memset(g, 0, sizeof(*g));
	if (rc == 0 && v.mv_size == FIG_LEN)
		fig_decode(v.mv_data, g);
	else if (rc != MDB_NOTFOUND)
		check(rc, "points");
	fig_add(g, status, points);
	fig_encode(g, buf);
	v = val(buf, FIG_LEN);
	check(mdb_cursor_put(cur, &k, &v, rc == 0 ? MDB_CURRENT : 0), "points");
	mdb_cursor_close(cur);
}

/*
 * A check-in's read side: the day's entry (refused, writing nothing,
 * when there is one) and the figures.  Returns 0, or 1 when refused.
 */
static int
apply_recorded(struct floor *f, MDB_txn *txn, uint32_t sid, int32_t day,
    uint32_t arrived, struct fig *g)
{
	uint8_t key[8], entry[ATT_LEN];
	uint8_t status;
	int16_t points;
	MDB_val k, v;
	int rc;

	judge(arrived, &status, &points);
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)day);
	put_u32(entry, arrived);
	entry[4] = status;
	entry[5] = 0;
	put_u16(entry + 6, (uint16_t)points);
	k = val(key, 8);
	v = val(entry, ATT_LEN);
	rc = mdb_put(txn, f->dbi[F_ATT], &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST)
		return 1;
	check(rc, "att");
	count(f, txn, sid, status, points, g);
	return 0;
}

/* The event of a check-in (prev is filled by append()). */
static void
encode_recorded(uint8_t rec[EV_LEN], uint32_t sid, int32_t day,
    uint32_t arrived, int64_t at_us)
{
	uint8_t status;
	int16_t points;

	judge(arrived, &status, &points);
	memset(rec, 0, EV_LEN);
	rec[0] = T_RECORDED;
	rec[1] = 1;
	rec[2] = status;
	rec[3] = WINDOW_MIN;
	put_u32(rec + 4, sid);
	put_u64(rec + 8, (uint64_t)at_us);
	put_u32(rec + 16, (uint32_t)day);
	put_u32(rec + 20, arrived);
	put_u32(rec + 24, START);
	put_u16(rec + 28, (uint16_t)points);
	put_u16(rec + 30, POINTS);
}

/* Sid of an active student's email; 0 when unknown. */
static uint32_t
email_sid(struct floor *f, MDB_txn *txn, const char *email)
{
	char folded[EMAIL_MAX_B];
	size_t len = strlen(email);
	MDB_val k, v;
	int rc;

	if (len > EMAIL_MAX_B)
		return 0;
	k = val(folded, fold(email, len, folded));
	rc = mdb_get(txn, f->dbi[F_EMAILS], &k, &v);
	if (rc == MDB_NOTFOUND || v.mv_size != 4)
		return 0;
	check(rc, "emails");
	return get_u32(v.mv_data);
}

/* One check-in inside txn: 0, or 1 when refused (nothing written). */
static int
checkin(struct floor *f, MDB_txn *txn, struct tail *t, const char *email,
    const char *at, int64_t when, struct fig *g)
{
	uint8_t rec[EV_LEN];
	uint32_t sid, arrived;
	int32_t day;

	if (parse_at(at, &day, &arrived) != 0 ||
	    (sid = email_sid(f, txn, email)) == 0)
		return 1;
	if (apply_recorded(f, txn, sid, day, arrived, g) != 0)
		return 1;
	encode_recorded(rec, sid, day, arrived, when);
	append(f, txn, t, rec, EV_LEN);
	return 0;
}

/* ---- ingest ----------------------------------------------------------- */

/* Split "a,b\n" in place; -1 when there is no comma. */
static int
split(char *line, char **a, char **b)
{
	char *comma = strchr(line, ',');

	if (comma == NULL)
		return -1;
	*comma = 0;
	comma[1 + strcspn(comma + 1, "\r\n")] = 0;
	*a = line;
	*b = comma + 1;
	return 0;
}

static FILE *
open_csv(const char *dir, const char *name)
{
	char path[4096], line[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		util_die("%s: %s", path, strerror(errno));
	if (fgets(line, sizeof(line), fp) == NULL)
		util_die("%s: empty", path);
	return fp;
}

static size_t
ingest_roster(struct floor *f, MDB_txn *txn, struct tail *t,
    const char *dir, int32_t day, int64_t when)
{
	uint8_t rec[EV_LEN + ID_LEN + NAME_MAX_B + EMAIL_MAX_B];
	char line[1024], *name, *email;
	size_t n = 0, nl, el;
	MDB_stat st;
	uint32_t sid;
	FILE *fp = open_csv(dir, "roster.csv");

	check(mdb_stat(txn, f->dbi[F_ROSTER], &st), "stat");
	sid = (uint32_t)st.ms_entries;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (split(line, &name, &email) != 0)
			util_die("roster.csv: bad row");
		nl = strlen(name);
		el = strlen(email);
		if (nl > NAME_MAX_B || el > EMAIL_MAX_B)
			util_die("roster.csv: too long");
		memset(rec, 0, EV_LEN);
		rec[0] = T_REGISTERED;
		rec[1] = 1;
		put_u32(rec + 4, ++sid);
		put_u64(rec + 8, (uint64_t)when);
		put_u32(rec + 16, (uint32_t)day);
		put_u16(rec + 20, (uint16_t)nl);
		put_u16(rec + 22, (uint16_t)el);
		randombytes_buf(rec + EV_LEN, ID_LEN);
		memcpy(rec + EV_LEN + ID_LEN, name, nl);
		memcpy(rec + EV_LEN + ID_LEN + nl, email, el);
		apply_registered(f, txn, sid, day, rec + EV_LEN, nl, el);
		append(f, txn, t, rec, EV_LEN + ID_LEN + nl + el);
		n++;
	}
	fclose(fp);
	return n;
}

static size_t
ingest_attendance(struct floor *f, MDB_txn *txn, struct tail *t,
    const char *dir, int64_t when)
{
	char line[1024], *email, *at;
	struct fig g;
	size_t n = 0;
	FILE *fp = open_csv(dir, "attendance.csv");

	while (fgets(line, sizeof(line), fp) != NULL) {
		if (split(line, &email, &at) != 0)
			util_die("attendance.csv: bad row");
		if (checkin(f, txn, t, email, at, when, &g) != 0)
			util_die("attendance.csv: refused %s %s", email, at);
		n++;
	}
	fclose(fp);
	return n;
}

static int
cmd_ingest(int argc, char **argv)
{
	struct floor f;
	struct tail t = { 0, 0, { 0 } };
	MDB_txn *txn;
	uint64_t t0, t1, t2;
	size_t ns, na;
	int32_t day;
	uint32_t sec;

	if (argc != 5 || parse_at(argv[4], &day, &sec) != 0)
		util_die("usage: floor ingest DIR WORKDIR YYYY-MM-DD");
	floor_open(&f, argv[2], 4096 * MIB);
	t0 = util_now_ns();
	check(mdb_txn_begin(f.env, NULL, 0, &txn), "begin");
	ns = ingest_roster(&f, txn, &t, argv[3], day, now_us());
	check(mdb_txn_commit(txn), "commit");
	t1 = util_now_ns();
	check(mdb_txn_begin(f.env, NULL, 0, &txn), "begin");
	na = ingest_attendance(&f, txn, &t, argv[3], now_us());
	check(mdb_txn_commit(txn), "commit");
	t2 = util_now_ns();
	util_figure("floor_ingest", (double)(ns + na) * 1e9 / (double)(t2 - t0),
	    "events/s");
	util_figure("floor_ingest_attendance", (double)na * 1e9 /
	    (double)(t2 - t1), "events/s");
	mdb_env_close(f.env);
	return 0;
}

/* ---- check-in latency (the library of floor.h) ---------------------- */

struct floor *
floor_lib_open(const char *dir)
{
	struct floor *f = calloc(1, sizeof(*f));

	if (f == NULL)
		util_die("out of memory");
	floor_open(f, dir, 64 * MIB);
	return f;
}

void
floor_lib_close(struct floor *f)
{
	mdb_env_close(f->env);
	free(f);
}

void
floor_lib_checkin(struct floor *f, const char *email, const char *at)
{
	struct tail t = { 0, 0, { 0 } };
	struct fig g;
	MDB_txn *txn;

	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	if (checkin(f, txn, &t, email, at, now_us(), &g) != 0)
		util_die("floor: refused %s %s", email, at);
	check(mdb_txn_commit(txn), "commit");
}

/* A school-day entry keyed by student and day: 0, or 1 when there is one. */
static int
put_day(struct floor *f, MDB_txn *txn, int dbi, uint32_t sid, int32_t day,
    const uint8_t *entry, size_t len)
{
	uint8_t key[8];
	MDB_val k, v;
	int rc;

	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)day);
	k = val(key, 8);
	v = val(entry, len);
	rc = mdb_put(txn, f->dbi[dbi], &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST)
		return 1;
	check(rc, db_names[dbi]);
	return 0;
}

/* A 64-byte event about a student's day: type, sid, now, day, a value. */
static void
append_day_event(struct floor *f, MDB_txn *txn, uint8_t type, uint32_t sid,
    int32_t day, uint32_t value)
{
	struct tail t = { 0, 0, { 0 } };
	uint8_t rec[EV_LEN];

	memset(rec, 0, EV_LEN);
	rec[0] = type;
	rec[1] = 1;
	put_u32(rec + 4, sid);
	put_u64(rec + 8, (uint64_t)now_us());
	put_u32(rec + 16, (uint32_t)day);
	put_u32(rec + 20, value);
	append(f, txn, &t, rec, EV_LEN);
}

/*
 * An excuse of one day (YYYY-MM-DD) as its own durable transaction: the
 * excuses entry (reason, note length) and a 64-byte event.
 */
void
floor_lib_excuse(struct floor *f, const char *email, const char *day)
{
	uint8_t entry[4] = { 1, 0, 0, 0 };
	uint32_t sid, sec;
	int32_t d;
	MDB_txn *txn;

	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	if (parse_at(day, &d, &sec) != 0 || (sid = email_sid(f, txn, email)) == 0 ||
	    put_day(f, txn, F_EXC, sid, d, entry, sizeof(entry)) != 0)
		util_die("floor: refused excuse %s %s", email, day);
	append_day_event(f, txn, T_EXCUSED, sid, d, (uint32_t)d);
	check(mdb_txn_commit(txn), "commit");
}

/*
 * An early departure (YYYY-MM-DDTHH:MM:SS) as its own durable
 * transaction: only after that day's check-in (one lookup), then the
 * departures entry and a 64-byte event.
 */
void
floor_lib_checkout(struct floor *f, const char *email, const char *at)
{
	uint8_t key[8], entry[4];
	uint32_t sid, sec;
	int32_t d;
	MDB_txn *txn;
	MDB_val k, v;

	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	if (parse_at(at, &d, &sec) != 0 || (sid = email_sid(f, txn, email)) == 0)
		util_die("floor: refused checkout %s %s", email, at);
	put_u32(key, sid);
	put_u32(key + 4, (uint32_t)d);
	k = val(key, 8);
	if (mdb_get(txn, f->dbi[F_ATT], &k, &v) != 0 || v.mv_size < 4 ||
	    get_u32(v.mv_data) > sec)
		util_die("floor: no check-in before %s for %s", at, email);
	put_u32(entry, sec);
	if (put_day(f, txn, F_DEP, sid, d, entry, sizeof(entry)) != 0)
		util_die("floor: %s left already on %s", email, at);
	append_day_event(f, txn, T_DEPARTED, sid, d, sec);
	check(mdb_txn_commit(txn), "commit");
}

/*
 * The minimal whole process: what any command-line check-in must do at
 * least.  Opens only the sub-databases a check-in touches.
 */
static int
cmd_one(int argc, char **argv)
{
	static const int used[] = { F_EVENTS, F_EMAILS, F_ATT, F_POINTS };
	struct tail t = { 0, 0, { 0 } };
	struct floor f;
	struct fig g;
	MDB_txn *txn;
	size_t i;

	if (argc != 5)
		util_die("usage: floor one DIR EMAIL AT");
	if (sodium_init() < 0)
		util_die("sodium_init");
	check(mdb_env_create(&f.env), "env");
	check(mdb_env_set_maxdbs(f.env, F_COUNT), "maxdbs");
	check(mdb_env_set_mapsize(f.env, mapsize(argv[2], 64 * MIB)),
	    "mapsize");
	check(mdb_env_open(f.env, argv[2], 0, 0600), argv[2]);
	check(mdb_txn_begin(f.env, NULL, 0, &txn), "begin");
	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		check(mdb_dbi_open(txn, db_names[used[i]], 0, &f.dbi[used[i]]),
		    db_names[used[i]]);
	if (checkin(&f, txn, &t, argv[3], argv[4], now_us(), &g) != 0) {
		mdb_txn_abort(txn);
		fprintf(stderr, "floor: refused\n");
		return 1;
	}
	check(mdb_txn_commit(txn), "commit");
	printf("%s %s %lld\n", argv[3], argv[4], (long long)g.points);
	mdb_env_close(f.env);
	return 0;
}

/* ---- rebuild ---------------------------------------------------------- */

static void
clear_read_side(struct floor *f, MDB_txn *txn)
{
	int i;

	for (i = F_EVENTS + 1; i < F_COUNT; i++)
		check(mdb_drop(txn, f->dbi[i], 0), db_names[i]);
}

/* Replay one event with a put per change. */
static void
replay_one(struct floor *f, MDB_txn *txn, const uint8_t *r, size_t len)
{
	struct fig g;
	size_t nl, el;

	if (len < EV_LEN)
		util_die("rebuild: short record");
	if (r[0] == T_REGISTERED) {
		nl = get_u16(r + 20);
		el = get_u16(r + 22);
		apply_registered(f, txn, get_u32(r + 4),
		    (int32_t)get_u32(r + 16), r + EV_LEN, nl, el);
	} else if (r[0] == T_RECORDED) {
		apply_recorded(f, txn, get_u32(r + 4),
		    (int32_t)get_u32(r + 16), get_u32(r + 20), &g);
	} else if (r[0] == T_EXCUSED || r[0] == T_DEPARTED) {
		uint8_t e[4] = { 1, 0, 0, 0 };

		if (r[0] == T_DEPARTED)
			put_u32(e, get_u32(r + 20));
		put_day(f, txn, r[0] == T_EXCUSED ? F_EXC : F_DEP,
		    get_u32(r + 4), (int32_t)get_u32(r + 16), e, 4);
	}
}

NOINLINE static size_t
rebuild_naive(struct floor *f)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	int rc;

	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	clear_read_side(f, txn);
	check(mdb_cursor_open(txn, f->dbi[F_EVENTS], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		replay_one(f, txn, v.mv_data, v.mv_size);
		n++;
	}
	if (rc != MDB_NOTFOUND)
		check(rc, "events");
	mdb_cursor_close(cur);
	check(mdb_txn_commit(txn), "commit");
	return n;
}

/* What the sorted rebuild holds in memory. */
struct student {
	int32_t reg_day;
	uint16_t nlen, elen;
	uint8_t *text;		/* id, name, email */
	struct fig fig;
};

struct att {
	uint64_t key;		/* sid << 32 | day */
	uint8_t entry[ATT_LEN];
};

struct key_sid {
	uint8_t *key;
	size_t len;
	uint32_t sid;
};

struct sorted {
	struct student *st;
	size_t nst, capst;
	struct att *att;
	size_t natt, capatt;
};

static void *
grow(void *p, size_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 1024;
	if ((p = realloc(p, *cap * size)) == NULL)
		util_die("out of memory");
	return p;
}

static void
collect(struct sorted *s, const uint8_t *r, size_t len)
{
	struct student *st;
	struct att *a;
	uint32_t sid = get_u32(r + 4);

	if (len < EV_LEN)
		util_die("rebuild: short record");
	if (r[0] == T_REGISTERED) {
		while (s->nst < sid) {
			if (s->nst == s->capst)
				s->st = grow(s->st, &s->capst, sizeof(*st));
			memset(&s->st[s->nst++], 0, sizeof(*st));
		}
		st = &s->st[sid - 1];
		st->reg_day = (int32_t)get_u32(r + 16);
		st->nlen = get_u16(r + 20);
		st->elen = get_u16(r + 22);
		if ((st->text = malloc(ID_LEN + st->nlen + st->elen)) == NULL)
			util_die("out of memory");
		memcpy(st->text, r + EV_LEN, ID_LEN + st->nlen + st->elen);
	} else if (r[0] == T_RECORDED) {
		if (s->natt == s->capatt)
			s->att = grow(s->att, &s->capatt, sizeof(*a));
		a = &s->att[s->natt++];
		a->key = (uint64_t)sid << 32 | get_u32(r + 16);
		put_u32(a->entry, get_u32(r + 20));
		a->entry[4] = r[2];
		a->entry[5] = 0;
		memcpy(a->entry + 6, r + 28, 2);
	}
}

static int
cmp_att(const void *a, const void *b)
{
	uint64_t x = ((const struct att *)a)->key;
	uint64_t y = ((const struct att *)b)->key;

	return x < y ? -1 : x > y;
}

/* Sort check-ins by (sid, day), keep each day's first, add up figures. */
static void
settle(struct sorted *s)
{
	size_t i, out = 0;
	struct att *a;
	uint32_t sid;

	/* mergesort would keep log order among equals; qsort is enough
	 * here because the floor's log never holds a duplicate day. */
	qsort(s->att, s->natt, sizeof(*s->att), cmp_att);
	for (i = 0; i < s->natt; i++) {
		a = &s->att[i];
		if (out > 0 && s->att[out - 1].key == a->key)
			continue;
		s->att[out++] = *a;
		sid = (uint32_t)(a->key >> 32);
		if (sid >= 1 && sid <= s->nst)
			fig_add(&s->st[sid - 1].fig, a->entry[4],
			    (int16_t)get_u16(a->entry + 6));
	}
	s->natt = out;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct key_sid *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void
append_put(MDB_cursor *cur, const void *key, size_t klen, const void *data,
    size_t dlen)
{
	MDB_val k = val(key, klen), v = val(data, dlen);

	check(mdb_cursor_put(cur, &k, &v, MDB_APPEND), "append");
}

static void
write_students(struct floor *f, MDB_txn *txn, struct sorted *s)
{
	uint8_t key[4], fb[FIG_LEN];
	uint8_t rec[ROSTER_HDR + ID_LEN + NAME_MAX_B + EMAIL_MAX_B];
	MDB_cursor *roster, *points;
	struct student *st;
	size_t i;

	check(mdb_cursor_open(txn, f->dbi[F_ROSTER], &roster), "cursor");
	check(mdb_cursor_open(txn, f->dbi[F_POINTS], &points), "cursor");
	for (i = 0; i < s->nst; i++) {
		st = &s->st[i];
		put_u32(key, (uint32_t)i + 1);
		put_u32(rec, (uint32_t)st->reg_day);
		put_u16(rec + 4, st->nlen);
		put_u16(rec + 6, st->elen);
		memcpy(rec + ROSTER_HDR, st->text, ID_LEN + st->nlen + st->elen);
		append_put(roster, key, 4, rec,
		    ROSTER_HDR + ID_LEN + st->nlen + st->elen);
		if (st->fig.present == 0)
			continue;
		fig_encode(&st->fig, fb);
		append_put(points, key, 4, fb, FIG_LEN);
	}
	mdb_cursor_close(roster);
	mdb_cursor_close(points);
}

static void
write_att(struct floor *f, MDB_txn *txn, struct sorted *s)
{
	uint8_t key[8];
	MDB_cursor *cur;
	size_t i;

	check(mdb_cursor_open(txn, f->dbi[F_ATT], &cur), "cursor");
	for (i = 0; i < s->natt; i++) {
		put_u64(key, s->att[i].key);
		append_put(cur, key, 8, s->att[i].entry, ATT_LEN);
	}
	mdb_cursor_close(cur);
}

/* The name (which = 0) or email (1) index, sorted, then appended. */
static void
write_index(struct floor *f, MDB_txn *txn, struct sorted *s, int which)
{
	struct key_sid *ks = calloc(s->nst + 1, sizeof(*ks));
	struct student *st;
	const char *name;
	uint8_t v[4];
	MDB_cursor *cur;
	size_t i;

	if (ks == NULL)
		util_die("out of memory");
	for (i = 0; i < s->nst; i++) {
		st = &s->st[i];
		ks[i].sid = (uint32_t)i + 1;
		if ((ks[i].key = malloc(NAME_MAX_B + 5)) == NULL)
			util_die("out of memory");
		name = (const char *)st->text + ID_LEN;
		if (which == 0)
			names_key(name, st->nlen, ks[i].sid, ks[i].key,
			    &ks[i].len);
		else
			ks[i].len = fold(name + st->nlen, st->elen,
			    (char *)ks[i].key);
	}
	qsort(ks, s->nst, sizeof(*ks), cmp_key);
	check(mdb_cursor_open(txn, f->dbi[which == 0 ? F_NAMES : F_EMAILS],
	    &cur), "cursor");
	for (i = 0; i < s->nst; i++) {
		put_u32(v, ks[i].sid);
		append_put(cur, ks[i].key, ks[i].len, v, 4);
		free(ks[i].key);
	}
	mdb_cursor_close(cur);
	free(ks);
}

NOINLINE static size_t
rebuild_sorted(struct floor *f)
{
	struct sorted s;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0, i;
	int rc;

	memset(&s, 0, sizeof(s));
	check(mdb_txn_begin(f->env, NULL, 0, &txn), "begin");
	check(mdb_cursor_open(txn, f->dbi[F_EVENTS], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		collect(&s, v.mv_data, v.mv_size);
		n++;
	}
	if (rc != MDB_NOTFOUND)
		check(rc, "events");
	mdb_cursor_close(cur);
	settle(&s);
	clear_read_side(f, txn);
	write_students(f, txn, &s);
	write_att(f, txn, &s);
	write_index(f, txn, &s, 0);
	write_index(f, txn, &s, 1);
	check(mdb_txn_commit(txn), "commit");
	for (i = 0; i < s.nst; i++)
		free(s.st[i].text);
	free(s.st);
	free(s.att);
	return n;
}

static int
cmd_rebuild(int argc, char **argv)
{
	struct floor f;
	uint64_t t0, t1, t2;
	size_t n1, n2;

	if (argc != 3)
		util_die("usage: floor rebuild DIR");
	floor_open(&f, argv[2], 64 * MIB);
	t0 = util_now_ns();
	n1 = rebuild_naive(&f);
	t1 = util_now_ns();
	n2 = rebuild_sorted(&f);
	t2 = util_now_ns();
	util_figure("floor_rebuild_naive", (double)n1 * 1e9 / (double)(t1 - t0),
	    "events/s");
	util_figure("floor_rebuild_sorted", (double)n2 * 1e9 /
	    (double)(t2 - t1), "events/s");
	mdb_env_close(f.env);
	return 0;
}

/* ---- queries ---------------------------------------------------------- */

struct row {
	uint32_t sid;
	char id[ID_TEXT];
	char name[NAME_MAX_B + 1];
	char email[EMAIL_MAX_B + 1];
	struct fig fig;
};

struct day_row {
	uint32_t sid;
	char id[ID_TEXT];
	char name[NAME_MAX_B + 1];
	uint32_t arrived;
	uint8_t status;
	int16_t points;
};

struct entry_row {
	int32_t day;
	uint32_t arrived;
	uint8_t status;
	int16_t points;
};

/* Text form of an id, as a lowercase UUID (8-4-4-4-12). */
static void
id_text(const uint8_t *id, char out[ID_TEXT])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < ID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[id[i] >> 4];
		out[o++] = hex[id[i] & 15];
	}
	out[o] = 0;
}

/* The roster record of sid, decoded into row (name, email). */
static const uint8_t *
roster_of(struct floor *f, MDB_txn *txn, uint32_t sid, size_t *nl,
    size_t *el)
{
	uint8_t key[4];
	MDB_val k, v;

	put_u32(key, sid);
	k = val(key, 4);
	check(mdb_get(txn, f->dbi[F_ROSTER], &k, &v), "roster");
	*nl = get_u16((uint8_t *)v.mv_data + 4);
	*el = get_u16((uint8_t *)v.mv_data + 6);
	return v.mv_data;
}

static void
figures_of(struct floor *f, MDB_txn *txn, uint32_t sid, struct fig *g)
{
	uint8_t key[4];
	MDB_val k, v;
	int rc;

	put_u32(key, sid);
	k = val(key, 4);
	memset(g, 0, sizeof(*g));
	rc = mdb_get(txn, f->dbi[F_POINTS], &k, &v);
	if (rc == 0 && v.mv_size == FIG_LEN)
		fig_decode(v.mv_data, g);
	else if (rc != MDB_NOTFOUND)
		check(rc, "points");
}

static void
fill_row(struct floor *f, MDB_txn *txn, uint32_t sid, struct row *r)
{
	const uint8_t *rec;
	size_t nl, el;

	rec = roster_of(f, txn, sid, &nl, &el);
	r->sid = sid;
	id_text(rec + ROSTER_HDR, r->id);
	memcpy(r->name, rec + ROSTER_HDR + ID_LEN, nl);
	r->name[nl] = 0;
	memcpy(r->email, rec + ROSTER_HDR + ID_LEN + nl, el);
	r->email[el] = 0;
	figures_of(f, txn, sid, &r->fig);
}

/*
 * A sub-database keyed by sid, read in one walk in key order: vals[sid]
 * points into the transaction's pages (size 0 where there is none).
 * Walking is several times cheaper than a get per student.
 */
static MDB_val *
load_by_sid(struct floor *f, MDB_txn *txn, int dbi, size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v, *vals;
	MDB_stat st;
	uint32_t sid;
	int rc;

	check(mdb_stat(txn, f->dbi[F_ROSTER], &st), "stat");
	*n = st.ms_entries + 1;
	if ((vals = calloc(*n, sizeof(*vals))) == NULL)
		util_die("out of memory");
	check(mdb_cursor_open(txn, f->dbi[dbi], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if ((sid = get_u32(k.mv_data)) < *n)
			vals[sid] = v;
	mdb_cursor_close(cur);
	return vals;
}

/* A row from a roster record (and figures, when there are any). */
static void
row_from(struct row *r, uint32_t sid, const MDB_val *rec, const MDB_val *fig)
{
	const uint8_t *p = rec->mv_data;
	size_t nl = get_u16(p + 4), el = get_u16(p + 6);

	r->sid = sid;
	id_text(p + ROSTER_HDR, r->id);
	memcpy(r->name, p + ROSTER_HDR + ID_LEN, nl);
	r->name[nl] = 0;
	memcpy(r->email, p + ROSTER_HDR + ID_LEN + nl, el);
	r->email[el] = 0;
	memset(&r->fig, 0, sizeof(r->fig));
	if (fig->mv_size == FIG_LEN)
		fig_decode(fig->mv_data, &r->fig);
}

/* The roster in name order with figures; returns the number of rows. */
NOINLINE static size_t
q_students(struct floor *f, struct row **out)
{
	MDB_val k, v, *roster, *points;
	MDB_txn *txn;
	MDB_cursor *cur;
	size_t n = 0, cap = 0, nsid;
	uint32_t sid;
	int rc;

	*out = NULL;
	check(mdb_txn_begin(f->env, NULL, MDB_RDONLY, &txn), "begin");
	roster = load_by_sid(f, txn, F_ROSTER, &nsid);
	points = load_by_sid(f, txn, F_POINTS, &nsid);
	check(mdb_cursor_open(txn, f->dbi[F_NAMES], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((sid = get_u32(v.mv_data)) >= nsid)
			util_die("floor: damaged names index");
		if (n == cap)
			*out = grow(*out, &cap, sizeof(**out));
		row_from(&(*out)[n++], sid, &roster[sid], &points[sid]);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	free(roster);
	free(points);
	return n;
}

/* One student with the attendance record; returns the number of days. */
NOINLINE static size_t
q_student(struct floor *f, const char *email, struct row *r,
    struct entry_row **out)
{
	uint8_t key[8];
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0, cap = 0;
	uint32_t sid;
	int rc;

	*out = NULL;
	check(mdb_txn_begin(f->env, NULL, MDB_RDONLY, &txn), "begin");
	if ((sid = email_sid(f, txn, email)) == 0)
		util_die("queries: unknown %s", email);
	fill_row(f, txn, sid, r);
	put_u32(key, sid);
	put_u32(key + 4, 0);
	k = val(key, 8);
	check(mdb_cursor_open(txn, f->dbi[F_ATT], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    get_u32(k.mv_data) == sid;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap)
			*out = grow(*out, &cap, sizeof(**out));
		(*out)[n].day = (int32_t)get_u32((uint8_t *)k.mv_data + 4);
		(*out)[n].arrived = get_u32(v.mv_data);
		(*out)[n].status = ((uint8_t *)v.mv_data)[4];
		(*out)[n].points = (int16_t)get_u16((uint8_t *)v.mv_data + 6);
		n++;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return n;
}

struct day_result {
	struct day_row *present, *absent;
	size_t np, na, capp, capa;
};

/* One student's part of a day: present, absent, or not yet registered. */
static void
day_student(const MDB_val *rec, const MDB_val *entry, uint32_t sid,
    int32_t day, struct day_result *d)
{
	const uint8_t *p = rec->mv_data, *e = entry->mv_data;
	struct day_row *r;
	size_t nl = get_u16(p + 4);

	if (e == NULL && (int32_t)get_u32(p) > day)
		return;
	if (e != NULL) {
		if (d->np == d->capp)
			d->present = grow(d->present, &d->capp, sizeof(*r));
		r = &d->present[d->np++];
		r->arrived = get_u32(e);
		r->status = e[4];
		r->points = (int16_t)get_u16(e + 6);
	} else {
		if (d->na == d->capa)
			d->absent = grow(d->absent, &d->capa, sizeof(*r));
		r = &d->absent[d->na++];
	}
	r->sid = sid;
	id_text(p + ROSTER_HDR, r->id);
	memcpy(r->name, p + ROSTER_HDR + ID_LEN, nl);
	r->name[nl] = 0;
}

/*
 * The day's entry of every student, found with one cursor in sid order:
 * consecutive keys are mostly on the page the cursor is on.
 */
static MDB_val *
day_entries(struct floor *f, MDB_txn *txn, int32_t day, size_t nsid)
{
	uint8_t key[8];
	MDB_cursor *cur;
	MDB_val k, v, *vals;
	uint32_t sid;

	if ((vals = calloc(nsid, sizeof(*vals))) == NULL)
		util_die("out of memory");
	check(mdb_cursor_open(txn, f->dbi[F_ATT], &cur), "cursor");
	put_u32(key + 4, (uint32_t)day);
	for (sid = 1; sid < nsid; sid++) {
		put_u32(key, sid);
		k = val(key, 8);
		if (mdb_cursor_get(cur, &k, &v, MDB_SET) == 0)
			vals[sid] = v;
	}
	mdb_cursor_close(cur);
	return vals;
}

NOINLINE static void
q_day(struct floor *f, int32_t day, struct day_result *d)
{
	MDB_val k, v, *roster, *entries;
	MDB_txn *txn;
	MDB_cursor *cur;
	size_t nsid;
	uint32_t sid;
	int rc;

	memset(d, 0, sizeof(*d));
	check(mdb_txn_begin(f->env, NULL, MDB_RDONLY, &txn), "begin");
	roster = load_by_sid(f, txn, F_ROSTER, &nsid);
	entries = day_entries(f, txn, day, nsid);
	check(mdb_cursor_open(txn, f->dbi[F_NAMES], &cur), "cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((sid = get_u32(v.mv_data)) >= nsid)
			util_die("floor: damaged names index");
		day_student(&roster[sid], &entries[sid], sid, day, d);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	free(roster);
	free(entries);
}

void
floor_lib_queries(struct floor *f, const char *day, const char *email,
    struct query_run *q)
{
	struct row *rows, st;
	struct entry_row *att;
	struct day_result d;
	uint64_t t0;
	int32_t dnum;
	uint32_t sec;

	if (parse_at(day, &dnum, &sec) != 0)
		util_die("floor: bad day %s", day);
	t0 = util_now_ns();
	q->students = q_students(f, &rows);
	q->students_ns = util_now_ns() - t0;
	free(rows);
	t0 = util_now_ns();
	q->days = q_student(f, email, &st, &att);
	q->student_ns = util_now_ns() - t0;
	free(att);
	t0 = util_now_ns();
	q_day(f, dnum, &d);
	q->day_ns = util_now_ns() - t0;
	q->present = d.np;
	q->absent = d.na;
	free(d.present);
	free(d.absent);
}

/*
 * What one durable 4 KiB write costs on this disk right now: the load
 * behind every latency figure of the run (0.2 ms quiet, 5-10 ms loaded).
 */
static int
cmd_fsync(int argc, char **argv)
{
	char path[4096], page[4096];
	uint64_t *lat, t0;
	size_t n, i;
	int fd;

	if (argc != 5)
		util_die("usage: floor fsync DIR N NAME");
	n = util_number(argv[3]);
	if (n == 0 || (lat = calloc(n, sizeof(*lat))) == NULL)
		util_die("fsync: bad count");
	snprintf(path, sizeof(path), "%s/fsync.probe", argv[2]);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		util_die("%s: %s", path, strerror(errno));
	memset(page, 'x', sizeof(page));
	for (i = 0; i < n; i++) {
		t0 = util_now_ns();
		if (pwrite(fd, page, sizeof(page), (off_t)(i % 16) *
		    (off_t)sizeof(page)) != (ssize_t)sizeof(page) ||
		    fdatasync(fd) != 0)
			util_die("%s: %s", path, strerror(errno));
		lat[i] = util_now_ns() - t0;
	}
	close(fd);
	unlink(path);
	util_figure(argv[4], (double)util_quantile(lat, n, 0.5) / 1e6, "ms");
	free(lat);
	return 0;
}

/* Pages in use: up to the last page written, less the free list. */
static uint64_t
used_pages(MDB_env *env, MDB_txn *txn)
{
	MDB_envinfo info;
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t free_pages = 0;
	size_t count;
	int rc;

	check(mdb_env_info(env, &info), "info");
	check(mdb_cursor_open(txn, 0, &cur), "free list");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		memcpy(&count, v.mv_data, sizeof(count));	/* IDL length */
		free_pages += count;
	}
	mdb_cursor_close(cur);
	return (uint64_t)info.me_last_pgno + 1 - free_pages;
}

/*
 * Bytes per event of any environment whose log is named "events" (the
 * floor's or rollcall's): the file, and the pages actually in use.
 */
static int
cmd_usage(int argc, char **argv)
{
	char name[128];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_stat st, est;
	uint64_t used;

	if (argc != 4)
		util_die("usage: floor usage DIR PREFIX");
	check(mdb_env_create(&env), "env");
	check(mdb_env_set_maxdbs(env, 32), "maxdbs");
	check(mdb_env_open(env, argv[2], MDB_RDONLY, 0600), argv[2]);
	check(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "begin");
	check(mdb_dbi_open(txn, "events", 0, &dbi), "events");
	check(mdb_stat(txn, dbi, &st), "stat");
	check(mdb_env_stat(env, &est), "stat");
	used = used_pages(env, txn) * est.ms_psize;
	mdb_txn_abort(txn);
	mdb_env_close(env);
	snprintf(name, sizeof(name), "%sbytes_per_event", argv[3]);
	util_figure(name, (double)util_file_size(argv[2]) /
	    (double)st.ms_entries, "B");
	snprintf(name, sizeof(name), "%sused_bytes_per_event", argv[3]);
	util_figure(name, (double)used / (double)st.ms_entries, "B");
	return 0;
}

int
floor_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "ingest", cmd_ingest }, { "one", cmd_one },
		{ "rebuild", cmd_rebuild }, { "usage", cmd_usage },
		{ "fsync", cmd_fsync },
	};
	size_t i;

	if (argc >= 2 && strcmp(argv[1], "one") == 0)
		return cmd_one(argc, argv);
	if (sodium_init() < 0)
		util_die("sodium_init");
	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: floor ingest|one|rebuild|usage|fsync "
	    "...\n");
	return 2;
}
