#!/bin/sh
# make analyze: cppcheck on src/ (warnings, performance, portability),
# with the false positives of tests/torture/cppcheck.supp suppressed.
# Exits 1 on any finding.
set -u
cd "$(dirname "$0")/../.."
command -v cppcheck >/dev/null 2>&1 || { echo "analyze: cppcheck is not installed" >&2; exit 1; }
out=$(mktemp "${TMPDIR:-/tmp}/rollcall-cppcheck.XXXXXX")
cppcheck --enable=warning,performance,portability --std=c11 \
    --inline-suppr --suppressions-list=tests/torture/cppcheck.supp \
    --suppress=missingIncludeSystem --error-exitcode=1 --quiet \
    -Iinclude -D__GNUC__ --template='{file}:{line}: {severity} ({id}): {message}' \
    src/ >"$out" 2>&1
rc=$?
cat "$out"
n=$(grep -c ': \(error\|warning\|performance\|portability\) (' "$out")
rm -f "$out"
echo "analyze: cppcheck on src/: $n findings"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ]
