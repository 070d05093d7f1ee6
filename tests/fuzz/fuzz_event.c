/*
 * fuzz_event.c - libFuzzer harness for the event decoder.
 *
 * The log is read back as outside input, so the decoder must never read
 * outside its buffer, must give a reason for every refusal, and whatever
 * it accepts must encode back to exactly the same bytes (otherwise the
 * hash chain would not survive a round trip).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "event.h"
#include "event_json.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_event: %s\n", what);
	abort();
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
