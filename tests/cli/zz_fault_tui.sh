#!/bin/sh
# Fault injection in the desk (issue 4): a check-in from the TUI whose
# Nth LMDB write or commit fails, for every N it reaches.  EIO: the desk
# shows the error on its message line, stays up, writes nothing, and the
# same check-in then works in the same session; MAP_FULL: survived.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v tmux >/dev/null 2>&1 || { echo "no tmux; skipped"; exit 0; }
make -s --no-print-directory -C "$top" build/fault/rollcall >"$T/make.log" 2>&1 ||
    { cat "$T/make.log"; fail "cannot build build/fault/rollcall"; }
SOCK="rcft$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
tm() { tmux -L "$SOCK" "$@"; }
# wait_for TEXT [OR]: polls the screen (into $scr) for TEXT (or OR),
# 10 s at most.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		scr=$(tm capture-pane -p -t rc 2>/dev/null)
		case "$scr" in *"$1"*) return 0 ;; esac
		case "$scr" in *"${2:-$1}"*) return 0 ;; esac
		sleep 0.1; i=$((i + 1))
	done
	printf '%s\n' "$scr" >&2
	fail "'$1' did not show ($spec)"
}

export ROLLCALL_DB="$T/tpl"
new_student "Ada Lovelace" ada@example.org
expect 0 verify
before=$(db_digest)
faults=0
for e in EIO MAP_FULL; do
	n=1
	while [ $n -le 60 ]; do
		spec=$n:$e
		rm -rf "$T/db"; cp -a "$ROLLCALL_DB" "$T/db"
		: >"$T/log"; rm -f "$T/tui.status"
		tm new-session -d -s rc -x 100 -y 30 \
		    "env ROLLCALL_DB='$T/db' ROLLCALL_NOW='$ROLLCALL_NOW' TZ=UTC \
		    LC_ALL=C.UTF-8 ROLLCALL_FAULT=$spec ROLLCALL_FAULT_LOG='$T/log' \
		    '$top/build/fault/rollcall' 2>'$T/tui.err'; echo \$? >'$T/tui.status'" ||
		    fail "cannot start tmux"
		# a fault while opening: the desk does not start, and says why
		i=0
		while [ $i -lt 100 ]; do
			[ -f "$T/tui.status" ] && break
			scr=$(tm capture-pane -p -t rc 2>/dev/null)
			case "$scr" in *F10*) break ;; esac
			sleep 0.1; i=$((i + 1))
		done
		if [ -f "$T/tui.status" ]; then
			grep -q '^fault ' "$T/log" || fail "the desk ended with no fault ($spec)"
			faults=$((faults + 1))
			same "$(cat "$T/tui.status")" 3 "exit status of a desk that cannot open ($spec)"
			err=$(cat "$T/tui.err"); one_err
			n=$((n + 1))
			continue
		fi
		wait_for "F10"
		tm send-keys -t rc -l "ada@example.org"; tm send-keys -t rc Enter
		wait_for "Ada Lovelace at 08:30" "Refused:"
		case "$scr" in *"Checked in Ada Lovelace"*) ok=1 ;; *) ok=0 ;; esac
		fired=0; grep -q '^fault ' "$T/log" && fired=1
		op=$(sed -n 's/^fault \([a-z_]*\) .*/\1/p' "$T/log" | head -1)
		# LMDB reports a full map from these only: the others cannot
		# be retried into success
		survivable=0
		[ $e = MAP_FULL ] && case $op in put|del|drop|txn_commit) survivable=1 ;; esac
		if [ $fired = 1 ] && [ $survivable = 0 ]; then
			faults=$((faults + 1))
			[ $ok = 0 ] || fail "checked in although write $n failed ($spec)"
			[ "$(db_digest "$T/db")" = "$before" ] ||
			    fail "a failed check-in changed the database ($spec)"
			# the same check-in again, same session: it works now
			sleep 0.3
			tm send-keys -t rc -l "ada@example.org"; tm send-keys -t rc Enter
			wait_for "Checked in Ada Lovelace"
		elif [ $fired = 1 ]; then
			faults=$((faults + 1))
			[ $ok = 1 ] || fail "MAP_FULL at write $n was not survived ($spec)"
		else
			[ $ok = 1 ] || fail "no fault fired, yet no check-in ($spec)"
		fi
		tm send-keys -t rc F10
		i=0
		while [ ! -f "$T/tui.status" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		same "$(cat "$T/tui.status" 2>/dev/null)" 0 "the desk's exit status ($spec)"
		[ ! -s "$T/tui.err" ] || fail "the desk wrote to stderr ($spec): $(head -3 "$T/tui.err")"
		ROLLCALL_DB="$T/db" run verify
		same "$status" 0 "verify after $spec: $err"
		[ $fired = 1 ] || break
		n=$((n + 1))
	done
done
echo "desk: $faults faults injected into check-ins"
