#!/bin/sh
# make valgrind: the CLI test suite (tests/cli/*.sh) with ROLLCALL_BIN
# pointing at a wrapper that runs the release ./rollcall under valgrind
# (memcheck, full leak check; definite leaks count as errors).  Suites
# that build or time their own binaries (fault injection, fuzz replays)
# and those that kill rollcall (torture, crash: the SIGKILLs would land
# in valgrind) are left out.  Prints the runs, the runs with errors and the
# suites that failed (a suite that fails under valgrind is run again
# without it, to tell timing from a real failure); exits 1 when valgrind
# found an error or a definite leak.
#
# usage: sh tests/torture/valgrind.sh [SUITE.sh...]
set -u
cd "$(dirname "$0")/../.."
top=$PWD
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed" >&2; exit 1; }
[ -x ./rollcall ] || { echo "valgrind: ./rollcall is not built" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-valgrind.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir "$W/logs"
chmod 755 "$W"; chmod 1777 "$W/logs"	# zz_hostile runs it as nobody
cat >"$W/rollcall" <<EOS
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --track-fds=no --log-file=$W/logs/vg.%p.log "$top/rollcall" "\$@"
EOS
chmod 755 "$W/rollcall"

suites=${*:-$(ls tests/cli/*.sh)}
mkdir -p build
# One suite: its log in build/valgrind-NAME.log, "ok"/"FAIL" in $W/res.
cat >"$W/suite.sh" <<'EOS'
t=$1 W=$2
case $(basename "$t") in
zz_fault*.sh|zz_fuzz.sh|zz_torture.sh|crash.sh) exit 0 ;;
esac
log=build/valgrind-$(basename "$t" .sh).log
if ROLLCALL_BIN="$W/rollcall" sh "$t" >"$log" 2>&1; then
	echo "ok   $t" | tee -a "$W/res"
elif ROLLCALL_BIN="$PWD/rollcall" sh "$t" >"$log.plain" 2>&1; then
	# valgrind runs rollcall some fifty times slower (and needs a
	# TMPDIR of its own): a suite that passes without it failed on its
	# timing or its environment, not on memory.
	echo "SLOW $t (fails only under valgrind: timing or TMPDIR; see $log)" |
	    tee -a "$W/res"
	grep '^FAIL' "$log" | head -3 | sed 's/^/    /'
else
	echo "FAIL $t (fails without valgrind too; see $log.plain)" |
	    tee -a "$W/res"
	tail -3 "$log.plain" | sed 's/^/    /'
fi
EOS
: >"$W/res"
# valgrind starts slowly (about a second a run): two suites at a time.
printf '%s\n' $suites | xargs -P "${VALGRIND_JOBS:-2}" -I{} sh "$W/suite.sh" {} "$W"
pass=$(grep -c '^ok' "$W/res")
slow=$(sed -n 's/^SLOW \([^ ]*\).*/\1/p' "$W/res" | tr '\n' ' ')
failed=$(sed -n 's/^FAIL \([^ ]*\).*/\1/p' "$W/res" | tr '\n' ' ')
runs=$(ls "$W/logs" | wc -l)
bad=0
for f in "$W"/logs/vg.*.log; do
	[ -s "$f" ] || continue
	if grep -q 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|Invalid \|uninitialised\|Conditional jump' "$f"; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && { echo "--- $f"; head -40 "$f"; }
	fi
done
echo "valgrind: $runs rollcall runs, $bad with errors or leaks;" \
    "$pass suites passed${slow:+; failing only under valgrind (timing, TMPDIR): $slow}${failed:+; failing anyway: $failed}"
# Memory errors and leaks fail the run; suite failures are the suites'.
[ $bad -eq 0 ]
