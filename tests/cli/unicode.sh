#!/bin/sh
# Unicode at the boundary (SPEC 1, issue 14): names trimmed of any
# Unicode white space and stored in NFC, 1-100 code points after that;
# marks alone refused; emails compared after NFC and case folding, so
# one address typed composed, decomposed or in any case is one student.
. "$(dirname "$0")/../lib.sh"

NBSP=$(printf '\302\240')
IDSP=$(printf '\343\200\200')
EMSP=$(printf '\342\200\203')
NEL=$(printf '\302\205')
E_NFC=$(printf '\303\251')
E_NFD=$(printf 'e\314\201')
E_UP_NFD=$(printf 'E\314\201')
ACUTE=$(printf '\314\201')

names() {
	expect 0 add --name "$NBSP$IDSP Jos$E_NFD $EMSP$NEL" --email jose@example.org
	expect 0 students --format json
	py json '[s["name"] for s in d] == ["Jos\u00e9"]'
	# white space of any kind and nothing else
	refuse 1 add --name "$NBSP$IDSP$EMSP" --email a@example.org
	has "name is empty" "$err"
	refuse 1 add --name " $NEL " --email a@example.org
	# 100 letters typed decomposed (200 code points) are 100: accepted
	long_nfd=$(rep "$E_NFD" 100)
	expect 0 add --name "$long_nfd" --email long@example.org
	expect 0 student long@example.org --format json
	py json 'd["name"] == "\u00e9" * 100'
	refuse 1 add --name "$long_nfd$E_NFD" --email long2@example.org
	has "longer than 100" "$err"
	# combining marks alone
	refuse 1 add --name "$ACUTE$ACUTE" --email marks@example.org
	has "combining mark" "$err"
	refuse 1 add --name "$NBSP$ACUTE" --email marks@example.org
	# edit normalises too
	expect 0 edit jose@example.org --name "Jose$ACUTE Mar$(printf 'i\314\201')a"
	expect 0 student jose@example.org --format json
	py json 'd["name"] == "Jos\u00e9 Mar\u00eda"'
	refuse 1 edit jose@example.org --name "$IDSP"
	# and the import
	printf 'name,email\n%s,imp@example.org\n' "$NBSP Zo$(printf '\314\210')$NBSP" >"$T/n.csv"
	expect 0 import students "$T/n.csv"
	expect 0 student imp@example.org --format json
	py json 'd["name"] == "Zo\u0308".replace("o\u0308", "\u00f6")'
	printf 'name,email\n%s,ws@example.org\n' "$IDSP$NBSP" >"$T/ws.csv"
	refuse 1 import students "$T/ws.csv"
}

emails() {
	expect 0 add --name "Jos$E_NFC" --email "Jos$E_NFC@example.org"
	id=$out
	# stored as entered, in NFC
	expect 0 student "$id" --format json
	py json 'd["email"] == "Jos\u00e9@example.org"'
	# the same address decomposed, in another case: a duplicate
	refuse 1 add --name Other --email "jos$E_NFD@EXAMPLE.org"
	has "already" "$err"
	refuse 1 add --name Other --email "JOS$E_UP_NFD@example.org"
	# and it finds the student however it is typed
	for form in "jos$E_NFD@example.org" "JOS$E_UP_NFD@EXAMPLE.ORG" \
	    "jos$E_NFC@example.org" "$NBSP Jos$E_NFC@example.org$IDSP"; do
		expect 0 student "$form" --format json
		same "$(pyv json 'd["id"]')" "$id" "student found by '$form'"
	done
	ROLLCALL_NOW=2025-09-01T08:40 expect 0 checkin "JOS$E_UP_NFD@example.org"
	refuse 1 checkin "jos$E_NFD@example.org"
	has "already checked in" "$err"
	# an email decomposed when stored is NFC
	expect 0 add --name Ren --email "ren$E_NFD@example.org"
	expect 0 student "ren$E_NFC@example.org" --format json
	py json 'd["email"] == "ren\u00e9@example.org"'
	# one file, one address twice in two forms: a bad row
	printf 'name,email\nA,zo%s@example.org\nB,ZO%s@example.org\n' \
	    "$(printf '\303\253')" "$(printf '\303\213')" >"$T/dup.csv"
	refuse 1 import students "$T/dup.csv"
	has "duplicate email" "$err"
	printf 'name,email\nA,zo%s@example.org\nB,zo%s@example.org\n' \
	    "$(printf '\303\253')" "$(printf 'e\314\210')" >"$T/dup2.csv"
	refuse 1 import students "$T/dup2.csv"
	# a removed student's address (any form) may be used again
	expect 0 remove "JOS$E_UP_NFD@example.org"
	expect 0 add --name New --email "jos$E_NFD@example.org"
	expect 0 verify
	expect 0 rebuild
	expect 0 verify
}

# A read side an older build wrote (emails keyed by its own folding) is
# replayed by the first command that reads it, so lookups by any form of
# an address work at once, and verify is clean.
old_format() {
	top=$(cd "$(dirname "$0")/../.." && pwd)
	raw="python3 $top/tests/hostile/rawdb.py"
	expect 0 add --name Ada --email ada@example.org
	# an old build stored an email as typed, decomposed
	id=$($raw append "$ROLLCALL_DB" register "'Jos'" "'jose\\u0301@example.org'") ||
	    fail "rawdb append failed"
	# ...keyed by its folding, under the format marker of then
	$raw put "$ROLLCALL_DB" emails \
	    "$(printf 'jose\314\201@example.org' | od -An -tx1 | tr -d ' \n')" 00000002 ||
	    fail "rawdb put failed"
	$raw put "$ROLLCALL_DB" meta "$(printf checkpoint | od -An -tx1 | tr -d ' \n')" \
	    "0000000000000000$(rep 00 32)00000005" || fail "rawdb put failed"
	expect 0 student "JOS$E_NFC@example.org" --format json
	py json 'd["name"] == "Jos"'
	expect 0 status --format json
	py json 'd["head"] == d["checkpoint"]'
	expect 0 verify
	$raw dump "$ROLLCALL_DB" emails >"$T/emails.hex"
	grep -q "$(printf 'jose\314\201' | od -An -tx1 | tr -d ' \n')" "$T/emails.hex" &&
	    fail "the old email key is still there: $(cat "$T/emails.hex")"
	:
}

tcase old_format old_format
tcase names names
tcase emails emails
tdone
