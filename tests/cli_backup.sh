#!/bin/bash
# Backup and restore (issue 14): a backup taken while an ingest writes is
# a consistent archive; restore checks every name and hash and refuses a
# tampered or hostile file, leaving the target as it was; an archive
# already there is moved aside, never deleted.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
PY=/usr/bin/python3
T=$(mktemp -d /tmp/cli_backup.XXXXXX)
trap 'kill $ing 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
ing=
fails=0
fail() { echo "cli_backup: FAIL: $*" >&2; fails=$((fails + 1)); }
cp -r "$SRC/tests/data/archive-v1" "$T/A"
export SOHOA_USER=archivist

# a backup while an ingest writes to the archive
"$BIN" ingest --archive "$T/A" --dossier HS-MOI -j1 "$SRC/samples/death-hard.jpg" "$SRC/samples/marriage-clean.jpg" >/dev/null 2>&1 &
ing=$!
sleep 1
"$BIN" backup --archive "$T/A" -o "$T/b1.tar" >"$T/out" 2>"$T/err" || fail "backup during ingest: $(cat "$T/err")"
wait $ing; ing=
"$BIN" backup --archive "$T/A" -o "$T/A/b.tar" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "inside the archive" "$T/err" || fail "backup into the archive: $(cat "$T/err")"
"$BIN" backup --archive "$T/A" -o "$T/b1.tar" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "exists" "$T/err" || fail "backup over a file: $(cat "$T/err")"
"$BIN" backup --archive "$T/A" -o "$T/b2.tar" --json >"$T/out" 2>"$T/err" || fail "backup: $(cat "$T/err")"
[ "$(sqlite3 "$T/A/sohoa.db" "SELECT count(*) FROM events WHERE action = 'backup'")" = 2 ] || fail "backups not recorded"
# stock tools read it
mkdir "$T/x" && tar xf "$T/b2.tar" -C "$T/x" && (cd "$T/x/sohoa-backup" && sha256sum -c --quiet manifest-sha256.txt) || fail "sha256sum -c of the manifest"

# restore both: the one taken mid-ingest is an archive of its own
for b in b1 b2; do
	"$BIN" restore --archive "$T/R-$b" "$T/$b.tar" >/dev/null 2>"$T/err" || fail "restore $b: $(cat "$T/err")"
	"$BIN" check --archive "$T/R-$b" >"$T/out" 2>&1 || fail "check of the restored $b: $(cat "$T/out")"
done
a=$("$BIN" search --archive "$T/A" --json --dossier HS-MOI "" | "$PY" -c 'import json,sys; print(sorted(h["doc_id"] for h in json.load(sys.stdin)))')
r=$("$BIN" search --archive "$T/R-b2" --json --dossier HS-MOI "" | "$PY" -c 'import json,sys; print(sorted(h["doc_id"] for h in json.load(sys.stdin)))')
[ "$a" = "$r" ] && [ "$a" != "[]" ] || fail "restored search differs: $a vs $r"
[ "$(sqlite3 "$T/R-b2/sohoa.db" "SELECT count(*) FROM events WHERE action = 'restore'")" = 1 ] || fail "restore not recorded"

# an archive already there: refused, then moved aside with --force
"$BIN" restore --archive "$T/R-b2" "$T/b1.tar" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "holds an archive already" "$T/err" || fail "restore over an archive: $(cat "$T/err")"
"$BIN" restore --force --archive "$T/R-b2" "$T/b1.tar" >/dev/null 2>"$T/err" || fail "restore --force: $(cat "$T/err")"
ls -d "$T"/R-b2.before-restore-* >/dev/null 2>&1 || fail "the archive there was not kept aside"

# tampered and hostile backups: refused, nothing appears
"$PY" - "$T" <<'EOF' || fail "making the hostile backups"
import hashlib, io, os, sys, tarfile
t = sys.argv[1]
src = tarfile.open(t + '/b2.tar')
members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
def write(name, items):
    with tarfile.open(t + '/' + name, 'w', format=tarfile.PAX_FORMAT) as out:
        for n, data in items:
            info = tarfile.TarInfo(n); info.size = len(data)
            out.addfile(info, io.BytesIO(data))
items = [(m.name, d) for m, d in members]
blob = next(i for i, (n, d) in enumerate(items) if '/store/' in n)
flip = list(items); n, d = flip[blob]; flip[blob] = (n, d[:10] + bytes([d[10] ^ 1]) + d[11:])
write('flip.tar', flip)
write('lack.tar', items[:blob] + items[blob + 1:])
write('evil.tar', items + [('sohoa-backup/../../evil', b'x')])
db = next(i for i, (n, d) in enumerate(items) if n.endswith('sohoa.db'))
other = list(items); n, d = other[db]; other[db] = (n, d + b'\0' * 512)
write('db.tar', other)
EOF
for b in flip lack evil db; do
	"$BIN" restore --archive "$T/R-$b" "$T/$b.tar" >/dev/null 2>"$T/err"; rc=$?
	[ $rc -eq 1 ] || fail "restore of $b.tar exited $rc"
	[ -e "$T/R-$b" ] && fail "restore of $b.tar made the archive"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "restore of $b.tar: $(cat "$T/err")"
done
grep -q "holds 'sohoa-backup/../../evil'" <("$BIN" restore --archive "$T/R-e" "$T/evil.tar" 2>&1) || fail "the hostile name is not named"
[ -e "$T/evil" ] && fail "a hostile name was written outside"
ls "$T" | grep -q "\.restore-" && fail "a refused restore left its folder: $(ls "$T")"

if [ $fails -ne 0 ]; then
	echo "cli_backup: $fails failures" >&2
	exit 1
fi
echo "cli_backup: ok"
