# Sourced by tests/cli_merge.sh and tests/cli_cluster.sh (issue 17): a
# small backlog to shard, the shard rule computed independently, and the
# comparison of a merged archive with a single-machine ingest.
# Needs: BIN (the sohoa command), PY (python3 with PIL), fail().

# make_backlog DIR NSHARDS: two dossier folders of small pages (fast to
# OCR), a 5-page TIFF, an unreadable file, and a copy of a scan in the
# other folder, which falls in another shard than the
# original (a copy across shards: the merge must skip it as ingest does).
make_backlog() {
	"$PY" - "$1" "$2" <<'PYEOF'
import hashlib, os, shutil, sys
from PIL import Image, ImageDraw, ImageFont
root, n = sys.argv[1], int(sys.argv[2])
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
def page(text, i):
    im = Image.new('L', (800, 300), 255)
    d = ImageDraw.Draw(im)
    d.text((40, 60), "%s: Nguyễn Văn An" % text, font=font, fill=0)
    d.text((40, 140), "Sổ đăng ký khai sinh số %d" % (100 + i), font=font, fill=0)
    return im.convert('1')
def shard(key):
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], 'big') % n
for dz, count in (('HS-A', 2), ('HS-B', 2)):
    os.makedirs(os.path.join(root, dz), exist_ok=True)
    for k in range(count):
        page('%s trang %d' % (dz, k + 1), k).save(
            os.path.join(root, dz, 'p%d.png' % k), dpi=(300, 300))
pages = [page('Quyển %d' % (i + 1), 50 + i) for i in range(5)]
pages[0].save(os.path.join(root, 'HS-A', 'so.tif'), save_all=True,
              append_images=pages[1:], compression='group4', dpi=(300, 300))
with open(os.path.join(root, 'HS-B', 'hong.tif'), 'w') as f:
    f.write('not an image\n')
# a copy of HS-A/p0.png in HS-B, in another shard than the original
for i in range(100):
    name = 'ban-sao-%d.png' % i
    if n == 1 or shard('HS-B') != shard('HS-A'):
        shutil.copy(os.path.join(root, 'HS-A', 'p0.png'),
                    os.path.join(root, 'HS-B', name))
        break
PYEOF
}

# shard_of REL N: the shard rule of 'sohoa ingest --shard', computed here:
# the folder of REL (the path below the backlog) decides
shard_of() {
	"$PY" -c 'import hashlib, sys
key = sys.argv[1].rpartition("/")[0]
print(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % int(sys.argv[2]))' "$1" "$2"
}

# check_shard_files SHARD_ARCHIVE K N ROOT: every file the shard stored
# (or failed to read) is one the rule gives it, relative to ROOT
check_shard_files() {
	local p rel k
	for p in $(sqlite3 "$1/sohoa.db" "SELECT path FROM files UNION SELECT path FROM failures"); do
		rel=${p#"$4"/}
		k=$(shard_of "$rel" "$3")
		[ "$k" = "$2" ] || fail "'$p' is in shard $2 but the rule gives $k"
	done
}

# PDFs carry the time they were made: compare them without it
pdf_norm_sum() {
	"$PY" - "$1" <<'PYEOF'
import hashlib, re, sys
b = open(sys.argv[1], 'rb').read()
b = re.sub(rb'\(D:\d{14}Z?[^)]*\)', b'(D)', b)
b = re.sub(rb'<xmp:(\w+)Date>[^<]*</xmp:\w+Date>', rb'<xmp:\1Date/>', b)
b = re.sub(rb'/ID \[<[0-9a-f]+> <[0-9a-f]+>\]', b'/ID []', b)
print(hashlib.sha256(b).hexdigest())
PYEOF
}

# same_archive A B WHAT: the records, the search results and the PDFs of
# archive A are those of archive B, ids and numbers included (whether a
# document is deleted, not when: the continuations documents that span
# files leave behind are tombstones made at ingest time)
same_archive() {
	local a=$1 b=$2 what=$3 sql q id pa pb
	for sql in \
	    "SELECT id, code FROM dossiers ORDER BY id" \
	    "SELECT f.id, f.sha256, d.code, f.path, f.name, f.format, f.size, f.npages, f.done FROM files f LEFT JOIN dossiers d ON d.id = f.dossier_id ORDER BY f.id" \
	    "SELECT d.id, ds.code, f.sha256, d.first_page, d.npages, d.ordinal, d.doc_type, d.title, d.doc_date, d.confidence, d.deleted_at IS NULL, d.pdf_sha256 IS NULL FROM documents d JOIN dossiers ds ON ds.id = d.dossier_id JOIN files f ON f.id = d.file_id ORDER BY d.id" \
	    "SELECT f.sha256, p.pageno, p.document_id, p.seq, p.status, p.orientation, p.skew, p.confidence, p.width, p.height, p.dpi, p.image_sha256, p.image_type, p.hocr_sha256, p.words_sha256, p.text, p.error, p.rescan_sha256 FROM pages p JOIN files f ON f.id = p.file_id ORDER BY 1, 2" \
	    "SELECT document_id, key, value, raw, conf, flagged, corrected, changed_at, changed_by FROM fields ORDER BY 1, 2" \
	    "SELECT path, pageno, reason FROM failures ORDER BY 1, 2"; do
		if [ "$(sqlite3 "$a/sohoa.db" "$sql" | md5sum)" != \
		    "$(sqlite3 "$b/sohoa.db" "$sql" | md5sum)" ]; then
			fail "$what: differs from one ingest: $sql"
			diff <(sqlite3 "$b/sohoa.db" "$sql") <(sqlite3 "$a/sohoa.db" "$sql") | head -6 >&2
		fi
	done
	[ "$(sqlite3 "$b/sohoa.db" 'SELECT count(*) FROM documents')" -gt 0 ] || fail "$what: no documents"
	for q in "nguyen van an" "khai sinh" "quyen 3" "HS-B trang"; do
		[ "$("$BIN" search --archive "$a" --json -n 50 "$q")" = \
		    "$("$BIN" search --archive "$b" --json -n 50 "$q")" ] ||
			fail "$what: search '$q' differs from one ingest"
	done
	for id in $(sqlite3 "$b/sohoa.db" "SELECT id FROM documents WHERE deleted_at IS NULL ORDER BY id"); do
		pa=$(sqlite3 "$a/sohoa.db" "SELECT pdf_sha256 FROM documents WHERE id = $id")
		pb=$(sqlite3 "$b/sohoa.db" "SELECT pdf_sha256 FROM documents WHERE id = $id")
		[ -n "$pa" ] && [ -f "$a/store/${pa:0:2}/$pa" ] || { fail "$what: document $id has no PDF"; continue; }
		[ "$(pdf_norm_sum "$a/store/${pa:0:2}/$pa")" = "$(pdf_norm_sum "$b/store/${pb:0:2}/$pb")" ] ||
			fail "$what: the PDF of document $id differs (beyond the time it was made)"
	done
	"$BIN" check --archive "$a" >/dev/null 2>"$T/check.err" || fail "$what: sohoa check: $(cat "$T/check.err")"
}

# make_span_backlog DIR NSHARDS: documents that go on over files, with
# copies among them.  HS-C holds originals; the folder after it, in
# another shard, is one page a file: a record (P01), a copy of a page
# that opens no document (P02: it went on that record in its shard, one
# ingest skips it), a record (P03), a copy of a title page (P04: it
# opened its own document in its shard) and two pages that go on, in one
# ingest, on the record of P03 (P05, P06).
make_span_backlog() {
	"$PY" - "$1" "$2" <<'PYEOF'
import hashlib, os, shutil, sys
from PIL import Image, ImageDraw, ImageFont
root, n = sys.argv[1], int(sys.argv[2])
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 30)
motto = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
         'TRÍCH LỤC KHAI SINH']
def page(lines, path):
    im = Image.new('L', (1240, 520), 255)
    d = ImageDraw.Draw(im)
    for i, t in enumerate(lines):
        d.text((60, 50 + 66 * i), t, font=font, fill=0)
    im.convert('1').save(path, dpi=(300, 300))
def shard(key):
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], 'big') % n
orig = os.path.join(root, 'HS-C')
os.makedirs(orig, exist_ok=True)
page(motto + ['Họ, chữ đệm, tên: Trần Thị Mai',
              'Ngày, tháng, năm sinh: 12/03/2019'], os.path.join(orig, 'o1.png'))
page(['Nơi sinh: Trạm y tế xã Tân Lập', 'Dân tộc: Kinh',
      'Quốc tịch: Việt Nam'], os.path.join(orig, 'o2.png'))
page(motto + ['Họ, chữ đệm, tên: Lê Văn Hùng',
              'Ngày, tháng, năm sinh: 05/06/2018'], os.path.join(orig, 'o3.png'))
for i in range(100):
    name = 'HS-D%d' % i
    if n == 1 or shard(name) != shard('HS-C'):
        break
x = os.path.join(root, name)
os.makedirs(x, exist_ok=True)
page(motto + ['Họ, chữ đệm, tên: Phạm Minh Đức',
              'Ngày, tháng, năm sinh: 01/02/2017',
              'Họ, chữ đệm, tên người mẹ: Đỗ Thị Lan'], os.path.join(x, 'p01.png'))
shutil.copy(os.path.join(orig, 'o2.png'), os.path.join(x, 'p02.png'))
page(motto + ['Họ, chữ đệm, tên: Vũ Thị Hoa',
              'Ngày, tháng, năm sinh: 09/09/2016'], os.path.join(x, 'p03.png'))
shutil.copy(os.path.join(orig, 'o3.png'), os.path.join(x, 'p04.png'))
page(['Nơi sinh: Bệnh viện huyện Kim Sơn', 'Dân tộc: Kinh'],
     os.path.join(x, 'p05.png'))
page(['Họ, chữ đệm, tên người cha: Vũ Văn Bình'], os.path.join(x, 'p06.png'))
print(name)
PYEOF
}
