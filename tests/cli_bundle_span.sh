#!/bin/bash
# A document that goes on over files (a scanner that makes one file a
# page: the files after the first open no document, so they continue it)
# leaves in a bundle whole and comes back whole: every page with its own
# original, in its place, in both bundle formats; the import into a new
# archive holds the same pages, fields and text; a second import changes
# nothing; 'sohoa show' says where the pages come from.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_bundle_span.XXXXXX")
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_bundle_span: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_bundle_span: needs sqlite3" >&2; exit 1; }
cd "$T"

# a birth record's first page with its title, then two pages of its
# own, each scanned to a file of its own
"$PY" - <<'PYEOF' || { echo "cli_bundle_span: needs python3-pil" >&2; exit 1; }
import os
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 30)
def page(lines):
    im = Image.new('L', (1240, 700), 255)
    d = ImageDraw.Draw(im)
    for i, t in enumerate(lines):
        d.text((60, 60 + 70 * i), t, font=font, fill=0)
    return im.convert('1')
os.makedirs('in/HS-S', exist_ok=True)
page(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
      'TRÍCH LỤC KHAI SINH', 'Họ, chữ đệm, tên: Trần Thị Mai',
      'Ngày, tháng, năm sinh: 12/03/2019']).save('in/HS-S/scan1.png', dpi=(300, 300))
page(['Nơi sinh: Trạm y tế xã Tân Lập', 'Dân tộc: Kinh',
      'Quốc tịch: Việt Nam']).save('in/HS-S/scan2.png', dpi=(300, 300))
page(['Họ, chữ đệm, tên người mẹ: Lê Thị Hoa',
      'Họ, chữ đệm, tên người cha: Trần Văn Nam']).save('in/HS-S/scan3.png', dpi=(300, 300))
PYEOF

"$BIN" init -q --archive A && "$BIN" init -q --archive B || { fail init; exit 1; }
"$BIN" ingest -q --archive A in 2>ing.err || fail "ingest: $(cat ing.err)"
"$BIN" keygen -o K >/dev/null 2>&1 || { fail keygen; exit 1; }
"$BIN" trust add --archive B K/cert.pem >/dev/null 2>&1 || fail "trust add"
"$BIN" dossier set --archive A HS-S paper_file_code=H01.1.1 >/dev/null 2>&1 ||
	fail "dossier set"

live="SELECT count(*) FROM documents WHERE deleted_at IS NULL"
[ "$(sqlite3 A/sohoa.db "$live")" = 1 ] ||
	{ fail "the three files should make one document: $(sqlite3 A/sohoa.db "$live")"; exit 1; }
[ "$(sqlite3 A/sohoa.db "SELECT count(DISTINCT file_id) FROM pages WHERE document_id = (SELECT id FROM documents WHERE deleted_at IS NULL)")" = 3 ] ||
	fail "the document's pages are not from three files"
"$BIN" show --archive A 1 >show.out 2>&1 || fail "show: $(cat show.out)"
grep -q "page 1 and 2 pages of the files after it" show.out ||
	fail "show does not say where the pages come from: $(grep '^file:' show.out)"

# the pages of the live documents: file, page of the file, place, text
pages="SELECT f.sha256, p.pageno, p.seq, p.text, p.image_sha256,
	p.words_sha256 FROM pages p JOIN files f ON f.id = p.file_id
	JOIN documents d ON d.id = p.document_id WHERE d.deleted_at IS NULL
	ORDER BY d.ordinal, p.seq"
fields="SELECT d.ordinal, l.key, l.value FROM fields l JOIN documents d
	ON d.id = l.document_id WHERE d.deleted_at IS NULL ORDER BY 1, 2"
for fmt in eark bagit; do
	rm -rf B && "$BIN" init -q --archive B &&
	"$BIN" trust add --archive B K/cert.pem >/dev/null 2>&1
	"$BIN" export --archive A --dossier HS-S --format $fmt --key K/key.pem \
		--cert K/cert.pem -o "hs.$fmt" >/dev/null 2>ex.err ||
		{ fail "$fmt: export: $(cat ex.err)"; continue; }
	"$BIN" verify "hs.$fmt" >/dev/null 2>v.err || fail "$fmt: verify: $(cat v.err)"
	"$BIN" import --archive B "hs.$fmt" >/dev/null 2>im.err ||
		fail "$fmt: import: $(cat im.err)"
	for q in "$pages" "$fields" "$live" "SELECT sha256 FROM files ORDER BY 1"; do
		[ "$(sqlite3 A/sohoa.db "$q" | md5sum)" = "$(sqlite3 B/sohoa.db "$q" | md5sum)" ] ||
			fail "$fmt: the imported archive differs: $q"
	done
	"$BIN" check --archive B >/dev/null 2>ck.err || fail "$fmt: check: $(cat ck.err)"
	sqlite3 B/sohoa.db .dump >d1
	"$BIN" import --archive B "hs.$fmt" >/dev/null 2>im2.err ||
		fail "$fmt: second import: $(cat im2.err)"
	sqlite3 B/sohoa.db .dump | grep -v "INSERT INTO events" >d2
	grep -v "INSERT INTO events" d1 | cmp -s - d2 || fail "$fmt: a second import changed the records"
	"$BIN" search --archive B "le thi hoa" | grep -q "Trần Thị Mai\|HS-S" ||
		fail "$fmt: the last file's text is not found in the imported archive"
done

[ $fails -eq 0 ] && echo "cli_bundle_span: ok" || exit 1
