#!/bin/sh
# Start-up (issue 14): a process maps no library it does not use.  The
# NATS client (with OpenSSL and protobuf-c) is opened only by publish
# and replica, which say so in one line (exit 3) when it cannot be
# loaded; a query looks up no author (passwd entry, host name).
. "$(dirname "$0")/../lib.sh"
unset ROLLCALL_ACTOR ROLLCALL_DESK 2>/dev/null || true
NATS_LIB=libnats.so.3.4	# the soname of the cnats we build against

# A query, a check-in and --version load no NATS, TLS or protobuf.
no_nats_at_start() {
	if command -v readelf >/dev/null 2>&1; then
		readelf -d "$RC" >"$T/dyn" || fail "readelf -d $RC failed"
		for lib in libnats libssl libcrypto libprotobuf-c; do
			grep -q "NEEDED.*\[$lib" "$T/dyn" &&
			    fail "$RC is linked with $lib: $(grep NEEDED "$T/dyn")"
		done
	fi
	new_student "Ana Ng" ana@example.org
	for cmd in "--version" "students" "checkin ana@example.org" "status"; do
		# shellcheck disable=SC2086
		LD_DEBUG=files "$RC" $cmd >/dev/null 2>"$T/ld" ||
		    fail "rollcall $cmd failed: $(tail -3 "$T/ld")"
		grep -E 'file=lib(nats|ssl|crypto|protobuf-c)' "$T/ld" >"$T/bad" &&
		    fail "rollcall $cmd loaded $(head -3 "$T/bad")"
	done
	return 0
}

# stub DIR [MISSING]: a libnats.so.3.4 in DIR that is no cnats: it needs
# a library that is not there (MISSING given), else it lacks every
# cnats function.  LD_LIBRARY_PATH=DIR makes rollcall find it first.
stub() {
	mkdir -p "$1"
	if [ -n "${2:-}" ]; then
		printf 'int rc_gone(void);\nint rc_gone(void) { return 0; }\n' \
		    >"$1/gone.c"
		printf 'int rc_gone(void);\nint rc_stub(void);\n%s\n' \
		    'int rc_stub(void) { return rc_gone(); }' >"$1/stub.c"
		cc -shared -fPIC -o "$1/libgone.so" "$1/gone.c" ||
		    fail "cannot build the stub's dependency"
		cc -shared -fPIC -Wl,--no-as-needed -o "$1/$NATS_LIB" \
		    "$1/stub.c" -L"$1" -lgone || fail "cannot build the stub"
		rm -f "$1/libgone.so"
	else
		printf 'int rc_stub(void);\nint rc_stub(void) { return 0; }\n' \
		    >"$1/stub.c"
		cc -shared -fPIC -o "$1/$NATS_LIB" "$1/stub.c" ||
		    fail "cannot build the stub"
	fi
}

# nats_unloadable: publish and replica with the library missing or
# wrong: one line naming it, exit 3, nothing sent or changed.
nats_unloadable() {
	command -v cc >/dev/null 2>&1 || { echo "skip: no cc"; return 0; }
	new_student "Ana Ng" ana@example.org
	expect 0 status --format json
	origin=$(pyv json 'd["origin"]')
	stub "$T/gone" missing
	stub "$T/empty"
	for dir in gone empty; do
		LD_LIBRARY_PATH="$T/$dir" refuse 3 publish \
		    --to nats://127.0.0.1:4222
		has "NATS client library $NATS_LIB" "$err"
		[ -z "$out" ] || fail "publish printed: $out"
		LD_LIBRARY_PATH="$T/$dir" refuse 3 --db "$T/rep" replica \
		    --from nats://127.0.0.1:4222 --origin "$origin"
		has "NATS client library $NATS_LIB" "$err"
		[ ! -e "$T/rep/data.mdb" ] || fail "replica made a database"
	done
	# the reason: the missing dependency, or the missing function
	LD_LIBRARY_PATH="$T/gone" expect 3 publish --to nats://127.0.0.1:4222
	has "libgone.so" "$err"
	LD_LIBRARY_PATH="$T/empty" expect 3 publish --to nats://127.0.0.1:4222
	has "has no " "$err"
	expect 0 verify
}

# A shim that notes each author look-up (getpwuid, gethostname) in
# $RC_LOOKUPS, for queries_look_up_no_author.
shim() {
	cat >"$T/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
note(const char *what)
{
	const char *path = getenv("RC_LOOKUPS");
	FILE *f;

	if (path != NULL && (f = fopen(path, "a")) != NULL) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
}

struct passwd *
getpwuid(uid_t uid)
{
	struct passwd *(*real)(uid_t) =
	    (struct passwd *(*)(uid_t))dlsym(RTLD_NEXT, "getpwuid");

	note("getpwuid");
	return real(uid);
}

int
gethostname(char *name, size_t len)
{
	int (*real)(char *, size_t) =
	    (int (*)(char *, size_t))dlsym(RTLD_NEXT, "gethostname");

	note("gethostname");
	return real(name, len);
}
EOF
	cc -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl 2>"$T/cc.err" ||
	    fail "cannot build the shim: $(cat "$T/cc.err")"
}

# looked CMD...: run rollcall under the shim; $looked is what it noted.
looked() {
	rm -f "$T/lookups"
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	    LD_PRELOAD="$T/shim.so" RC_LOOKUPS="$T/lookups" \
	    "$RC" "$@" >"$T/out" 2>"$T/err"
	status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
	looked=$(sort -u "$T/lookups" 2>/dev/null | tr '\n' ' ')
}

queries_look_up_no_author() {
	command -v cc >/dev/null 2>&1 || { echo "skip: no cc"; return 0; }
	shim
	# the shim works: a check-in looks up who and where
	looked add --name "Ana Ng" --email ana@example.org
	same "$status" 0 "add under the shim: $err"
	same "$looked" "gethostname getpwuid " "look-ups of add"
	for q in students "student ana@example.org" "history ana@example.org" \
	    status events day calendar report "config points" \
	    "students --format json"; do
		# shellcheck disable=SC2086
		looked $q
		same "$status" 0 "rollcall $q: $err"
		same "$looked" "" "author look-ups of rollcall $q"
	done
	# a --as given to a query is still checked, without a look-up
	looked students --as ""
	same "$status" 1 "students --as '': $err"
	same "$looked" "" "author look-ups of students --as ''"
	# and a write still takes --as and the environment as before
	ROLLCALL_DESK="Front desk" looked checkin ana@example.org --as clerk
	same "$status" 0 "checkin under the shim: $err"
	expect 0 events --format jsonl
	py jsonl 'd[-1]["actor"] == "clerk" and d[-1]["desk"] == "Front desk"'
}

tcase no_nats_at_start no_nats_at_start
tcase nats_unloadable nats_unloadable
tcase queries_look_up_no_author queries_look_up_no_author
tdone
