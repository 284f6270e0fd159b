#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Accuracy report: sohoa extract vs plain tesseract on a generated sample set.

    bench/accuracy.py [DIR] [--jobs N] [--json] [--skip-sohoa] [--skip-tesseract]
                      [--levels clean,mild,hard] [--limit N] [--lang vie]
                      [--ocr-cache CACHE]

DIR (default samples/generated) is searched recursively for NAME.expected.json
files written by samples/generate.py; the image is the file NAME.<ext> next to
it.  For each image it runs

    OMP_THREAD_LIMIT=1 tesseract IMG - -l vie
    OMP_THREAD_LIMIT=1 $SOHOA_BIN extract --json IMG     (default build/sohoa)

(with --ocr-cache CACHE, build/bench/fields_replay instead: each image's
pages are cleaned up and read once into CACHE, and field extraction is then
replayed on that reading in milliseconds -- for trying rules of fields/; the
seconds per page are then those of the replay) and prints, per degradation
level, character and word error rates for both,
seconds per page for both, sohoa's doc_type accuracy and its per-field
exact-match accuracy.

Scoring rules
  * Both texts are normalised the same way: Unicode NFC, pages split on "\\f",
    each line's whitespace collapsed, empty lines dropped; the lines are then
    joined with one space (a line break and a space are the same thing).
  * CER = Levenshtein(ref, hyp) / len(ref) over characters, WER the same over
    whitespace-separated words.  Rates per level are micro-averages (sum of
    edits / sum of reference lengths).
  * Reading order.  The ground truth writes side-by-side blocks (the
    two-column header of a Quyết định or trích lục, the "Nơi nhận" / signer
    row) left block first, then right block.  An engine that reads such a
    row line by line is not wrong, so the report also gives CER-flex, which
    does not depend on line order: each reference line (longest first)
    claims its best approximate substring of the hypothesis (semi-global
    alignment) among the characters not yet claimed; unclaimed characters go
    with the claim before them; the hypothesis is rebuilt in reference line
    order and scored like CER; CER-flex is the smaller of that and CER (the
    greedy matching can only help, never hurt).  A large gap between the two means the engine read the
    page in another order.
  * Fields: exact match after NFC and whitespace collapse (case-sensitive).
    A field in the ground truth that sohoa does not return counts as wrong;
    extra fields are counted separately ("extra").  For a file holding
    several documents, document i of the ground truth is compared with
    "documents"[i] of sohoa's output (the top-level fields for i = 0 when
    "documents" is absent).
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import unicodedata

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMG_EXT = ('.tif', '.tiff', '.png', '.jpg', '.jpeg', '.pnm', '.pgm', '.ppm', '.pbm')
LEVELS = ['clean', 'mild', 'hard']


# ------------------------------------------------------------ text helpers

def norm_lines(text):
    text = unicodedata.normalize('NFC', text or '')
    out = []
    for page in text.split('\f'):
        for line in page.split('\n'):
            line = ' '.join(line.split())
            if line:
                out.append(line)
    return out


def norm_value(v):
    if v is None:
        return None
    return ' '.join(unicodedata.normalize('NFC', str(v)).split())


def codes(s):
    return np.frombuffer(s.encode('utf-32-le'), dtype=np.uint32).astype(np.int64)


def dp_last_row(a, b, first):
    """Last row of the edit-distance table of int arrays A (rows) and B
    (columns), its first row being FIRST: 0..len(B) for a global
    alignment, zeros for A against any substring of B (numpy, one row per
    element of A)."""
    m = len(b)
    idx = np.arange(m + 1, dtype=np.int64)
    prev = first.astype(np.int64)
    row = np.empty(m + 1, dtype=np.int64)
    for i, ch in enumerate(a, 1):
        cost = (b != ch).astype(np.int64)
        row[0] = i
        np.minimum(prev[1:] + 1, prev[:-1] + cost, out=row[1:])
        np.minimum.accumulate(row - idx, out=row)
        row += idx
        prev, row = row, prev
    return prev


def levenshtein(a, b):
    """Edit distance between int arrays a and b (one row per element of
    the shorter sequence)."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == 0:
        return len(b)
    return int(dp_last_row(a, b, np.arange(len(b) + 1))[len(b)])


def semiglobal(a, b):
    """Best alignment of all of A against any substring of B.
    Returns (distance, start, end) with B[start:end] the substring."""
    m = len(b)
    if len(a) == 0:
        return 0, 0, 0
    if m == 0:
        return len(a), 0, 0
    prev = dp_last_row(a, b, np.zeros(m + 1))
    end = int(np.argmin(prev))
    dist = int(prev[end])
    # start: align reversed A with reversed B ending at END, anchored there
    lo = max(0, end - 2 * len(a) - 8)
    rb = b[lo:end][::-1]
    prev = dp_last_row(a[::-1], rb, np.arange(len(rb) + 1))
    consumed = int(np.argmin(prev))
    return dist, end - consumed, end


def cer_flex(ref_lines, hyp_lines):
    """Line-order-independent character errors (see module doc).

    Each reference line, longest first, claims the hypothesis characters of
    its best approximate substring among those not yet claimed.  Unclaimed
    hypothesis characters join the claim of the nearest claimed character
    before them (after them at the start).  The hypothesis is then rebuilt
    in reference line order and scored with plain Levenshtein, so a
    hypothesis already in reference order scores exactly its CER."""
    hs = ' '.join(hyp_lines)
    hyp = codes(hs)
    n = len(hyp)
    ref = ' '.join(ref_lines)
    if n == 0 or not ref_lines:
        return levenshtein(codes(ref), hyp)
    owner = np.full(n, -1, dtype=np.int64)
    work = hyp.copy()
    order = sorted(range(len(ref_lines)), key=lambda i: len(ref_lines[i]), reverse=True)
    for i in order:
        d, s, e = semiglobal(codes(ref_lines[i]), work)
        if e > s:
            free = owner[s:e] < 0
            owner[s:e][free] = i
            work[s:e] = -1
    owned = np.nonzero(owner >= 0)[0]
    if len(owned) == 0:
        return levenshtein(codes(ref), hyp)
    # leftovers: take the owner of the previous owned position
    pos = np.arange(n)
    prev_idx = np.maximum.accumulate(np.where(owner >= 0, pos, -1))
    first = owned[0]
    owner = np.where(prev_idx >= 0, owner[np.maximum(prev_idx, 0)], owner[first])
    parts = [[] for _ in ref_lines]
    for p in range(n):
        parts[owner[p]].append(hs[p])
    rebuilt = ' '.join(' '.join(''.join(pp).split()) for pp in parts if pp)
    return levenshtein(codes(ref), codes(rebuilt))


def word_ids(words, vocab):
    return np.array([vocab.setdefault(w, len(vocab)) for w in words], dtype=np.int64)


def text_scores(ref_text, hyp_text):
    rl, hl = norm_lines(ref_text), norm_lines(hyp_text)
    r, h = ' '.join(rl), ' '.join(hl)
    vocab = {}
    rw, hw = r.split(), h.split()
    ce = levenshtein(codes(r), codes(h))
    return {
        'chars': len(r),
        'char_errors': ce,
        'char_errors_flex': min(ce, cer_flex(rl, hl)),
        'words': len(rw),
        'word_errors': levenshtein(word_ids(rw, vocab), word_ids(hw, vocab)),
    }


# ------------------------------------------------------------- running

def find_samples(root, levels):
    out = []
    for d, _, files in os.walk(root):
        for fn in sorted(files):
            if not fn.endswith('.expected.json'):
                continue
            name = fn[:-len('.expected.json')]
            img = None
            for f2 in files:
                base, ext = os.path.splitext(f2)
                if base == name and ext.lower() in IMG_EXT:
                    img = os.path.join(d, f2)
            if img is None:
                continue
            with open(os.path.join(d, fn), encoding='utf-8') as f:
                gt = json.load(f)
            if levels and gt.get('level') not in levels:
                continue
            out.append((img, gt))
    out.sort(key=lambda x: (LEVELS.index(x[1]['level']) if x[1].get('level') in LEVELS else 9,
                            x[0]))
    return out


def run(cmd, timeout):
    env = dict(os.environ, OMP_THREAD_LIMIT='1')
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = -1, b'', b'timeout'
    except OSError as e:
        rc, out, err = -1, b'', str(e).encode()
    return rc, out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace'), \
        time.monotonic() - t0


def score_fields(gt, out):
    """Returns ([(field, ok, flagged)], [doc_type ok per document], extra
    count, [(field, expected, got)] for the wrong ones).  flagged: sohoa
    listed the field in "review" (a person should check it)."""
    res = []
    wrong = []
    dt = []
    extra = 0
    gdocs = gt.get('documents') or [{'doc_type': gt.get('doc_type'), 'fields': gt.get('fields', {})}]
    hdocs = out.get('documents') if isinstance(out.get('documents'), list) else None
    for i, gd in enumerate(gdocs):
        if hdocs is not None:
            hd = hdocs[i] if i < len(hdocs) else {}
        else:
            hd = {'doc_type': out.get('doc_type'), 'fields': out.get('fields')} if i == 0 else {}
        hf = hd.get('fields') or {}
        if not isinstance(hf, dict):
            hf = {}
        review = hd.get('review') if i > 0 or hdocs is not None else out.get('review')
        review = set(review) if isinstance(review, list) else set()
        dt.append(norm_value(hd.get('doc_type')) == gd.get('doc_type'))
        for k, v in gd.get('fields', {}).items():
            hv = hf.get(k)
            if isinstance(hv, dict):          # {"value": ..., "confidence": ...}
                hv = hv.get('value')
            ok = norm_value(hv) == norm_value(v)
            res.append((k, ok, k in review))
            if not ok:
                wrong.append((k, v, hv))
        extra += sum(1 for k in hf if k not in gd.get('fields', {}))
    return res, dt, extra, wrong


def process(img, gt, a):
    r = {'file': os.path.relpath(img, ROOT), 'level': gt.get('level'), 'pages': gt.get('pages', 1),
         'doc_type': gt.get('doc_type')}
    if not a.skip_tesseract:
        cmd = ['tesseract', img, '-', '-l', a.lang] + (a.tess_args.split() if a.tess_args else [])
        rc, out, err, dt = run(cmd, a.timeout)
        r['tesseract'] = dict(text_scores(gt['text'], out if rc == 0 else ''), seconds=dt, rc=rc)
    if not a.skip_sohoa and a.ocr_cache:
        dump = os.path.join(a.ocr_cache, os.path.relpath(img, a.dir).replace(os.sep, '__') + '.ocr')
        if not os.path.exists(dump):
            run([a.replay_bin, 'dump', img, dump + '.tmp'], a.timeout)
            if os.path.exists(dump + '.tmp'):
                os.replace(dump + '.tmp', dump)
        rc, out, err, dt = run([a.replay_bin, 'extract', dump], a.timeout)
    elif not a.skip_sohoa:
        rc, out, err, dt = run([a.sohoa_bin, 'extract', '--json', img], a.timeout)
    if not a.skip_sohoa:
        try:
            js = json.loads(out) if rc == 0 else {}
        except ValueError:
            js, rc = {}, -2
        s = dict(text_scores(gt['text'], js.get('text', '')), seconds=dt, rc=rc)
        s['fields'], s['doc_type_ok'], s['extra_fields'], s['field_errors'] = score_fields(gt, js)
        s['pages_out'] = js.get('pages')
        if rc != 0:
            s['error'] = (err.strip().splitlines() or ['exit %d' % rc])[-1][:200]
        r['sohoa'] = s
    return r


# ------------------------------------------------------------- report

def aggregate(results, engines):
    agg = {}
    for lv in LEVELS + ['all']:
        rs = [r for r in results if lv == 'all' or r['level'] == lv]
        if not rs:
            continue
        A = {'files': len(rs), 'pages': sum(r['pages'] for r in rs)}
        for eng in engines:
            ss = [r[eng] for r in rs if eng in r]
            if not ss:
                continue
            ch = sum(s['chars'] for s in ss) or 1
            wd = sum(s['words'] for s in ss) or 1
            E = {'cer': sum(s['char_errors'] for s in ss) / ch,
                 'cer_flex': sum(s['char_errors_flex'] for s in ss) / ch,
                 'wer': sum(s['word_errors'] for s in ss) / wd,
                 'sec_per_page': sum(s['seconds'] for s in ss) / A['pages'],
                 'failed': sum(1 for s in ss if s['rc'] != 0)}
            if eng == 'sohoa':
                fl = {}
                flags = {'wrong': 0, 'wrong_flagged': 0, 'right': 0, 'right_flagged': 0}
                for s in ss:
                    for k, ok, fg in s['fields']:
                        n, c = fl.get(k, (0, 0))
                        fl[k] = (n + 1, c + ok)
                        w = 'right' if ok else 'wrong'
                        flags[w] += 1
                        flags[w + '_flagged'] += 1 if fg else 0
                E['review_flags'] = flags
                E['fields'] = {k: {'n': n, 'ok': c, 'acc': c / n} for k, (n, c) in fl.items()}
                n = sum(v[0] for v in fl.values())
                c = sum(v[1] for v in fl.values())
                E['fields_overall'] = {'n': n, 'ok': c, 'acc': c / n if n else 0.0}
                # the mean over files of each file's share of right fields
                per = [sum(ok for _, ok, _ in s['fields']) / len(s['fields'])
                       for s in ss if s['fields']]
                E['fields_file_mean'] = sum(per) / len(per) if per else 0.0
                dts = [x for s in ss for x in s['doc_type_ok']]
                E['doc_type_acc'] = sum(dts) / len(dts) if dts else 0.0
                E['extra_fields'] = sum(s['extra_fields'] for s in ss)
            A[eng] = E
        if 'sohoa' in A and 'tesseract' in A:
            # pages (files) where sohoa reads more than 5 points of CER
            # worse than plain tesseract
            A['worse_than_tesseract'] = [
                r['file'] for r in rs if 'sohoa' in r and 'tesseract' in r and
                r['sohoa']['char_errors'] / max(1, r['sohoa']['chars']) >
                r['tesseract']['char_errors'] / max(1, r['tesseract']['chars']) + 0.05]
        agg[lv] = A
    return agg


FIELD_ORDER = ['doc_type', 'doc_number', 'full_name', 'birth_date', 'sex', 'ethnicity',
               'nationality', 'birth_place', 'hometown', 'personal_id', 'mother_name',
               'father_name', 'registration_place', 'registration_date', 'death_date',
               'death_place', 'death_cause', 'spouse_name', 'marital_status', 'residence',
               'issue_date', 'issuer', 'subject', 'signer']


def pct(x):
    return '%6.2f%%' % (100 * x)


def print_table(agg, engines, f=sys.stdout):
    lv = [l for l in LEVELS + ['all'] if l in agg]
    hdr = '%-6s %5s' % ('level', 'pages')
    for e in engines:
        hdr += ' | %-5s %7s %8s %7s %6s' % (e[:5], 'CER', 'CER-flex', 'WER', 's/page')
    if 'sohoa' in engines:
        hdr += ' | %8s'  % 'doc_type'
    print(hdr, file=f)
    print('-' * len(hdr), file=f)
    for l in lv:
        A = agg[l]
        row = '%-6s %5d' % (l, A['pages'])
        for e in engines:
            E = A.get(e)
            if E is None:
                row += ' | %-5s %7s %8s %7s %6s' % ('', '-', '-', '-', '-')
                continue
            row += ' | %-5s %7s %8s %7s %6.2f' % ('', pct(E['cer']), pct(E['cer_flex']),
                                                  pct(E['wer']), E['sec_per_page'])
        if 'sohoa' in engines and 'sohoa' in A:
            row += ' | %8s' % pct(A['sohoa']['doc_type_acc'])
        print(row, file=f)
    for l in lv:
        if agg[l].get('worse_than_tesseract'):
            print('%s: %d file(s) more than 5 points of CER worse than tesseract: %s' % (
                l, len(agg[l]['worse_than_tesseract']),
                ', '.join(os.path.basename(x) for x in agg[l]['worse_than_tesseract'])),
                file=f)
    for e in engines:
        fails = sum(agg[l][e]['failed'] for l in lv if l != 'all' and e in agg[l])
        if fails:
            print('%s failed on %d file(s)' % (e, fails), file=f)
    if 'sohoa' not in engines:
        return
    print('', file=f)
    print('sohoa field exact-match accuracy (ok/n)', file=f)
    keys = set()
    for l in lv:
        keys |= set(agg[l].get('sohoa', {}).get('fields', {}))
    keys = [k for k in FIELD_ORDER if k in keys] + sorted(k for k in keys if k not in FIELD_ORDER)
    print('%-20s' % 'field' + ''.join(' %16s' % l for l in lv), file=f)
    for k in keys + ['OVERALL']:
        row = '%-20s' % k
        for l in lv:
            E = agg[l].get('sohoa', {})
            v = E.get('fields_overall') if k == 'OVERALL' else E.get('fields', {}).get(k)
            row += ' %16s' % ('-' if not v else '%s (%d/%d)' % (pct(v['acc']).strip(), v['ok'], v['n']))
        print(row, file=f)
    row = '%-20s' % 'MEAN PER FILE'
    for l in lv:
        E = agg[l].get('sohoa', {})
        row += ' %16s' % ('-' if 'fields_file_mean' not in E else
                          pct(E['fields_file_mean']).strip())
    print(row, file=f)
    print('%-20s' % 'extra fields' + ''.join(' %16d' % agg[l]['sohoa']['extra_fields']
                                            for l in lv if 'sohoa' in agg[l]), file=f)
    # review flags: how many wrong values a clerk is sent to, at what cost
    for key, name in (('wrong', 'wrong flagged'), ('right', 'right flagged')):
        row = '%-20s' % name
        for l in lv:
            g = agg[l].get('sohoa', {}).get('review_flags')
            row += ' %16s' % ('-' if not g or not g[key] else '%s (%d/%d)' % (
                pct(g[key + '_flagged'] / g[key]).strip(), g[key + '_flagged'], g[key]))
        print(row, file=f)


def main(argv=None):
    ap = argparse.ArgumentParser(description='sohoa accuracy report')
    ap.add_argument('dir', nargs='?', default=os.path.join(ROOT, 'samples', 'generated'))
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--json', action='store_true', help='print JSON instead of the table')
    ap.add_argument('--skip-sohoa', action='store_true')
    ap.add_argument('--skip-tesseract', action='store_true')
    ap.add_argument('--sohoa-bin', default=os.environ.get('SOHOA_BIN',
                                                          os.path.join(ROOT, 'build', 'sohoa')))
    ap.add_argument('--lang', default='vie', help='tesseract language for the baseline')
    ap.add_argument('--tess-args', default='', help='extra tesseract arguments')
    ap.add_argument('--levels', default='')
    ap.add_argument('--limit', type=int, default=0, help='at most N files per level')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--per-file', action='store_true', help='also print one line per file')
    ap.add_argument('--ocr-cache', default='',
                    help='read each image once into this folder, replay extraction on it')
    ap.add_argument('--replay-bin', default=os.environ.get(
        'SOHOA_REPLAY_BIN', os.path.join(ROOT, 'build', 'bench', 'fields_replay')))
    a = ap.parse_args(argv)
    if a.ocr_cache:
        os.makedirs(a.ocr_cache, exist_ok=True)
        a.sohoa_bin = a.replay_bin
    if not a.skip_sohoa and not os.access(a.sohoa_bin, os.X_OK):
        print('accuracy: %s not found or not executable (build it, set SOHOA_BIN, '
              'or pass --skip-sohoa)' % a.sohoa_bin, file=sys.stderr)
        return 2
    levels = [l for l in a.levels.split(',') if l]
    samples = find_samples(a.dir, levels)
    if a.limit:
        seen = {}
        keep = []
        for s in samples:
            seen[s[1]['level']] = seen.get(s[1]['level'], 0) + 1
            if seen[s[1]['level']] <= a.limit:
                keep.append(s)
        samples = keep
    if not samples:
        print('accuracy: no samples (*.expected.json) under %s' % a.dir, file=sys.stderr)
        return 2
    engines = [e for e, skip in (('tesseract', a.skip_tesseract), ('sohoa', a.skip_sohoa))
               if not skip]
    results = []
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        futs = [ex.submit(process, img, gt, a) for img, gt in samples]
        for i, fu in enumerate(futs, 1):
            r = fu.result()
            results.append(r)
            msg = '[%d/%d] %s' % (i, len(futs), r['file'])
            for e in engines:
                if e in r:
                    s = r[e]
                    msg += '  %s CER %.1f%% flex %.1f%% %.1fs' % (
                        e[:5], 100 * s['char_errors'] / max(1, s['chars']),
                        100 * s['char_errors_flex'] / max(1, s['chars']), s['seconds'])
                    if e == 'sohoa' and s['fields']:
                        msg += ' fields %d/%d' % (sum(ok for _, ok, _ in s['fields']), len(s['fields']))
                    if s.get('error'):
                        msg += ' [%s]' % s['error']
            print(msg, file=sys.stderr)
    agg = aggregate(results, engines)
    if a.json:
        json.dump({'dir': a.dir, 'engines': engines, 'lang': a.lang, 'levels': agg,
                   'files': results, 'wall_seconds': time.monotonic() - t0},
                  sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        print_table(agg, engines)
        if a.per_file:
            print()
            for r in results:
                print(r['file'], *['%s CER %.2f%% flex %.2f%%' % (
                    e, 100 * r[e]['char_errors'] / max(1, r[e]['chars']),
                    100 * r[e]['char_errors_flex'] / max(1, r[e]['chars'])) for e in engines if e in r])
                for k, want, got in r.get('sohoa', {}).get('field_errors', []):
                    print('    %-18s want %r got %r' % (k, want, got))
    return 0


if __name__ == '__main__':
    sys.exit(main())
