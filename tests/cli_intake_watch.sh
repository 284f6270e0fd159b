#!/bin/bash
# sohoa watch (issue 16): files dropped into a watched folder -- one
# written slowly and held open, one that is not a PDF at all, one whose
# content is stored already, a note -- are each stored once, or named
# once; the watcher is killed in the middle of a batch and started
# again: nothing is lost or stored twice; 'sohoa ingest' runs beside it;
# SIGTERM stops it with 143.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_intake_watch.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_intake_watch: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_intake_watch: needs sqlite3" >&2; exit 1; }
cd "$T"
q() { sqlite3 W/sohoa.db "$1"; }
# wait until the shell test $1 holds, up to $2 seconds
until_true() {
	local i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -gt $(($2 * 5)) ] && return 1
		sleep 0.2
	done
}
start_watch() {
	"$BIN" watch --archive W --settle 1 --done move:done -j 1 inbox \
		>>watch.out 2>>watch.err &
	pid=$!
	until_true "grep -q 'watching' watch.err" 30 || fail "the watcher did not start: $(cat watch.err)"
}

# small pages, each with other words (so other content)
"$PY" - <<'EOF'
from PIL import Image, ImageDraw, ImageFont
f = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 60)
for i, text in enumerate(['GIẤY KHAI SINH', 'QUYẾT ĐỊNH', 'TRÍCH LỤC KHAI TỬ',
                          'GIẤY KHAI SINH số 2', 'QUYẾT ĐỊNH số 3', 'GIẤY KHAI SINH số 4']):
    im = Image.new('L', (1400, 300), 255)
    ImageDraw.Draw(im).text((60, 110), text, font=f, fill=0)
    im.save('p%d.png' % i, dpi=(300, 300))
# three-page files, for a batch long enough to be killed in its middle
pages = [Image.open('p%d.png' % i) for i in (2, 3, 4)]
for n, order in enumerate([(0, 1, 2), (1, 2, 0), (2, 0, 1)]):
    first, *rest = [pages[k] for k in order]
    first.save('b%d.tif' % (n + 1), save_all=True, append_images=rest,
               compression='tiff_deflate', dpi=(300, 300))
EOF
mkdir inbox
"$BIN" init --archive W 2>/dev/null || fail init
start_watch

# a file, a note, a file that is no PDF, the first file again under
# another name, and a file written slowly, held open between its halves
cp p0.png inbox/a.png
printf 'ghi chú\n' >inbox/notes.txt
printf '%%PDF-1.4\nnot really\n' >inbox/bad.pdf
"$PY" - <<'EOF' &
import time
data = open('p1.png', 'rb').read()
with open('inbox/slow.png', 'wb') as f:
    f.write(data[:len(data) // 2]); f.flush()
    time.sleep(4)              # more than --settle: still open, not taken
    f.write(data[len(data) // 2:])
EOF
writer=$!
until_true "[ -f done/a.png ]" 120 || fail "a.png was not stored and moved: $(cat watch.err)"
cp p0.png inbox/dup.png
wait $writer
until_true "[ -f done/slow.png ] && [ -f done/dup.png ]" 120 ||
	fail "slow.png and dup.png were not moved: $(cat watch.err)"
[ "$(q "SELECT count(*) FROM files WHERE name = 'slow.png' AND done")" = 1 ] || fail "slow.png stored $(q "SELECT count(*) FROM files WHERE name = 'slow.png'") times"
[ "$(q "SELECT sha256 FROM files WHERE name = 'slow.png'")" = "$(sha256sum p1.png | cut -d' ' -f1)" ] ||
	fail "slow.png was stored before it was complete"
[ "$(q "SELECT count(*) FROM failures WHERE path LIKE '%slow.png'")" = 0 ] || fail "slow.png failed while it was written"
[ "$(grep -c "cannot read 'inbox/bad.pdf'" watch.err)" = 1 ] || fail "bad.pdf: $(cat watch.err)"
[ "$(grep -c "left out 'inbox/notes.txt': not a scan (a text file)" watch.err)" = 1 ] ||
	fail "notes.txt: $(cat watch.err)"
[ "$(grep -c "'inbox/dup.png' is stored already" watch.err)" = 1 ] || fail "dup.png: $(cat watch.err)"
[ -f inbox/bad.pdf ] && [ -f inbox/notes.txt ] || fail "bad.pdf and notes.txt should stay"
[ "$(q "SELECT count(*) FROM files")" = 2 ] || fail "files: $(q 'SELECT name FROM files')"

# an ingest beside the watcher (it holds the archive only for a batch)
mkdir -p other/HS-O
cp p5.png other/HS-O/
"$BIN" ingest --archive W -j 1 other >/dev/null 2>err || fail "ingest beside watch: $(cat err)"

# three more files; killed while they are being stored, then restarted
cp b1.tif b2.tif b3.tif inbox/
until_true "[ \"\$(q \"SELECT count(*) FROM pages p JOIN files f ON f.id = p.file_id WHERE f.name LIKE 'b%'\")\" -ge 1 ]" 120 ||
	fail "no page of b*.tif was stored"
kill -9 $pid
wait $pid 2>/dev/null
done_at_kill=$(q "SELECT count(*) FROM files WHERE name LIKE 'b%' AND done")
[ "$done_at_kill" -lt 3 ] || fail "the watcher was killed after the batch, not in it"
start_watch
until_true "[ -f done/b1.tif ] && [ -f done/b2.tif ] && [ -f done/b3.tif ]" 180 ||
	fail "after the restart, b*.tif were not all stored and moved: $(ls inbox done); $(tail -5 watch.err)"
[ "$(q "SELECT count(*) FROM files WHERE name LIKE 'b%.tif' AND done")" = 3 ] ||
	fail "b*.tif: $(q "SELECT name, done FROM files")"
[ "$(q "SELECT count(*) FROM pages p JOIN files f ON f.id = p.file_id WHERE f.name LIKE 'b%'")" = 9 ] ||
	fail "pages of b*.tif: $(q "SELECT count(*) FROM pages")"
[ -z "$(q "SELECT sha256 FROM files GROUP BY sha256 HAVING count(*) > 1")" ] || fail "a file stored twice"
[ -z "$(q "SELECT file_id, pageno FROM pages GROUP BY file_id, pageno HAVING count(*) > 1")" ] ||
	fail "a page stored twice"
[ "$(q "SELECT count(*) FROM documents WHERE deleted_at IS NULL")" = 12 ] ||
	fail "documents: $(q 'SELECT id, file_id, doc_type FROM documents')"
[ "$(ls done | sort | tr '\n' ' ')" = "a.png b1.tif b2.tif b3.tif dup.png slow.png " ] ||
	fail "done/: $(ls done)"
[ "$(ls inbox | sort | tr '\n' ' ')" = "bad.pdf notes.txt " ] || fail "inbox/: $(ls inbox)"

# SIGTERM: a clean stop, 143
kill -TERM $pid
wait $pid
rc=$?
pid=
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc, want 143"

# usage: an archive inside the watched folder, a move folder inside it
"$BIN" watch --archive W --done move:inbox/x inbox >/dev/null 2>err
[ $? -eq 2 ] || fail "move folder inside the watched folder: $(cat err)"
"$BIN" watch --archive W --done later inbox >/dev/null 2>err
[ $? -eq 2 ] || fail "--done later: $(cat err)"

[ $fails -eq 0 ] && echo "cli_intake_watch: ok" || { echo "--- watch.err" >&2; cat watch.err >&2; exit 1; }
