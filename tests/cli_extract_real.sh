#!/usr/bin/env bash
# Real scans (samples/real, hand-transcribed): sohoa extract must make no
# more character errors than plain `tesseract -l vie` on any page, and
# fewer on all of them together (issue 13: cleanup erased tone marks).
set -euo pipefail
src=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${SOHOA_BIN:-$src/build/sohoa}
command -v tesseract >/dev/null || {
	echo "cli_extract_real: tesseract not found (apt-get install tesseract-ocr tesseract-ocr-vie)" >&2
	exit 1
}
export OMP_THREAD_LIMIT=1
exec /usr/bin/python3 - "$src" "$bin" <<'PY'
import glob, json, os, subprocess, sys
src, binary = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src, 'bench'))
import accuracy
total = {'tesseract': 0, 'sohoa': 0}
bad = 0
pages = sorted(glob.glob(os.path.join(src, 'samples', 'real', '*.tif')))
if not pages:
    sys.exit('cli_extract_real: no samples/real/*.tif')
for img in pages:
    ref = open(img[:-4] + '.txt', encoding='utf-8').read()
    t = subprocess.run(['tesseract', img, '-', '-l', 'vie'], capture_output=True,
                       text=True, check=True).stdout
    r = subprocess.run([binary, 'extract', '--json', img], capture_output=True,
                       text=True, check=True)
    s = json.loads(r.stdout)['text']
    et = accuracy.text_scores(ref, t)['char_errors']
    es = accuracy.text_scores(ref, s)['char_errors']
    total['tesseract'] += et
    total['sohoa'] += es
    print('%s: sohoa %d, tesseract %d character errors' % (os.path.basename(img), es, et))
    if es > et:
        print('FAIL: sohoa reads %s worse than plain tesseract' % os.path.basename(img))
        bad += 1
print('all pages: sohoa %d, tesseract %d' % (total['sohoa'], total['tesseract']))
if total['sohoa'] >= total['tesseract']:
    print('FAIL: sohoa makes no fewer character errors than plain tesseract')
    bad += 1
sys.exit(1 if bad else 0)
PY
