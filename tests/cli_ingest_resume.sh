#!/bin/bash
# Kill-and-resume: SIGKILL an ingest at several points, re-run it, and
# check that every page is stored exactly once, that the archive holds the
# same pages and documents as an uninterrupted run, that nothing
# half-written is left, and that PRAGMA integrity_check is ok.  Also: a
# second ingest into the same archive refuses while the first runs, and
# status (a reader) works meanwhile.  Pages are small and fast to OCR.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
N=${RESUME_PAGES:-40}
KILLS=${RESUME_KILLS:-4}
T=$(mktemp -d /tmp/cli_resume.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; chmod -R u+w "$T"; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_ingest_resume: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_ingest_resume: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
cd "$T"

# N small pages in one multi-page G4 TIFF, plus two single-page files
"$PY" - "$N" <<'PYEOF' || { echo "cli_ingest_resume: needs python3-pil" >&2; exit 1; }
import sys
from PIL import Image, ImageDraw, ImageFont
n = int(sys.argv[1])
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
def page(i):
    im = Image.new('L', (800, 300), 255)
    d = ImageDraw.Draw(im)
    d.text((40, 60), "Trang %d: Nguyễn Văn An" % (i + 1), font=font, fill=0)
    d.text((40, 140), "Sổ đăng ký khai sinh số %d" % (100 + i), font=font, fill=0)
    return im.convert('1')
import os
os.makedirs('in/HS-R', exist_ok=True)
pages = [page(i) for i in range(n)]
pages[0].save('in/HS-R/big.tif', save_all=True, append_images=pages[1:],
              compression='group4', dpi=(300, 300))
page(900).save('in/HS-R/a.png', dpi=(300, 300))
page(901).save('in/HS-R/z.png', dpi=(300, 300))
PYEOF

"$BIN" init --archive REF 2>/dev/null && "$BIN" init --archive A 2>/dev/null || { fail init; exit 1; }
"$BIN" ingest --archive REF --jobs 2 in 2>ref.err || fail "reference run: $(cat ref.err)"
total=$((N + 2))

stored() { sqlite3 A/sohoa.db "PRAGMA busy_timeout = 5000; SELECT count(*) FROM pages" 2>/dev/null | tail -1; }
for k in $(seq 1 "$KILLS"); do
	"$BIN" ingest --archive A --jobs 2 in >/dev/null 2>"kill$k.err" &
	pid=$!
	# wait until a few more pages are stored, then kill at a varying moment
	before=$(stored); before=${before:-0}
	for _ in $(seq 1 200); do
		now=$(stored); now=${now:-0}
		[ "$now" -ge $((before + k)) ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if [ $k -eq 1 ]; then
		# meanwhile: a second writer refuses, a reader works
		"$BIN" ingest --archive A in >/dev/null 2>second.err
		[ $? -eq 1 ] || fail "second ingest did not refuse"
		grep -q "is writing to 'A'" second.err || fail "second ingest: $(cat second.err)"
		"$BIN" status --archive A --json >/dev/null 2>st.err || fail "status during ingest: $(cat st.err)"
		"$BIN" search --archive A "Nguyễn" >/dev/null 2>se.err || fail "search during ingest: $(cat se.err)"
	fi
	sleep "0.$((RANDOM % 4))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	pid=
done
partial=$(stored)
[ "${partial:-0}" -lt "$total" ] || echo "cli_ingest_resume: note: the runs finished before being killed" >&2

"$BIN" ingest --archive A --jobs 2 --json in >final.json 2>final.err || fail "final run: $(cat final.err)"

q() { sqlite3 "$1/sohoa.db" "$2"; }
[ "$(q A 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(q A 'SELECT count(*) FROM pages')" = "$total" ] || fail "pages: $(q A 'SELECT count(*) FROM pages') want $total"
[ "$(q A 'SELECT count(DISTINCT file_id || "/" || pageno) FROM pages')" = "$total" ] || fail "duplicate pages"
[ "$(q A 'SELECT count(*) FROM files')" = 3 ] || fail "files"
[ "$(q A 'SELECT count(*) FROM files WHERE done')" = 3 ] || fail "files not done"
[ "$(q A "SELECT count(*) FROM pages WHERE status = 'ok'")" = "$total" ] || fail "pages not ok"
[ "$(q A 'SELECT count(*) FROM pages WHERE document_id IS NULL')" = 0 ] || fail "pages without a document"
# search finds the pages of a resumed file
"$BIN" search --archive A "Trang" >search.out 2>se.err || fail "search after resume: $(cat se.err)"
grep -q "big.tif\|HS-R" search.out || fail "search after resume: $(head -3 search.out)"
# same content as the uninterrupted run
for sql in "SELECT f.name, p.pageno, p.text, p.image_sha256, p.words_sha256 FROM pages p JOIN files f ON f.id = p.file_id ORDER BY 1, 2" \
    "SELECT f.name, d.first_page, d.npages, d.doc_type, d.ordinal FROM documents d JOIN files f ON f.id = d.file_id ORDER BY 1, 2" \
    "SELECT code FROM dossiers ORDER BY 1"; do
	[ "$(q A "$sql" | md5sum)" = "$(q REF "$sql" | md5sum)" ] || fail "differs from an uninterrupted run: $sql"
done
# every blob named is in the store, complete; nothing half-written is left
for sha in $(q A "SELECT sha256 FROM files UNION SELECT image_sha256 FROM pages UNION SELECT words_sha256 FROM pages UNION SELECT hocr_sha256 FROM pages UNION SELECT pdf_sha256 FROM documents" | grep .); do
	f="A/store/${sha:0:2}/$sha"
	[ -f "$f" ] || { fail "blob $sha missing"; continue; }
	[ "$(sha256sum "$f" | cut -c1-64)" = "$sha" ] || fail "blob $sha damaged"
done
[ -z "$(ls A/store/tmp)" ] || fail "temporary files left: $(ls A/store/tmp)"

[ $fails -eq 0 ] && echo "cli_ingest_resume: ok (killed $KILLS times, $partial of $total pages stored before the final run)" || exit 1
