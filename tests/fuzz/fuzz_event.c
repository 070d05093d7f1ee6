/*
 * fuzz_event.c - libFuzzer harness for the event decoder.
 *
 * The log is read back as outside input, so the decoder must never read
 * outside its buffer, must give a reason for every refusal, and whatever
 * it accepts must encode back to exactly the same bytes (otherwise the
 * hash chain would not survive a round trip).  The same bytes also go
 * through the read side's record decoders (record.h), which read back
 * what is on disk too: whatever they accept must encode back the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "event.h"
#include "event_json.h"
#include "record.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_event: %s\n", what);
	abort();
}

/* The read side's records: decode, and encode back to the same bytes. */
static void
records(const uint8_t *buf, size_t size)
{
	struct roster_rec r;
	struct rc_figures f;
	struct att_entry e;
	struct rc_policy p;
	uint8_t out[ROSTER_MAX > 256 ? ROSTER_MAX : 256];
	size_t i;

	if (roster_decode(buf, size, &r) == 0) {
		if (r.name.len > RC_NAME_MAX || r.email.len > RC_EMAIL_MAX)
			die("roster record with an overlong text");
		if (roster_encode(&r, out) != size || memcmp(out, buf, size))
			die("roster record does not round trip");
	}
	if (points_decode(buf, size, &f) == 0) {
		points_encode(&f, out);
		if (memcmp(out, buf, POINTS_LEN) != 0)
			die("points record does not round trip");
	}
	for (i = 0; i < 300 && entry_decode(buf, size, i, &e) == 0; i++) {
		entry_encode(&e, out);
		if (memcmp(out, buf + i * ENTRY_LEN, ENTRY_LEN) != 0)
			die("attendance entry does not round trip");
	}
	if (policy_decode(buf, size, &p) == 0) {
		policy_encode(&p, out);
		if (memcmp(out, buf, POLICY_LEN) != 0)
			die("policy record does not round trip");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_event ev, hd;
	uint8_t *buf, out[EVENT_MAX_LEN], hash[EVENT_HASH_LEN];
	char esc[RC_NAME_MAX * 4 + 1];
	const char *why = NULL;
	size_t len;
	json_t *j;

	/* An exact-size copy, so ASan sees a read one byte past the end. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size)
		memcpy(buf, data, size);
	records(buf, size);

	if (event_decode_header(buf, size, &hd, &why) != 0) {
		if (why == NULL || *why == 0)
			die("header refused without a reason");
	}
	why = NULL;
	if (event_decode(buf, size, &ev, &why) != 0) {
		if (why == NULL || *why == 0)
			die("record refused without a reason");
		free(buf);
		return 0;
	}
	if (memcmp(&hd.prev, &ev.prev, EVENT_HASH_LEN) != 0 ||
	    hd.seq != ev.seq || hd.type != ev.type)
		die("header and full decode disagree");
	if (event_type_name(ev.type) == NULL)
		die("decoded an unknown type");
	if (event_encode(&ev, out, sizeof out, &len) != 0)
		die("a decoded record does not encode");
	if (len != size || memcmp(out, buf, size) != 0)
		die("re-encoding differs from the input");
	event_hash(buf, size, hash);

	/* What the front ends do with a decoded event must hold too. */
	if ((j = event_json(&ev)) == NULL)
		die("event_json failed on a valid event");
	json_decref(j);
	if (ev.type == EV_STUDENT_REGISTERED) {
		text_escape(ev.u.reg.name.s, ev.u.reg.name.len, esc,
		    sizeof esc);
		text_escape(ev.u.reg.email.s, ev.u.reg.email.len, esc,
		    sizeof esc);
	}
	free(buf);
	return 0;
}
