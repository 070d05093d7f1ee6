#!/bin/sh
# Make sure the reliability tools are installed: clang with libFuzzer
# (Debian's libclang-rt), valgrind and cppcheck, besides the build and
# check dependencies (.ci/deps).  As root on Debian/Ubuntu, installs
# what is missing with apt-get, as .ci/deps does; otherwise prints the
# command to run and fails.
set -u
sh .ci/deps check || exit 1
missing=""
command -v clang >/dev/null 2>&1 || missing="clang"
# libFuzzer's runtime: try to link a trivial fuzz target.
t=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-deps.XXXXXX")
printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
    '{ (void)d; (void)n; return 0; }' >"$t/f.c"
if ! command -v clang >/dev/null 2>&1 ||
    ! clang -fsanitize=fuzzer,address -o "$t/f" "$t/f.c" >/dev/null 2>&1; then
	v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	if [ -n "$v" ]; then
		missing="$missing libclang-rt-$v-dev"
	else
		missing="$missing libclang-rt-dev"
	fi
fi
rm -rf "$t"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
command -v cppcheck >/dev/null 2>&1 || missing="$missing cppcheck"
command -v setpriv >/dev/null 2>&1 || missing="$missing util-linux"

[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "rollcall: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
	    apt-get install -y -qq $missing >/dev/null && exit 0
	echo "rollcall: apt-get install failed" >&2
	exit 1
fi
echo "rollcall: missing reliability tools; run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
