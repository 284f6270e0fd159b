#!/usr/bin/env bash
# Concurrency (issue 8): readers and short writers while an ingest writes,
# and two ingests into one archive at once.
#
#  - while an ingest runs: search, status --json, show, set (a short
#    writer) and export + verify of another dossier all succeed, and no
#    "database is locked" / "busy" message ever reaches the user;
#  - two ingests started together, on the same inputs or on different
#    dossiers: each either finishes or refuses with one clear line
#    ("another sohoa ... is writing to 'X'"), never anything else;
#  - afterwards, with the refused ones run again, the archive holds exactly
#    what an ingest alone makes, and PRAGMA integrity_check is ok.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR}
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_concurrency.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill -9 $p 2>/dev/null; done; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_concurrency: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_concurrency: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
export OMP_THREAD_LIMIT=1
cd "$T"
"$PY" "$SRC/tests/cli_crash_pages.py" in 12 || { echo "cli_concurrency: cannot make pages (python3-pil)" >&2; exit 1; }

integrity() { sqlite3 "$1/sohoa.db" "PRAGMA busy_timeout = 5000; PRAGMA integrity_check; PRAGMA foreign_key_check" | tail -n +2 | tr '\n' ' '; }
# what an ingest decides, keyed by paths (ids differ between archives)
dump() {
	sqlite3 -separator ' | ' "$1/sohoa.db" <<'SQL'
SELECT 'file', f.path, f.sha256, f.npages, f.done, d.code
  FROM files f LEFT JOIN dossiers d ON d.id = f.dossier_id ORDER BY f.path;
SELECT 'page', f.path, p.pageno, p.status, round(p.confidence, 1),
       p.image_sha256, p.words_sha256, replace(p.text, char(10), '\n')
  FROM pages p JOIN files f ON f.id = p.file_id ORDER BY f.path, p.pageno;
SELECT 'document', f.path, d.first_page, d.npages, d.doc_type, d.title,
       d.doc_date, d.pdf_sha256 IS NOT NULL
  FROM documents d JOIN files f ON f.id = d.file_id ORDER BY f.path, d.first_page;
SELECT 'field', f.path, d.first_page, x.key, x.value
  FROM fields x JOIN documents d ON d.id = x.document_id
  JOIN files f ON f.id = d.file_id ORDER BY f.path, d.first_page, x.key;
SQL
}
# a message that must never reach the user
leaked() { grep -qiE "locked|busy|SQLITE|malformed" "$1"; }

"$BIN" init --archive REF 2>/dev/null && "$BIN" ingest --archive REF --jobs 2 in >/dev/null 2>ref.err ||
	{ fail "reference ingest: $(cat ref.err)"; exit 1; }
dump REF >ref.dump

# --- readers and short writers during an ingest -------------------------------
"$BIN" init --archive A 2>/dev/null || { fail init; exit 1; }
export SOHOA_ARCHIVE=A
"$BIN" keygen --ec -o keys >/dev/null 2>&1 || fail keygen
# HS-K2 first, so that it can be exported while HS-K1 is ingested
"$BIN" ingest in/HS-K2 >/dev/null 2>k2.err || fail "ingest HS-K2: $(cat k2.err)"
"$BIN" dossier set HS-K2 paper_file_code=G01.1.2 >/dev/null 2>&1 || fail "dossier set"
doc=$(sqlite3 A/sohoa.db "SELECT min(id) FROM documents")
"$BIN" ingest --jobs 2 in/HS-K1 >/dev/null 2>k1.err &
pids+=($!)
ingest=$!
rounds=0 during=0
while kill -0 $ingest 2>/dev/null && [ $rounds -lt 200 ]; do
	rounds=$((rounds + 1))
	for q in "nguyen van" "khai sinh" '"Tân Lập"' "Bình OR Lan"; do
		"$BIN" search --json "$q" >s.out 2>s.err ||
			fail "search '$q' during ingest exited $?: $(cat s.err)"
		leaked s.err && fail "search '$q' during ingest: $(cat s.err)"
	done
	"$BIN" status --json >st.out 2>st.err || fail "status during ingest: $(cat st.err)"
	"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' st.out ||
		fail "status --json during ingest: not JSON: $(head -c 300 st.out)"
	"$BIN" show "$doc" >/dev/null 2>sh.err || fail "show during ingest: $(cat sh.err)"
	"$BIN" set --new-key "$doc" notes="vòng $rounds" >/dev/null 2>set.err ||
		fail "set during ingest: $(cat set.err)"
	"$BIN" export --force --dossier HS-K2 --key keys/key.pem --cert keys/cert.pem \
		-o k2.zip >/dev/null 2>ex.err || fail "export during ingest: $(cat ex.err)"
	"$BIN" verify k2.zip >/dev/null 2>v.err || fail "verify of the export made during ingest: $(cat v.err)"
	for f in st.err sh.err set.err ex.err; do
		leaked $f && fail "during ingest: $(cat $f)"
	done
	kill -0 $ingest 2>/dev/null && during=$((during + 1))
done
wait $ingest || fail "the ingest exited $?: $(cat k1.err)"
leaked k1.err && fail "ingest: $(cat k1.err)"
echo "cli_concurrency: $during rounds of readers and writers ran during the ingest"
[ $during -ge 1 ] || fail "no round ran while the ingest was writing"
[ "$(integrity A)" = "ok " ] || fail "integrity after the readers: $(integrity A)"
unset SOHOA_ARCHIVE

# --- two ingests at once --------------------------------------------------------
# $1 $2: inputs of the two ingests.  Each must end 0, or 1 with the
# "is writing" line; then a last run completes whatever was refused.
two() {
	local name=$1 a=$2 b=$3 rc1 rc2 refused=0
	rm -rf B
	"$BIN" init --archive B 2>/dev/null || { fail "init B"; return; }
	"$BIN" ingest --archive B --jobs 2 $a >/dev/null 2>one.err &
	pids+=($!)
	local p1=$!
	"$BIN" ingest --archive B --jobs 2 $b >/dev/null 2>two.err &
	pids+=($!)
	local p2=$!
	wait $p1; rc1=$?
	wait $p2; rc2=$?
	for r in "$rc1 one.err" "$rc2 two.err"; do
		set -- $r
		if [ "$1" -eq 1 ] && grep -q "^sohoa: another sohoa.* is writing to 'B'" "$2"; then
			refused=$((refused + 1))
		elif [ "$1" -ne 0 ]; then
			fail "$name: an ingest exited $1: $(cat $2)"
		fi
		leaked "$2" && fail "$name: $(cat $2)"
	done
	[ "$(integrity B)" = "ok " ] || fail "$name: integrity: $(integrity B)"
	"$BIN" ingest --archive B --jobs 2 in >/dev/null 2>last.err ||
		fail "$name: last run: $(cat last.err)"
	dump B >b.dump
	diff ref.dump b.dump >b.diff || fail "$name: archive differs from one ingest alone:
$(head -30 b.diff)"
	echo "cli_concurrency: $name: exits $rc1 and $rc2, $refused refused"
}
two "same inputs" in in
two "two dossiers" in/HS-K1 in/HS-K2

# --- two imports of one bundle at once ----------------------------------------
"$BIN" init --archive C 2>/dev/null || fail "init C"
"$BIN" import --untrusted --archive C k2.zip >/dev/null 2>im1.err &
pids+=($!)
p1=$!
"$BIN" import --untrusted --archive C k2.zip >/dev/null 2>im2.err
rc2=$?
wait $p1
rc1=$?
for r in "$rc1 im1.err" "$rc2 im2.err"; do
	set -- $r
	if [ "$1" -ne 0 ] && ! { [ "$1" -eq 1 ] && grep -q "^sohoa: cannot import: another sohoa.* is writing to 'C'" "$2"; }; then
		fail "two imports: one exited $1: $(cat $2)"
	fi
	leaked "$2" && fail "two imports: $(cat $2)"
done
[ "$(integrity C)" = "ok " ] || fail "two imports: integrity: $(integrity C)"
"$BIN" import --untrusted --archive C k2.zip >/dev/null 2>im3.err || fail "import after the two: $(cat im3.err)"
want=$(sqlite3 A/sohoa.db "SELECT count(*) FROM documents d JOIN dossiers s ON s.id = d.dossier_id WHERE s.code = 'HS-K2'")
got=$(sqlite3 C/sohoa.db "SELECT count(*) FROM documents")
[ "$got" = "$want" ] || fail "two imports: $got documents, want $want"
echo "cli_concurrency: two imports: exits $rc1 and $rc2"

if [ $fails -gt 0 ]; then
	echo "cli_concurrency: $fails failures" >&2
	exit 1
fi
echo "cli_concurrency: ok"
