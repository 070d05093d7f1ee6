/*
 * event_json.c - an event as JSON, for `events --format jsonl` and the
 * TUI's log.  Keys are set in the order the SPEC lists them; jansson
 * keeps insertion order.
 */
#include <jansson.h>
#include <stdio.h>

#include "clock.h"
#include "event.h"
#include "event_json.h"
#include "policy.h"

/* Collects set failures so a builder can check once, at the end. */
struct jb {
	json_t	*obj;
	int	 bad;
};

/* Takes the reference to v, even when v is NULL (allocation failed). */
static void
jb_set(struct jb *b, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(b->obj, key, v) != 0)
		b->bad = 1;
}

static json_t *
jb_done(struct jb *b)
{
	if (b->obj == NULL || b->bad) {
		json_decref(b->obj);
		return NULL;
	}
	return b->obj;
}

static json_t *
j_text(const struct rc_text *t)
{
	return json_stringn(t->len > 0 ? t->s : "", t->len);
}

/* An optional text (email, code): null when empty. */
static json_t *
j_opt(const struct rc_text *t)
{
	return t->len > 0 ? j_text(t) : json_null();
}

static json_t *
j_gender(unsigned gender)
{
	static const char *const names[] = { NULL, "female", "male", "other" };

	if (gender == GENDER_NONE || gender > GENDER_OTHER)
		return json_null();
	return json_string(names[gender]);
}

static json_t *
j_id(const uint8_t id[RC_ID_LEN])
{
	char text[RC_ID_TEXT];

	event_id_text(id, text);
	return json_string(text);
}

static json_t *
j_day(int32_t day)
{
	char buf[16];

	clock_format_day(day, buf);
	return json_string(buf);
}

static json_t *
j_hhmm(uint32_t sec)
{
	char buf[8];

	clock_format_hhmm(sec, buf);
	return json_string(buf);
}

static json_t *
j_time(uint32_t sec)
{
	char buf[12];

	clock_format_time(sec, buf);
	return json_string(buf);
}

static void
data_updated(struct jb *b, const struct rc_event *ev)
{
	jb_set(b, "id", j_id(ev->id));
	if (ev->u.upd.fields & UPD_NAME)
		jb_set(b, "name", j_text(&ev->u.upd.name));
	if (ev->u.upd.fields & UPD_EMAIL)
		jb_set(b, "email", j_opt(&ev->u.upd.email));
	if (ev->u.upd.fields & UPD_CODE)
		jb_set(b, "code", j_opt(&ev->u.upd.code));
	if (ev->u.upd.fields & UPD_GENDER)
		jb_set(b, "gender", j_gender(ev->u.upd.gender));
}

static void
data_recorded(struct jb *b, const struct rc_event *ev)
{
	jb_set(b, "id", j_id(ev->id));
	jb_set(b, "day", j_day(ev->u.att.day));
	jb_set(b, "arrived", j_time(ev->u.att.arrived));
	jb_set(b, "status", json_string(policy_status_name(ev->u.att.status)));
	jb_set(b, "points", json_integer(ev->u.att.points));
	jb_set(b, "start_time", j_hhmm(ev->u.att.policy.start));
	jb_set(b, "window_minutes", json_integer(ev->u.att.policy.window));
	jb_set(b, "policy_points", json_integer(ev->u.att.policy.points));
}

/*
 * Calendar keys show as the config command takes them; an unset term
 * bound is null.
 */
static void
data_calendar_key(struct jb *b, const struct rc_event *ev)
{
	static const char *const wd[] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun"
	};
	char days[32] = "";
	size_t len = 0;
	int i;

	if (ev->u.cfg.key == CFG_SCHOOL_DAYS) {
		for (i = 0; i < 7; i++)
			if (ev->u.cfg.value & (1u << i))
				len += (size_t)snprintf(days + len,
				    sizeof(days) - len, "%s%s",
				    len ? "," : "", wd[i]);
		jb_set(b, "key", json_string("school-days"));
		jb_set(b, "value", json_string(days));
		return;
	}
	jb_set(b, "key", json_string(ev->u.cfg.key == CFG_TERM_START ?
	    "term-start" : "term-end"));
	jb_set(b, "value", ev->u.cfg.value == CFG_NO_DAY ? json_null() :
	    j_day((int32_t)ev->u.cfg.value));
}

static void
data_config(struct jb *b, const struct rc_event *ev)
{
	switch (ev->u.cfg.key) {
	case CFG_START_TIME:
		jb_set(b, "key", json_string("start-time"));
		jb_set(b, "value", j_hhmm(ev->u.cfg.value));
		break;
	case CFG_WINDOW:
		jb_set(b, "key", json_string("window-minutes"));
		jb_set(b, "value", json_integer(ev->u.cfg.value));
		break;
	case CFG_POINTS:
		jb_set(b, "key", json_string("points"));
		jb_set(b, "value", json_integer(ev->u.cfg.value));
		break;
	case CFG_SCHOOL_DAYS:
	case CFG_TERM_START:
	case CFG_TERM_END:
		data_calendar_key(b, ev);
		break;
	case CFG_BACKUP_DIR:
		jb_set(b, "key", json_string("backup-dir"));
		jb_set(b, "value", ev->u.cfg.text.len ?
		    j_text(&ev->u.cfg.text) : json_null());
		break;
	case CFG_COLLATION:
		jb_set(b, "key", json_string("collation"));
		jb_set(b, "value", j_text(&ev->u.cfg.text));
		break;
	case CFG_BACKUP_KEEP:
		jb_set(b, "key", json_string("backup-keep"));
		jb_set(b, "value", json_integer(ev->u.cfg.value));
		break;
	case CFG_QUIET:
		jb_set(b, "key", json_string("quiet"));
		jb_set(b, "value", json_string(ev->u.cfg.value ? "on" : "off"));
		break;
	}
}

static void
data_closed(struct jb *b, const struct rc_event *ev)
{
	jb_set(b, "from", j_day(ev->u.cal.from));
	jb_set(b, "to", j_day(ev->u.cal.to));
	if (ev->type == EV_DAY_CLOSED)
		jb_set(b, "reason", j_text(&ev->u.cal.reason));
}

/* The days an excuse names, listed: the map is the encoding's business. */
static void
data_excuse(struct jb *b, const struct rc_event *ev)
{
	json_t *days = json_array();
	int32_t d;

	jb_set(b, "id", j_id(ev->id));
	for (d = ev->u.exc.from; days && d <= ev->u.exc.to; d++)
		if (event_names_day(ev, d) &&
		    json_array_append_new(days, j_day(d)) != 0)
			b->bad = 1;
	jb_set(b, "days", days);
	if (ev->type != EV_ABSENCE_EXCUSED)
		return;
	jb_set(b, "reason", json_string(event_excuse_name(ev->u.exc.reason)));
	jb_set(b, "note", j_text(&ev->u.exc.note));
}

static void
data_departure(struct jb *b, const struct rc_event *ev)
{
	jb_set(b, "id", j_id(ev->id));
	jb_set(b, "day", j_day(ev->u.dep.day));
	jb_set(b, "left", j_time(ev->u.dep.left));
	jb_set(b, "reason", j_text(&ev->u.dep.reason));
}

json_t *
event_json_data(const struct rc_event *ev)
{
	struct jb b = { json_object(), 0 };

	if (b.obj == NULL)
		return NULL;
	switch (ev->type) {
	case EV_STUDENT_REGISTERED:
		/* The registration day is internal: recorded_at says when. */
		jb_set(&b, "id", j_id(ev->id));
		jb_set(&b, "name", j_text(&ev->u.reg.name));
		jb_set(&b, "email", j_opt(&ev->u.reg.email));
		if (ev->version >= EVENT_CODE_SINCE)
			jb_set(&b, "code", j_opt(&ev->u.reg.code));
		jb_set(&b, "gender", j_gender(ev->u.reg.gender));
		break;
	case EV_STUDENT_UPDATED:
		data_updated(&b, ev);
		break;
	case EV_STUDENT_REMOVED:
	case EV_STUDENT_RESTORED:
	case EV_STUDENT_ERASED:
		jb_set(&b, "id", j_id(ev->id));
		break;
	case EV_ATTENDANCE_RECORDED:
		data_recorded(&b, ev);
		break;
	case EV_ATTENDANCE_VOIDED:
		jb_set(&b, "id", j_id(ev->id));
		jb_set(&b, "day", j_day(ev->u.vd.day));
		jb_set(&b, "reason", j_text(&ev->u.vd.reason));
		break;
	case EV_CONFIG_CHANGED:
		data_config(&b, ev);
		break;
	case EV_DAY_CLOSED:
	case EV_DAY_REOPENED:
		data_closed(&b, ev);
		break;
	case EV_ABSENCE_EXCUSED:
	case EV_EXCUSE_WITHDRAWN:
		data_excuse(&b, ev);
		break;
	case EV_DEPARTURE_RECORDED:
		data_departure(&b, ev);
		break;
	case EV_ADMIN_PIN_SET:
	case EV_ADMIN_PIN_CLEARED:
		/* The PIN's hash is never shown (SPEC 8): no data at all. */
		break;
	}
	return jb_done(&b);
}

json_t *
event_json(const struct rc_event *ev)
{
	struct jb b = { json_object(), 0 };
	const char *name = event_type_name(ev->type);
	char at[32];

	if (b.obj == NULL)
		return NULL;
	clock_format_utc(ev->recorded_at, at);
	jb_set(&b, "seq", json_integer((json_int_t)ev->seq));
	jb_set(&b, "type", name != NULL ? json_string(name) : json_null());
	jb_set(&b, "version", json_integer(ev->version));
	jb_set(&b, "recorded_at", json_string(at));
	jb_set(&b, "data", event_json_data(ev));
	event_json_meta(b.obj, ev);
	return jb_done(&b);
}

/* A label as JSON, null when absent (events before version 2). */
static json_t *
j_label(const struct rc_text *t)
{
	return t->len > 0 ? j_text(t) : json_null();
}

int
event_json_meta(json_t *obj, const struct rc_event *ev)
{
	struct jb b = { obj, 0 };
	const char *source = event_source_name(ev->meta.source);

	jb_set(&b, "actor", j_label(&ev->meta.actor));
	jb_set(&b, "desk", j_label(&ev->meta.desk));
	jb_set(&b, "source", source ? json_string(source) : json_null());
	jb_set(&b, "batch", ev->meta.has_batch ? j_id(ev->meta.batch) :
	    json_null());
	return b.bad ? -1 : 0;
}
