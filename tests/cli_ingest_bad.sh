#!/bin/bash
# Bad inputs in an ingest batch: each gets one clear line naming the file
# (and page) and is recorded for 'sohoa status'; the rest of the batch is
# stored; exit status 1.  Small generated pages keep the OCR short.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_ingest_bad.XXXXXX)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_ingest_bad: FAIL: $*" >&2; fails=$((fails + 1)); }
cd "$T"
D="in/Hồ sơ 2019 số 42"
mkdir -p "$D"
"$PY" - "$D" <<'PYEOF' || { echo "cli_ingest_bad: needs python3-pil" >&2; exit 1; }
import struct, sys
from PIL import Image, ImageDraw, ImageFont
d = sys.argv[1]
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
def page(i):
    im = Image.new('L', (800, 300), 255)
    ImageDraw.Draw(im).text((40, 60), "Trang %d: Nguyễn Văn An" % (i + 1), font=font, fill=0)
    return im.convert('1')
page(0).save(d + '/trang một.png', dpi=(300, 300))
# a 3-page G4 TIFF whose page 2 points past the end of the file
out = d + '/ba trang.tif'
p = [page(i) for i in range(3)]
p[0].save(out, save_all=True, append_images=p[1:], compression='group4', dpi=(300, 300))
b = bytearray(open(out, 'rb').read())
off = struct.unpack_from('<I', b, 4)[0]
for n in range(3):
    cnt = struct.unpack_from('<H', b, off)[0]
    for e in range(cnt):
        q = off + 2 + 12 * e
        tag, typ, c = struct.unpack_from('<HHI', b, q)
        if n == 1 and tag == 273:
            if c == 1:
                struct.pack_into('<I', b, q + 8, 0x7ffffff0)
            else:
                arr = struct.unpack_from('<I', b, q + 8)[0]
                for k in range(c):
                    struct.pack_into('<I', b, arr + 4 * k, 0x7ffffff0)
    off = struct.unpack_from('<I', b, off + 2 + 12 * cnt)[0]
open(out, 'wb').write(b)
# truncated PNG
png = open(d + '/trang một.png', 'rb').read()
open(d + '/cụt.png', 'wb').write(png[:len(png) // 2])
PYEOF
: > "$D/rỗng.tif"				# zero bytes
printf '%%PDF-1.4\n%%...\n' > "$D/giả.tif"	# a PDF named .tif

"$BIN" init --archive A 2>/dev/null || { fail init; exit 1; }
"$BIN" ingest --archive A --jobs 2 --json in /nonexistent/x.tif >sum.json 2>err
rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, want 1"
cat err >&2
n=$(grep -c "^sohoa: cannot read '" err)
[ "$n" -eq 5 ] || fail "want 5 failure lines, got $n"
grep -q "^sohoa: cannot read '$D/ba trang.tif' page 2: " err || fail "no line for page 2 of the corrupt TIFF"
for f in "rỗng.tif" "giả.tif" "cụt.png"; do
	[ "$(grep -c "'$D/$f'" err)" -eq 1 ] || fail "want one line for $f"
done
grep -q "^sohoa: cannot read '/nonexistent/x.tif': No such file or directory$" err || fail "missing path line"
j() { "$PY" -c "import json,sys; d=json.load(open('sum.json')); print(eval(sys.argv[1]))" "$1"; }
[ "$(j 'd["pages"]')" = 4 ] || fail "pages: $(cat sum.json)"
[ "$(j 'd["failed"]')" = 5 ] || fail "failed: $(cat sum.json)"
[ "$(j 'len(d["failures"])')" = 5 ] || fail "failures: $(cat sum.json)"
# the good pages are stored, in the dossier named after the Vietnamese folder
"$BIN" status --archive A --json >st.json 2>/dev/null || fail "status"
"$PY" - <<'PYEOF' || fail "status: $(cat st.json)"
import json
d = json.load(open('st.json'))
c = d['counts']
assert c['pages'] == 4 and c['pages_ok'] == 3 and c['pages_failed'] == 1, c
assert len(d['failed']) == 5, d['failed']
PYEOF
command -v sqlite3 >/dev/null && {
	[ "$(sqlite3 A/sohoa.db "SELECT code FROM dossiers")" = "Hồ sơ 2019 số 42" ] || fail "dossier name"
	[ "$(sqlite3 A/sohoa.db "SELECT group_concat(n) FROM (SELECT pageno + 1 AS n FROM pages p JOIN files f ON f.id = p.file_id WHERE f.name = 'ba trang.tif' AND status = 'ok' ORDER BY pageno)")" = "1,3" ] ||
		fail "pages 1 and 3 of the corrupt TIFF"
}
[ $fails -eq 0 ] && echo "cli_ingest_bad: ok" || exit 1
