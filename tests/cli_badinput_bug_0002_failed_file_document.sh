#!/usr/bin/env bash
# Bug 0002 (found by tests/cli_badinput.sh, issue 8; fixed in ingest): a
# file that opens but none of whose pages can be decoded was stored as a
# document of type 'other' made of nothing but its failed page, and the
# ingest printed "sohoa: ingested 'x': 1 page, 1 document" after the
# failure line.  That document had no text and no PDF, so 'sohoa export'
# of its dossier failed ("document 1 of dossier ... has no PDF").
# Inputs: a PNM declaring 1000x1000 with 3 bytes of data (the original
# case; now refused at open) and a one-page G4 TIFF whose strip points
# past the end of the file (fails at its page).  Expected: one failure
# line per file, no document made of failed pages only, the good page
# beside them stored as usual.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_bug_0002.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_badinput_bug_0002: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_badinput_bug_0002: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
export OMP_THREAD_LIMIT=1
cd "$T"
mkdir -p in
printf 'P5\n1000 1000\n255\nabc' >in/short.pgm
"$PY" - <<'PYEOF' || { echo "cli_badinput_bug_0002: needs python3-pil" >&2; exit 1; }
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
im = Image.new('L', (800, 300), 255)
ImageDraw.Draw(im).text((40, 60), "Trang tốt: Lê Văn Cường", font=font, fill=0)
im.convert('1').save('in/good.png', dpi=(300, 300))
import struct
im.convert('1').save('in/cut.tif', compression='group4', dpi=(300, 300))
b = bytearray(open('in/cut.tif', 'rb').read())
off = struct.unpack_from('<I', b, 4)[0]
for i in range(struct.unpack_from('<H', b, off)[0]):
    e = off + 2 + 12 * i
    if struct.unpack_from('<H', b, e)[0] == 273:
        struct.pack_into('<I', b, e + 8, len(b) + 100000)
open('in/cut.tif', 'wb').write(b)
PYEOF
"$BIN" init --archive A 2>/dev/null || { echo "cli_badinput_bug_0002: init failed" >&2; exit 1; }
"$BIN" ingest --archive A in >out 2>err
rc=$?
[ $rc -eq 1 ] || fail "ingest exited $rc, want 1: $(cat err)"
for f in in/short.pgm in/cut.tif; do
	n=$(grep "'$f'" err | grep -c "^sohoa: cannot read")
	[ "$n" -eq 1 ] || fail "want one failure line for '$f', got $n: $(grep "'$f'" err)"
	grep "'$f'" err | grep -q "[1-9][0-9]* documents\?$" &&
		fail "'$f' reported with documents: $(grep "'$f'" err)"
	docs=$(sqlite3 A/sohoa.db "SELECT count(*) FROM documents d JOIN files f ON f.id = d.file_id WHERE f.path = '$f'")
	[ "$docs" = 0 ] || fail "'$f' has no readable page but made $docs document(s)"
done
empty=$(sqlite3 A/sohoa.db "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = d.id AND p.status <> 'failed')")
[ "$empty" = 0 ] || fail "$empty document(s) made of failed pages only"
[ "$(sqlite3 A/sohoa.db "SELECT count(*) FROM pages p JOIN files f ON f.id = p.file_id WHERE f.path = 'in/good.png' AND p.status = 'ok'")" = 1 ] ||
	fail "the good page was not stored"
[ "$(sqlite3 A/sohoa.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
if [ $fails -gt 0 ]; then
	echo "cli_badinput_bug_0002: $fails failures" >&2
	exit 1
fi
echo "cli_badinput_bug_0002: ok"
