#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Self-test of the accuracy scorer, the sample generator and the committed
samples' ground truth.   Run:  bench/accuracy_test.py   (exit 0 = pass)"""
import datetime
import glob
import json
import os
import random
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))
sys.path.insert(0, os.path.join(ROOT, 'samples'))
import accuracy as A      # noqa: E402
import generate as G      # noqa: E402

KEYS = set(A.FIELD_ORDER)
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print('FAIL:', what)


def naive_lev(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        p = d[:]
        d[0] = i
        for j, cb in enumerate(b, 1):
            d[j] = min(p[j] + 1, d[j - 1] + 1, p[j - 1] + (ca != cb))
    return d[-1]


def test_levenshtein():
    r = random.Random(7)
    alpha = 'aăâđêôơư ỹữợ.'
    for _ in range(400):
        a = ''.join(r.choice(alpha) for _ in range(r.randint(0, 20)))
        b = ''.join(r.choice(alpha) for _ in range(r.randint(0, 20)))
        check(A.levenshtein(A.codes(a), A.codes(b)) == naive_lev(a, b), 'lev %r %r' % (a, b))
        d, s, e = A.semiglobal(A.codes(a), A.codes(b))
        check(d == naive_lev(a, b[s:e]), 'semiglobal span %r in %r' % (a, b))
        check(d == min(naive_lev(a, b[i:j]) for i in range(len(b) + 1)
                       for j in range(i, len(b) + 1)), 'semiglobal min %r %r' % (a, b))


def test_scores():
    ref = 'ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHọ, chữ đệm, tên: Nguyễn Văn An'
    s = A.text_scores(ref, unicodedata.normalize('NFD', ref).replace('\n', '\n\n  '))
    check(s['char_errors'] == 0 and s['word_errors'] == 0, 'NFD/whitespace normalisation')
    # header read row by row: CER > 0 but CER-flex == 0
    hyp = 'ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ TÂN LẬP Độc lập - Tự do - Hạnh phúc\nHọ, chữ đệm, tên: Nguyễn Văn An'
    s = A.text_scores(ref, hyp)
    check(s['char_errors'] > 10 and s['char_errors_flex'] == 0, 'flex on swapped columns %r' % s)
    # garbage from leaders counts
    s = A.text_scores(ref, ref + '\n.......ằằ....')
    check(s['char_errors'] == 14 and s['char_errors_flex'] == 14, 'garbage counted %r' % s)
    s = A.text_scores(ref, '')
    check(s['char_errors'] == s['chars'] and s['word_errors'] == s['words'], 'empty hyp')


def test_fields():
    gt = {'doc_type': 'marriage', 'fields': {'full_name': 'Lê Văn Hùng', 'spouse_name': 'Trần Thị Mai',
                                             'registration_date': '2014-04-09'}}
    out = {'doc_type': 'marriage', 'fields': {'full_name': 'Lê  Văn Hùng',
                                              'spouse_name': {'value': 'Trần Thị Mai', 'confidence': 90},
                                              'registration_date': '2014-04-19', 'sex': 'Nam'},
           'review': ['registration_date']}
    res, dt, extra, wrong = A.score_fields(gt, out)
    check({k: ok for k, ok, _ in res} == {'full_name': True, 'spouse_name': True,
                                          'registration_date': False}, 'field match %r' % res)
    check({k: fg for k, _, fg in res} == {'full_name': False, 'spouse_name': False,
                                          'registration_date': True}, 'review flags %r' % res)
    check(dt == [True] and extra == 1, 'doc_type/extra')
    check(wrong == [('registration_date', '2014-04-09', '2014-04-19')], 'wrong list %r' % wrong)
    gt = {'doc_type': 'birth', 'fields': {'full_name': 'A'},
          'documents': [{'doc_type': 'birth', 'fields': {'full_name': 'A'}},
                        {'doc_type': 'decision', 'fields': {'signer': 'B'}}]}
    res, dt, extra, wrong = A.score_fields(gt, {'doc_type': 'birth', 'fields': {'full_name': 'A'}})
    check(res == [('full_name', True, False), ('signer', False, False)] and dt == [True, False],
          'dossier without documents %r %r' % (res, dt))


def test_generator():
    check(G.words_date(datetime.date(2018, 3, 14)) ==
          'Ngày mười bốn tháng ba năm hai nghìn không trăm mười tám', 'words_date 2018-03-14')
    check(G.words_date(datetime.date(1995, 4, 25)) ==
          'Ngày hai mươi lăm tháng tư năm một nghìn chín trăm chín mươi lăm', 'words_date 1995')
    check(G.words_year(2005) == 'hai nghìn không trăm linh năm', 'words_year 2005')
    check(G.words_2(21) == 'hai mươi mốt' and G.words_2(14) == 'mười bốn', 'words_2')
    data, fonts = G.Data(), G.Fonts()
    for t in G.TYPES:
        for seed in range(6):
            pg, f = G.make_doc(data, fonts, seed, t, 200)   # also runs check_fields
            pg2, f2 = G.make_doc(data, fonts, seed, t, 200)
            check(f == f2 and pg.lines == pg2.lines, 'determinism %s %d' % (t, seed))
            check(set(f) <= KEYS and f['doc_type'] == t, 'keys %s' % sorted(set(f) - KEYS))
            if 'personal_id' in f:
                pid, bd = f['personal_id'], f['birth_date']
                check(re.fullmatch(r'\d{12}', pid) is not None, 'pid digits')
                y = int(bd[:4])
                d = int(pid[3])
                check(1900 + (d // 2) * 100 + int(pid[4:6]) == y, 'pid year %s %s' % (pid, bd))
                check((d % 2 == 1) == (f['sex'] == 'Nữ'), 'pid sex %s %s' % (pid, f['sex']))
                check(pid[1:3] in data.prov, 'pid province %s' % pid)


def test_committed():
    from PIL import Image
    files = glob.glob(os.path.join(ROOT, 'samples', '*.expected.json')) + \
        glob.glob(os.path.join(ROOT, 'samples', 'HS-*', '*.expected.json'))
    check(len(files) >= 12, 'committed samples present (%d)' % len(files))
    types, levels, rots = set(), set(), set()
    for fn in files:
        raw = open(fn, encoding='utf-8').read()
        check(unicodedata.normalize('NFC', raw) == raw, 'NFC %s' % fn)
        gt = json.loads(raw)
        base = fn[:-len('.expected.json')]
        imgs = [p for p in glob.glob(base + '.*') if not p.endswith('.json')]
        check(len(imgs) == 1, 'one image for %s' % fn)
        if not imgs:
            continue
        im = Image.open(imgs[0])
        n = getattr(im, 'n_frames', 1)
        check(n == gt['pages'] == len(gt['text'].split('\f')), 'pages %s' % fn)
        dpi = im.info.get('dpi')
        check((dpi is not None) == gt.get('dpi_tag', True), 'dpi tag %s' % fn)
        if dpi:
            check(round(dpi[0]) == gt['dpi'], 'dpi %s' % fn)
        w, h = im.size
        if gt['rotation'] in (90, 270):
            w, h = h, w
        check(abs(w / gt['dpi'] * 25.4 - 210) < 3 and abs(h / gt['dpi'] * 25.4 - 297) < 3,
              'A4 size %s' % fn)
        docs = gt.get('documents') or [gt]
        for d in docs:
            for k, v in d['fields'].items():
                check(k in KEYS, 'key %s' % k)
                if k.endswith('_date'):
                    check(re.fullmatch(r'\d{4}-\d{2}-\d{2}', v) is not None, 'date %s' % v)
            G.check_fields(d['fields'], gt['text'])
        types |= {d['doc_type'] for d in docs}
        levels.add(gt['level'])
        rots.add(gt['rotation'])
    check(types == set(G.TYPES), 'all types committed %r' % types)
    check(levels == set(G.LEVELS), 'all levels committed %r' % levels)
    check({90, 180} <= rots or {270, 180} <= rots, 'rotations committed %r' % rots)


if __name__ == '__main__':
    for t in (test_levenshtein, test_scores, test_fields, test_generator, test_committed):
        before = failures
        t()
        print('%-18s %s' % (t.__name__, 'ok' if failures == before else 'FAILED'))
    sys.exit(1 if failures else 0)
