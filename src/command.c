/*
 * command.c - every change, as one write transaction: catch up, validate
 * against the read side, append, apply, advance the checkpoint, commit.
 * Whoever opens a write transaction asks the projector to catch up: the
 * commands here, and db_catch_up() for the TUI's refresh.
 *
 * Each command is a `store_write_fn` over a small context struct, so the
 * store can run it again from the start after growing the map.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include <uuid/uuid.h>

#include "backup.h"
#include "clock.h"
#include "command.h"
#include "command_txn.h"
#include "csvread.h"
#include "keys.h"
#include "projector.h"
#include "rm_backup.h"
#include "rm_collation.h"
#include "rm_days.h"
#include "rm_desk.h"
#include "rm_figures.h"
#include "rm_policy.h"
#include "rm_roster.h"
#include "text.h"
#include "validate.h"

/*
 * Append ev (filling seq, prev, recorded_at) and apply it.  Personal
 * data reaches the log only sealed under the student's key (keys.h);
 * the projector gets the clear fields, which stay in ev.
 */
static int
append_apply(rc_db *db, MDB_txn *txn, struct rc_event *ev)
{
	uint8_t rec[EVENT_MAX_LEN], sealed[RC_SEALED_MAX];
	size_t len;
	int rc;

	ev->version = (uint8_t)event_type_version(ev->type);
	if (event_is_sealed(ev) && ev->seal == SEAL_NONE &&
	    (rc = keys_seal(db, txn, ev, sealed)) != RC_OK)
		return rc;
	if ((rc = store_append(db, txn, ev, rec, &len)) != RC_OK)
		return rc;
	return proj_apply(db, txn, ev);
}

/* The read side now reflects the log up to its tail. */
static int
checkpoint(rc_db *db, MDB_txn *txn)
{
	return rs_set_checkpoint(db, txn, db->tail_seq, db->tail_hash);
}

/* One event, one command: append, apply, move the checkpoint. */
static int
emit(rc_db *db, MDB_txn *txn, struct rc_event *ev)
{
	int rc;

	if ((rc = append_apply(db, txn, ev)) != RC_OK)
		return rc;
	return checkpoint(db, txn);
}

/*
 * Every command starts here: the read side must be current to judge,
 * and a replica takes no command at all (SPEC 9), whatever it would say.
 */
static int
begin(rc_db *db, MDB_txn *txn)
{
	int rc;

	if ((rc = store_check_writable(db, txn)) != RC_OK)
		return rc;
	return proj_catch_up(db, txn, NULL, NULL);
}

/* Catch-up needs a write only when the log is ahead of the checkpoint. */
static int
behind(rc_db *db, int *is_behind)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(db, &txn)) != RC_OK)
		return rc;
	rc = proj_stale(db, txn, is_behind);
	mdb_txn_abort(txn);
	return rc;
}

/* Not begin(): a replica's read side catches up like any other. */
static int
catch_up_txn(rc_db *db, MDB_txn *txn, void *ctx)
{
	(void)ctx;
	return proj_catch_up(db, txn, NULL, NULL);
}

int
db_catch_up(rc_db *db)
{
	int rc, is_behind;

	if ((rc = behind(db, &is_behind)) != RC_OK || !is_behind)
		return rc;
	return store_write(db, catch_up_txn, NULL);
}

static int
refuse_invalid(rc_db *db, const char *why)
{
	return store_fail(db, RC_REFUSED, "%s", why);
}

/* ---- register --------------------------------------------------------- */

struct reg_ctx {
	char name[RC_NAME_MAX + 1];
	char email[RC_EMAIL_MAX + 1];	/* "" for none */
	char code[RC_CODE_MAX + 1];	/* "" for none (SPEC 8) */
	int gender;
	char *id_out;
};

static int
check_email_free(rc_db *db, MDB_txn *txn, const char *email, uint32_t self)
{
	char shown[RC_EMAIL_MAX * 4 + 1];
	uint32_t owner;
	int rc;

	if ((rc = rm_roster_email_owner(db, txn, email, &owner)) != RC_OK)
		return rc;
	if (owner != 0 && owner != self) {
		text_escape(email, strlen(email), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED,
		    "email %s is already registered", shown);
	}
	return RC_OK;
}

/* Codes are free like emails: among active students, any case. */
static int
check_code_free(rc_db *db, MDB_txn *txn, const char *code, uint32_t self)
{
	uint32_t owner;
	int rc;

	if ((rc = rm_roster_code_owner(db, txn, code, strlen(code), &owner)) !=
	    RC_OK)
		return rc;
	if (owner != 0 && owner != self)
		return store_fail(db, RC_REFUSED,
		    "code %s is already registered", code);
	return RC_OK;
}

/* A registration of validated fields f, with a new random id. */
static void
registration(struct rc_event *ev, const struct reg_ctx *f, int64_t now_us,
    int32_t day)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = EV_STUDENT_REGISTERED;
	ev->recorded_at = now_us;
	/*
	 * A version 4 UUID as uuid_generate_random makes it, from libsodium's
	 * generator (seeded by the kernel): libuuid reseeds random(3) on
	 * every call, 18k instructions of a 124k registration.
	 */
	randombytes_buf(ev->id, RC_ID_LEN);
	ev->id[6] = (uint8_t)((ev->id[6] & 0x0f) | 0x40);
	ev->id[8] = (uint8_t)((ev->id[8] & 0x3f) | 0x80);
	ev->u.reg.name.s = f->name;
	ev->u.reg.name.len = strlen(f->name);
	ev->u.reg.email.s = f->email;
	ev->u.reg.email.len = strlen(f->email);
	ev->u.reg.code.s = f->code;
	ev->u.reg.code.len = strlen(f->code);
	ev->u.reg.gender = (uint8_t)f->gender;
	ev->u.reg.day = day;
}

static int
register_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct reg_ctx *c = arg;
	struct rc_event ev;
	struct rc_local now;
	int64_t us;
	int rc;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (c->email[0] && (rc = check_email_free(db, txn, c->email, 0))) ||
	    (c->code[0] && (rc = check_code_free(db, txn, c->code, 0))))
		return rc;
	if (clock_now(&us, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	registration(&ev, c, us, now.day);
	if ((rc = emit(db, txn, &ev)) != RC_OK)
		return rc;
	event_id_text(ev.id, c->id_out);
	return RC_OK;
}

/* Validate the student fields shared by register, edit, import. */
static int
check_fields(const struct rc_details *d, struct reg_ctx *c, const char **why)
{
	c->email[0] = c->code[0] = 0;
	if (d->name &&
	    validate_name(d->name, c->name, sizeof(c->name), why) != 0)
		return -1;
	if (d->email &&
	    validate_email(d->email, c->email, sizeof(c->email), why) != 0)
		return -1;
	if (d->code &&
	    validate_code(d->code, c->code, sizeof(c->code), why) != 0)
		return -1;
	c->gender = GENDER_NONE;
	if (d->gender && validate_gender(d->gender, &c->gender, why) != 0)
		return -1;
	return 0;
}

int
command_add(rc_db *db, const struct rc_details *d, char id[RC_ID_TEXT])
{
	struct reg_ctx c;
	const char *why;

	if (d->name == NULL || (d->email == NULL && d->code == NULL))
		return store_fail(db, RC_USAGE,
		    "a name and an email or a code are required");
	if (check_fields(d, &c, &why) != 0)
		return refuse_invalid(db, why);
	c.id_out = id;
	return store_write(db, register_txn, &c);
}

int
command_register(rc_db *db, const char *name, const char *email,
    const char *gender, char id[RC_ID_TEXT])
{
	struct rc_details d = { name, email, NULL, gender, 0 };

	if (email == NULL)
		return store_fail(db, RC_USAGE, "name and email are required");
	return command_add(db, &d, id);
}

/* ---- edit and remove -------------------------------------------------- */

struct edit_ctx {
	const char *student;
	struct reg_ctx f;
	int has_name, has_email, has_gender, has_code;
};

static int
find_active(rc_db *db, MDB_txn *txn, const char *student, uint32_t *sid,
    struct roster_rec *r)
{
	char shown[RC_NAME_MAX * 4 + 1];
	int rc;

	if ((rc = rm_roster_find(db, txn, student, sid, r)) != RC_OK)
		return rc;
	if (!r->active) {
		text_escape(r->name.s, r->name.len, shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "%s has been removed", shown);
	}
	return RC_OK;
}

/* The code part of an edit: set (checked free) or cleared (""). */
static int
edit_code(rc_db *db, MDB_txn *txn, const struct edit_ctx *c,
    const struct roster_rec *r, uint32_t sid, struct rc_event *ev)
{
	int rc;

	if (r->code.len == strlen(c->f.code) &&
	    memcmp(r->code.s, c->f.code, r->code.len) == 0)
		return RC_OK;
	if (c->f.code[0] && (rc = check_code_free(db, txn, c->f.code, sid)))
		return rc;
	ev->u.upd.fields |= UPD_CODE;
	ev->u.upd.code.s = c->f.code;
	ev->u.upd.code.len = strlen(c->f.code);
	return RC_OK;
}

static int
edit_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct edit_ctx *c = arg;
	struct roster_rec r;
	struct rc_event ev;
	uint32_t sid;
	int rc;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = find_active(db, txn, c->student, &sid, &r)) != RC_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_STUDENT_UPDATED;
	memcpy(ev.id, r.id, RC_ID_LEN);
	if (c->has_name && (r.name.len != strlen(c->f.name) ||
	    memcmp(r.name.s, c->f.name, r.name.len) != 0)) {
		ev.u.upd.fields |= UPD_NAME;
		ev.u.upd.name.s = c->f.name;
		ev.u.upd.name.len = strlen(c->f.name);
	}
	if (c->has_email && (r.email.len != strlen(c->f.email) ||
	    memcmp(r.email.s, c->f.email, r.email.len) != 0)) {
		if (c->f.email[0] &&
		    (rc = check_email_free(db, txn, c->f.email, sid)) != RC_OK)
			return rc;
		ev.u.upd.fields |= UPD_EMAIL;
		ev.u.upd.email.s = c->f.email;
		ev.u.upd.email.len = strlen(c->f.email);
	}
	if (c->has_gender && r.gender != c->f.gender) {
		ev.u.upd.fields |= UPD_GENDER;
		ev.u.upd.gender = (uint8_t)c->f.gender;
	}
	if (c->has_code && (rc = edit_code(db, txn, c, &r, sid, &ev)) != RC_OK)
		return rc;
	if ((c->has_email || c->has_code) &&
	    (ev.u.upd.fields & UPD_EMAIL ? ev.u.upd.email.len : r.email.len)
	    == 0 &&
	    (ev.u.upd.fields & UPD_CODE ? ev.u.upd.code.len : r.code.len) == 0)
		return store_fail(db, RC_REFUSED, "a student needs an email or "
		    "a code: this would leave neither");
	if (ev.u.upd.fields == 0)
		return RC_OK;	/* already so: nothing to record */
	return emit(db, txn, &ev);
}

int
command_update(rc_db *db, const char *student, const struct rc_details *d)
{
	struct edit_ctx c;
	const char *why;
	unsigned clr = d->clear;

	memset(&c, 0, sizeof(c));
	if (!d->name && !d->email && !d->code && !d->gender && !clr)
		return store_fail(db, RC_USAGE, "edit needs --name, --email, "
		    "--code, --gender or --clear");
	if (((clr & UPD_EMAIL) && d->email) || ((clr & UPD_CODE) && d->code) ||
	    ((clr & UPD_GENDER) && d->gender))
		return store_fail(db, RC_USAGE,
		    "a detail cannot be both given and cleared");
	if (check_fields(d, &c.f, &why) != 0)
		return refuse_invalid(db, why);
	c.student = student;
	c.has_name = d->name != NULL;
	c.has_email = d->email != NULL || (clr & UPD_EMAIL);
	c.has_code = d->code != NULL || (clr & UPD_CODE);
	c.has_gender = d->gender != NULL || (clr & UPD_GENDER);
	return store_write(db, edit_txn, &c);
}

int
command_edit(rc_db *db, const char *student, const char *name,
    const char *email, const char *gender)
{
	struct rc_details d = { name, email, NULL, gender, 0 };

	return command_update(db, student, &d);
}

static int
remove_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct roster_rec r;
	struct rc_event ev;
	uint32_t sid;
	int rc;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = find_active(db, txn, arg, &sid, &r)) != RC_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_STUDENT_REMOVED;
	memcpy(ev.id, r.id, RC_ID_LEN);
	return emit(db, txn, &ev);
}

int
command_remove(rc_db *db, const char *student)
{
	return store_write(db, remove_txn, (void *)student);
}

/* ---- restore (issue 16) ----------------------------------------------- */

/*
 * Re-admit a removed student: refused when they are active, or when an
 * active student has taken their email since (restoring would make two).
 */
static int
restore_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	char shown[RC_NAME_MAX * 4 + 1], email[RC_EMAIL_MAX + 1];
	char code[RC_CODE_MAX + 1];
	struct roster_rec r;
	struct rc_event ev;
	uint32_t sid;
	int rc;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = rm_roster_find(db, txn, arg, &sid, &r)) != RC_OK)
		return rc;
	text_escape(r.name.s, r.name.len, shown, sizeof(shown));
	if (r.active)
		return store_fail(db, RC_REFUSED, "%s is not removed", shown);
	if (r.erased)
		return store_fail(db, RC_REFUSED, "this student's personal data "
		    "was erased: they cannot be restored");
	memcpy(email, r.email.s, r.email.len);
	email[r.email.len] = 0;
	memcpy(code, r.code.s, r.code.len);
	code[r.code.len] = 0;
	memset(&ev, 0, sizeof(ev));
	memcpy(ev.id, r.id, RC_ID_LEN);
	if ((email[0] && (rc = check_email_free(db, txn, email, sid))) ||
	    (code[0] && (rc = check_code_free(db, txn, code, sid))))
		return rc;
	ev.type = EV_STUDENT_RESTORED;
	return emit(db, txn, &ev);
}

int
command_restore(rc_db *db, const char *student)
{
	return store_write(db, restore_txn, (void *)student);
}

/* ---- check-in and void ------------------------------------------------ */

static int
local_cmp(const struct rc_local *a, const struct rc_local *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return 0;
}

/*
 * Word the projector's refusal of a second check-in for a person: with
 * the name and the time of the one that stands.
 */
static int
already_in(rc_db *db, MDB_txn *txn, uint32_t sid, const char *shown,
    int32_t day, struct rc_checkin *out)
{
	struct att_entry e;
	const uint8_t *entries;
	char date[16], tm[16];
	size_t n, i;
	int rc;

	if ((rc = rm_days_entries(db, txn, sid, day, &entries, &n)) != RC_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (entry_decode(entries, n * ENTRY_LEN, i, &e) != 0 ||
		    e.voided)
			continue;
		clock_format_day(day, date);
		clock_format_time(e.arrived, tm);
		if (out) {
			out->refused = RF_ALREADY_IN;
			out->day = day;
			out->arrived = e.arrived;
		}
		return store_fail(db, RC_REFUSED,
		    "%s already checked in on %s at %s", shown, date, tm);
	}
	return RC_REFUSED;
}

/*
 * The shared core of checkin and import attendance: validate one arrival
 * for an already found student, then append and apply it.  The
 * projector finds a second check-in of the day in the same descent that
 * records the first (the event then goes with the aborted transaction).
 */
static int
record_arrival(rc_db *db, MDB_txn *txn, uint32_t sid,
    const struct roster_rec *r, const struct rc_local *at,
    int64_t now_us, const struct rc_local *now, const struct rc_policy *pol,
    struct rc_checkin *out)
{
	struct rc_event ev;
	struct rc_figures f;
	struct roster_rec again;
	char shown[RC_NAME_MAX * 4 + 1];
	int rc;

	if (local_cmp(at, now) > 0)
		return store_fail(db, RC_REFUSED,
		    "arrival time is in the future");
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_ATTENDANCE_RECORDED;
	ev.recorded_at = now_us;
	memcpy(ev.id, r->id, RC_ID_LEN);
	ev.u.att.day = at->day;
	ev.u.att.arrived = at->sec;
	if (pol)
		ev.u.att.policy = *pol;
	else if ((rc = rm_policy_get(db, txn, &ev.u.att.policy)) != RC_OK)
		return rc;
	policy_judge(&ev.u.att.policy, at->sec, &ev.u.att.status,
	    &ev.u.att.points);
	if (out) {
		event_id_text(r->id, out->id);
		memcpy(out->name, r->name.s, r->name.len);
		out->name[r->name.len] = 0;
	}
	if ((rc = append_apply(db, txn, &ev)) == RC_REFUSED) {
		/* r may point into a page our writes moved: read it again. */
		if ((rc = rm_roster_get(db, txn, sid, &again)) != RC_OK)
			return rc;
		text_escape(again.name.s, again.name.len, shown,
		    sizeof(shown));
		return already_in(db, txn, sid, shown, at->day, out);
	}
	if (rc != RC_OK || out == NULL)
		return rc;
	if ((rc = rm_figures_get(db, txn, sid, &f)) != RC_OK)
		return rc;
	out->day = at->day;
	out->arrived = at->sec;
	out->status = ev.u.att.status;
	out->points = ev.u.att.points;
	out->total = f.points;
	return RC_OK;
}

struct checkin_ctx {
	const char *student;
	const struct rc_local *at;
	struct rc_checkin *out;
};

static int
checkin_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct checkin_ctx *c = arg;
	char shown[RC_NAME_MAX * 4 + 1];
	struct roster_rec r;
	struct rc_local now;
	int64_t us;
	uint32_t sid;
	int rc;

	memset(c->out, 0, sizeof(*c->out));
	c->out->refused = RF_OTHER;
	if ((rc = begin(db, txn)) != RC_OK)
		return rc;
	if ((rc = rm_roster_find(db, txn, c->student, &sid, &r)) != RC_OK) {
		if (rc == RC_REFUSED)
			c->out->refused = RF_UNKNOWN;
		return rc;
	}
	if (!r.active) {
		c->out->refused = RF_REMOVED;
		memcpy(c->out->name, r.name.s, r.name.len);
		c->out->name[r.name.len] = 0;
		text_escape(r.name.s, r.name.len, shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "%s has been removed", shown);
	}
	if (clock_now(&us, &now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	rc = record_arrival(db, txn, sid, &r, c->at ? c->at : &now, us, &now,
	    NULL, c->out);
	if (rc != RC_OK)
		return rc;
	c->out->refused = RF_NONE;
	return checkpoint(db, txn);
}

int
command_checkin(rc_db *db, const char *student, const struct rc_local *at,
    struct rc_checkin *out)
{
	struct checkin_ctx c;
	struct rc_checkin scratch;

	c.student = student;
	c.at = at;
	c.out = out ? out : &scratch;
	return store_write(db, checkin_txn, &c);
}

struct void_ctx {
	const char *student;
	int32_t day;
	char reason[RC_REASON_MAX + 1];
};

static int
void_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct void_ctx *c = arg;
	struct roster_rec r;
	struct rc_event ev;
	struct att_entry e;
	const uint8_t *entries;
	char shown[RC_NAME_MAX * 4 + 1], day[16];
	uint32_t sid;
	size_t n, i;
	int rc;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = rm_roster_find(db, txn, c->student, &sid, &r)) != RC_OK ||
	    (rc = rm_days_entries(db, txn, sid, c->day, &entries, &n)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if (entry_decode(entries, n * ENTRY_LEN, i, &e) == 0 &&
		    !e.voided)
			break;
	if (i == n) {
		text_escape(r.name.s, r.name.len, shown, sizeof(shown));
		clock_format_day(c->day, day);
		return store_fail(db, RC_REFUSED,
		    "%s has no check-in on %s to void", shown, day);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_ATTENDANCE_VOIDED;
	memcpy(ev.id, r.id, RC_ID_LEN);
	ev.u.vd.day = c->day;
	ev.u.vd.reason.s = c->reason;
	ev.u.vd.reason.len = strlen(c->reason);
	return emit(db, txn, &ev);
}

int
command_void(rc_db *db, const char *student, int32_t day, const char *reason)
{
	struct void_ctx c;
	const char *why;

	c.student = student;
	c.day = day;
	c.reason[0] = 0;
	if (reason && validate_reason(reason, c.reason, sizeof(c.reason),
	    &why) != 0)
		return refuse_invalid(db, why);
	return store_write(db, void_txn, &c);
}

/* ---- config ----------------------------------------------------------- */

struct config_ctx {
	uint8_t key;
	uint32_t value;
	char text[RC_CONFIG_TEXT_MAX + 1];	/* a text key's value */
	struct rc_policy after;
	struct rc_backup_settings after_b;	/* with want_b */
	int want_b;
};

/* Whether the setting already holds the value asked for. */
static int
config_same(rc_db *db, MDB_txn *txn, struct config_ctx *c, int *same)
{
	struct rc_backup_settings s;
	char tag[COLLATE_TAG_MAX + 1];
	int rc;

	if (c->key == CFG_COLLATION) {
		if ((rc = rm_collation_get(db, txn, tag)) != RC_OK)
			return rc;
		*same = strcmp(tag, c->text) == 0;
		return RC_OK;
	}
	if (c->key == CFG_BACKUP_DIR || c->key == CFG_BACKUP_KEEP) {
		rc = rm_backup_get(db, txn, s.dir, sizeof(s.dir), &s.keep);
		if (rc != RC_OK)
			return rc;
		*same = c->key == CFG_BACKUP_DIR ? strcmp(s.dir, c->text) == 0 :
		    s.keep == c->value;
		return RC_OK;
	}
	if (c->key == CFG_QUIET) {
		if ((rc = rm_desk_quiet(db, txn, same)) != RC_OK)
			return rc;
		*same = *same == (int)c->value;
		return RC_OK;
	}
	*same = c->value == (c->key == CFG_START_TIME ? c->after.start :
	    c->key == CFG_WINDOW ? c->after.window : c->after.points);
	return RC_OK;
}

/* The backup settings now in force, for a caller that shows them. */
static int
config_after_b(rc_db *db, MDB_txn *txn, struct config_ctx *c)
{
	if (!c->want_b)
		return RC_OK;
	return rm_backup_get(db, txn, c->after_b.dir, sizeof(c->after_b.dir),
	    &c->after_b.keep);
}

static int
config_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct config_ctx *c = arg;
	struct rc_event ev;
	int rc, same;

	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = rm_policy_get(db, txn, &c->after)) != RC_OK ||
	    (rc = config_same(db, txn, c, &same)) != RC_OK)
		return rc;
	if (same)
		return config_after_b(db, txn, c);
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_CONFIG_CHANGED;
	ev.u.cfg.key = c->key;
	ev.u.cfg.value = c->value;
	ev.u.cfg.text.s = c->text;
	ev.u.cfg.text.len = strlen(c->text);
	if ((rc = emit(db, txn, &ev)) != RC_OK ||
	    (rc = rm_policy_get(db, txn, &c->after)) != RC_OK)
		return rc;
	return config_after_b(db, txn, c);
}

/* Parse a whole decimal number in [lo, hi]; 0 or -1. */
static int
parse_range(const char *s, unsigned lo, unsigned hi, uint32_t *out)
{
	unsigned long v = 0;
	const char *p;

	if (*s == 0 || strlen(s) > 9)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Settings: name, key, the default --unset returns to (NULL: unset). */
static const struct {
	const char *name;
	uint8_t key;
	const char *unset;
} settings[] = {
	{ "start-time", CFG_START_TIME, "09:00" },
	{ "window-minutes", CFG_WINDOW, "5" },
	{ "points", CFG_POINTS, "5" },
	{ "backup-dir", CFG_BACKUP_DIR, NULL },
	{ "backup-keep", CFG_BACKUP_KEEP, "14" },
	{ "quiet", CFG_QUIET, "off" },
	{ "collation", CFG_COLLATION, COLLATE_DEFAULT },
};

/*
 * A collation tag (SPEC 3 "Name order"): one ICU has a collation for,
 * checked here, once, so that projecting never meets a bad one.
 */
static int
collation_value(rc_db *db, const char *value, char *out, size_t cap)
{
	char shown[64], why[256];
	int rc;

	if ((rc = collate_check(value, why, sizeof(why))) == -2)
		return store_fail(db, RC_ESYS, "%s", why);
	if (rc != 0) {
		text_escape(value, strlen(value), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "unknown collation '%s': %s "
		    "(a language tag such as sv or de, or root)", shown, why);
	}
	snprintf(out, cap, "%s", value);
	return RC_OK;
}

/* Turn value into c->value or c->text; RC_REFUSED when invalid. */
static int
config_parse(rc_db *db, struct config_ctx *c, const char *value)
{
	char shown[64];

	text_escape(value, strlen(value), shown, sizeof(shown));
	switch (c->key) {
	case CFG_START_TIME:
		if (clock_parse_hhmm(value, &c->value) != 0)
			return store_fail(db, RC_REFUSED,
			    "invalid start-time '%s': expected HH:MM", shown);
		break;
	case CFG_WINDOW:
		if (parse_range(value, 1, 120, &c->value) != 0)
			return store_fail(db, RC_REFUSED, "invalid "
			    "window-minutes '%s': expected 1 to 120", shown);
		break;
	case CFG_POINTS:
		if (parse_range(value, 0, 1000, &c->value) != 0)
			return store_fail(db, RC_REFUSED,
			    "invalid points '%s': expected 0 to 1000", shown);
		break;
	case CFG_BACKUP_DIR:
		return backup_dir_value(db, value, c->text, sizeof(c->text));
	case CFG_COLLATION:
		return collation_value(db, value, c->text, sizeof(c->text));
	case CFG_BACKUP_KEEP:
		if (parse_range(value, 1, BACKUP_KEEP_MAX, &c->value) != 0)
			return store_fail(db, RC_REFUSED, "invalid backup-keep "
			    "'%s': expected 1 to %d", shown, BACKUP_KEEP_MAX);
		break;
	case CFG_QUIET:
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
			return store_fail(db, RC_REFUSED, "invalid quiet '%s': "
			    "expected on or off", shown);
		c->value = strcmp(value, "on") == 0;
		break;
	}
	return RC_OK;
}

int
command_config(rc_db *db, const char *key, const char *value,
    struct rc_policy *policy)
{
	return command_config_all(db, key, value, policy, NULL);
}

int
command_config_all(rc_db *db, const char *key, const char *value,
    struct rc_policy *policy, struct rc_backup_settings *backup)
{
	struct config_ctx c;
	char shown[64];
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (strcmp(key, settings[i].name) == 0)
			break;
	if (i == sizeof(settings) / sizeof(settings[0])) {
		text_escape(key, strlen(key), shown, sizeof(shown));
		return store_fail(db, RC_REFUSED, "unknown setting '%s' "
		    "(start-time, window-minutes, points, backup-dir, "
		    "backup-keep, quiet, collation)", shown);
	}
	c.key = settings[i].key;
	if (value == NULL)
		value = settings[i].unset;
	if (value != NULL && (rc = config_parse(db, &c, value)) != RC_OK)
		return rc;
	c.want_b = backup != NULL;
	if ((rc = store_write(db, config_txn, &c)) != RC_OK)
		return rc;
	if (policy)
		*policy = c.after;
	if (backup)
		*backup = c.after_b;
	return RC_OK;
}

/* ---- imports ---------------------------------------------------------- */

struct bad_row {
	unsigned long line;
	char reason[sizeof(((rc_db *)0)->err)];
};

/*
 * State of one import attempt.  Bad rows are collected, not reported,
 * because the store may run the attempt again after growing the map.
 */
/*
 * An attendance import names each student on many rows, and it changes
 * no roster: the active student a row's text found is kept for the rows
 * after it (a hash table by that text, which the import's row set
 * holds), instead of an email key, an index get and a roster get each.
 */
struct known {
	const char *text;	/* NULL: an empty slot */
	uint32_t sid;
	struct roster_rec r;	/* name points into name (ids and active too) */
	char *name;
};

struct import_ctx {
	rc_db *db;
	MDB_txn *txn;
	const char *path;
	int64_t now_us;
	struct rc_local now;
	size_t count;
	int failed;		/* a storage error: stop */
	uint32_t first_sid;	/* students from this file have sid >= it */
	unsigned long *lines;	/* line of each student this file added */
	size_t nlines, caplines;
	struct bad_row *bad;
	size_t nbad, capbad;
	int merge;		/* import students --merge */
	size_t updated, unchanged;	/* of count, with merge */
	unsigned long *merged;	/* by sid < first_sid: the line that matched */
	struct known *known;	/* attendance: students found so far */
	size_t capknown, nknown;
	struct rc_policy policy;	/* attendance: read once */
};

static void *
grow(void *p, size_t *cap, size_t size)
{
	size_t old = *cap;
	void *q;

	*cap = *cap ? *cap * 2 : 64;
	if ((q = realloc(p, *cap * size)) == NULL) {
		fprintf(stderr, "rollcall: out of memory\n");
		exit(RC_ESYS);
	}
	/*
	 * An import's rows fill what they grow into before growing again:
	 * fault the new half in with one call (a year's rows are 30 MB).
	 */
	if ((*cap - old) * size >= (1 << 20))
		store_prefault((char *)q + old * size, (*cap - old) * size);
	return q;
}

static void
add_bad(struct import_ctx *c, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_bad(struct import_ctx *c, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (c->nbad == c->capbad)
		c->bad = grow(c->bad, &c->capbad, sizeof(*c->bad));
	c->bad[c->nbad].line = line;
	va_start(ap, fmt);
	vsnprintf(c->bad[c->nbad].reason, sizeof(c->bad->reason), fmt, ap);
	va_end(ap);
	c->nbad++;
}

/* A row refused by the core: keep its reason, or stop on a real error. */
static int
row_refused(struct import_ctx *c, unsigned long line, int rc)
{
	if (rc != RC_REFUSED) {
		c->failed = rc;
		return 1;
	}
	add_bad(c, line, "%s", c->db->err);
	return 0;
}

/* The line of this file that already matched active student sid, or 0. */
static unsigned long
matched_line(const struct import_ctx *c, uint32_t sid)
{
	if (sid >= c->first_sid)
		return c->lines[sid - c->first_sid];
	return c->merge ? c->merged[sid] : 0;
}

/*
 * --merge: a row matching an active student updates what differs (an
 * empty cell keeps the stored value), as edit would.
 */
static int
merge_row(struct import_ctx *c, unsigned long line, uint32_t sid,
    const struct reg_ctx *f, int has_name, int has_gender)
{
	struct roster_rec r;
	struct rc_event ev;
	int rc;

	/* sid matched by code or email: the other may be new to them */
	if ((rc = rm_roster_get(c->db, c->txn, sid, &r)) != RC_OK)
		return row_refused(c, line, rc);
	c->merged[sid] = line;
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_STUDENT_UPDATED;
	ev.recorded_at = c->now_us;
	memcpy(ev.id, r.id, RC_ID_LEN);
	if (has_name && (r.name.len != strlen(f->name) ||
	    memcmp(r.name.s, f->name, r.name.len) != 0)) {
		ev.u.upd.fields |= UPD_NAME;
		ev.u.upd.name.s = f->name;
		ev.u.upd.name.len = strlen(f->name);
	}
	/* An empty cell keeps the stored value. */
	if (f->email[0] && (r.email.len != strlen(f->email) ||
	    memcmp(r.email.s, f->email, r.email.len) != 0)) {
		ev.u.upd.fields |= UPD_EMAIL;
		ev.u.upd.email.s = f->email;
		ev.u.upd.email.len = strlen(f->email);
	}
	if (f->code[0] && (r.code.len != strlen(f->code) ||
	    memcmp(r.code.s, f->code, r.code.len) != 0)) {
		ev.u.upd.fields |= UPD_CODE;
		ev.u.upd.code.s = f->code;
		ev.u.upd.code.len = strlen(f->code);
	}
	if (has_gender && r.gender != f->gender) {
		ev.u.upd.fields |= UPD_GENDER;
		ev.u.upd.gender = (uint8_t)f->gender;
	}
	c->count++;
	if (ev.u.upd.fields == 0) {
		c->unchanged++;
		return 0;
	}
	if ((rc = append_apply(c->db, c->txn, &ev)) != RC_OK)
		return row_refused(c, line, rc);
	c->updated++;
	return 0;
}

/*
 * Whether a row's code is taken, by an earlier row or by an active
 * student (a bad row is added); a storage error sets c->failed.
 */
static int
code_row_taken(struct import_ctx *c, unsigned long line, const char *code)
{
	uint32_t owner;
	int rc;

	if ((rc = rm_roster_code_owner(c->db, c->txn, code, strlen(code),
	    &owner)) != RC_OK) {
		row_refused(c, line, rc);
		return 1;
	}
	if (owner == 0)
		return 0;
	if (owner >= c->first_sid)
		add_bad(c, line, "duplicate code %s (also on line %lu)", code,
		    c->lines[owner - c->first_sid]);
	else
		add_bad(c, line, "code %s is already registered", code);
	return 1;
}

static int
student_row(void *arg, unsigned long line, const char *const *v,
    const char *problem)
{
	struct import_ctx *c = arg;
	struct reg_ctx f;
	struct rc_event ev;
	struct rc_details d;
	char shown[RC_EMAIL_MAX * 4 + 1];
	const char *why;
	unsigned long first;
	uint32_t owner = 0, by_code = 0;
	int rc;

	if (problem) {
		add_bad(c, line, "%s", problem);
		return 0;
	}
	memset(&d, 0, sizeof(d));
	d.name = v[0] ? v[0] : "";
	/* With --merge an empty name may mean "keep": judged once matched. */
	if (c->merge && *d.name == 0)
		d.name = NULL;
	d.email = v[1] && *v[1] ? v[1] : NULL;
	d.gender = v[2] && *v[2] ? v[2] : NULL;
	d.code = v[3] && *v[3] ? v[3] : NULL;
	if (d.email == NULL && d.code == NULL) {
		add_bad(c, line, "a student needs an email or a code");
		return 0;
	}
	if (check_fields(&d, &f, &why) != 0) {
		add_bad(c, line, "%s", why);
		return 0;
	}
	if (f.code[0] && (rc = rm_roster_code_owner(c->db, c->txn, f.code,
	    strlen(f.code), &by_code)) != RC_OK)
		return row_refused(c, line, rc);
	if (f.email[0] &&
	    (rc = rm_roster_email_owner(c->db, c->txn, f.email, &owner)) != RC_OK)
		return row_refused(c, line, rc);
	if (c->merge && by_code && owner && by_code != owner) {
		add_bad(c, line, "code and email match two different students");
		return 0;
	}
	if (c->merge && (by_code || owner)) {
		owner = by_code ? by_code : owner;
		if ((first = matched_line(c, owner)) != 0) {
			text_escape(f.email, strlen(f.email), shown,
			    sizeof(shown));
			add_bad(c, line, "duplicate %s %s (also on line %lu)",
			    by_code ? "code" : "email", by_code ? f.code :
			    shown, first);
			return 0;
		}
		return merge_row(c, line, owner, &f, d.name != NULL,
		    d.gender != NULL);
	}
	if (by_code) {
		code_row_taken(c, line, f.code);
		return 0;
	}
	if (owner != 0) {
		text_escape(f.email, strlen(f.email), shown, sizeof(shown));
		if ((first = matched_line(c, owner)) != 0)
			add_bad(c, line, "duplicate email %s (also on line %lu)",
			    shown, first);
		else
			add_bad(c, line, "email %s is already registered",
			    shown);
		return 0;
	}
	if (d.name == NULL) {	/* a new student needs a name after all */
		validate_name("", f.name, sizeof(f.name), &why);
		add_bad(c, line, "%s", why);
		return 0;
	}
	registration(&ev, &f, c->now_us, c->now.day);
	if ((rc = append_apply(c->db, c->txn, &ev)) != RC_OK)
		return row_refused(c, line, rc);
	if (c->nlines == c->caplines)
		c->lines = grow(c->lines, &c->caplines, sizeof(*c->lines));
	c->lines[c->nlines++] = line;
	c->count++;
	return 0;
}

static size_t
known_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct known *
known_slot(struct known *tab, size_t cap, const char *text)
{
	size_t i = known_hash(text) & (cap - 1);

	while (tab[i].text != NULL && strcmp(tab[i].text, text) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Keep what text found; nothing kept when memory is short. */
static void
known_add(struct import_ctx *c, const char *text, uint32_t sid,
    const struct roster_rec *r)
{
	struct known *tab, *k;
	size_t i, cap;

	if (2 * (c->nknown + 1) > c->capknown) {
		cap = c->capknown ? c->capknown * 2 : 1024;
		if ((tab = calloc(cap, sizeof(*tab))) == NULL)
			return;
		for (i = 0; i < c->capknown; i++)
			if (c->known[i].text != NULL)
				*known_slot(tab, cap, c->known[i].text) =
				    c->known[i];
		free(c->known);
		c->known = tab;
		c->capknown = cap;
	}
	k = known_slot(c->known, c->capknown, text);
	if (k->text != NULL || (k->name = malloc(r->name.len + 1)) == NULL)
		return;
	memcpy(k->name, r->name.s, r->name.len);
	k->name[r->name.len] = 0;
	k->text = text;
	k->sid = sid;
	k->r = *r;
	k->r.name.s = k->name;
	/* The rest points into pages our writes may move: not kept. */
	k->r.email.s = k->r.code.s = NULL;
	k->r.email.len = k->r.code.len = 0;
	c->nknown++;
}

static void
known_free(struct import_ctx *c)
{
	size_t i;

	for (i = 0; i < c->capknown; i++)
		free(c->known[i].name);
	free(c->known);
	c->known = NULL;
	c->capknown = c->nknown = 0;
}

/* The active student text names: kept from an earlier row, or found. */
static int
find_known(struct import_ctx *c, const char *text, uint32_t *sid,
    const struct roster_rec **r, struct roster_rec *found)
{
	struct known *k;
	int rc;

	if (c->capknown > 0 &&
	    (k = known_slot(c->known, c->capknown, text))->text != NULL) {
		*sid = k->sid;
		*r = &k->r;
		rm_roster_remember(c->db, c->txn, k->sid, &k->r);
		return RC_OK;
	}
	if ((rc = find_active(c->db, c->txn, text, sid, found)) != RC_OK)
		return rc;
	*r = found;
	known_add(c, text, *sid, found);
	return RC_OK;
}

static int
attendance_row(void *arg, unsigned long line, const char *const *v,
    const char *problem)
{
	struct import_ctx *c = arg;
	struct roster_rec found;
	const struct roster_rec *r;
	struct rc_local at;
	char shown[128];
	uint32_t sid;
	int rc;

	if (problem) {
		add_bad(c, line, "%s", problem);
		return 0;
	}
	if (v[0] == NULL || *v[0] == 0) {
		add_bad(c, line, "student is empty");
		return 0;
	}
	if (v[1] == NULL || clock_parse_datetime(v[1], &at) != 0) {
		text_escape(v[1] ? v[1] : "", v[1] ? strlen(v[1]) : 0, shown,
		    sizeof(shown));
		add_bad(c, line, "invalid arrived_at '%s': expected "
		    "YYYY-MM-DDTHH:MM[:SS]", shown);
		return 0;
	}
	if ((rc = find_known(c, v[0], &sid, &r, &found)) != RC_OK)
		return row_refused(c, line, rc);
	rc = record_arrival(c->db, c->txn, sid, r, &at, c->now_us, &c->now,
	    &c->policy, NULL);
	if (rc != RC_OK)
		return row_refused(c, line, rc);
	c->count++;
	return 0;
}

static const struct csv_column student_cols[] = {
	{ "name", 1 }, { "email", CSV_ONE_OF }, { "gender", 0 },
	{ "code", CSV_ONE_OF }
};
static const struct csv_column attendance_cols[] = {
	{ "student", 1 }, { "arrived_at", 1 }
};

/*
 * An import's rows, read whole before the write transaction begins: the
 * file (maybe a pipe) is read once, and no other desk waits on our input.
 * Values are NUL-terminated in one text buffer; a row keeps offsets.
 */
#define MAX_COLS 4
#define NO_VALUE ((size_t)-1)

struct row {
	unsigned long line;
	size_t problem;		/* offset, or NO_VALUE */
	size_t val[MAX_COLS];	/* offsets, or NO_VALUE */
};

struct rowset {
	size_t ncols;
	char *text;
	size_t len, cap;
	struct row *rows;
	size_t n, caprows;
};

static size_t
keep_text(struct rowset *s, const char *v)
{
	size_t n, at = s->len;

	if (v == NULL)
		return NO_VALUE;
	n = strlen(v) + 1;
	while (s->len + n > s->cap)
		s->text = grow(s->text, &s->cap, 1);
	memcpy(s->text + at, v, n);
	s->len += n;
	return at;
}

static int
keep_row(void *arg, unsigned long line, const char *const *v,
    const char *problem)
{
	struct rowset *s = arg;
	struct row *r;
	size_t i;

	if (s->n == s->caprows)
		s->rows = grow(s->rows, &s->caprows, sizeof(*s->rows));
	r = &s->rows[s->n++];
	r->line = line;
	r->problem = keep_text(s, problem);
	/* Undo the formula guard of our own export (SPEC 3). */
	for (i = 0; i < s->ncols; i++)
		r->val[i] = keep_text(s, text_csv_unguard(v[i]));
	return 0;
}

struct import_job {
	struct import_ctx c;
	struct rowset set;
	csv_row_fn row;
};

/* Hand each kept row to the import's row function, as csvread would. */
static void
replay_rows(struct import_job *j)
{
	const struct rowset *s = &j->set;
	const char *v[MAX_COLS];
	size_t i, k;

	for (i = 0; i < s->n && !j->c.failed; i++) {
		for (k = 0; k < s->ncols; k++)
			v[k] = s->rows[i].val[k] == NO_VALUE ? NULL :
			    s->text + s->rows[i].val[k];
		j->row(&j->c, s->rows[i].line, v,
		    s->rows[i].problem == NO_VALUE ? NULL :
		    s->text + s->rows[i].problem);
	}
}

static int
import_txn(rc_db *db, MDB_txn *txn, void *arg)
{
	struct import_job *j = arg;
	struct import_ctx *c = &j->c;
	int rc;

	c->txn = txn;
	c->count = c->nlines = c->nbad = c->updated = c->unchanged = 0;
	c->failed = 0;
	known_free(c);		/* found in a transaction the store undid */
	if ((rc = begin(db, txn)) != RC_OK ||
	    (rc = rm_policy_get(db, txn, &c->policy)) != RC_OK)
		return rc;
	if ((rc = rm_roster_next_sid(db, txn, &c->first_sid)) != RC_OK)
		return rc;
	if (c->merge) {
		free(c->merged);
		if ((c->merged = calloc(c->first_sid,
		    sizeof(*c->merged))) == NULL)
			return store_fail(db, RC_ESYS, "out of memory");
	}
	if ((rc = proj_batch_begin(db, txn, j->set.n)) != RC_OK)
		return rc;
	replay_rows(j);
	if (c->failed || c->nbad > 0) {
		proj_batch_end(db, txn, 0);
		if (c->failed)
			return c->failed;
		return store_fail(db, RC_REFUSED, "%s: %zu bad rows, nothing "
		    "imported", c->path, c->nbad);
	}
	if ((rc = proj_batch_end(db, txn, 1)) != RC_OK)
		return rc;
	return c->count > c->unchanged ? checkpoint(db, txn) : RC_OK;
}

static int
import(rc_db *db, struct import_job *j, const struct csv_column *cols,
    const char *path, const struct rc_import_opts *o, size_t *count)
{
	char err[sizeof(db->err)], unknown[256];
	size_t i;
	int rc;

	j->c.db = db;
	j->c.path = path;
	j->c.merge = o->merge;
	if (count)
		*count = 0;
	if (clock_now(&j->c.now_us, &j->c.now) != 0)
		return store_fail(db, RC_REFUSED, "invalid ROLLCALL_NOW");
	if (csvread_file_noting(path, cols, j->set.ncols, keep_row, &j->set,
	    unknown, sizeof(unknown), err, sizeof(err)) != 0) {
		rc = store_fail(db, RC_REFUSED, "%s", err);
	} else {
		if (unknown[0] && o->warn)
			o->warn(o->ctx, unknown);
		/* One batch id for the import, kept if the store retries. */
		uuid_generate_random(db->batch);
		db->in_batch = 1;
		rc = store_write(db, import_txn, j);
		db->in_batch = 0;
	}
	for (i = 0; rc == RC_REFUSED && i < j->c.nbad; i++)
		if (o->bad)
			o->bad(o->ctx, j->c.bad[i].line, j->c.bad[i].reason);
	if (count)
		*count = rc == RC_OK ? j->c.count : 0;
	free(j->c.lines);
	free(j->c.bad);
	free(j->c.merged);
	known_free(&j->c);
	free(j->set.text);
	free(j->set.rows);
	return rc;
}

int
command_import_students_opts(rc_db *db, const char *path,
    const struct rc_import_opts *o, struct rc_import_counts *n)
{
	struct import_job j;
	size_t count;
	int rc;

	memset(&j, 0, sizeof(j));
	j.set.ncols = 4;
	j.row = student_row;
	rc = import(db, &j, student_cols, path, o, &count);
	if (n != NULL && rc == RC_OK) {
		n->updated = j.c.updated;
		n->unchanged = j.c.unchanged;
		n->added = count - n->updated - n->unchanged;
	}
	return rc;
}

int
command_import_students(rc_db *db, const char *path, rc_bad_row_fn bad,
    void *ctx, size_t *count)
{
	struct rc_import_opts o = { 0, bad, NULL, ctx };
	struct rc_import_counts n = { 0, 0, 0 };
	int rc;

	rc = command_import_students_opts(db, path, &o, &n);
	if (count)
		*count = n.added;
	return rc;
}

int
command_import_attendance(rc_db *db, const char *path, rc_bad_row_fn bad,
    void *ctx, size_t *count)
{
	struct rc_import_opts o = { 0, bad, NULL, ctx };
	struct import_job j;

	memset(&j, 0, sizeof(j));
	j.set.ncols = 2;
	j.row = attendance_row;
	return import(db, &j, attendance_cols, path, &o, count);
}

/* ---- for the other command files (command_txn.h) ---------------------- */

int
command_txn_begin(rc_db *db, MDB_txn *txn)
{
	return begin(db, txn);
}

int
command_txn_emit(rc_db *db, MDB_txn *txn, struct rc_event *ev)
{
	return emit(db, txn, ev);
}

int
command_txn_find_active(rc_db *db, MDB_txn *txn, const char *student,
    uint32_t *sid, struct roster_rec *r)
{
	return find_active(db, txn, student, sid, r);
}
