#!/usr/bin/env bash
# Field regression test over the committed samples: samples/*, samples/HS-*
# and samples/varied/LEVEL/* (the second, independent set of issue 13).
# Each image's fields as `sohoa extract --json` gives them are compared
# exactly with NAME.fields.json beside it, so any change fails CI until
# the snapshots are rewritten and reviewed as a diff:
#
#     SOHOA_BIN=build/sohoa bash tests/cli_samples_fields.sh --generate
#
# It also prints how many fields match the generator's ground truth
# (NAME.expected.json), per set, for the reviewer.
set -euo pipefail
src=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${SOHOA_BIN:-$src/build/sohoa}
[ -x "$bin" ] || { echo "cli_samples_fields: no sohoa at '$bin'" >&2; exit 1; }
export OMP_THREAD_LIMIT=1
exec /usr/bin/python3 - "$src" "$bin" "${1:-}" <<'PY'
import concurrent.futures, glob, json, os, subprocess, sys
src, binary, mode = sys.argv[1], sys.argv[2], sys.argv[3]
EXT = ('.tif', '.jpg', '.png')

def samples():
    pats = ['samples/*.expected.json', 'samples/HS-*/*.expected.json',
            'samples/varied/*/*.expected.json']
    for p in pats:
        for gt in sorted(glob.glob(os.path.join(src, p))):
            stem = gt[:-len('.expected.json')]
            imgs = [stem + e for e in EXT if os.path.exists(stem + e)]
            if len(imgs) != 1:
                sys.exit('cli_samples_fields: no single image for %s' % gt)
            yield imgs[0], gt, stem + '.fields.json'

def extract(img):
    r = subprocess.run([binary, 'extract', '--json', img], capture_output=True, text=True)
    if r.returncode != 0:
        return {'error': (r.stderr.strip().splitlines() or ['exit %d' % r.returncode])[-1]}
    j = json.loads(r.stdout)
    docs = j.get('documents')
    if docs:
        return {'documents': [{'doc_type': d['doc_type'], 'fields': d['fields']} for d in docs]}
    return {'doc_type': j['doc_type'], 'fields': j['fields']}

def truth_docs(gt):
    return gt.get('documents') or [{'doc_type': gt['doc_type'], 'fields': gt['fields']}]

def got_docs(got):
    return got.get('documents') or [{'doc_type': got.get('doc_type'), 'fields': got.get('fields', {})}]

items = list(samples())
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    outs = list(ex.map(lambda it: extract(it[0]), items))
bad = 0
score = {}
for (img, gtp, snap), got in zip(items, outs):
    rel = os.path.relpath(img, src)
    gt = json.load(open(gtp, encoding='utf-8'))
    group = 'varied' if '/varied/' in img else 'samples'
    ok = n = 0
    for td, hd in zip(truth_docs(gt), got_docs(got) + [{}] * 9):
        for k, v in td['fields'].items():
            n += 1
            ok += (hd.get('fields') or {}).get(k) == v
    s = score.setdefault(group, [0, 0])
    s[0] += ok
    s[1] += n
    if mode == '--generate':
        with open(snap, 'w', encoding='utf-8') as f:
            json.dump(got, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write('\n')
        continue
    if not os.path.exists(snap):
        print('FAIL %s: no %s (run with --generate)' % (rel, os.path.basename(snap)))
        bad += 1
        continue
    want = json.load(open(snap, encoding='utf-8'))
    if want != got:
        bad += 1
        print('FAIL %s: fields differ from %s' % (rel, os.path.basename(snap)))
        for i, (wd, hd) in enumerate(zip(got_docs(want), got_docs(got))):
            if wd.get('doc_type') != hd.get('doc_type'):
                print('    doc %d doc_type: want %r got %r' % (i, wd.get('doc_type'), hd.get('doc_type')))
            wf, hf = wd.get('fields') or {}, hd.get('fields') or {}
            for k in sorted(set(wf) | set(hf)):
                if wf.get(k) != hf.get(k):
                    print('    doc %d %-18s want %r got %r' % (i, k, wf.get(k), hf.get(k)))
        if got.get('error'):
            print('    error: %s' % got['error'])
for g, (ok, n) in sorted(score.items()):
    print('%s: %d of %d fields match the ground truth (%.1f%%)' % (g, ok, n, 100.0 * ok / max(1, n)))
print('%d files, %d differ from their snapshot' % (len(items), bad) if mode != '--generate'
      else 'wrote %d snapshots' % len(items))
sys.exit(1 if bad else 0)
PY
