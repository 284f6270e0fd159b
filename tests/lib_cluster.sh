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
