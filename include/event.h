/*
 * event.h - the event record: the database schema of rollcall.
 *
 * Pure code: no LMDB, no I/O.  The byte layout is drawn above
 * event_encode() in src/event.c.
 */
#ifndef ROLLCALL_EVENT_H
#define ROLLCALL_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define EVENT_FORMAT 1		/* record framing version */
/*
 * The schema version every new record is written with, whatever its
 * type; older versions are still read (see "Changing the schema" above
 * event_encode).  One number for the whole log, not one per type: each
 * change of any payload takes the next number, never one already taken,
 * and is named by a *_SINCE constant here, so that a record's version
 * alone says which layout each of its fields has:
 *   1  release 1
 *   2  the metadata block (who, where, how)     EVENT_META_SINCE
 *   3  config_changed's text (backup-dir)       EVENT_CFG_TEXT_SINCE
 *   4  student codes (SPEC 8)                   EVENT_CODE_SINCE
 *   5  personal data sealed per student,       EVENT_SEALED_SINCE
 *      student_erased (SPEC 7)
 * tests/unit/test_codes.c keeps records of versions 3 and 4 as bytes: a
 * later change that reused a number would fail to read them; each
 * version a release wrote has its database under tests/fixtures/.
 */
#define EVENT_SCHEMA 5
#define EVENT_META_SINCE 2	/* first version with the metadata block */
#define EVENT_CFG_TEXT_SINCE 3	/* first with config_changed's text */
#define EVENT_HASH_LEN 32	/* BLAKE2b-256 */
#define EVENT_HEADER_LEN 52
#define EVENT_MAX_LEN 2048	/* no valid record is longer */

#define RC_ID_LEN 16		/* binary UUID */
#define RC_ID_TEXT 37		/* text UUID plus NUL */
#define RC_NAME_MAX 400		/* bytes: 100 code points of at most 4 */
#define RC_EMAIL_MAX 254
#define RC_REASON_MAX 500	/* bytes */
#define RC_LABEL_CHARS 64	/* actor and desk: characters */
#define RC_LABEL_MAX 256	/* ... and bytes (64 of at most 4) */
#define RC_CONFIG_TEXT_MAX 1024	/* bytes of a setting's text value */
#define RC_CODE_MAX 32		/* student code (SPEC 8): ASCII characters */
#define RC_PIN_HASH_MAX 127	/* crypto_pwhash_STRBYTES less its NUL */

/*
 * Student codes (SPEC 8), from version 4: a registration carries a code
 * (maybe empty) after the email, which may be empty too if the code is
 * not, and an update may set or clear either (UPD_CODE; an empty text
 * clears).
 */
#define EVENT_CODE_SINCE 4

/*
 * Personal data sealed (SPEC 7), from version 5: a registration's or an
 * update's personal fields (name, email, code, gender) are not in the
 * record in clear but in one `sealed` blob, encrypted under a key of
 * that student's own (seal.h: the blob; keys.h: where keys are kept).
 * The record keeps in clear what is not personal: the id, the
 * registration day, and which fields an update changes.
 */
#define EVENT_SEALED_SINCE 5
#define RC_SEAL_NONCE 24	/* XChaCha20-Poly1305's nonce */
#define RC_SEAL_TAG 16		/* ... and its tag */
#define RC_SEALED_MAX 1024	/* bytes of a blob; the longest is 733 */
/* The name an erased student shows everywhere (SPEC 7). */
#define RC_ERASED_NAME "[erased]"
/*
 * The name a replica (SPEC 9) shows while the student's key is only on
 * the origin: keys do not travel with the log until the key-value
 * bucket of SPEC 9 is built.
 */
#define RC_WITHHELD_NAME "[withheld]"

/*
 * Where a decoded event's personal fields stand.  Older records are
 * SEAL_NONE (in clear).  A sealed record decodes SEAL_CLOSED, its
 * personal fields empty, until keys_open() opens it (SEAL_OPEN) or finds
 * the student erased (SEAL_ERASED: name RC_ERASED_NAME, the rest empty).
 * A record being written is SEAL_NONE until sealed, SEAL_OPEN after.
 */
enum seal_state { SEAL_NONE = 0, SEAL_CLOSED, SEAL_OPEN, SEAL_ERASED };

/*
 * X-macro: type code, name, and the first schema version the type
 * exists in (a type added later starts at the EVENT_SCHEMA of then).
 * Every type is written at EVENT_SCHEMA.
 */
#define EVENT_TYPES(X) \
	X(EV_STUDENT_REGISTERED, 1, "student_registered", 1) \
	X(EV_STUDENT_UPDATED, 2, "student_updated", 1) \
	X(EV_STUDENT_REMOVED, 3, "student_removed", 1) \
	X(EV_ATTENDANCE_RECORDED, 4, "attendance_recorded", 1) \
	X(EV_ATTENDANCE_VOIDED, 5, "attendance_voided", 1) \
	X(EV_CONFIG_CHANGED, 6, "config_changed", 1) \
	X(EV_STUDENT_RESTORED, 7, "student_restored", 1) \
	X(EV_DAY_CLOSED, 8, "day_closed", 2) \
	X(EV_DAY_REOPENED, 9, "day_reopened", 2) \
	X(EV_ABSENCE_EXCUSED, 10, "absence_excused", 2) \
	X(EV_EXCUSE_WITHDRAWN, 11, "absence_excuse_withdrawn", 2) \
	X(EV_DEPARTURE_RECORDED, 12, "departure_recorded", 2) \
	X(EV_STUDENT_ERASED, 13, "student_erased", 5) \
	X(EV_ADMIN_PIN_SET, 14, "admin_pin_set", 4) \
	X(EV_ADMIN_PIN_CLEARED, 15, "admin_pin_cleared", 4)

enum event_type {
#define X(sym, code, name, ver) sym = code,
	EVENT_TYPES(X)
#undef X
};

enum gender { GENDER_NONE = 0, GENDER_FEMALE, GENDER_MALE, GENDER_OTHER };

/* Fields an update carries. */
enum { UPD_NAME = 1, UPD_EMAIL = 2, UPD_GENDER = 4, UPD_CODE = 8 };

/*
 * Keys of config_changed.  A key's value is either a number (`value`)
 * or a text (`text`), never both: see config_key_is_text().  The
 * collation (SPEC 3 "Name order") is a text, a language tag; "root" is
 * the default.
 */
enum config_key {
	CFG_START_TIME = 1, CFG_WINDOW = 2, CFG_POINTS = 3,
	CFG_SCHOOL_DAYS = 4, CFG_TERM_START = 5, CFG_TERM_END = 6,
	CFG_COLLATION = 7, CFG_BACKUP_DIR = 8, CFG_BACKUP_KEEP = 9, CFG_QUIET = 10
};

/* Non-zero when key's value is a text (EVENT_CFG_TEXT_SINCE and later). */
int config_key_is_text(unsigned key);

/* A term bound's value when it is unset (no bound). */
#define CFG_NO_DAY UINT32_MAX

/*
 * Day ranges of the calendar events: at most a year (366 days), so a
 * range's day map (bit i: day from + i) fits in RC_DAYMAP_LEN bytes.
 */
#define RC_SPAN_MAX 366
#define RC_DAYMAP_LEN ((RC_SPAN_MAX + 7) / 8)

/* Reason codes of an excused absence (absence_excused). */
#define EXCUSE_REASONS(X) \
	X(EXC_ILLNESS, 1, "illness") \
	X(EXC_MEDICAL, 2, "medical") \
	X(EXC_FAMILY, 3, "family") \
	X(EXC_RELIGIOUS, 4, "religious") \
	X(EXC_SCHOOL_ACTIVITY, 5, "school_activity") \
	X(EXC_OTHER, 6, "other")

enum excuse_reason {
#define X(sym, code, name) sym = code,
	EXCUSE_REASONS(X)
#undef X
};

/* Name of a reason code ("illness"), or NULL if unknown. */
const char *event_excuse_name(unsigned code);

/* The code of a reason name (exact, lowercase), or 0 if unknown. */
unsigned event_excuse_code(const char *name);

/* Where an event came from (the metadata's `source`). */
#define EVENT_SOURCES(X) \
	X(SRC_CLI, 1, "cli") \
	X(SRC_TUI, 2, "tui") \
	X(SRC_KIOSK, 3, "kiosk") \
	X(SRC_IMPORT, 4, "import")

enum event_source {
	SRC_NONE = 0,		/* events of version 1 have no metadata */
#define X(sym, code, name) sym = code,
	EVENT_SOURCES(X)
#undef X
};

/*
 * A decoded event.  Strings point into the buffer it was decoded from and
 * are not NUL-terminated: they live as long as that buffer.
 */
struct rc_text {
	const char *s;
	size_t len;
};

struct rc_event {
	uint64_t seq;
	uint8_t type;
	uint8_t version;
	int64_t recorded_at;		/* microseconds since the epoch, UTC */
	uint8_t prev[EVENT_HASH_LEN];	/* hash of the previous record */
	uint8_t id[RC_ID_LEN];		/* the student, where there is one */
	/*
	 * Who, where and how (version >= EVENT_META_SINCE; source is
	 * SRC_NONE and the rest empty before).  The store fills it from the
	 * database handle's author when source is SRC_NONE.
	 */
	struct rc_meta {
		uint8_t source;		/* enum event_source */
		uint8_t has_batch;
		struct rc_text actor, desk;
		uint8_t batch[RC_ID_LEN]; /* one import's events share it */
	} meta;
	/*
	 * Registrations and updates from EVENT_SEALED_SINCE: the personal
	 * fields' state (enum seal_state) and their sealed blob (nonce,
	 * ciphertext, tag; empty until sealed).
	 */
	uint8_t seal;
	struct rc_text sealed;
	union {
		struct {
			struct rc_text name, email;
			uint8_t gender;
			int32_t day;	/* local registration day */
			struct rc_text code;	/* empty: none */
		} reg;
		struct {
			uint8_t fields;	/* UPD_* */
			struct rc_text name, email;
			uint8_t gender;
			struct rc_text code;	/* empty: cleared */
		} upd;
		struct {
			int32_t day;	/* local calendar day */
			uint32_t arrived; /* local seconds since midnight */
			struct rc_policy policy; /* in force when recorded */
			uint8_t status;	/* enum att_status */
			int32_t points;
		} att;
		struct {
			int32_t day;
			struct rc_text reason;
		} vd;
		struct {
			uint8_t key;	/* enum config_key */
			uint32_t value;	/* a number key's value, else 0 */
			struct rc_text text; /* a text key's; empty: unset */
		} cfg;
		struct {
			int32_t from, to;	/* days, inclusive */
			struct rc_text reason;	/* day_closed only */
		} cal;
		struct {
			/* absence_excused and absence_excuse_withdrawn */
			uint8_t reason;		/* enum excuse_reason; 0 when
						   withdrawn */
			int32_t from, to;	/* first and last day named */
			uint8_t days[RC_DAYMAP_LEN]; /* bit i: day from + i */
			struct rc_text note;	/* excused only, may be empty */
		} exc;
		struct {
			int32_t day;
			uint32_t left;		/* local time of departure */
			struct rc_text reason;	/* may be empty */
		} dep;
		struct {
			struct rc_text hash;	/* "$argon2id$...": never shown */
		} pin;
	} u;
};

/* Whether an excuse event's day map names day (0 or 1). */
int event_names_day(const struct rc_event *ev, int32_t day);

/* Whether events of this type name a student (carry an id). */
int event_type_has_id(unsigned type);

/* Name of a type ("student_registered"), or NULL if unknown. */
const char *event_type_name(unsigned type);

/*
 * The version a known type is written at (EVENT_SCHEMA), 0 if unknown.
 */
unsigned event_type_version(unsigned type);

/* "cli", "tui", "kiosk", "import"; NULL for SRC_NONE or unknown. */
const char *event_source_name(unsigned source);

/* The source named s, or SRC_NONE. */
unsigned event_source_parse(const char *s);

/*
 * Encode ev (seq, type, version, recorded_at, prev, the metadata from
 * version EVENT_META_SINCE on, and the type's fields) into buf.  Any
 * version the decoder reads may be written (the store writes only
 * EVENT_SCHEMA; tests write older ones).  Returns 0 and the length in
 * *len, or -1 if it does not fit or a field is out of range.
 */
int event_encode(const struct rc_event *ev, uint8_t *buf, size_t cap,
    size_t *len);

/*
 * Decode only the framing (seq, type, version, recorded_at, prev).
 * Returns 0, or -1 with a reason in *why for damaged bytes.
 */
int event_decode_header(const uint8_t *buf, size_t len,
    struct rc_event *ev, const char **why);

/*
 * Decode a whole record.  Returns 0, or -1 with *why set when the bytes
 * are damaged, the type unknown or the schema version newer than ours.
 * Never reads outside [buf, buf+len).
 */
int event_decode(const uint8_t *buf, size_t len, struct rc_event *ev,
    const char **why);

/*
 * The personal fields of a registration or update (name, email, code,
 * gender; of an update, those its `fields` name) as the plaintext that
 * is sealed: the layout of version 4's payload from the gender (a
 * registration) or the name (an update) on, without the clear day and
 * fields (see event.c).  Checks them as event_encode() would; returns 0
 * and the length in *len, or -1.
 */
int event_personal_encode(const struct rc_event *ev, uint8_t *buf,
    size_t cap, size_t *len);

/*
 * The reverse: point ev's personal fields into buf (which must outlive
 * their use) and check them.  Returns 0, or -1 with *why set.
 */
int event_personal_decode(struct rc_event *ev, const uint8_t *buf,
    size_t len, const char **why);

/* Whether a decoded record of this type and version is sealed. */
int event_is_sealed(const struct rc_event *ev);

/* BLAKE2b-256 of a whole record: the next record's `prev`. */
void event_hash(const uint8_t *rec, size_t len, uint8_t out[EVENT_HASH_LEN]);

/* Text form of a binary UUID (lowercase, 36 chars + NUL). */
void event_id_text(const uint8_t id[RC_ID_LEN], char out[RC_ID_TEXT]);

/* Parse a text UUID; returns 0 or -1. */
int event_id_parse(const char *text, uint8_t id[RC_ID_LEN]);

#endif
