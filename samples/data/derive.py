#!/usr/bin/python3
# Derive the trimmed MIT-licensed place and name lists in this folder from
# ../shared/data (dvhcvn-20250701 and vietnamese-namedb).  Run once; the
# outputs are committed.  Usage: samples/data/derive.py [SHARED_DATA_DIR]
import os, re, sys, unicodedata

src = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
here = os.path.dirname(os.path.abspath(__file__))
def nfc(s):
    # vietnamese-namedb writes some Đ/đ as U+00D0/U+00F0 (Icelandic eth)
    s = s.replace('\u00d0', '\u0110').replace('\u00f0', '\u0111')
    return unicodedata.normalize('NFC', s)

prov = {}
with open(os.path.join(src, 'dvhcvn-20250701/915_CTK-CSCL.csv'), encoding='utf-8') as f:
    next(f)
    for line in f:
        _, code, name = line.rstrip('\n').split(',', 2)
        short = re.sub(r'^Thành phố ', '', nfc(name))
        prov[short] = (code, nfc(name))
out = []
with open(os.path.join(src, 'dvhcvn-20250701/1027_CTK-CSCL.md'), encoding='utf-8') as f:
    for line in f:
        cols = [c.strip() for c in line.split('|')]
        if len(cols) < 6 or not re.fullmatch(r'\d{5}', cols[2]):
            continue
        name = nfc(re.sub(r'\s+', ' ', cols[3].replace('<br>', ' ')).strip())
        p = nfc(re.sub(r'\s+', ' ', cols[4].replace('<br>', ' ')).strip())
        p = re.sub(r'^(Tỉnh|Tp|Thành phố) ', '', p)
        if p not in prov:
            sys.exit('unknown province %r' % p)
        out.append((cols[2], name, prov[p][0]))
with open(os.path.join(here, 'provinces.tsv'), 'w', encoding='utf-8') as f:
    f.write('# code\tname  (from dvhcvn/20250701 input/docs/915_CTK-CSCL.csv, MIT)\n')
    for short, (code, name) in sorted(prov.items(), key=lambda x: x[1][0]):
        f.write('%s\t%s\n' % (code, name))
with open(os.path.join(here, 'communes.tsv'), 'w', encoding='utf-8') as f:
    f.write('# code\tname\tprovince_code  (from dvhcvn/20250701 input/docs/1027_CTK-CSCL.md, MIT)\n')
    for row in out:
        f.write('\t'.join(row) + '\n')
for n in ('boy.txt', 'girl.txt', 'boy_one_word.txt', 'girl_one_word.txt'):
    with open(os.path.join(src, 'vietnamese-namedb', n), encoding='utf-8') as f:
        names = [nfc(l.strip()) for l in f if l.strip()]
    with open(os.path.join(here, 'given-' + n), 'w', encoding='utf-8') as f:
        f.write('\n'.join(names) + '\n')
print(len(prov), 'provinces,', len(out), 'communes')
