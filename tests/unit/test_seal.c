/*
 * test_seal.c - personal data sealed per student (SPEC 7): the blob
 * opens with its student's key and only with it, a changed byte
 * anywhere in it or a blob moved to another student or record does not
 * open, the sealed record layout round-trips through event_encode and
 * event_decode with no clear byte of the fields in it, and the erased
 * stand-ins are what every output shows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "event.h"
#include "seal.h"

#define NAME "Zoë Secretname"
#define EMAIL "zoe.secret@example.org"
#define CODE "ZS-1"

static const struct rc_text t_actor = { "clerk", 5 }, t_desk = { "desk", 4 };

static void
registration(struct rc_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = EV_STUDENT_REGISTERED;
	ev->version = EVENT_SEALED_SINCE;
	ev->seq = 1;
	ev->recorded_at = 1756713600000000LL;
	memset(ev->id, 0x42, RC_ID_LEN);
	ev->meta.source = SRC_CLI;
	ev->meta.actor = t_actor;
	ev->meta.desk = t_desk;
	ev->u.reg.name = (struct rc_text){ NAME, strlen(NAME) };
	ev->u.reg.email = (struct rc_text){ EMAIL, strlen(EMAIL) };
	ev->u.reg.code = (struct rc_text){ CODE, strlen(CODE) };
	ev->u.reg.gender = GENDER_FEMALE;
	ev->u.reg.day = 20332;
}

/* Seal ev under key and decode its record into out (SEAL_CLOSED). */
static void
sealed_record(const uint8_t key[SEAL_KEY_LEN], struct rc_event *ev,
    uint8_t blob[RC_SEALED_MAX], uint8_t rec[EVENT_MAX_LEN], size_t *len,
    struct rc_event *out)
{
	assert_int_equal(seal_event(key, ev, blob), 0);
	assert_int_equal(ev->seal, SEAL_OPEN);
	assert_int_equal(event_encode(ev, rec, EVENT_MAX_LEN, len), 0);
	assert_int_equal(event_decode(rec, *len, out, NULL), 0);
	assert_int_equal(out->seal, SEAL_CLOSED);
}

static int
holds(const uint8_t *p, size_t n, const char *s)
{
	size_t i, l = strlen(s);

	for (i = 0; i + l <= n; i++)
		if (memcmp(p + i, s, l) == 0)
			return 1;
	return 0;
}

static void
round_trip(void **state)
{
	uint8_t key[SEAL_KEY_LEN], blob[RC_SEALED_MAX], rec[EVENT_MAX_LEN];
	uint8_t plain[SEAL_PLAIN_MAX];
	struct rc_event ev, got;
	const char *why = NULL;
	size_t len;

	(void)state;
	seal_key_new(key);
	registration(&ev);
	sealed_record(key, &ev, blob, rec, &len, &got);
	/* Nothing personal in the record, in clear. */
	assert_false(holds(rec, len, "Secretname"));
	assert_false(holds(rec, len, "zoe.secret"));
	assert_false(holds(rec, len, CODE));
	assert_int_equal(got.u.reg.name.len, 0);
	assert_int_equal(got.u.reg.day, 20332);	/* the day stays clear */
	assert_int_equal(seal_open(key, &got, plain, &why), 0);
	assert_int_equal(got.seal, SEAL_OPEN);
	assert_int_equal(got.u.reg.name.len, strlen(NAME));
	assert_memory_equal(got.u.reg.name.s, NAME, strlen(NAME));
	assert_memory_equal(got.u.reg.email.s, EMAIL, strlen(EMAIL));
	assert_memory_equal(got.u.reg.code.s, CODE, strlen(CODE));
	assert_int_equal(got.u.reg.gender, GENDER_FEMALE);
}

static void
update_round_trip(void **state)
{
	uint8_t key[SEAL_KEY_LEN], blob[RC_SEALED_MAX], rec[EVENT_MAX_LEN];
	uint8_t plain[SEAL_PLAIN_MAX];
	struct rc_event ev, got;
	const char *why = NULL;
	size_t len;

	(void)state;
	seal_key_new(key);
	registration(&ev);
	ev.type = EV_STUDENT_UPDATED;
	memset(&ev.u, 0, sizeof(ev.u));
	ev.u.upd.fields = UPD_EMAIL | UPD_GENDER;
	ev.u.upd.email = (struct rc_text){ "", 0 };	/* cleared */
	ev.u.upd.gender = GENDER_OTHER;
	sealed_record(key, &ev, blob, rec, &len, &got);
	assert_int_equal(got.u.upd.fields, UPD_EMAIL | UPD_GENDER);
	assert_int_equal(seal_open(key, &got, plain, &why), 0);
	assert_int_equal(got.u.upd.email.len, 0);
	assert_int_equal(got.u.upd.gender, GENDER_OTHER);
}

static void
wrong_key(void **state)
{
	uint8_t key[SEAL_KEY_LEN], other[SEAL_KEY_LEN], blob[RC_SEALED_MAX];
	uint8_t rec[EVENT_MAX_LEN], plain[SEAL_PLAIN_MAX];
	struct rc_event ev, got;
	const char *why = NULL;
	size_t len;

	(void)state;
	seal_key_new(key);
	seal_key_new(other);
	assert_memory_not_equal(key, other, SEAL_KEY_LEN);
	registration(&ev);
	sealed_record(key, &ev, blob, rec, &len, &got);
	assert_int_equal(seal_open(other, &got, plain, &why), -1);
	assert_non_null(why);
	assert_int_equal(got.seal, SEAL_CLOSED);
}

/* A changed byte anywhere in the blob (nonce, ciphertext, tag). */
static void
tamper(void **state)
{
	uint8_t key[SEAL_KEY_LEN], blob[RC_SEALED_MAX], rec[EVENT_MAX_LEN];
	uint8_t copy[EVENT_MAX_LEN], plain[SEAL_PLAIN_MAX];
	struct rc_event ev, got;
	const char *why;
	size_t len, at, i;

	(void)state;
	seal_key_new(key);
	registration(&ev);
	sealed_record(key, &ev, blob, rec, &len, &got);
	at = (size_t)((const uint8_t *)got.sealed.s - rec);
	for (i = 0; i < got.sealed.len; i++) {
		memcpy(copy, rec, len);
		copy[at + i] ^= 0x01;
		assert_int_equal(event_decode(copy, len, &got, NULL), 0);
		why = NULL;
		assert_int_equal(seal_open(key, &got, plain, &why), -1);
		assert_non_null(why);
	}
}

/* The blob is bound to its student and record: moved, it stays shut. */
static void
bound_to_its_record(void **state)
{
	uint8_t key[SEAL_KEY_LEN], blob[RC_SEALED_MAX], rec[EVENT_MAX_LEN];
	uint8_t plain[SEAL_PLAIN_MAX];
	struct rc_event ev, got;
	const char *why = NULL;
	size_t len;

	(void)state;
	seal_key_new(key);
	registration(&ev);
	sealed_record(key, &ev, blob, rec, &len, &got);
	got.id[0] ^= 1;
	assert_int_equal(seal_open(key, &got, plain, &why), -1);
	got.id[0] ^= 1;
	got.type = EV_STUDENT_UPDATED;
	got.u.upd.fields = UPD_NAME;
	assert_int_equal(seal_open(key, &got, plain, &why), -1);
}

/* Invalid fields are never sealed; an old version is never sealed. */
static void
refusals(void **state)
{
	uint8_t key[SEAL_KEY_LEN], blob[RC_SEALED_MAX];
	struct rc_event ev;

	(void)state;
	seal_key_new(key);
	registration(&ev);
	ev.u.reg.name.len = 0;
	assert_int_equal(seal_event(key, &ev, blob), -1);
	registration(&ev);
	ev.u.reg.email.len = ev.u.reg.code.len = 0;
	assert_int_equal(seal_event(key, &ev, blob), -1);
	registration(&ev);
	ev.version = EVENT_CODE_SINCE;
	assert_int_equal(seal_event(key, &ev, blob), -1);
	/* A sealed version with no blob cannot be written. */
	registration(&ev);
	{
		uint8_t rec[EVENT_MAX_LEN];
		size_t len;

		assert_int_equal(event_encode(&ev, rec, sizeof(rec), &len), -1);
	}
}

static void
erased_stand_ins(void **state)
{
	struct rc_event ev;

	(void)state;
	registration(&ev);
	ev.seal = SEAL_CLOSED;
	seal_erased(&ev);
	assert_int_equal(ev.seal, SEAL_ERASED);
	assert_int_equal(ev.u.reg.name.len, strlen(RC_ERASED_NAME));
	assert_memory_equal(ev.u.reg.name.s, RC_ERASED_NAME,
	    strlen(RC_ERASED_NAME));
	assert_int_equal(ev.u.reg.email.len, 0);
	assert_int_equal(ev.u.reg.code.len, 0);
	assert_int_equal(ev.u.reg.gender, GENDER_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(update_round_trip),
		cmocka_unit_test(wrong_key),
		cmocka_unit_test(tamper),
		cmocka_unit_test(bound_to_its_record),
		cmocka_unit_test(refusals),
		cmocka_unit_test(erased_stand_ins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
