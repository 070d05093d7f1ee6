/*
 * event_json.h - an event's data as JSON (jansson), for `events
 * --format jsonl` and the TUI's log.
 */
#ifndef ROLLCALL_EVENT_JSON_H
#define ROLLCALL_EVENT_JSON_H

#include <jansson.h>

#include "event.h"

/*
 * The `data` object of a fully decoded event (see SPEC: events jsonl),
 * e.g. {"id": "...", "name": "...", "email": "...", "gender": null}.
 * Returns a new reference, or NULL on allocation failure.
 */
json_t *event_json_data(const struct rc_event *ev);

/*
 * The whole line object: seq, type, version, recorded_at, data, then
 * the metadata (SPEC 7): actor, desk, source, batch (null for events
 * written before version 2).
 */
json_t *event_json(const struct rc_event *ev);

/*
 * Set the four metadata keys of ev on obj (null where ev has none).
 * Returns 0, or -1 when an allocation failed.
 */
int event_json_meta(json_t *obj, const struct rc_event *ev);

#endif
