#!/usr/bin/env bash
# Crash safety (issue 8): SIGKILL at random points, then a re-run.
#
#  ingest  KILLS (default 20) runs into one archive, each killed after a
#          random delay (0 .. the time of an uninterrupted run, so some die while
#          starting, some while hashing, OCR'ing or committing), with
#          PRAGMA integrity_check after every kill; then a run to the end.
#          The archive must hold the same content as an uninterrupted run:
#          files, pages (status, size, text, blobs), documents, fields,
#          failures, search hits, every referenced blob present and whole.
#  export  killed at random points: nothing is ever left under the final
#          name unless it is a valid bundle; a re-run writes a valid one.
#  import  killed at random points: the target archive holds all of the
#          dossier or none of it; a re-run imports it all.
#
# Pages are small (tests/cli_crash_pages.py) so the whole test takes about
# a minute (two in the sanitizer build).
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR}
PY=/usr/bin/python3
KILLS=${CRASH_KILLS:-20}
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_crash.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_crash: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_crash: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "cli_crash: needs sha256sum (coreutils)" >&2; exit 1; }
export OMP_THREAD_LIMIT=1
cd "$T"
"$PY" "$SRC/tests/cli_crash_pages.py" in 8 || { echo "cli_crash: cannot make pages (python3-pil)" >&2; exit 1; }

ms() { echo $(($(date +%s%N) / 1000000)); }
# sleep_ms N: sleep N milliseconds
sleep_ms() { sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; }
# run_killed MAX_MS CMD...: start CMD, SIGKILL it after 0..MAX_MS ms
# (unless it ended before); sets $killed to 1 when it was still running
run_killed() {
	local max=$1
	shift
	"$@" >/dev/null 2>>killed.err &
	pid=$!
	sleep_ms $(((RANDOM * 32768 + RANDOM) % (max + 1)))
	if kill -9 $pid 2>/dev/null; then killed=1; else killed=0; fi
	wait $pid 2>/dev/null
	pid=
}
integrity() { sqlite3 "$1/sohoa.db" "PRAGMA busy_timeout = 5000; PRAGMA integrity_check; PRAGMA foreign_key_check" | tail -n +2 | tr '\n' ' '; }

# Everything an ingest decides, keyed by paths and page numbers (ids and
# times may differ between runs).
dump() {
	sqlite3 -separator ' | ' "$1/sohoa.db" <<'SQL'
SELECT 'file', f.path, f.sha256, f.format, f.size, f.npages, f.done, d.code
  FROM files f LEFT JOIN dossiers d ON d.id = f.dossier_id ORDER BY f.path;
SELECT 'page', f.path, p.pageno, p.status, p.orientation, round(p.skew, 2),
       round(p.confidence, 1), p.width, p.height, p.dpi, p.image_sha256,
       p.image_type, p.hocr_sha256, p.words_sha256, p.error,
       (SELECT first_page FROM documents WHERE id = p.document_id),
       replace(p.text, char(10), '\n')
  FROM pages p JOIN files f ON f.id = p.file_id ORDER BY f.path, p.pageno;
SELECT 'document', f.path, d.first_page, d.npages, d.ordinal, d.doc_type,
       d.title, d.doc_date, round(d.confidence, 1), d.pdf_sha256 IS NOT NULL,
       s.code
  FROM documents d JOIN files f ON f.id = d.file_id
  LEFT JOIN dossiers s ON s.id = d.dossier_id ORDER BY f.path, d.first_page;
SELECT 'field', f.path, d.first_page, x.key, x.value, x.raw,
       round(x.conf, 1), x.flagged, x.corrected
  FROM fields x JOIN documents d ON d.id = x.document_id
  JOIN files f ON f.id = d.file_id ORDER BY f.path, d.first_page, x.key;
SELECT 'failure', path, pageno, reason FROM failures ORDER BY path, pageno;
SQL
}

# Search hits as "query -> path@first_page" lines, sorted.
hits() {
	local a=$1 q
	for q in "nguyen van an" "khai sinh" "Đặng Văn Hùng" "tan lap" \
		"001215000006" '"trang 4"' "Bình OR Lan"; do
		"$BIN" search --archive "$a" --json --limit 100 "$q" >hits.json 2>hits.err ||
			{ fail "search '$q' in $a: $(cat hits.err)"; continue; }
		"$PY" - "$a/sohoa.db" "$q" hits.json <<'PYEOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for h in json.load(open(sys.argv[3])):
    path, first = db.execute(
        'SELECT f.path, d.first_page FROM documents d JOIN files f '
        'ON f.id = d.file_id WHERE d.id = ?', (h['doc_id'],)).fetchone()
    print('%s -> %s@%d' % (sys.argv[2], path, first))
PYEOF
	done | sort
}

# Every blob the database names is in the store and hashes to its name;
# prints the number of leftover temporary files.
check_store() {
	local a=$1 s missing=0 bad=0
	for s in $(sqlite3 "$a/sohoa.db" "SELECT sha256 FROM files UNION
		SELECT image_sha256 FROM pages UNION SELECT hocr_sha256 FROM pages
		UNION SELECT words_sha256 FROM pages UNION
		SELECT pdf_sha256 FROM documents" | grep .); do
		f=$a/store/${s:0:2}/$s
		if [ ! -f "$f" ]; then
			missing=$((missing + 1))
		elif [ "$(sha256sum <"$f" | cut -c1-64)" != "$s" ]; then
			bad=$((bad + 1))
		fi
	done
	[ $missing -eq 0 ] || fail "$a: $missing blobs named in the database are missing"
	[ $bad -eq 0 ] || fail "$a: $bad blobs do not match their hash"
}

# --- ingest ------------------------------------------------------------------
"$BIN" init --archive REF 2>/dev/null && "$BIN" init --archive A 2>/dev/null ||
	{ fail init; exit 1; }
t0=$(ms)
"$BIN" ingest --archive REF --jobs 2 in >/dev/null 2>ref.err ||
	{ fail "uninterrupted run: $(cat ref.err)"; exit 1; }
ref_ms=$(($(ms) - t0))
max=$ref_ms
dump REF >ref.dump
# KILLS runs killed; a run that ends before its kill has finished the
# archive: it is compared with the reference and the next runs start over
# on a fresh archive, so every kill hits work in progress.
nkilled=0 nruns=0 ncycles=0
while [ $nkilled -lt "$KILLS" ] && [ $nruns -lt $((3 * KILLS)) ]; do
	nruns=$((nruns + 1))
	run_killed $max "$BIN" ingest --archive A --jobs 2 in
	nkilled=$((nkilled + killed))
	got=$(integrity A)
	[ "$got" = "ok " ] || fail "integrity after run $nruns (killed: $killed): $got"
	if [ $killed -eq 0 ]; then
		ncycles=$((ncycles + 1))
		dump A >a.dump
		diff ref.dump a.dump >dump.diff || fail "archive after cycle $ncycles differs from an uninterrupted run:
$(head -40 dump.diff)"
		rm -rf A
		"$BIN" init --archive A 2>/dev/null || fail "init A"
	fi
done
stored=$(sqlite3 A/sohoa.db "SELECT count(*) FROM pages")
echo "cli_crash: ingest: reference run $ref_ms ms; $nkilled of $nruns runs killed (after 0-$max ms); $ncycles archives finished by a run between kills; $stored of $(sqlite3 REF/sohoa.db "SELECT count(*) FROM pages") pages stored before the final run"
[ $nkilled -ge "$KILLS" ] || fail "only $nkilled of $nruns ingests were still running when killed"
"$BIN" ingest --archive A --jobs 2 in >/dev/null 2>final.err ||
	fail "final run: $(cat final.err)"
got=$(integrity A)
[ "$got" = "ok " ] || fail "integrity after the final run: $got"
dump A >a.dump
diff ref.dump a.dump >dump.diff || fail "archive differs from an uninterrupted run:
$(head -40 dump.diff)"
hits REF >ref.hits
hits A >a.hits
[ -s ref.hits ] || fail "no search hits in the reference archive"
diff ref.hits a.hits >hits.diff || fail "search hits differ: $(cat hits.diff)"
check_store REF
check_store A
"$BIN" status --archive A --json >st.json 2>st.err || fail "status: $(cat st.err)"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["pending"] == [], d["pending"]' st.json ||
	fail "files still pending after the final run"
n=$(find A/store -path '*/tmp/*' -type f | wc -l)
[ "$n" -eq 0 ] || echo "cli_crash: note: $n temporary blobs left in A/store/tmp by killed runs"

# --- export ------------------------------------------------------------------
export SOHOA_ARCHIVE=A
"$BIN" keygen --ec -o keys >/dev/null 2>&1 || { fail keygen; exit 1; }
"$BIN" dossier set HS-K1 paper_file_code=G01.1.1 >/dev/null 2>&1 ||
	fail "dossier set"
ex=("$BIN" export --dossier HS-K1 --key keys/key.pem --cert keys/cert.pem)
mkdir out
t0=$(ms)
"${ex[@]}" -o out/ref.zip >/dev/null 2>ex.err || fail "export: $(cat ex.err)"
ex_ms=$(($(ms) - t0))
nkilled=0
for k in $(seq 1 "$KILLS"); do
	rm -f out/k1.zip
	run_killed $((ex_ms + 20)) "${ex[@]}" -o out/k1.zip
	nkilled=$((nkilled + killed))
	if [ -e out/k1.zip ] && ! "$BIN" verify out/k1.zip >/dev/null 2>v.err; then
		fail "export killed ($k) left an invalid 'out/k1.zip': $(cat v.err)"
	fi
done
echo "cli_crash: export: $ex_ms ms; $nkilled of $KILLS runs killed"
"${ex[@]}" --force -o out/k1.zip >/dev/null 2>ex.err || fail "export re-run: $(cat ex.err)"
"$BIN" verify out/k1.zip >/dev/null 2>v.err || fail "re-run bundle not valid: $(cat v.err)"
n=$(find out -name '*tmp*' | wc -l)
[ "$n" -eq 0 ] || echo "cli_crash: note: $n temporary files left in out/ by killed exports"
unset SOHOA_ARCHIVE

# --- import ------------------------------------------------------------------
"$BIN" init --archive I 2>/dev/null || fail "init I"
t0=$(ms)
"$BIN" init --archive I0 2>/dev/null && "$BIN" import --untrusted --archive I0 out/k1.zip >/dev/null 2>im.err ||
	fail "import: $(cat im.err)"
im_ms=$(($(ms) - t0))
counts() {
	sqlite3 "$1/sohoa.db" "PRAGMA busy_timeout = 5000; SELECT
		(SELECT count(*) FROM documents) || '/' ||
		(SELECT count(*) FROM pages) || '/' || (SELECT count(*) FROM fields)" |
		tail -1
}
full=$(counts I0)
nkilled=0
for k in $(seq 1 "$KILLS"); do
	run_killed $im_ms "$BIN" import --untrusted --archive I out/k1.zip
	nkilled=$((nkilled + killed))
	got=$(integrity I)
	[ "$got" = "ok " ] || fail "integrity of I after import kill $k: $got"
	c=$(counts I)
	[ "$c" = "0/0/0" ] || [ "$c" = "$full" ] ||
		fail "import killed ($k) left part of the dossier: $c (documents/pages/fields; all is $full)"
	# start from nothing again while it has not got through
	if [ "$c" = "$full" ] && [ $k -lt "$KILLS" ]; then
		rm -rf I && "$BIN" init --archive I 2>/dev/null
	fi
done
echo "cli_crash: import: $im_ms ms; $nkilled of $KILLS runs killed"
"$BIN" import --untrusted --archive I out/k1.zip >/dev/null 2>im.err || fail "import re-run: $(cat im.err)"
[ "$(counts I)" = "$full" ] || fail "import re-run: $(counts I), want $full"
got=$(integrity I)
[ "$got" = "ok " ] || fail "integrity of I after the re-run: $got"
check_store I

if [ $fails -gt 0 ]; then
	echo "cli_crash: $fails failures" >&2
	exit 1
fi
echo "cli_crash: ok"
