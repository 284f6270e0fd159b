#!/bin/bash
# A province on a cluster (issue 17): what one page costs here, what a
# shard task costs to start, what the merge costs per page and how it
# grows, then a model of N nodes predicting the wall time and efficiency
# of 1 M pages on 1 to 100 nodes (bench/cluster_model.py).
#
#  1. per page: the committed samples (A4 scans, 12 of them, BENCH_COPIES
#     lossless copies each) ingested as 4 shards, one after the other,
#     --jobs 1: CPU seconds per page, bytes read (originals) and written
#     (shard archives) per page;
#  2. task start: a run with nothing to read (sohoa, SQLite, the walk of
#     a folder), the OCR engine's load (a 1-page run less a page), and
#     the walk of the whole input every task does, per input file
#     (BENCH_WALK_FILES empty .png files; a shard takes a thousandth);
#  3. merge: the 4 real A4 shards merged (seconds per page, checks
#     included), then the merge's growth on small pages (fast to OCR):
#     BENCH_GROWTH pages in 8 shards, merged 1, 2, 4 and 8 shards at a
#     time, each into a new archive;
#  4. the model (BENCH_CORES cores a node, BENCH_STORAGE_MBPS of shared
#     storage, BENCH_SLURM_START seconds to start a task).
#
# usage: bench/cluster.sh [SOHOA_BIN]     (about 10 minutes on 2 cores)
# Timings on a shared machine are noisy; each is CPU time where it says so.
set -eu
cd "$(dirname "$0")/.."
SRC=$PWD
BIN=${1:-${SOHOA_BIN:-$SRC/build/sohoa}}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
[ -x "$BIN" ] || { echo "bench/cluster.sh: no sohoa binary at '$BIN' (build first or pass its path)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/cluster.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
export OMP_THREAD_LIMIT=1
COPIES=${BENCH_COPIES:-3}
GROWTH=${BENCH_GROWTH:-480}
WALK_FILES=${BENCH_WALK_FILES:-20000}
T=$(mktemp -d /tmp/bench_cluster.XXXXXX)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
cd "$T"
# timed OUT CMD...: "wall user sys" of CMD in OUT
timed() { local out=$1; shift; /usr/bin/time -f "%e %U %S" -o "$out" "$@"; }
sum3() { awk '{ w += $1; c += $2 + $3 } END { printf "%.3f %.3f\n", w, c }' "$@"; }

# 1. per page, on real A4 scans, as 4 shards
mkdir -p a4/HS-1 a4/HS-2
i=0
for f in "$SRC"/samples/*.jpg "$SRC"/samples/*.png "$SRC"/samples/*.tif; do
	i=$((i + 1))
	cp "$f" "a4/HS-$((i % 2 + 1))/"
done
if [ "$COPIES" -gt 1 ]; then
	"$PY" - a4 "$COPIES" <<'PYEOF'
import os, sys
from PIL import Image, PngImagePlugin
root, k = sys.argv[1], int(sys.argv[2])
for d in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, d))):
        im = Image.open(os.path.join(root, d, name))
        kw = {'dpi': im.info['dpi']} if 'dpi' in im.info else {}
        for c in range(1, k):
            # the same pixels, other bytes: not skipped as a stored scan
            info = PngImagePlugin.PngInfo()
            info.add_text('copy', str(c))
            im.save(os.path.join(root, d, '%s.copy%d.png' % (name, c)),
                    pnginfo=info, **kw)
PYEOF
fi
pages=$(ls a4/*/* | wc -l)
echo "1. per page: $pages A4 pages (12 samples x $COPIES), 4 shards, --jobs 1"
for k in 0 1 2 3; do
	"$BIN" init -q --archive a4s$k
	timed a4t$k "$BIN" ingest -q --archive a4s$k --shard $k/4 -j 1 a4 || true
done
read -r a4wall a4cpu < <(sum3 a4t?)
a4pages=$(for k in 0 1 2 3; do sqlite3 a4s$k/sohoa.db "SELECT count(*) FROM pages"; done | awk '{ s += $1 } END { print s }')
read_bytes=$(du -scb a4/*/* | tail -1 | cut -f1)
written=$(du -scb a4s? | tail -1 | cut -f1)
echo "   $a4pages pages: ${a4wall} s wall, ${a4cpu} s CPU"

# 2. task start
mkdir -p one/HS-1 && cp "$SRC/samples/birth-clean.jpg" one/HS-1/
"$BIN" init -q --archive st1
timed start_page "$BIN" ingest -q --archive st1 --shard 0/1 -j 1 one
timed start_none "$BIN" ingest -q --archive st1 --shard 0/1 -j 1 one
"$PY" - walk "$WALK_FILES" <<'PYEOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, 'HS-%04d' % (i // 100))
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, 'p%03d.png' % (i % 100)), 'w').close()
PYEOF
"$BIN" init -q --archive w1
timed walk_t "$BIN" ingest -q --archive w1 --shard 0/1000 -j 1 walk 2>/dev/null || true
echo "2. task start: a run with nothing to read $(cut -d' ' -f1 start_none) s; walk of $WALK_FILES files $(cut -d' ' -f1 walk_t) s"

# 3. merge: the real A4 shards, then the growth on small pages
timed merge_a4 "$BIN" merge -q --archive a4prov a4s0 a4s1 a4s2 a4s3
echo "3. merge of the 4 A4 shards: $(cut -d' ' -f1 merge_a4) s for $a4pages pages"
"$PY" - small "$GROWTH" <<'PYEOF'
import os, sys
from PIL import Image, ImageDraw, ImageFont
root, n = sys.argv[1], int(sys.argv[2])
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 28)
for i in range(n):
    d = os.path.join(root, 'HS-%03d' % (i // 12))
    os.makedirs(d, exist_ok=True)
    im = Image.new('L', (800, 300), 255)
    dr = ImageDraw.Draw(im)
    dr.text((40, 60), "Trang %d: Nguyễn Văn An" % i, font=font, fill=0)
    dr.text((40, 140), "Sổ đăng ký khai sinh số %d" % (1000 + i), font=font, fill=0)
    im.convert('1').save(os.path.join(d, 'p%03d.png' % (i % 12)), dpi=(300, 300))
PYEOF
for k in 0 1 2 3 4 5 6 7; do
	"$BIN" init -q --archive gs$k
	"$BIN" ingest -q --archive gs$k --shard $k/8 -j 1 small &
	[ $((k % 2)) -eq 1 ] && wait
done
wait
: >growth
for n in 1 2 4 8; do
	list=$(seq -f 'gs%g' 0 $((n - 1)))
	gp=$(for s in $list; do sqlite3 $s/sohoa.db "SELECT count(*) FROM pages"; done | awk '{ s += $1 } END { print s }')
	timed mg$n "$BIN" merge -q --archive gprov$n $list
	echo "$gp $(cat mg$n)" >>growth
	echo "   merge of $n small shard(s): $gp pages, $(cut -d' ' -f1 mg$n) s"
done

# 4. the model
"$PY" "$SRC/bench/cluster_model.py" \
    --a4 "$a4pages $a4wall $a4cpu $read_bytes $written" \
    --start-page "$(cat start_page)" --start-none "$(cat start_none)" \
    --walk "$WALK_FILES $(cat walk_t)" --merge-a4 "$a4pages $(cat merge_a4)" \
    --growth growth --cores "${BENCH_CORES:-16}" \
    --storage-mbps "${BENCH_STORAGE_MBPS:-200}" \
    --slurm-start "${BENCH_SLURM_START:-2}" --pages "${BENCH_PAGES:-1000000}"
