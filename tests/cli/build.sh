#!/bin/sh
# Build, install, docs (SPEC 5), on a copy of the sources in a temporary
# directory so the working tree and its build are left alone.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

copy() {
	mkdir -p "$T/b"
	cp -R "$ROOT/Makefile" "$ROOT/src" "$ROOT/include" "$T/b/" || fail "copying the sources"
	# check's recursive make names the fault build's source
	mkdir -p "$T/b/tests" && cp -R "$ROOT/tests/fault" "$T/b/tests/" ||
	    fail "copying tests/fault"
	[ -d "$ROOT/assets" ] && cp -R "$ROOT/assets" "$T/b/"
	return 0
}

warning_free() {
	copy
	( cd "$T/b" && make -j2 2>&1 ) >"$T/make.log"
	st=$?
	[ $st -eq 0 ] || fail "make failed ($st): $(tail -20 "$T/make.log")"
	[ -x "$T/b/rollcall" ] || fail "make did not build ./rollcall"
	grep -n 'Wall' "$T/make.log" | grep -q 'Wextra' || fail "make does not compile with -Wall -Wextra: $(head -5 "$T/make.log")"
	grep -i 'warning' "$T/make.log" >"$T/warnings" &&
	    fail "make is not warning-free: $(head -20 "$T/warnings")"
	grep -q 'pkg-config' "$ROOT/Makefile" || fail "the Makefile does not use pkg-config"
	"$T/b/rollcall" --version >/dev/null || fail "the built rollcall does not run"
	release_needs "$T/b/rollcall"
	# the targets exist
	( cd "$T/b" && make -n all run check install uninstall clean bench >/dev/null 2>"$T/n.err" ) ||
	    fail "make -n of the documented targets failed: $(cat "$T/n.err")"
}

# release_needs BIN: the release binary leaves the dynamic loader little
# to do at each start (issue 14): the NATS client (with OpenSSL and
# protobuf-c) is never linked, and where the -dev packages ship the
# static archives the other libraries are linked in from them.
release_needs() {
	command -v readelf >/dev/null 2>&1 || return 0
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$T/needed"
	[ -s "$T/needed" ] || fail "readelf -d found no NEEDED in $1"
	for lib in libnats libssl libcrypto libprotobuf-c; do
		grep -q "^$lib\." "$T/needed" &&
		    fail "the release binary needs $lib: $(tr '\n' ' ' <"$T/needed")"
	done
	for lib in ncursesw tinfo lmdb uuid sodium jansson utf8proc csv; do
		case $(cc -print-file-name="lib$lib.a") in
		/*) ;;
		*) continue ;;	# no archive here: linked dynamically
		esac
		grep -q "^lib$lib\." "$T/needed" &&
		    fail "the release binary needs lib$lib although lib$lib.a is there: $(tr '\n' ' ' <"$T/needed")"
	done
	return 0
}

make_install() {
	copy
	( cd "$T/b" && make -j2 rollcall >"$T/make.log" 2>&1 ) || fail "make failed: $(tail "$T/make.log")"
	umask 077
	( cd "$T/b" && make install PREFIX=/opt/rc DESTDIR="$T/inst" >"$T/inst.log" 2>&1 ) ||
	    fail "make install failed: $(cat "$T/inst.log")"
	bin=$T/inst/opt/rc/bin/rollcall
	man=$T/inst/opt/rc/share/man/man1/rollcall.1
	[ -x "$bin" ] || fail "make install did not install $bin"
	same "$(stat -c %a "$bin")" 755 "mode of the installed binary"
	[ -f "$man" ] || fail "make install did not install the man page $man"
	same "$(stat -c %a "$man")" 644 "mode of the installed man page"
	grep -q '^\.TH' "$man" || fail "the man page has no .TH"
	for c in add checkin import config verify ROLLCALL_DB ROLLCALL_NOW; do
		grep -q "$c" "$man" || fail "the man page does not mention $c"
	done
	"$bin" --version >/dev/null || fail "the installed binary does not run"
	( cd "$T/b" && make install PREFIX=/usr MANPREFIX=/usr/share/man DESTDIR="$T/inst2" >"$T/inst.log" 2>&1 ) ||
	    fail "make install with MANPREFIX failed: $(cat "$T/inst.log")"
	[ -x "$T/inst2/usr/bin/rollcall" ] && [ -f "$T/inst2/usr/share/man/man1/rollcall.1" ] ||
	    fail "make install PREFIX=/usr MANPREFIX=/usr/share/man put things elsewhere: $(find "$T/inst2")"
	( cd "$T/b" && make uninstall PREFIX=/opt/rc DESTDIR="$T/inst" >"$T/inst.log" 2>&1 ) ||
	    fail "make uninstall failed: $(cat "$T/inst.log")"
	[ ! -e "$bin" ] && [ ! -e "$man" ] || fail "make uninstall left files behind"
}

docs() {
	[ -f "$ROOT/README.md" ] || fail "no README.md"
	head -15 "$ROOT/README.md" >"$T/readme.head"
	grep -q 'make run' "$T/readme.head" && grep -q 'make check' "$T/readme.head" ||
	    fail "the README does not open with make run and make check"
	[ -f "$ROOT/assets/rollcall.1" ] || fail "no man page assets/rollcall.1"
	[ -f "$ROOT/.ci/run" ] && grep -q 'make check' "$ROOT/.ci/run" ||
	    fail ".ci/run does not call make check"
}

# Every command rollcall --help lists has its entry in the man page.
man_lists_every_command() {
	expect 0 --help
	cmds=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/p' |
	    sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\?\)  .*/\1/p')
	[ -n "$cmds" ] || fail "no commands in --help: $out"
	missing=""
	for c in $(printf '%s\n' "$cmds" | tr ' ' '+'); do
		c=$(printf '%s' "$c" | tr '+' ' ')
		grep -q "^\.B $c\( \|\$\)" "$ROOT/assets/rollcall.1" ||
		    missing="$missing '$c'"
	done
	[ -z "$missing" ] || fail "the man page lacks$missing"
}

tcase warning_free warning_free
tcase make_install make_install
tcase docs docs
tcase man_lists_every_command man_lists_every_command
tdone
