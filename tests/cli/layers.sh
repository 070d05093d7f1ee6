#!/bin/sh
# The layers of README's Architecture section hold (tests/layers.sh), and
# the check does catch a lower layer including a higher one's header.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHECK="$ROOT/tests/layers.sh"

sh "$CHECK" "$ROOT" >"$T/out" 2>&1 || fail "the tree breaks its layers: $(cat "$T/out")"

# violate FILE HEADER: a copy of the tree where FILE includes HEADER must
# fail the check, naming both.
violate() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree"
	cp -R "$ROOT/src" "$ROOT/include" "$T/tree/"
	printf '#include %s\n' "$2" >>"$T/tree/$1"
	if sh "$CHECK" "$T/tree" >"$T/out" 2>&1; then
		fail "the layer check let $1 include $2"
	fi
	grep -q "$(basename "$1")" "$T/out" || fail "the layer check did not name $1: $(cat "$T/out")"
}

violate src/store.c '"projector.h"'
violate include/store.h '"readside.h"'
violate src/query.c '"projector.h"'
violate src/projector.c '"query.h"'
violate src/rm_roster.c '"command.h"'
violate src/event.c '"store.h"'
violate src/command.c '"tui_app.h"'
violate src/command.c '<curses.h>'
violate src/tui_day.c '"store.h"'
violate src/tui_day.c '"cli.h"'
violate src/cli.c '<curses.h>'
exit 0
