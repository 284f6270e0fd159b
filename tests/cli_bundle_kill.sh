#!/usr/bin/env bash
# Crash safety (issue 8): SIGKILL an export of a 150-page dossier at
# several points: the bundle's final name must either not exist or hold a
# complete bundle that verifies, never a partial file; what a killed export
# left (OUT.tmp-XXXXXX) is removed by the next export to OUT, while a
# temporary file an export is still writing is not.  Then SIGKILL
# imports of that bundle: the archive must hold all of the dossier or
# none of it, pass PRAGMA integrity_check, and a re-run must complete it.
# Killed verifies and imports leave their extracted bundle behind
# ($TMPDIR/sohoa-bundle-XXXXXX, ARCHIVE/store/tmp/bundle-XXXXXX): the
# next verify or import removes it, but not a folder another process
# holds (bug 0014, issue 14 item 10).
set -euo pipefail
BIN=${SOHOA_BIN:?SOHOA_BIN is not set}
FIX=$(dirname "$BIN")/tests/test_bundle_roundtrip
T=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-cli-bundle-kill-XXXXXX")
trap 'rm -rf "$T"' EXIT
# a TMPDIR of our own, to see what the runs leave in it
mkdir "$T/tmp"
export TMPDIR="$T/tmp"
[ -x "$FIX" ] || { echo "cli_bundle_kill: '$FIX' is not built" >&2; exit 1; }
"$FIX" --make-archive "$T/src" "$T/keys" 150 || { echo "cannot make the archive" >&2; exit 1; }
# Hold an flock on file or folder $1 from a process of ours ($holder),
# as a running sohoa does; its output goes nowhere, so that ctest does
# not wait for it.
hold() {
	( exec 9<"$1"; flock 9; exec sleep 120 ) >/dev/null 2>&1 &
	holder=$!
	sleep 0.3
}
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
# (--force: a run that finished before its kill left the file)
# and the killed runs' temporary files are gone
out="$T/k-same.zip"
for delay in 0.01 0.05 0.1 0.2; do
	"$BIN" export --archive "$T/src" --dossier HS-2019-0042 \
		--key "$T/keys/key.pem" --cert "$T/keys/cert.pem" \
		--force -o "$out" >/dev/null 2>&1 &
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
hold "$out.tmp-HELD00"
"$BIN" export --archive "$T/src" --dossier HS-2019-0042 --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" --force -o "$out" >/dev/null
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

# extraction folders: one held by a live process must survive every sweep
mkdir "$TMPDIR/sohoa-bundle-HELD00"
hold "$TMPDIR/sohoa-bundle-HELD00"
# what a run leaves behind, the held folder aside
leftovers() {
	(ls -d "$TMPDIR"/sohoa-bundle-* "$T"/dst/store/tmp/bundle-* \
	    2>/dev/null || true) | grep -vc HELD00 || true
}
# each run sweeps what the killed ones before it left: counted after each
killed_left=0
for delay in 0.05 0.1 0.2 0.3 0.5 1.0; do
	"$BIN" verify "$out" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	killed_left=$((killed_left + $(leftovers)))
done
"$BIN" verify "$out" >/dev/null
if [ "$(leftovers)" -eq 0 ]; then pass=$((pass + 1)); else
	echo "FAIL: a verify left the killed verifies' folders:" \
	    "$(ls "$TMPDIR")" >&2
	fail=$((fail + 1)); fi

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
	killed_left=$((killed_left + $(leftovers)))
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
	"ok 3 153 9 ") all=$((all + 1)); pass=$((pass + 1)) ;;
	*) echo "FAIL: after a killed import the archive holds: $state" >&2
	   fail=$((fail + 1)) ;;
	esac
done
echo "cli_bundle_kill: $killed_left extraction folder(s) seen after killed verifies and imports" >&2
"$BIN" import --untrusted --archive "$T/dst" "$out" >/dev/null
state=$(sqlite3 "$T/dst/sohoa.db" "PRAGMA integrity_check;
	SELECT count(*) FROM documents; SELECT count(*) FROM pages;" | tr '\n' ' ')
if [ "$state" = "ok 3 153 " ]; then pass=$((pass + 1)); else
	echo "FAIL: the re-run import left: $state" >&2; fail=$((fail + 1)); fi
if [ "$(leftovers)" -eq 0 ]; then pass=$((pass + 1)); else
	echo "FAIL: an import left extraction folders:" \
	    "$(ls "$TMPDIR" "$T/dst/store/tmp")" >&2
	fail=$((fail + 1)); fi
# the kills above must have left something, or nothing was tested
if [ "$killed_left" -gt 0 ]; then pass=$((pass + 1)); else
	echo "FAIL: no killed verify or import left a folder to sweep" >&2
	fail=$((fail + 1)); fi
if [ -d "$TMPDIR/sohoa-bundle-HELD00" ]; then pass=$((pass + 1)); else
	echo "FAIL: a sweep removed a folder another process holds" >&2
	fail=$((fail + 1)); fi
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
echo "cli_bundle_kill: imports killed: $none left nothing, $all had finished" >&2
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
