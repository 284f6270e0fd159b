#!/usr/bin/env bash
# Bad inputs (issue 8): a batch of broken, hostile and odd files ingested
# together with good pages.  Each bad file gets exactly one line on stderr
# naming it and the reason, the good pages are stored, the run exits 1
# ("some inputs failed"), 'sohoa status --json' lists every failure and
# PRAGMA integrity_check is ok.  'sohoa extract' on each bad file exits 1
# with one line.  Sizes declared far over SOHOA_MAX_PIXELS are refused
# before anything is allocated (peak RSS stays small).
#
# Unreadable files: tests usually run as root, and root ignores mode bits.
# So when run as root, the ingest and the extract of the unreadable file
# run as 'nobody' (setpriv, from util-linux), on a tree that user owns,
# with one file and one folder owned by root and mode 000.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_badinput.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_badinput: FAIL: $*" >&2; fails=$((fails + 1)); }
need() { command -v "$1" >/dev/null || { echo "cli_badinput: needs '$1' (apt-get install $2)" >&2; exit 1; }; }
need sqlite3 sqlite3
need "$PY" "python3 python3-pil"
[ -x /usr/bin/time ] || { echo "cli_badinput: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
AS=()
if [ "$(id -u)" -eq 0 ]; then
	need setpriv util-linux
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
S=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR}/samples
export OMP_THREAD_LIMIT=1
chmod 755 "$T"
cd "$T"
mkdir -p "in/Hồ sơ 2019"

# --- the inputs -------------------------------------------------------------
: >in/zero.tif
head -c 10000 "$S/death-clean-g4.tif" >in/trunc.tif
head -c 300000 "$S/birth-clean-gray.png" >in/trunc.png
head -c 200000 "$S/birth-clean.jpg" >in/trunc.jpg
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' >in/doc.tif
echo "Danh sách hồ sơ, không phải ảnh" >in/notes.tif
printf 'P5\n1000 1000\n255\nabc' >in/short.pgm
printf 'P5\n100000 100000\n255\nabc' >in/huge.pgm
"$PY" - <<'PYEOF' || { echo "cli_badinput: cannot make the inputs (python3-pil)" >&2; exit 1; }
import io, struct, zlib
from PIL import Image, ImageDraw, ImageFont

font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
def page(t):
    im = Image.new('L', (800, 300), 255)
    d = ImageDraw.Draw(im)
    d.text((40, 60), t, font=font, fill=0)
    d.text((40, 140), "Sổ đăng ký khai sinh số 12", font=font, fill=0)
    return im.convert('1')

def ifd(b, n):
    """Offset of the n-th (0-based) directory of a little-endian TIFF."""
    off = struct.unpack_from('<I', b, 4)[0]
    for _ in range(n):
        cnt = struct.unpack_from('<H', b, off)[0]
        off = struct.unpack_from('<I', b, off + 2 + 12 * cnt)[0]
    return off

def entries(b, off):
    cnt = struct.unpack_from('<H', b, off)[0]
    return {struct.unpack_from('<H', b, off + 2 + 12 * i)[0]: off + 2 + 12 * i
            for i in range(cnt)}

# A 100000 x 100000 bilevel TIFF: nothing but a header and one directory.
W = H = 100000
tags = [(256, 4, 1, W), (257, 4, 1, H), (258, 3, 1, 1), (259, 3, 1, 4),
        (262, 3, 1, 0), (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, H),
        (279, 4, 1, 16)]
d = struct.pack('<H', len(tags))
for t in tags:
    d += struct.pack('<HHII', *t)
open('in/huge.tif', 'wb').write(b'II*\x00' + struct.pack('<I', 24) +
                                b'\x00' * 16 + d + struct.pack('<I', 0))

# The same size in a PNG and a JPEG header (the rest is a 64x64 image).
im = Image.new('L', (64, 64), 255)
b = io.BytesIO(); im.save(b, 'PNG'); p = bytearray(b.getvalue())
struct.pack_into('>II', p, 16, W, H)
struct.pack_into('>I', p, 29, zlib.crc32(bytes(p[12:29])) & 0xffffffff)
open('in/huge.png', 'wb').write(p)
b = io.BytesIO(); im.save(b, 'JPEG'); j = bytearray(b.getvalue())
i = j.index(b'\xff\xc0')
struct.pack_into('>HH', j, i + 5, 65000, 65000)
open('in/huge.jpg', 'wb').write(j)

# Three-page G4 TIFFs: page 2 points its strip past the end of the file,
# or declares 100000 x 100000 pixels.
pages = [page("Trang %d: Nguyễn Văn An" % (i + 1)) for i in range(3)]
def multi(path, how):
    pages[0].save(path, save_all=True, append_images=pages[1:],
                  compression='group4', dpi=(300, 300))
    b = bytearray(open(path, 'rb').read())
    e = entries(b, ifd(b, 1))
    if how == 'offset':
        assert struct.unpack_from('<I', b, e[273] + 4)[0] == 1
        struct.pack_into('<I', b, e[273] + 8, len(b) + 100000)
    else:
        for tag in (256, 257):
            struct.pack_into('<HII', b, e[tag] + 2, 4, 1, 100000)
    open(path, 'wb').write(b)
multi('in/multi.tif', 'offset')
multi('in/multi-huge.tif', 'size')

page("Trang một: Trần Thị Bình").convert('RGB').save(
    'in/Hồ sơ 2019/trang một.jpg', dpi=(300, 300))
page("Trang tốt: Lê Văn Cường").save('in/good.png', dpi=(300, 300))
# made unreadable below
page("Trang khóa: Phạm Văn Dũng").save('in/secret.png', dpi=(300, 300))
import os
os.makedirs('in/locked', exist_ok=True)
page("Trang trong thư mục khóa").save('in/locked/x.png', dpi=(300, 300))
PYEOF

# Unreadable: a file and a folder owned by root, mode 000.  When we are
# root, everything else belongs to nobody and the commands run as nobody.
if [ ${#AS[@]} -gt 0 ]; then
	chown -R 65534:65534 "$T"
	chown 0:0 in/secret.png in/locked
fi
chmod 000 in/secret.png in/locked
if "${AS[@]}" test -r in/secret.png; then
	fail "in/secret.png is readable: the permission case tests nothing"
fi

# file -> words its one line must have
declare -A bad=(
	[in/zero.tif]="empty file"
	[in/trunc.tif]="TIFF"
	[in/trunc.png]="truncated PNG"
	[in/trunc.jpg]="truncated JPEG"
	[in/doc.tif]="broken PDF"
	[in/notes.tif]="not a TIFF, PNG, JPEG, PNM or PDF file"
	[in/short.pgm]="PNM"
	[in/huge.pgm]="over the limit"
	[in/huge.tif]="over the limit"
	[in/huge.png]="over the limit"
	[in/huge.jpg]="over the limit"
	[in/secret.png]="Permission denied"
)

# --- extract: one line, exit 1, no big allocation ---------------------------
for f in "${!bad[@]}" in/multi.tif in/multi-huge.tif; do
	pre=()
	[ "$f" = in/secret.png ] && pre=("${AS[@]}")
	rm -f rss
	"${pre[@]}" /usr/bin/time -f '%M' -o rss "$BIN" extract "$f" \
		>out 2>err
	rc=$?
	[ $rc -eq 1 ] || fail "extract '$f' exited $rc, want 1: $(cat err)"
	[ "$(wc -l <err)" -eq 1 ] || fail "extract '$f': want one line, got: $(cat err)"
	grep -qF "sohoa: cannot read" err && grep -qF "'$f'" err ||
		fail "extract '$f': message does not name the file: $(cat err)"
	case $f in
	in/multi*) want="page 2" ;;
	*) want=${bad[$f]} ;;
	esac
	grep -qF "$want" err || fail "extract '$f': want '$want' in: $(cat err)"
	# 100000x100000 at 1 bit a pixel would be 1.2 GB: refused well before
	case $f in
	*huge*)
		[ "$(tail -1 rss)" -lt 400000 ] ||
			fail "extract '$f': peak RSS $(tail -1 rss) KB: allocated before refusing"
		;;
	esac
done

# --- ingest the whole batch -------------------------------------------------
"${AS[@]}" "$BIN" init --archive A 2>/dev/null || { fail "init"; exit 1; }
rm -f rss
"${AS[@]}" /usr/bin/time -f '%M' -o rss "$BIN" ingest --archive A --jobs 2 \
	--json in >ingest.json 2>ingest.err
rc=$?
[ $rc -eq 1 ] || fail "ingest exited $rc, want 1 (some inputs failed): $(cat ingest.err)"
[ "$(tail -1 rss)" -lt 1000000 ] || fail "ingest peak RSS $(tail -1 rss) KB"
# (a progress line "ingested 'x': ..." is not a failure line; that one
# is also printed for a file none of whose pages could be read is bug 0002,
# tests/cli_badinput_bug_0002_failed_file_document.sh)
for f in "${!bad[@]}"; do
	n=$(grep -F "'$f'" ingest.err | grep -c '^sohoa: cannot read')
	[ "$n" -eq 1 ] || fail "ingest: want one line for '$f', got $n: $(grep -F "'$f'" ingest.err)"
	grep -F "'$f'" ingest.err | grep -qF "${bad[$f]}" ||
		fail "ingest: '$f' without '${bad[$f]}': $(grep -F "'$f'" ingest.err)"
done
n=$(grep -cF "'in/locked'" ingest.err)
[ "$n" -eq 1 ] && grep -F "'in/locked'" ingest.err | grep -qF "Permission denied" ||
	fail "ingest: want one 'Permission denied' line for 'in/locked': $(cat ingest.err)"
for f in in/multi.tif in/multi-huge.tif; do
	n=$(grep -c "cannot read '$f'.*page 2" ingest.err)
	[ "$n" -eq 1 ] || fail "ingest: want one line for page 2 of '$f', got $n: $(cat ingest.err)"
	grep "cannot read '$f'" ingest.err | grep -qv "page 2" &&
		fail "ingest: '$f' has a failure other than page 2: $(cat ingest.err)"
done
grep -q "over the limit" <(grep "'in/multi-huge.tif'" ingest.err) ||
	fail "ingest: page 2 of multi-huge.tif not refused for its size"

"$PY" - ingest.json <<'PYEOF' || fail "ingest --json: $(cat ingest.json)"
import json, sys
d = json.load(open(sys.argv[1]))
paths = {(f['path'], f['page']) for f in d['failures']}
for p in ('in/zero.tif', 'in/trunc.tif', 'in/doc.tif', 'in/huge.tif',
          'in/secret.png'):
    assert (p, None) in paths, (p, paths)
# a PNM whose data is cut short: refused at open or at its one page
assert ('in/short.pgm', None) in paths or ('in/short.pgm', 1) in paths, paths
assert ('in/multi.tif', 2) in paths and ('in/multi-huge.tif', 2) in paths, paths
PYEOF

q() { sqlite3 A/sohoa.db "PRAGMA busy_timeout = 5000; $1" | tail -n +2; }
[ "$(sqlite3 A/sohoa.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
got=$(q "SELECT DISTINCT f.path FROM files f JOIN pages p ON p.file_id = f.id WHERE f.done AND p.status = 'ok' ORDER BY f.path" | tr '\n' ';')
want="in/Hồ sơ 2019/trang một.jpg;in/good.png;in/multi-huge.tif;in/multi.tif;"
[ "$got" = "$want" ] || fail "files stored: '$got', want '$want'"
for f in in/multi.tif in/multi-huge.tif; do
	got=$(q "SELECT group_concat(pageno || status, ',') FROM (SELECT p.pageno, p.status FROM pages p JOIN files f ON f.id = p.file_id WHERE f.path = '$f' ORDER BY p.pageno)")
	[ "$got" = "0ok,1failed,2ok" ] || fail "pages of '$f': $got"
done
[ "$(q "SELECT count(*) FROM files f JOIN dossiers d ON d.id = f.dossier_id WHERE d.code = 'Hồ sơ 2019'")" = 1 ] ||
	fail "no dossier 'Hồ sơ 2019' for 'in/Hồ sơ 2019/trang một.jpg'"
q "SELECT text FROM pages p JOIN files f ON f.id = p.file_id WHERE f.path = 'in/Hồ sơ 2019/trang một.jpg'" |
	grep -q "Trần Thị Bình" || fail "text of 'trang một.jpg' not stored"

# --- status lists every failure ---------------------------------------------
"${AS[@]}" "$BIN" status --archive A --json >status.json 2>status.err ||
	fail "status: $(cat status.err)"
"$PY" - status.json "${!bad[@]}" <<'PYEOF' || fail "status --json: $(cat status.json)"
import json, sys
d = json.load(open(sys.argv[1]))
failed = {(f['path'], f['page']) for f in d['failed']}
for p in sys.argv[2:]:
    assert (p, None) in failed or (p, 1) in failed, (p, failed)
    assert any(f['reason'] for f in d['failed'] if f['path'] == p)
assert ('in/multi.tif', 2) in failed and ('in/multi-huge.tif', 2) in failed, failed
assert ('in/locked', None) in failed, failed
assert d['pending'] == [], d['pending']
PYEOF

# --- a second run: nothing new stored, the same failures, still exit 1 -------
before=$(q "SELECT count(*) FROM pages")
"${AS[@]}" "$BIN" ingest --archive A in >/dev/null 2>again.err
rc=$?
[ $rc -eq 1 ] || fail "second ingest exited $rc, want 1"
[ "$(q "SELECT count(*) FROM pages")" = "$before" ] || fail "second ingest changed the pages"
[ "$(sqlite3 A/sohoa.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the second run"

if [ $fails -gt 0 ]; then
	echo "cli_badinput: $fails failures" >&2
	exit 1
fi
echo "cli_badinput: ok"
