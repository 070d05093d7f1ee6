/*
 * record.c - codecs of the read side's records (layout in record.h).
 *
 * Bytes read back from disk are outside input: every decoder checks
 * lengths and ranges and refuses what it cannot trust.
 */
#include <string.h>

#include "bytes.h"
#include "record.h"

size_t
roster_encode(const struct roster_rec *r, uint8_t *buf)
{
	uint8_t *p = buf;

	memcpy(p, r->id, RC_ID_LEN);
	p += RC_ID_LEN;
	*p++ = r->active;
	*p++ = (uint8_t)(r->gender | (r->erased ? ROSTER_ERASED : 0));
	put_u32(p, (uint32_t)r->reg_day);
	put_u64(p + 4, (uint64_t)r->registered_at);
	put_u16(p + 12, (uint16_t)r->name.len);
	put_u16(p + 14, (uint16_t)r->email.len);
	p += 16;
	memcpy(p, r->name.s, r->name.len);
	p += r->name.len;
	if (r->email.len > 0)
		memcpy(p, r->email.s, r->email.len);
	p += r->email.len;
	/* Only a student with a code has the trailer (record.h). */
	if (r->code.len > 0) {
		*p++ = (uint8_t)r->code.len;
		memcpy(p, r->code.s, r->code.len);
		p += r->code.len;
	}
	return (size_t)(p - buf);
}

int
roster_decode(const void *buf, size_t len, struct roster_rec *r)
{
	const uint8_t *p = buf;
	size_t nl, el, cl = 0, base;

	if (len < ROSTER_FIXED)
		return -1;
	memcpy(r->id, p, RC_ID_LEN);
	r->active = p[16];
	r->gender = p[17] & (uint8_t)~ROSTER_ERASED;
	r->erased = (p[17] & ROSTER_ERASED) != 0;
	r->reg_day = (int32_t)get_u32(p + 18);
	r->registered_at = (int64_t)get_u64(p + 22);
	nl = get_u16(p + 30);
	el = get_u16(p + 32);
	base = ROSTER_FIXED + nl + el;
	if (len > base)
		cl = p[base];
	if (r->active > 1 || r->gender > GENDER_OTHER || r->reg_day < 0 ||
	    nl > RC_NAME_MAX || el > RC_EMAIL_MAX || cl > RC_CODE_MAX ||
	    (len != base && (cl == 0 || len != base + 1 + cl)))
		return -1;
	r->name.s = (const char *)p + ROSTER_FIXED;
	r->name.len = nl;
	r->email.s = r->name.s + nl;
	r->email.len = el;
	r->code.s = r->email.s + el + (cl > 0);
	r->code.len = cl;
	return 0;
}

void
points_encode(const struct rc_figures *f, uint8_t buf[POINTS_LEN])
{
	put_u64(buf, (uint64_t)f->points);
	put_u32(buf + 8, f->present);
	put_u32(buf + 12, f->early);
	put_u32(buf + 16, f->late);
	put_u32(buf + 20, f->on_time);
}

int
points_decode(const void *buf, size_t len, struct rc_figures *f)
{
	const uint8_t *p = buf;

	if (len != POINTS_LEN)
		return -1;
	f->points = (int64_t)get_u64(p);
	f->present = get_u32(p + 8);
	f->early = get_u32(p + 12);
	f->late = get_u32(p + 16);
	f->on_time = get_u32(p + 20);
	return 0;
}

void
entry_encode(const struct att_entry *e, uint8_t buf[ENTRY_LEN])
{
	put_u16(buf, (uint16_t)(e->seq >> 32));
	put_u32(buf + 2, (uint32_t)e->seq);
	put_u32(buf + 6, e->arrived << 3 | (uint32_t)e->status << 1 |
	    (e->voided != 0));
	put_u16(buf + 10, (uint16_t)e->points);
}

int
entry_decode(const void *buf, size_t len, size_t i, struct att_entry *e)
{
	const uint8_t *p = (const uint8_t *)buf + i * ENTRY_LEN;
	uint32_t v;

	if (len % ENTRY_LEN != 0 || i >= len / ENTRY_LEN)
		return -1;
	v = get_u32(p + 6);
	e->seq = (uint64_t)get_u16(p) << 32 | get_u32(p + 2);
	e->arrived = v >> 3;
	e->status = (uint8_t)(v >> 1 & 3);
	e->voided = (uint8_t)(v & 1);
	e->points = (int16_t)get_u16(p + 10);
	if (e->arrived >= 86400 || e->status < ST_EARLY ||
	    e->status > ST_LATE)
		return -1;
	return 0;
}

void
checkpoint_encode(uint8_t buf[CHECKPOINT_LEN], uint64_t seq,
    const uint8_t hash[EVENT_HASH_LEN])
{
	put_u64(buf, seq);
	memcpy(buf + 8, hash, EVENT_HASH_LEN);
	put_u32(buf + 8 + EVENT_HASH_LEN, READ_FORMAT);
}

int
checkpoint_decode(const void *buf, size_t len, uint64_t *seq,
    uint8_t hash[EVENT_HASH_LEN], uint32_t *format)
{
	const uint8_t *p = buf;

	if (len == CHECKPOINT_LEN - 4)
		*format = 0;
	else if (len == CHECKPOINT_LEN)
		*format = get_u32(p + 8 + EVENT_HASH_LEN);
	else
		return -1;
	*seq = get_u64(p);
	memcpy(hash, p + 8, EVENT_HASH_LEN);
	return 0;
}

void
policy_encode(const struct rc_policy *p, uint8_t buf[POLICY_LEN])
{
	put_u32(buf, p->start);
	put_u16(buf + 4, p->window);
	put_u16(buf + 6, p->points);
}

int
policy_decode(const void *buf, size_t len, struct rc_policy *p)
{
	const uint8_t *b = buf;

	if (len != POLICY_LEN)
		return -1;
	p->start = get_u32(b);
	p->window = get_u16(b + 4);
	p->points = get_u16(b + 6);
	if (p->start >= 86400 || p->window < 1 || p->window > 120 ||
	    p->points > 1000)
		return -1;
	return 0;
}

size_t
names_key(const uint8_t *sortkey, size_t klen, const uint8_t id[RC_ID_LEN],
    uint8_t *buf, size_t cap)
{
	/* Leave room for the separator and the id; LMDB keys are <= 511. */
	if (cap > NAMES_KEY_MAX)
		cap = NAMES_KEY_MAX;
	if (klen > 0 && sortkey[klen - 1] == 0)
		klen--;
	if (klen > cap - RC_ID_LEN - 1)
		klen = cap - RC_ID_LEN - 1;
	memcpy(buf, sortkey, klen);
	buf[klen] = 0;
	memcpy(buf + klen + 1, id, RC_ID_LEN);
	return klen + 1 + RC_ID_LEN;
}
