#!/bin/sh
# config (SPEC 1 and 3): the defaults, showing and changing each setting
# within its range, refusing the rest, every change an event that affects
# later check-ins only.
. "$(dirname "$0")/../lib.sh"

# conf: $out (config --format json) as {"start-time": "..", "window-minutes": "..", "points": ".."}
CONF='(lambda c: {k.replace("_", "-").lower(): str(v) for k, v in c.items()})(d if isinstance(d, dict) else {(x.get("key") or x.get("name")): x["value"] for x in d})'

show() {
	expect 0 config
	has start-time
	has window-minutes
	has points
	has "09:00"
	expect 0 config --format json
	py json '{k: v for k, v in '"$CONF"'.items() if k in ("start-time", "window-minutes", "points")} == {"start-time": "09:00", "window-minutes": "5", "points": "5"}'
	expect 0 config start-time
	has "09:00"
	hasnt window-minutes
	expect 0 config window-minutes
	has 5
	expect 0 config points
	has 5
	expect 0 config --format csv
	has "09:00"
	refuse 1 config colour
	refuse 1 config colour red
	refuse 1 config ""
	# showing writes nothing
	expect 0 events --format jsonl
	same "$out" "" "events after only showing the config"
}

set_values() {
	n=0
	for kv in start-time=08:30 start-time=00:00 start-time=23:59 start-time=09:00 \
	    window-minutes=1 window-minutes=120 window-minutes=5 \
	    points=0 points=1000 points=5; do
		expect 0 config "${kv%%=*}" "${kv#*=}"
		n=$((n + 1))
		expect 0 config --format json
		py json "$CONF"'["'"${kv%%=*}"'"] == "'"${kv#*=}"'"'
		expect 0 config "${kv%%=*}"
		has "${kv#*=}"
	done
	for kv in start-time=24:00 start-time=12:60 start-time=0830 start-time=abc \
	    start-time=12:30:00 start-time=1:00pm start-time= \
	    window-minutes=0 window-minutes=121 window-minutes=5x \
	    window-minutes=1.5 window-minutes=abc window-minutes= \
	    points=1001 points=abc points=2.5 points=99999999999999999999 points=; do
		refuse 1 config "${kv%%=*}" "${kv#*=}"
	done
	# a negative number may read as an option (2); either way it is refused
	for kv in start-time=-1:00 window-minutes=-1 points=-1 points=-5; do
		_b=$(db_digest)
		run config "${kv%%=*}" "${kv#*=}"
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
		    fail "config ${kv%%=*} ${kv#*=} exited $status, wanted 1 (or 2)"
		one_err
		same "$(db_digest)" "$_b" "database after config ${kv%%=*} ${kv#*=}"
	done
	expect 0 config --format json
	py json '{k: v for k, v in '"$CONF"'.items() if k in ("start-time", "window-minutes", "points")} == {"start-time": "09:00", "window-minutes": "5", "points": "5"}'
	expect 0 events --format jsonl
	py jsonl 'len(d) == '"$n"' and all(e["type"] == "config_changed" for e in d)'
	py jsonl '"08:30" in json.dumps(d[0]["data"]) and "start" in json.dumps(d[0]["data"])'
	py jsonl '"120" in json.dumps(d[5]["data"]) and "window" in json.dumps(d[5]["data"])'
	py jsonl '"1000" in json.dumps(d[8]["data"]) and "points" in json.dumps(d[8]["data"])'
}

affects_later() {
	reg() { ROLLCALL_NOW=2025-08-01T07:00 new_student "$@"; }
	ci() {
		expect 0 checkin "$1" --at "$2" --format json
		py json 'd["status"] == "'"$3"'" and d["points"] == '"$4"
	}
	export ROLLCALL_NOW=2025-09-01T12:00:00
	reg "Before Change" before@example.org; b=$id
	ci "$b" 2025-08-29T08:52 early 5
	expect 0 config window-minutes 10
	i=0
	for t in 08:50:00:early:5 08:50:01:on_time:0 09:09:59:on_time:0 09:10:00:late:-5; do
		i=$((i + 1)); reg "W $i" "w$i@example.org"
		ci "$id" "2025-09-01T${t%:*:*}" "$(echo "$t" | cut -d: -f4)" "${t##*:}"
	done
	expect 0 config start-time 08:00
	expect 0 config points 3
	for t in 07:50:00:early:3 07:50:01:on_time:0 08:09:59:on_time:0 08:10:00:late:-3; do
		i=$((i + 1)); reg "S $i" "s$i@example.org"
		ci "$id" "2025-09-01T${t%:*:*}" "$(echo "$t" | cut -d: -f4)" "${t##*:}"
	done
	expect 0 config points 0
	i=$((i + 1)); reg "Zero $i" "z$i@example.org"; z=$id
	ci "$z" 2025-09-01T07:00 early 0
	expect 0 student "$z" --format json
	py json 'd["days_early"] == 1 and d["points"] == 0'
	# the first check-in kept its points through all the changes
	expect 0 student "$b" --format json
	py json 'd["points"] == 5 and d["attendance"][0]["status"] == "early"'
	ci "$b" 2025-09-01T08:30 late 0
	expect 0 rebuild
	expect 0 student "$b" --format json
	py json '[(x["status"], x["points"]) for x in d["attendance"]] == [("early", 5), ("late", 0)]'
	expect 0 verify
}

# config quiet on|off (SPEC 4): a setting of the database, an event,
# shown by config, refused when neither on nor off.
quiet() {
	expect 0 config quiet
	same "$out" off "quiet by default"
	expect 0 config quiet on
	same "$out" on "after config quiet on"
	expect 0 config quiet on	# already on: no second event
	expect 1 config quiet maybe
	has "invalid quiet 'maybe'" "$err"
	expect 1 config quiet ON
	expect 0 config --format json
	py json 'd["quiet"] == "on"'
	expect 0 events --format jsonl
	py jsonl '[e["data"] for e in d] == [{"key": "quiet", "value": "on"}]'
	expect 0 rebuild
	expect 0 verify
	expect 0 config quiet
	same "$out" on "after a rebuild"
	expect 0 config quiet --unset
	same "$out" off "after --unset"
	expect 0 config
	has "quiet           off" "$out"
}

tcase show show
tcase quiet quiet
tcase set_values set_values
tcase affects_later affects_later
tdone
