#!/usr/bin/env bash
# Crash safety (issue 8): SIGKILL an export of a 150-page dossier at
# several points: the bundle's final name must either not exist or hold a
# complete bundle that verifies, never a partial file; what a killed export
# left (OUT.tmp-XXXXXX) is removed by the next export to OUT, while a
# temporary file an export is still writing is not.  Then SIGKILL
# imports of that bundle: the archive must hold all of the dossier or
# none of it, pass PRAGMA integrity_check, and a re-run must complete it.
set -euo pipefail
BIN=${SOHOA_BIN:?SOHOA_BIN is not set}
FIX=$(dirname "$BIN")/tests/test_bundle_roundtrip
T=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-cli-bundle-kill-XXXXXX")
trap 'rm -rf "$T"' EXIT
[ -x "$FIX" ] || { echo "cli_bundle_kill: '$FIX' is not built" >&2; exit 1; }
"$FIX" --make-archive "$T/src" "$T/keys" 150 || { echo "cannot make the archive" >&2; exit 1; }
pass=0
fail=0
absent=0
complete=0
for fmt in eark bagit; do
	for delay in 0.01 0.03 0.06 0.1 0.2 0.6; do
		out="$T/k-$fmt-$delay.bin"
		"$BIN" export --archive "$T/src" --dossier HS-2019-0042 \
			--key "$T/keys/key.pem" --cert "$T/keys/cert.pem" \
			--format $fmt -o "$out" >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		if [ ! -e "$out" ]; then
			absent=$((absent + 1)); pass=$((pass + 1))
		elif "$BIN" verify "$out" >/dev/null 2>"$T/verify.err"; then
			complete=$((complete + 1)); pass=$((pass + 1))
		else
			# say why (seen once in CI, not reproduced since)
			echo "FAIL: '$out' exists but does not verify:" \
			    "$(tail -n 5 "$T/verify.err")" >&2
			fail=$((fail + 1))
		fi
	done
done
# all the kills at one name, then an export left to finish: it is valid
# and the killed runs' temporary files are gone
out="$T/k-same.zip"
for delay in 0.01 0.05 0.1 0.2; do
	"$BIN" export --archive "$T/src" --dossier HS-2019-0042 \
		--key "$T/keys/key.pem" --cert "$T/keys/cert.pem" \
		-o "$out" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
done
left=$( (ls "$out".tmp-* 2>/dev/null || true) | wc -l)
echo "cli_bundle_kill: $left temporary file(s) left by the killed exports" >&2
# one more as a killed run leaves it (nobody holds it), and one that a
# running export holds (flock'ed), which must survive the sweep
echo partial > "$out.tmp-STALE0"
touch "$out.tmp-HELD00"
flock "$out.tmp-HELD00" sleep 30 &
holder=$!
sleep 0.3
"$BIN" export --archive "$T/src" --dossier HS-2019-0042 --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" -o "$out" >/dev/null
if "$BIN" verify "$out" >/dev/null; then pass=$((pass + 1)); else
	echo "FAIL: a finished export does not verify" >&2; fail=$((fail + 1)); fi
stale=$( (ls "$out".tmp-* 2>/dev/null || true) | grep -vc HELD00 || true)
if [ "$stale" -eq 0 ]; then pass=$((pass + 1)); else
	echo "FAIL: $stale temporary file(s) of killed exports left" >&2
	fail=$((fail + 1)); fi
if [ -e "$out.tmp-HELD00" ]; then pass=$((pass + 1)); else
	echo "FAIL: the sweep removed a file another process holds" >&2
	fail=$((fail + 1)); fi
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
echo "cli_bundle_kill: $absent killed before the rename, $complete finished" >&2

# imports: all or nothing
command -v sqlite3 >/dev/null || { echo "cli_bundle_kill: sqlite3 is missing (run scripts/deps.sh)" >&2; exit 1; }
none=0
all=0
for delay in 0.05 0.2 0.4 0.8 1.2 2; do
	"$BIN" import --untrusted --archive "$T/dst" "$out" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	[ -e "$T/dst/sohoa.db" ] || { none=$((none + 1)); pass=$((pass + 1)); continue; }
	# killed between creating the file and its schema: nothing is in it,
	# and the next writable open creates the schema
	if [ "$(sqlite3 "$T/dst/sohoa.db" "SELECT count(*) FROM sqlite_master
		WHERE name = 'documents'")" = 0 ]; then
		none=$((none + 1)); pass=$((pass + 1)); continue
	fi
	state=$(sqlite3 "$T/dst/sohoa.db" "PRAGMA integrity_check;
		SELECT count(*) FROM documents; SELECT count(*) FROM pages;
		SELECT count(*) FROM fields;" | tr '\n' ' ')
	case "$state" in
	"ok 0 0 0 ") none=$((none + 1)); pass=$((pass + 1)) ;;
	"ok 3 153 8 ") all=$((all + 1)); pass=$((pass + 1)) ;;
	*) echo "FAIL: after a killed import the archive holds: $state" >&2
	   fail=$((fail + 1)) ;;
	esac
done
"$BIN" import --untrusted --archive "$T/dst" "$out" >/dev/null
state=$(sqlite3 "$T/dst/sohoa.db" "PRAGMA integrity_check;
	SELECT count(*) FROM documents; SELECT count(*) FROM pages;" | tr '\n' ' ')
if [ "$state" = "ok 3 153 " ]; then pass=$((pass + 1)); else
	echo "FAIL: the re-run import left: $state" >&2; fail=$((fail + 1)); fi
echo "cli_bundle_kill: imports killed: $none left nothing, $all had finished" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
