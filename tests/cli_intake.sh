#!/bin/bash
# Intake as a scanner room works (issue 16), end to end with the built
# sohoa:
#  1. scanner-like PDFs (img2pdf: G4 and JPEG pages of two sizes and
#     resolutions in one PDF) give the same text and fields as ingesting
#     the images;
#  2. hostile PDFs (encrypted, cut short, a page-count bomb) fail with one
#     line each and the batch goes on;
#  3. a stack with separator sheets, a page with a QR code and a document
#     scanned over two files, in scanner order (scan10 after scan3), with
#     a note that is no scan: the right dossiers and documents;
#  4. folder mode: a dossier sheet holds to the end of its file only, a
#     split sheet parts two pages that would make one document;
#  5. --pdf-text keep reads a PDF's own text layer (no OCR), same fields;
#  6. sohoa sheet's usage errors.
# Needs img2pdf, qpdf and qrencode (scripts/deps.sh --test).
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_intake.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_intake: FAIL: $*" >&2; fails=$((fails + 1)); }
j() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$1" "$2"; }
for t in img2pdf qpdf qrencode sqlite3; do
	command -v $t >/dev/null || { echo "cli_intake: needs $t (bash scripts/deps.sh --test)" >&2; exit 1; }
done
cd "$T"
q() { sqlite3 "$1/sohoa.db" "$2"; }

# ---- 1. the same pages as PDF and as images ----------------------------
mkdir -p img/HS-P pdf/HS-P
cp "$SRC/samples/death-clean-g4.tif" img/HS-P/01.tif
cp "$SRC/samples/decision-mild-200dpi.jpg" img/HS-P/02.jpg
img2pdf img/HS-P/01.tif img/HS-P/02.jpg -o pdf/HS-P/stack.pdf >/dev/null 2>&1 ||
	fail "img2pdf"
"$BIN" init --archive I 2>/dev/null && "$BIN" init --archive P 2>/dev/null || fail init
"$BIN" ingest --archive I -j 2 img >/dev/null 2>err || fail "ingest images: $(cat err)"
"$BIN" ingest --archive P -j 2 --json pdf >p.json 2>err || fail "ingest PDF: $(cat err)"
[ "$(j 'd["pages"], d["documents"], d["failed"]' p.json)" = "(2, 2, 0)" ] ||
	fail "PDF ingest: $(cat p.json)"
[ "$(q P "SELECT format FROM files")" = pdf ] || fail "format: $(q P 'SELECT format FROM files')"
for n in 1 2; do
	"$BIN" show --archive I --json $n >i$n.json 2>/dev/null
	"$BIN" show --archive P --json $n >p$n.json 2>/dev/null
	for k in 'd["doc_type"]' 'd["text"]' '{k: v["value"] for k, v in d["fields"].items()}' \
	    '[(p["dpi"], p["width"], p["height"]) for p in d["pages"]]'; do
		[ "$(j "$k" i$n.json)" = "$(j "$k" p$n.json)" ] ||
			fail "document $n: $k differs: $(j "$k" i$n.json | head -c 200) / $(j "$k" p$n.json | head -c 200)"
	done
done
[ "$(j 'd["pages"][0]["dpi"]' p2.json)" = 200 ] || fail "200 dpi page: $(j 'd["pages"][0]["dpi"]' p2.json)"

# ---- 2. hostile PDFs in a batch with a good page -------------------------
mkdir -p hostile/HS-H
"$PY" - <<'EOF'
from PIL import Image, ImageDraw, ImageFont
f = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 60)
for name, text in (('hostile/HS-H/good.png', 'Danh sách hộ tịch năm 2024'),
                   ('small.png', 'QUYẾT ĐỊNH')):
    im = Image.new('L', (1400, 300), 255)
    ImageDraw.Draw(im).text((60, 110), text, font=f, fill=0)
    im.save(name, dpi=(300, 300))
# a page tree naming one page 200000 times
kids = b'3 0 R ' * 200000
objs = [b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Count 200000 /Kids [' + kids + b'] >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>']
out = b'%PDF-1.4\n'
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
x = len(out)
out += b'xref\n0 4\n0000000000 65535 f \n' + b''.join(b'%010d 00000 n \n' % o for o in offs)
out += b'trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % x
open('hostile/HS-H/pages.pdf', 'wb').write(out)
EOF
qpdf --encrypt secret secret 256 -- pdf/HS-P/stack.pdf hostile/HS-H/locked.pdf || fail "qpdf --encrypt"
head -c 30000 pdf/HS-P/stack.pdf >hostile/HS-H/cut.pdf
start=$(date +%s)
"$BIN" init --archive H 2>/dev/null
"$BIN" ingest --archive H -j 1 --json hostile >h.json 2>err
rc=$?
[ $rc -eq 1 ] || fail "hostile batch: exit $rc, want 1"
[ $(( $(date +%s) - start )) -lt 120 ] || fail "hostile batch took $(( $(date +%s) - start )) s"
for f in locked.pdf:"encrypted with a password" cut.pdf:"broken PDF" pages.pdf:"more than 100000 pages"; do
	[ "$(grep -c "^sohoa: cannot read 'hostile/HS-H/${f%%:*}': .*${f#*:}" err)" -eq 1 ] ||
		fail "want one line for ${f%%:*} saying '${f#*:}': $(cat err)"
done
[ "$(grep -c . err)" -eq 3 ] || fail "hostile batch: want 3 lines: $(cat err)"
[ "$(j 'd["files"], d["failed"]' h.json)" = "(1, 3)" ] || fail "hostile batch: $(cat h.json)"
[ "$(q H "SELECT name FROM files WHERE done")" = good.png ] || fail "the good page is not stored"

# ---- 3. a stack with sheets, a QR code, a document over two files -------
mkdir -p stack
qrencode -s 7 -m 4 -o qr.png "https://hotich.moj.gov.vn/tracuu?ma=TL-2024-000123456" ||
	fail qrencode
"$PY" - "$SRC/samples/birth-clean.jpg" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1])
w, h = im.size
cut = int(h * 0.45)
top, bottom = im.crop((0, 0, w, cut)), im.crop((0, cut, w, h))
qr = Image.open('qr.png').convert('RGB')
bottom.paste(qr, (w - qr.size[0] - 150, bottom.size[1] - qr.size[1] - 150))
top.save('top.jpg', dpi=(300, 300), quality=92)
bottom.save('bottom.jpg', dpi=(300, 300), quality=92)
EOF
"$BIN" sheet -q --dossier HS-A -o stack/scan1.pdf || fail "sheet HS-A"
cp top.jpg stack/scan2.jpg
cp bottom.jpg stack/scan3.jpg
"$BIN" sheet -q --dossier HS-B -o sheet-b.pdf || fail "sheet HS-B"
qpdf --empty --pages sheet-b.pdf pdf/HS-P/stack.pdf 1 -- stack/scan10.pdf || fail "qpdf --pages"
printf 'Ghi chú: hộp số 3\n' >stack/notes.txt
"$BIN" init --archive S 2>/dev/null
"$BIN" ingest --archive S -j 2 --dossier-from sheet --json stack >s.json 2>err ||
	fail "stack ingest: $(cat err)"
[ "$(j 'd["documents"], d["separators"], d["continued"], d["blank"]' s.json)" = "(2, 2, 1, 2)" ] ||
	fail "stack: $(cat s.json)"
[ "$(j '[(x["path"], x["reason"]) for x in d["not_scans"]]' s.json)" = \
    "[('stack/notes.txt', 'a text file')]" ] || fail "not scans: $(cat s.json)"
got=$(q S "SELECT group_concat(x, ' | ') FROM (SELECT s.code || ':' || d.doc_type || ':' ||
	(SELECT group_concat(f.name || '#' || (p.pageno + 1)) FROM pages p JOIN files f ON f.id = p.file_id
	 WHERE p.document_id = d.id ORDER BY p.seq) AS x
	FROM documents d JOIN dossiers s ON s.id = d.dossier_id WHERE d.deleted_at IS NULL ORDER BY d.id)")
[ "$got" = "HS-A:birth:scan2.jpg#1,scan3.jpg#1 | HS-B:death:scan10.pdf#2" ] ||
	fail "stack documents: $got"
[ "$(q S "SELECT value FROM fields f JOIN documents d ON d.id = f.document_id
	JOIN dossiers s ON s.id = d.dossier_id WHERE s.code = 'HS-A' AND key = 'qr_code' AND d.deleted_at IS NULL")" = \
    "https://hotich.moj.gov.vn/tracuu?ma=TL-2024-000123456" ] || fail "qr_code field"
# fields read over both halves: the mother's name is on the second file
[ -n "$(q S "SELECT value FROM fields WHERE key = 'mother_name' AND document_id = 1")" ] ||
	fail "no mother_name on the document over two files"
[ "$(q S "SELECT count(*) FROM pages WHERE status = 'blank' AND document_id IS NULL AND text LIKE 'SOHOA:DOSSIER=%'")" = 2 ] ||
	fail "sheets are not pages of no document"
# the merge of the second file is in the document's history, by its actor
"$BIN" history --archive S 1 >hist 2>&1
grep -q "doc_merge" hist || fail "no merge in the history: $(cat hist)"

# ---- 4. folder mode: sheets hold within their file -------------------------
mkdir -p split
"$BIN" sheet -q --split -o split-sheet.pdf || fail "sheet --split"
img2pdf top.jpg -o top.pdf >/dev/null 2>&1 && img2pdf bottom.jpg -o bottom.pdf >/dev/null 2>&1 ||
	fail img2pdf
qpdf --empty --pages sheet-b.pdf top.pdf split-sheet.pdf bottom.pdf -- split/a.pdf || fail "qpdf a.pdf"
cp small.png split/b.png
"$BIN" init --archive F 2>/dev/null
"$BIN" ingest --archive F -j 2 --json split >f.json 2>err || fail "split ingest: $(cat err)"
got=$(q F "SELECT group_concat(x, ' | ') FROM (SELECT s.code || ':' || d.npages AS x
	FROM documents d JOIN dossiers s ON s.id = d.dossier_id WHERE d.deleted_at IS NULL ORDER BY d.id)")
[ "$got" = "HS-B:1 | HS-B:1 | split:1" ] || fail "folder mode: $got ($(cat f.json))"

# ---- 5. a PDF's own text kept -----------------------------------------------
mkdir -p keep
"$BIN" pdf --archive P 1 -o keep/doc.pdf >/dev/null 2>&1 || fail "sohoa pdf"
"$BIN" init --archive K 2>/dev/null
"$BIN" ingest --archive K --pdf-text keep --json keep >k.json 2>err || fail "keep: $(cat err)"
"$BIN" show --archive K --json 1 >k1.json 2>/dev/null
[ "$(j '{k: v["value"] for k, v in d["fields"].items()}' k1.json)" = \
  "$(j '{k: v["value"] for k, v in d["fields"].items()}' p1.json)" ] ||
	fail "kept text: other fields: $(head -c 400 k1.json)"
# the text layer's words count as 90 (no OCR ran)
[ "$(j '[p["confidence"] for p in d["pages"]]' k1.json)" = "[90]" ] ||
	fail "kept text: confidence $(j '[p["confidence"] for p in d["pages"]]' k1.json)"
"$BIN" ingest --archive K --pdf-text maybe keep >/dev/null 2>err
[ $? -eq 2 ] && grep -q "takes ocr or keep" err || fail "--pdf-text maybe: $(cat err)"

# ---- 6. sohoa sheet ----------------------------------------------------------
"$BIN" sheet -o x.pdf >/dev/null 2>err; [ $? -eq 2 ] || fail "sheet without a kind"
"$BIN" sheet --split >/dev/null 2>err; [ $? -eq 2 ] || fail "sheet without -o"
"$BIN" sheet --split -o sheet-b.pdf >/dev/null 2>err
[ $? -eq 1 ] && grep -q "exists already" err || fail "sheet over a file: $(cat err)"
"$BIN" sheet --dossier "" -o y.pdf >/dev/null 2>err; [ $? -eq 2 ] || fail "sheet --dossier ''"

[ $fails -eq 0 ] && echo "cli_intake: ok" || exit 1
