#!/bin/bash
# Every command that writes, killed (SIGKILL) at random points (issue 14):
# set, move, merge, split, delete, undo, rotate, check --repair, backup
# and restore.  After each kill the archive passes SQLite's integrity
# check, each change is there whole or not at all (with its history
# event exactly when it is there), nothing stored is lost, and what a
# killed backup or restore left is swept by the next run.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
T=$(mktemp -d /tmp/cli_records_kill.XXXXXX)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
killed=0
fail() { echo "cli_records_kill: FAIL: $*" >&2; fails=$((fails + 1)); }
cp -r "$SRC/tests/data/archive-v1" "$T/A"
export SOHOA_ARCHIVE="$T/A" SOHOA_USER=kill
q() { sqlite3 "$T/A/sohoa.db" "$1"; }
"$BIN" check >/dev/null 2>&1 || fail "the fixture is not sound"
npages=$(q "SELECT count(*) FROM pages")
nblobs=$(ls "$T"/A/store/??/ | wc -l)

# run "$@" and SIGKILL it after DELAY seconds; 1 when it was killed
run_killed() {
	local delay=$1; shift
	"$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null
		killed=$((killed + 1))
		return 1
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# what must hold after any kill
sound() {
	[ "$(q "PRAGMA integrity_check")" = ok ] || fail "$1: integrity: $(q "PRAGMA integrity_check")"
	[ "$(q "PRAGMA foreign_key_check")" = "" ] || fail "$1: foreign keys"
	[ "$(q "SELECT count(*) FROM pages")" = "$npages" ] || fail "$1: pages lost"
	[ "$(ls "$T"/A/store/??/ | wc -l)" -ge "$nblobs" ] || fail "$1: stored files lost"
}

delays="0.01 0.03 0.06 0.1 0.15 0.25"

# set: the value is the old or the new one, with its event exactly then
for d in $delays; do
	old=$(q "SELECT value FROM fields WHERE document_id = 1 AND key = 'full_name'")
	n=$(q "SELECT count(*) FROM events")
	run_killed "$d" "$BIN" set 1 "full_name=Bùi Linh Lan $d"
	now=$(q "SELECT value FROM fields WHERE document_id = 1 AND key = 'full_name'")
	m=$(q "SELECT count(*) FROM events")
	if [ "$now" = "$old" ]; then [ "$m" = "$n" ] || fail "set killed: an event without the change"
	elif [ "$now" = "Bùi Linh Lan $d" ]; then [ "$m" = $((n + 1)) ] || fail "set killed: the change without its event"
	else fail "set killed: '$now'"; fi
	sound "set $d"
done

# merge and split: both documents whole, or merged whole
for d in $delays; do
	run_killed "$d" "$BIN" merge 1 2
	s=$(q "SELECT (SELECT count(*) FROM pages WHERE document_id = 1) || ':' || (SELECT deleted_at IS NOT NULL FROM documents WHERE id = 2)")
	case "$s" in
	1:0) ;;
	2:1) run_killed "$d" "$BIN" split 1 2
	     s=$(q "SELECT (SELECT count(*) FROM pages WHERE document_id = 1) || ':' || (SELECT deleted_at IS NOT NULL FROM documents WHERE id = 2)")
	     case "$s" in 1:0|2:1) ;; *) fail "split killed: $s" ;; esac
	     [ "$s" = 2:1 ] && "$BIN" split 1 2 >/dev/null 2>&1 ;;
	*) fail "merge killed: $s" ;;
	esac
	sound "merge/split $d"
done

# move, delete and their undo
for d in $delays; do
	run_killed "$d" "$BIN" move 2 "HS-KILL-$d"
	code=$(q "SELECT code FROM dossiers x JOIN documents d ON d.dossier_id = x.id WHERE d.id = 2")
	ev=$(q "SELECT new_value FROM events WHERE action = 'doc_move' AND document_id = 2 ORDER BY id DESC LIMIT 1")
	[ "$code" = HS-V1-0001 ] || [ "$code" = "$ev" ] || fail "move killed: in '$code', history says '$ev'"
	id=$(q "SELECT max(id) FROM events WHERE action = 'doc_move' AND id NOT IN (SELECT undoes FROM events WHERE undoes IS NOT NULL)")
	[ -n "$id" ] && [ "$code" != HS-V1-0001 ] && run_killed "$d" "$BIN" undo "$id"
	run_killed "$d" "$BIN" delete --why "thử $d" 1
	[ "$(q "SELECT (deleted_at IS NULL) + (SELECT count(*) FROM events WHERE action = 'doc_delete' AND document_id = 1 AND new_value = 'thử $d') FROM documents WHERE id = 1")" = 1 ] ||
		fail "delete killed: the tombstone and its event disagree"
	"$BIN" undelete 1 >/dev/null 2>&1
	sound "move/delete $d"
done

# rotate (an OCR engine is loaded: the kill lands somewhere in it)
before=$(q "SELECT text FROM pages WHERE id = 1")
for d in 0.2 0.6 1.2; do
	run_killed "$d" "$BIN" rotate 1 1 180
	now=$(q "SELECT text FROM pages WHERE id = 1")
	if [ "$now" != "$before" ]; then
		[ "$(q "SELECT count(*) FROM events WHERE action = 'page_rotate'")" -ge 1 ] || fail "rotate killed: a new reading without its event"
		"$BIN" undo "$(q "SELECT max(id) FROM events WHERE action = 'page_rotate'")" >/dev/null 2>&1 || fail "undo of a rotation"
	fi
	[ "$(q "SELECT text FROM pages WHERE id = 1")" = "$before" ] || fail "rotate killed ($d): the page is neither as it was nor turned"
	sound "rotate $d"
done

# check --repair of a damaged scan, from its intact copy
orig=$(q "SELECT sha256 FROM files WHERE name = 'death-clean-g4.tif'")
blob="$T/A/store/${orig:0:2}/$orig"
for d in 0.02 0.05 0.1 0.2; do
	chmod u+w "$blob"; printf 'X' | dd of="$blob" bs=1 seek=300 conv=notrunc 2>/dev/null
	run_killed "$d" "$BIN" check --repair --from "$SRC/samples/death-clean-g4.tif"
	[ -f "$blob" ] || fail "check --repair killed: the scan is missing"
	"$BIN" check --repair --from "$SRC/samples/death-clean-g4.tif" >/dev/null 2>&1 || fail "check --repair after a kill"
	[ "$(sha256sum <"$blob" | cut -c1-64)" = "$orig" ] || fail "the scan is not restored"
	sound "check --repair $d"
done

# backup and restore: the file or the archive whole, or not there; the
# leftovers of a killed one swept by the next
for d in 0.02 0.05 0.1 0.2; do
	rm -f "$T/b.tar"
	if ! run_killed "$d" "$BIN" backup -o "$T/b.tar"; then
		[ -e "$T/b.tar" ] && { tar tf "$T/b.tar" >/dev/null 2>&1 || fail "backup killed ($d): a broken file"; }
	fi
	rm -f "$T/b.tar"
	"$BIN" backup -o "$T/b.tar" >/dev/null 2>&1 || fail "backup after a kill"
	ls "$T" | grep -q "b.tar\.\(tmp\|db\)-" && fail "backup left temporary files: $(ls "$T")"
	rm -rf "$T/R"
	if ! run_killed "$d" "$BIN" restore --archive "$T/R" "$T/b.tar"; then
		[ -e "$T/R" ] && { "$BIN" check --archive "$T/R" >/dev/null 2>&1 || fail "restore killed ($d): a broken archive"; }
	fi
	rm -rf "$T/R"
	"$BIN" restore --archive "$T/R" "$T/b.tar" >/dev/null 2>&1 || fail "restore after a kill"
	ls "$T" | grep -q "R\.restore-" && fail "restore left its folder: $(ls "$T")"
	"$BIN" check --archive "$T/R" >/dev/null 2>&1 || fail "the restored archive is not sound"
done

"$BIN" check >/dev/null 2>&1 || fail "the archive is not sound at the end"
echo "cli_records_kill: $killed runs killed" >&2
if [ $fails -ne 0 ]; then
	echo "cli_records_kill: $fails failures" >&2
	exit 1
fi
echo "cli_records_kill: ok"
