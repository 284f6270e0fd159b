#!/bin/bash
# Bug 0014 (issue 14, item 9): a full disk while a document's PDF was
# written left the document without a PDF, its file marked done and
# counted ok, and the next run skipped it: the PDF was never made.
#
# Here the archive's store is a small tmpfs (in a private mount
# namespace, so nothing is left mounted whatever happens), sized from a
# first run so that everything fits but the second file's PDF: that file
# must fail with "No space left on device", stay not done, have no
# document rows, and be listed by 'sohoa status'; the first file must be
# stored whole; the database must pass integrity_check and every blob it
# names must hash to its name.  With room again, the same command must
# finish the file and clear its failure, leaving the first one as it was.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
command -v sqlite3 >/dev/null || { echo "cli_bug_0014_full_disk_pdf: needs sqlite3" >&2; exit 1; }
command -v unshare >/dev/null || { echo "cli_bug_0014_full_disk_pdf: needs unshare (util-linux)" >&2; exit 1; }
T=$(mktemp -d /tmp/cli_bug_0014_disk.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"
mkdir in
# two colour pages with a grainy background: their JPEG view images, and
# so their PDFs, weigh a few hundred KB, which leaves a wide margin for
# sizing the tmpfs between "everything but the last PDF" and "all"
"$PY" - <<'PYEOF' || { echo "cli_bug_0014_full_disk_pdf: needs python3-pil" >&2; exit 1; }
import random
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 30)
for k, name in enumerate(['in/a.jpg', 'in/b.jpg']):
    rnd = random.Random(k)
    im = Image.new('RGB', (1200, 800), (235, 228, 210))
    px = im.load()
    for y in range(800):
        for x in range(1200):
            v = rnd.randint(-25, 25)
            px[x, y] = (235 + v // 2, 228 + v // 2, 210 + v)
    d = ImageDraw.Draw(im)
    d.text((60, 120), "GIẤY KHAI SINH số %d" % (k + 1), font=font, fill=(20, 20, 20))
    d.text((60, 220), "Họ, chữ đệm, tên: Nguyễn Văn An", font=font, fill=(20, 20, 20))
    im.save(name, quality=92, dpi=(300, 300))
PYEOF

# a first run with room, to learn the sizes in 4 KiB tmpfs pages
"$BIN" init --archive S >/dev/null 2>&1 || { echo "cli_bug_0014_full_disk_pdf: init failed" >&2; exit 1; }
"$BIN" ingest --archive S --jobs 1 in >/dev/null 2>&1 || { echo "cli_bug_0014_full_disk_pdf: reference ingest failed" >&2; exit 1; }
pdf_b=$(sqlite3 S/sohoa.db "SELECT d.pdf_sha256 FROM documents d JOIN files f ON f.id = d.file_id WHERE f.name = 'b.jpg'")
[ -n "$pdf_b" ] || { echo "cli_bug_0014_full_disk_pdf: reference run made no PDF for b.jpg" >&2; exit 1; }
read -r base pdf < <("$PY" - S/store "$pdf_b" <<'PYEOF'
import os, sys
store, pdf = sys.argv[1], sys.argv[2]
pages = lambda n: (n + 4095) // 4096
base = 0
for d in os.listdir(store):
    if len(d) != 2:
        continue
    for f in os.listdir(os.path.join(store, d)):
        if f != pdf:
            base += pages(os.path.getsize(os.path.join(store, d, f)))
print(base, pages(os.path.getsize(os.path.join(store, pdf[:2], pdf))))
PYEOF
)
size_kb=$(( (base + pdf / 2) * 4 ))
echo "cli_bug_0014_full_disk_pdf: store holds $base pages without b's PDF ($pdf pages): tmpfs of $size_kb KiB"
[ "$pdf" -ge 8 ] || { echo "cli_bug_0014_full_disk_pdf: b's PDF is only $pdf pages: no margin" >&2; exit 1; }

# as root a mount namespace is enough; otherwise a user namespace too
ns=(unshare --mount)
[ "$(id -u)" -eq 0 ] || ns=(unshare --map-root-user --mount)
export BIN PY size_kb
"${ns[@]}" bash -s <<'EOF'
set -u
fails=0
fail() { echo "cli_bug_0014_full_disk_pdf: FAIL: $*" >&2; fails=$((fails + 1)); }
q() { sqlite3 A/sohoa.db "$1"; }
blobs_ok() {
	# every blob the database names is there and hashes to its name
	local bad=0 s
	for s in $(q "SELECT sha256 FROM files UNION SELECT pdf_sha256 FROM documents WHERE pdf_sha256 IS NOT NULL"); do
		[ "$(sha256sum < "A/store/${s:0:2}/$s" | cut -d' ' -f1)" = "$s" ] || bad=1
	done
	return $bad
}
"$BIN" init --archive A >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
mount -t tmpfs -o "size=${size_kb}k" tmpfs A/store || {
	echo "cli_bug_0014_full_disk_pdf: cannot mount a tmpfs (needs root or user namespaces)" >&2; exit 1; }
mkdir A/store/tmp

"$BIN" ingest --archive A --jobs 1 --json in >sum.json 2>err
rc=$?
cat err >&2
[ $rc -eq 1 ] || fail "exit status $rc with a full disk, want 1"
grep -q "^sohoa: cannot read 'in/b.jpg': the PDF of pages 1-1 cannot be stored: .*No space left on device" err ||
	fail "no clear line for b.jpg"
[ "$(grep -c '^sohoa: cannot read' err)" -eq 1 ] || fail "want exactly one failure line"
j() { "$PY" -c "import json,sys; d=json.load(open('sum.json')); print(eval(sys.argv[1]))" "$1"; }
[ "$(j 'd["files"], d["failed"]')" = "(1, 1)" ] || fail "counts: $(cat sum.json)"
[ "$(q "SELECT name, done FROM files ORDER BY name" | tr '\n' ' ')" = "a.jpg|1 b.jpg|0 " ] ||
	fail "done flags: $(q 'SELECT name, done FROM files')"
[ "$(q "SELECT count(*) FROM documents d JOIN files f ON f.id = d.file_id WHERE f.name = 'b.jpg'")" = 0 ] ||
	fail "b.jpg kept a document without its PDF"
[ "$(q "SELECT count(*) FROM documents WHERE pdf_sha256 IS NULL")" = 0 ] || fail "a document has no PDF"
pdf_a=$(q "SELECT pdf_sha256 FROM documents")
[ -n "$pdf_a" ] || fail "a.jpg has no PDF"
[ "$(q "SELECT path FROM failures")" = "in/b.jpg" ] || fail "failures: $(q 'SELECT * FROM failures')"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
blobs_ok || fail "a stored blob is missing or damaged after the failure"
[ -z "$(ls A/store/tmp)" ] || echo "note: left in store/tmp: $(ls A/store/tmp)"

# room again: the same command finishes b.jpg and forgets its failure
mount -o remount,size=256m A/store || fail "remount"
"$BIN" ingest --archive A --jobs 1 --json in >sum.json 2>err
rc=$?
cat err >&2
[ $rc -eq 0 ] || fail "exit status $rc with room again, want 0"
[ "$(j 'd["files"], d["skipped"], d["failed"]')" = "(1, 1, 0)" ] || fail "second run: $(cat sum.json)"
[ "$(q "SELECT count(*) FROM files WHERE done = 1")" = 2 ] || fail "b.jpg not done"
[ "$(q "SELECT count(*) FROM documents WHERE pdf_sha256 IS NOT NULL")" = 2 ] || fail "PDFs"
[ "$(q "SELECT count(*) FROM failures")" = 0 ] || fail "the failure was not cleared"
[ "$(q "SELECT pdf_sha256 FROM documents d JOIN files f ON f.id = d.file_id WHERE f.name = 'a.jpg'")" = "$pdf_a" ] ||
	fail "a.jpg's PDF changed"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity_check after the second run"
blobs_ok || fail "a blob is missing or damaged after the second run"
"$BIN" search --archive A --json "Nguyen Van An" | "$PY" -c "import json,sys; d=json.load(sys.stdin); h=d if isinstance(d, list) else d.get('results', d.get('hits', [])); assert len(h) == 2, d" ||
	fail "search does not find both documents"
umount A/store
exit $fails
EOF
rc=$?
[ $rc -eq 0 ] && echo "cli_bug_0014_full_disk_pdf: ok" || { echo "cli_bug_0014_full_disk_pdf: $rc failure(s)" >&2; exit 1; }
