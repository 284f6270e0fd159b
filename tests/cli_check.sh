#!/bin/bash
# Fixity and repair (issue 14, item 9): a damaged or missing stored file
# is found by 'sohoa check' (exit 1, each named), recorded as a fixity
# event, and restored by 'check --repair' from a good copy (the scan, a
# bundle) or made again (PDFs, the search index); re-importing a good
# bundle restores what it carries.  Nothing damaged is deleted.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
PY=/usr/bin/python3
T=$(mktemp -d /tmp/cli_check.XXXXXX)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_check: FAIL: $*" >&2; fails=$((fails + 1)); }
cp -r "$SRC/tests/data/archive-v1" "$T/A"
export SOHOA_ARCHIVE="$T/A" SOHOA_USER=archivist
q() { sqlite3 "$T/A/sohoa.db" "$1"; }
blob() { echo "$T/A/store/${1:0:2}/$1"; }
damage() { chmod u+w "$(blob "$1")"; printf 'X' | dd of="$(blob "$1")" bs=1 seek=200 conv=notrunc 2>/dev/null; }

"$BIN" check >"$T/out" 2>&1 || fail "a sound archive: $(cat "$T/out")"
grep -q "the archive is sound" "$T/out" || fail "check says: $(cat "$T/out")"

# a bundle of the sound dossier, to restore from later
"$BIN" keygen -o "$T/keys" >/dev/null 2>&1 || fail keygen
"$BIN" dossier set HS-V1-0001 paper_file_code=01.2019.HT.0042 >/dev/null 2>&1
"$BIN" export --dossier HS-V1-0001 --key "$T/keys/key.pem" --cert "$T/keys/cert.pem" -o "$T/hs.zip" >/dev/null 2>"$T/err" ||
	fail "export: $(cat "$T/err")"

# no output may touch the archive (issue 14, item 2), nor replace a file
dbsum=$(sha256sum <"$T/A/sohoa.db")
ex() { "$BIN" export --dossier HS-V1-0001 --key "$T/keys/key.pem" --cert "$T/keys/cert.pem" "$@"; }
ex -o "$T/A/sohoa.db" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "inside the archive" "$T/err" || fail "export over sohoa.db: $(cat "$T/err")"
ln -s "$T/A" "$T/link"
ex -o "$T/link/store/x.zip" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "inside the archive" "$T/err" || fail "export through a link into the store: $(cat "$T/err")"
"$BIN" pdf -o "$T/A/sohoa.db-wal" 1 >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "inside the archive" "$T/err" || fail "pdf over the WAL: $(cat "$T/err")"
[ "$(sha256sum <"$T/A/sohoa.db")" = "$dbsum" ] || fail "the database changed"
ex -o "$T/hs.zip" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "exists" "$T/err" || fail "export over a bundle without --force: $(cat "$T/err")"
ex --force -o "$T/hs.zip" >/dev/null 2>"$T/err" || fail "export --force: $(cat "$T/err")"

orig=$(q "SELECT sha256 FROM files WHERE name = 'death-clean-g4.tif'")
img=$(q "SELECT image_sha256 FROM pages WHERE document_id = 2")
pdf=$(q "SELECT pdf_sha256 FROM documents WHERE id = 1")
damage "$orig"
damage "$img"
rm -f "$(blob "$pdf")"
q "DELETE FROM search_fts WHERE rowid = 2" 2>/dev/null || true
"$BIN" check --json >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "check of a damaged archive exited $rc"
"$PY" - "$T/out" "$orig" "$img" "$pdf" <<'EOF' || fail "check --json: $(cat "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["sha256"]: x for x in d["problems"]}
assert d["ok"] is False and d["bad"] == 3, d
assert p[sys.argv[2]]["state"] == "damaged" and "original" in p[sys.argv[2]]["what"], p
assert p[sys.argv[3]]["state"] == "damaged" and "page image" in p[sys.argv[3]]["what"], p
assert p[sys.argv[4]]["state"] == "missing" and "PDF" in p[sys.argv[4]]["what"], p
EOF
[ "$(q "SELECT new_value FROM events WHERE action = 'check' ORDER BY id DESC LIMIT 1")" = fail ] || fail "the failed check is not recorded"

# repair without a copy: the PDF is made again, the rest is said
"$BIN" check --repair >"$T/out" 2>&1; [ $? -eq 1 ] || fail "repair without copies cannot mend everything"
grep -q "restored PDF of document 1" "$T/out" || fail "PDF not made again: $(cat "$T/out")"
grep -q "DAMAGED  original" "$T/out" || fail "the damaged original is not named: $(cat "$T/out")"
# from the scan (a folder of them) and the bundle: everything restored
"$BIN" check --repair --from "$SRC/samples" --from "$T/hs.zip" >"$T/out" 2>&1 || fail "repair from copies: $(cat "$T/out")"
grep -q "the archive is sound" "$T/out" || fail "after repair: $(cat "$T/out")"
[ "$(sha256sum <"$(blob "$orig")" | cut -c1-64)" = "$orig" ] || fail "the original is not restored"
[ "$(sha256sum <"$(blob "$img")" | cut -c1-64)" = "$img" ] || fail "the page image is not restored"
[ "$(ls "$T/A/store/damaged" | wc -l)" = 2 ] || fail "the damaged copies were not kept aside"
[ "$(q "SELECT new_value FROM events WHERE action = 'repair' ORDER BY id DESC LIMIT 1")" = pass ] || fail "the repair is not recorded"
"$BIN" search --json "Bùi" >"$T/out"; grep -q '"doc_id":1' "$T/out" || fail "search after the index repair"

# re-ingesting the intact scan restores its damaged copy
damage "$orig"
"$BIN" ingest --json "$SRC/samples/death-clean-g4.tif" >"$T/out" 2>"$T/err" || fail "re-ingest: $(cat "$T/err")"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["skipped"]==1 and d["restored"]==1, d' "$T/out" || fail "re-ingest --json: $(cat "$T/out")"
[ "$(sha256sum <"$(blob "$orig")" | cut -c1-64)" = "$orig" ] || fail "re-ingest did not restore the original"

# re-importing a good bundle restores a blob it carries
damage "$img"
"$BIN" trust add "$T/keys/cert.pem" >/dev/null 2>&1
"$BIN" import "$T/hs.zip" >"$T/out" 2>&1 || fail "re-import: $(cat "$T/out")"
[ "$(sha256sum <"$(blob "$img")" | cut -c1-64)" = "$img" ] || fail "re-import did not restore the page image"
"$BIN" check >/dev/null 2>&1 || fail "not sound after the re-import"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity"

if [ $fails -ne 0 ]; then
	echo "cli_check: $fails failures" >&2
	exit 1
fi
echo "cli_check: ok"
