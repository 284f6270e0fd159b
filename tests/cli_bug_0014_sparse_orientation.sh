#!/bin/bash
# Bug 0014 (issue 14, item 5): an upright page with little text on it (a
# short letter, a half-empty form, a signature block at the foot of the
# page) was stored turned 90 degrees: Leptonica had too few letters to
# count, OSD answered with no confidence, and Tesseract read a sideways
# line of text as vertical text at full confidence, so the middle band
# of the page turned sideways won.  The PDF/A came out sideways with a
# garbled text layer, and nothing was flagged.
#
# Each sparse page, in a few layouts and kinds of scan (clean 200 dpi
# PNG, grey 200 dpi JPEG with noise, bilevel 150 dpi G4 TIFF), must stay
# upright; the same pages scanned at 90, 180 and 270 degrees must still
# be turned upright (the pages table keeps the clockwise turn applied).
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_bug_0014_orient.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_bug_0014_sparse_orientation: FAIL: $*" >&2; fails=$((fails + 1)); }
cd "$T"
"$PY" - <<'PYEOF' || { echo "cli_bug_0014_sparse_orientation: needs python3-pil" >&2; exit 1; }
import random
from PIL import Image, ImageDraw, ImageFont, ImageFilter
SERIF = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf'
SANS = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
# (x, y, text, point size) on an A4 page, positions in mm
LAYOUTS = {
    'letter': [(20, 25, 'UBND XÃ TÂN LẬP', 12), (110, 25, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 11),
               (20, 60, 'Kính gửi: Ông Nguyễn Văn An', 12),
               (20, 70, 'Đề nghị ông đến UBND xã để nhận giấy khai sinh.', 12),
               (130, 100, 'Chủ tịch', 12), (125, 125, 'Trần Văn Bình', 12)],
    'form': [(20, 20, 'TỜ KHAI ĐĂNG KÝ KHAI SINH', 14),
             (20, 38, 'Họ, chữ đệm, tên: ......................................', 11),
             (20, 47, 'Ngày, tháng, năm sinh: ..................................', 11),
             (20, 56, 'Nơi sinh: ..................................................', 11),
             (20, 65, 'Dân tộc: ...................... Quốc tịch: ..................', 11)],
    'foot': [(120, 245, 'Người khai', 12), (115, 268, 'Nguyễn Văn An', 12)],
}
KINDS = [('png', 200), ('jpg', 200), ('tif', 150)]
rnd = random.Random(14)
for name, lines in LAYOUTS.items():
    for ext, dpi in KINDS:
        px = lambda mm: int(mm * dpi / 25.4)
        im = Image.new('L', (px(210), px(297)), 255)
        d = ImageDraw.Draw(im)
        for x, y, text, pt in lines:
            f = ImageFont.truetype(SERIF if pt < 14 else SANS, int(pt * dpi / 72))
            d.text((px(x), px(y)), text, font=f, fill=0)
        if ext == 'jpg':
            im = im.filter(ImageFilter.GaussianBlur(0.6))
            noise = Image.effect_noise(im.size, 18)
            im = Image.blend(im, noise, 0.12)
        for deg in (0, 90, 180, 270):
            # PIL turns counter-clockwise: sohoa must turn it back by DEG
            r = im.rotate(deg, expand=True)
            out = '%s-%s-%d.%s' % (name, ext, deg, ext)
            if ext == 'tif':
                r.convert('1').save(out, compression='group4', dpi=(dpi, dpi))
            elif ext == 'jpg':
                r.save(out, quality=75, dpi=(dpi, dpi))
            else:
                r.save(out, dpi=(dpi, dpi))
PYEOF
# one ingest reads them all (one engine per worker, loaded once)
command -v sqlite3 >/dev/null || { echo "cli_bug_0014_sparse_orientation: needs sqlite3" >&2; exit 1; }
mkdir in
mv ./*-*-*.* in/
"$BIN" init --archive A >/dev/null 2>&1 || { fail init; exit 1; }
"$BIN" ingest --archive A --jobs 2 in >/dev/null 2>err || { cat err >&2; fail "ingest"; }
n=0
while IFS='|' read -r name got; do
	want=${name##*-}
	want=${want%%.*}
	n=$((n + 1))
	[ "$got" = "$want" ] || fail "$name: turned $got, want $want"
done < <(sqlite3 A/sohoa.db "SELECT f.name, p.orientation FROM pages p
	JOIN files f ON f.id = p.file_id ORDER BY f.name")
[ $n -eq 36 ] || fail "$n pages stored, want 36"
echo "cli_bug_0014_sparse_orientation: $n pages checked"
[ $fails -eq 0 ] && echo "cli_bug_0014_sparse_orientation: ok" || exit 1
