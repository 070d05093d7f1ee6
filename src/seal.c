/*
 * seal.c - personal data sealed under a student's own key (SPEC 7): the
 * blob's layout is in seal.h, the record's in event.c.
 */
#include <string.h>

#include <sodium.h>

#include "seal.h"

#define AD_LEN (3 + RC_ID_LEN)

/* What the blob is bound to: its record's version, type, fields, id. */
static void
additional_data(const struct rc_event *ev, uint8_t ad[AD_LEN])
{
	ad[0] = ev->version;
	ad[1] = ev->type;
	ad[2] = ev->type == EV_STUDENT_UPDATED ? ev->u.upd.fields : 0;
	memcpy(ad + 3, ev->id, RC_ID_LEN);
}

void
seal_key_new(uint8_t key[SEAL_KEY_LEN])
{
	/* randombytes wants it once; db_open did, a unit test may not. */
	if (sodium_init() < 0)
		memset(key, 0, SEAL_KEY_LEN);
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

int
seal_event(const uint8_t key[SEAL_KEY_LEN], struct rc_event *ev,
    uint8_t buf[RC_SEALED_MAX])
{
	uint8_t plain[SEAL_PLAIN_MAX], ad[AD_LEN];
	unsigned long long clen;
	size_t n;

	if (event_personal_encode(ev, plain, sizeof(plain), &n) != 0)
		return -1;
	additional_data(ev, ad);
	randombytes_buf(buf, RC_SEAL_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + RC_SEAL_NONCE, &clen,
	    plain, n, ad, AD_LEN, NULL, buf, key);
	sodium_memzero(plain, sizeof(plain));
	ev->sealed.s = (const char *)buf;
	ev->sealed.len = RC_SEAL_NONCE + (size_t)clen;
	ev->seal = SEAL_OPEN;
	return 0;
}

int
seal_open(const uint8_t key[SEAL_KEY_LEN], struct rc_event *ev,
    uint8_t buf[SEAL_PLAIN_MAX], const char **why)
{
	const uint8_t *blob = (const uint8_t *)ev->sealed.s;
	uint8_t ad[AD_LEN];
	unsigned long long n;

	if (ev->seal != SEAL_CLOSED || blob == NULL ||
	    ev->sealed.len <= RC_SEAL_NONCE + RC_SEAL_TAG ||
	    ev->sealed.len > RC_SEALED_MAX) {
		*why = "no sealed personal data to open";
		return -1;
	}
	additional_data(ev, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(buf, &n, NULL,
	    blob + RC_SEAL_NONCE, ev->sealed.len - RC_SEAL_NONCE, ad, AD_LEN,
	    blob, key) != 0) {
		*why = "their key does not open it (a wrong or damaged key, "
		    "or a changed record)";
		return -1;
	}
	if (event_personal_decode(ev, buf, (size_t)n, why) != 0)
		return -1;
	ev->seal = SEAL_OPEN;
	return 0;
}

/* Stand-in fields: a name in brackets, nothing else. */
static void
stand_in(struct rc_event *ev, const struct rc_text *name)
{
	static const struct rc_text none = { "", 0 };
	const struct rc_text erased = *name;

	if (ev->type == EV_STUDENT_REGISTERED) {
		ev->u.reg.name = erased;
		ev->u.reg.email = ev->u.reg.code = none;
		ev->u.reg.gender = GENDER_NONE;
	} else {
		ev->u.upd.name = erased;
		ev->u.upd.email = ev->u.upd.code = none;
		ev->u.upd.gender = GENDER_NONE;
	}
	ev->seal = SEAL_ERASED;
}

void
seal_erased(struct rc_event *ev)
{
	static const struct rc_text name = { RC_ERASED_NAME,
	    sizeof(RC_ERASED_NAME) - 1 };

	stand_in(ev, &name);
}

void
seal_withheld(struct rc_event *ev)
{
	static const struct rc_text name = { RC_WITHHELD_NAME,
	    sizeof(RC_WITHHELD_NAME) - 1 };

	stand_in(ev, &name);
}
