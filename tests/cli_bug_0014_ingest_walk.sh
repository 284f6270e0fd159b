#!/bin/bash
# Bug 0014 (issue 14, items 3 and 11): 'sohoa ingest' on a folder holding
# two links to itself ran for ever (growing past 5 GB, deaf to SIGTERM);
# dangling links, FIFOs and folders without scans passed without a word;
# a file given by bare name went into a dossier named after the folder
# the clerk stood in.
#
# Now: the walk ends (a timeout turns a hang into a failure), the scan is
# stored once, each odd entry gets one line naming it and its reason and
# is listed by 'sohoa status'; a bare name goes to dossier 'unsorted',
# './name' to the current folder's, a file under a link to the link's
# name.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_bug_0014_walk.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_bug_0014_ingest_walk: FAIL: $*" >&2; fails=$((fails + 1)); }
cd "$T"
mkdir -p in/HS-01 in/rỗng elsewhere/HS-thật
"$PY" - <<'PYEOF' || { echo "cli_bug_0014_ingest_walk: needs python3-pil" >&2; exit 1; }
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
for i, out in enumerate(['in/HS-01/trang 1.png', 'rời.png', 'chấm.png',
                         'elsewhere/HS-thật/p.png']):
    im = Image.new('L', (700, 200), 255)
    ImageDraw.Draw(im).text((30, 60), "Trang %d: Nguyễn Văn An" % (i + 1),
                            font=font, fill=0)
    im.convert('1').save(out, dpi=(300, 300))
PYEOF
ln -s . in/HS-01/x
ln -s . in/HS-01/y
ln -s ../HS-01 in/HS-01/z
ln -s mất.tif in/HS-01/hỏng.tif
mkfifo in/HS-01/ống.tif
ln -s ../elsewhere/HS-thật in/HS-liên-kết
"$BIN" init --archive A 2>/dev/null || { fail init; exit 1; }

start=$(date +%s)
timeout -s KILL 120 "$BIN" ingest --archive A --jobs 1 --json in >sum.json 2>err
rc=$?
cat err >&2
[ $rc -ne 137 ] || fail "the walk did not end within 120 s"
[ $rc -eq 1 ] || fail "exit status $rc, want 1 (some inputs are not scans)"
echo "cli_bug_0014_ingest_walk: walk + ingest took $(( $(date +%s) - start )) s"
for line in \
	"sohoa: cannot read 'in/HS-01/hỏng.tif': a broken link (its target 'mất.tif' does not exist)" \
	"sohoa: cannot read 'in/HS-01/ống.tif': a FIFO (named pipe), not a file" \
	"sohoa: cannot read 'in/rỗng': no scans in this folder (no TIFF, PNG, JPEG, PNM or PDF file)"; do
	[ "$(grep -cxF "$line" err)" -eq 1 ] || fail "want once: $line"
done
[ "$(grep -c "^sohoa: cannot read" err)" -eq 3 ] || fail "want 3 failure lines"
j() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$1" "$2"; }
[ "$(j 'd["files"]' sum.json)" = 2 ] || fail "files: $(cat sum.json)"
[ "$(j 'd["pages"]' sum.json)" = 2 ] || fail "pages: $(cat sum.json)"
[ "$(j 'd["failed"]' sum.json)" = 3 ] || fail "failed: $(cat sum.json)"
"$BIN" status --archive A --json >st.json 2>/dev/null
[ "$(j 'sorted(x["path"] for x in d["failed"])' st.json)" = \
    "['in/HS-01/hỏng.tif', 'in/HS-01/ống.tif', 'in/rỗng']" ] ||
	fail "status: $(cat st.json)"

# dossiers: the folder each path names; a bare name names none
mv chấm.png in/
(cd in && "$BIN" ingest --archive ../A --jobs 1 ../rời.png chấm.png \
	2>>../err >/dev/null) || fail "ingest ../rời.png chấm.png"
command -v sqlite3 >/dev/null || { echo "cli_bug_0014_ingest_walk: needs sqlite3" >&2; exit 1; }
q() { sqlite3 A/sohoa.db "SELECT d.code FROM files f JOIN dossiers d ON d.id = f.dossier_id WHERE f.name = '$1'"; }
[ "$(q 'trang 1.png')" = "HS-01" ] || fail "trang 1.png in '$(q 'trang 1.png')'"
[ "$(q 'p.png')" = "HS-liên-kết" ] ||
	fail "a file under a link goes to the link's name, not '$(q p.png)'"
d=$(basename "$T")
[ "$(q 'rời.png')" = "$d" ] || fail "../rời.png: dossier '$(q 'rời.png')', want '$d'"
[ "$(q 'chấm.png')" = "unsorted" ] ||
	fail "a bare name goes to 'unsorted', not '$(q 'chấm.png')'"
[ "$(sqlite3 A/sohoa.db "SELECT count(*) FROM files")" = 4 ] || fail "files stored"
[ $fails -eq 0 ] && echo "cli_bug_0014_ingest_walk: ok" || exit 1
