#!/bin/sh
# tests/layers.sh [ROOT] - the one-way dependencies of README's
# Architecture section, checked over the #include lines of ROOT/src and
# ROOT/include (default: this tree).  Prints each violation and exits 1
# if there is any.
#
# A file may include the headers of its own layer and of lower ones,
# never of a higher one; the projector and the queries (both layer 5)
# never include each other; front ends reach the core only through its
# API (db.h, command.h, query.h and the pure layer).  A new module goes in the table below; a name not
# in it is taken as core at the command layer (6), rm_* as a read model,
# cli*/tui* as front end.
set -u
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}

# layer NAME: the layer of a module (a file's name without .c/.h).
layer() {
	case $1 in
	bytes|event|clock|text|validate|policy|csvread|event_json|record|db|author|\
	calendar|lineedit|seal|collate|radix)
		echo 1 ;;	# pure: no LMDB, no curses, no other layer
	store|keys|lmdb)
		echo 2 ;;	# the LMDB environment, the log and the keys
	readside)
		echo 3 ;;	# the read side's storage and checkpoint
	rm_*)
		echo 4 ;;	# one read model each
	projector|query|query_*)
		echo 5 ;;	# the writer and the readers of the read side
	command|replay)
		echo 6 ;;	# changes, one write transaction each
	main|cli|cli_*|tui|tui_*|curses|ncurses|ncursesw/curses)
		echo 7 ;;	# front ends
	*)
		echo 6 ;;
	esac
}

for f in "$ROOT"/src/*.c "$ROOT"/include/*.h; do
	[ -f "$f" ] || continue
	base=$(basename "$f")
	me=${base%.*}
	lv=$(layer "$me")
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*[<"]\([^>"]*\)\.h[>"].*/\1/p' "$f" |
	while read -r inc; do
		case $inc in
		lmdb|curses|ncurses|ncursesw/curses) ;;
		*) [ -f "$ROOT/include/$inc.h" ] || continue ;;
		esac
		[ "$inc" = "$me" ] && continue
		il=$(layer "$inc")
		if [ "$il" -gt "$lv" ]; then
			echo "layers: $base includes $inc.h: layer $il is above $me's layer $lv"
			continue
		fi
		# The writer and the readers of the read side stay apart.
		case $me:$inc in
		projector:query*|query*:projector)
			echo "layers: $base includes $inc.h: the projector and the queries do not know each other"
			continue ;;
		esac
		# Front ends talk to the core through db.h, command.h, query.h.
		if [ "$lv" -eq 7 ]; then
			case $inc in
			lmdb|store|readside|rm_*|projector|record)
				echo "layers: $base includes $inc.h: a front end reaches below the core's API"
				continue ;;
			esac
			case $me:$inc in
			cli*:tui_*|cli*:curses|cli*:ncurses*|tui*:cli*)
				echo "layers: $base includes $inc.h: the CLI and the TUI are separate front ends"
				continue ;;
			esac
		fi
	done
done >"${TMPDIR:-/tmp}/layers.$$"
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/layers.$$"
	rm -f "${TMPDIR:-/tmp}/layers.$$"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
exit 0
