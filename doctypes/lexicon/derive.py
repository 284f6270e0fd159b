#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Derive the lexicons in this folder from the MIT-licensed lists in
# ../shared/data; run once, the outputs are committed.
#   doctypes/lexicon/derive.py [SHARED_DATA_DIR]
# names.tsv:    middle and given name syllable <TAB> weight (how many
#               given names of vietnamese-namedb use it; common middle
#               names weighted by their share)
# surnames.tsv: surname <TAB> weight (rough share, per ten thousand)
# places.tsv: names of provinces and communes, before and after the 2025
#             merger (dvhcvn/20250701 merges.json), without "Xã", "Phường"...
import collections, json, os, re, sys, unicodedata

src = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data'
here = os.path.dirname(os.path.abspath(__file__))


def nfc(s):
    # vietnamese-namedb writes some Đ/đ as U+00D0/U+00F0 (Icelandic eth)
    s = s.replace('\u00d0', '\u0110').replace('\u00f0', '\u0111')
    return unicodedata.normalize('NFC', s.strip())


# Common surnames (họ), written for this project from general knowledge,
# with a rough weight; namedb has none.
SURNAMES = {
    'Nguyễn': 3000, 'Trần': 1100, 'Lê': 900, 'Phạm': 600, 'Hoàng': 500,
    'Huỳnh': 250, 'Vũ': 400, 'Võ': 300, 'Phan': 300, 'Trương': 200,
    'Bùi': 200, 'Đặng': 200, 'Đỗ': 200, 'Ngô': 170, 'Hồ': 150,
    'Dương': 140, 'Hà': 120, 'Lý': 100, 'Trịnh': 100, 'Đinh': 100,
    'Lương': 80, 'Mai': 70, 'Đào': 70, 'Cao': 60, 'Lâm': 50, 'Tạ': 40,
    'Quách': 30, 'Chu': 40, 'Triệu': 30, 'Lò': 20, 'Nông': 30, 'Lục': 20,
    'Vi': 20, 'Kiều': 30, 'Thạch': 20, 'Giàng': 20, 'Sùng': 10,
    'Thái': 30, 'Tô': 30, 'Đoàn': 60, 'Lưu': 50, 'Văn': 20, 'Khúc': 10,
    'Ông': 10, 'Nghiêm': 20, 'Phùng': 30, 'Tăng': 20, 'Vương': 30,
    'Châu': 30, 'Doãn': 10, 'Thân': 10, 'Mẫn': 10, 'Diệp': 10, 'Mạc': 20,
    'Lại': 20, 'Hứa': 20, 'Âu': 10, 'Tôn': 10, 'La': 10, 'Đàm': 20,
    'Quan': 10, 'Hầu': 10, 'Lã': 10, 'Kim': 10, 'Bế': 10, 'Hoàng Phủ': 0,
}
# Surnames of ethnic minorities (Khmer, Hoa, Tày, Nùng, Thái, Mường,
# H'Mông, Dao, Ê Đê, Gia Rai, Chăm), written for this project from general
# knowledge with a small weight: a reading that is one of them is a name,
# not a slip of a Kinh surname ("Danh" is no "Đặng", "Thào" no "Thái").
MINORITY_SURNAMES = {
    'Danh': 20, 'Thạch': 20, 'Sơn': 15, 'Kim': 10, 'Chau': 10, 'Néang': 5,
    'Hứa': 20, 'Mã': 10, 'Diệp': 10, 'Ma': 15, 'Lăng': 10, 'Lành': 5,
    'Lộc': 5, 'Mông': 5, 'Lường': 15, 'Cầm': 15, 'Quàng': 10, 'Tòng': 5,
    'Lự': 5, 'Điêu': 5, 'Xa': 5, 'Vàng': 15, 'Thào': 15, 'Lầu': 10,
    'Mùa': 10, 'Hờ': 5, 'Ly': 5, 'Chá': 5, 'Tráng': 5, 'Vừ': 5, 'Hạng': 5,
    'Lồ': 5, 'Bàn': 10, 'Chảo': 5, 'Niê': 10, 'Êban': 5, 'Mlô': 5,
    'Byă': 5, 'Ksơr': 5, 'Ksor': 10, 'Adrơng': 5, 'Siu': 10, 'Rmah': 5,
    'Nay': 5, 'Kpă': 5, 'Puih': 5, 'Rahlan': 5, 'Đàng': 5, 'Thập': 5,
    # the first word of the Gia Rai surnames written in two: Rơ Châm,
    # Rơ Mah, Rơ Ô (the name parser reads a surname's first word)
    'Rơ': 5,
}
# Given-name syllables common among those groups that the Kinh lists lack
# (same source, small weight): kept as read, never respelt to a Kinh twin
# ("Mỷ" is no "Mỹ", "Sình" no "Sinh").
MINORITY_GIVEN = [
    'Páo', 'Chớ', 'Sình', 'Mỷ', 'Dình', 'Chứ', 'Lử', 'Pó', 'Sủa', 'Súa',
    'Dợ', 'Sính', 'Pọm', 'Ún', 'Ín', 'Khằm', 'Pẻng', 'Sóc', 'Rươn',
    'Thươl', 'Mết', 'Phal', 'Rây', 'Sô', 'Bih', 'Jut', 'Bla', 'Blui',
    'Nhưm', 'Kháng', 'Pạ', 'Chiêng', 'Khăm', 'Ửng', 'Đươl', 'Sóc Kha',
    'Mí',
]

# Middle names (tên đệm) of most people of a generation.
MIDDLES = {'Thị': 2000, 'Văn': 2000, 'Đức': 300, 'Hữu': 200, 'Ngọc': 300,
           'Minh': 300, 'Quang': 200, 'Thanh': 300, 'Xuân': 150,
           'Công': 150, 'Thế': 100, 'Đình': 150, 'Trọng': 100, 'Quốc': 100}

w = collections.Counter()
for f in ('boy.txt', 'girl.txt', 'boy_one_word.txt', 'girl_one_word.txt'):
    with open(os.path.join(src, 'vietnamese-namedb', f), encoding='utf-8') as fh:
        for line in fh:
            for syl in nfc(line).split():
                w[syl[0].upper() + syl[1:]] += 1
for k, v in MIDDLES.items():
    w[k] += v
for k in MINORITY_GIVEN:
    for syl in k.split():
        w[syl] += 3
with open(os.path.join(here, 'names.tsv'), 'w', encoding='utf-8') as f:
    f.write('# middle and given name syllable\tweight  (derived by derive.py '
            'from duyet/vietnamese-namedb, MIT)\n')
    for syl, n in sorted(w.items()):
        if n > 0 and re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?", syl):
            f.write('%s\t%d\n' % (syl, n))
for k, v in MINORITY_SURNAMES.items():
    SURNAMES[k] = max(SURNAMES.get(k, 0), v)
with open(os.path.join(here, 'surnames.tsv'), 'w', encoding='utf-8') as f:
    f.write('# surname\tweight  (rough share per ten thousand, written for '
            'sohoa in derive.py)\n')
    for k, v in sorted(SURNAMES.items()):
        if v > 0 and ' ' not in k:
            f.write('%s\t%d\n' % (k, v))

KIND = re.compile(r'^(Thành phố|Tỉnh|Phường|Xã|Thị trấn|Đặc khu|Thị xã|'
                  r'Quận|Huyện)\s+')
# current names weigh 2, names before the merger 1: when two spellings
# fold alike ("Đăk Song", "Đắk Song") the current one is written; the
# third column lists the (current) provinces a name is found in, so that
# an address's province can settle between two current spellings
places = {}
provinces = collections.defaultdict(set)
with open(os.path.join(src, 'dvhcvn-20250701', 'merges.json'),
          encoding='utf-8') as fh:
    data = json.load(fh)['data']


def add(name, weight, prov):
    n = KIND.sub('', nfc(name))
    if n and not n.isdigit():
        places[n] = max(places.get(n, 0), weight)
        provinces[n].add(prov)


for p in data:
    prov = KIND.sub('', nfc(p['name']))
    add(p['name'], 2, prov)
    for m in p.get('merges', []):
        add(m['name'], 1, prov)
    for c in p.get('level2s', []):
        add(c['name'], 2, prov)
        for m in c.get('merges', []):
            add(m['name'], 1, prov)
with open(os.path.join(here, 'places.tsv'), 'w', encoding='utf-8') as f:
    f.write('# province and commune names\tweight: 2 since 1 July 2025, 1 '
            'before\tprovinces (derived by derive.py from dvhcvn/20250701 '
            'merges.json, MIT)\n')
    for n in sorted(places):
        f.write('%s\t%d\t%s\n' % (n, places[n], ','.join(sorted(provinces[n]))))
