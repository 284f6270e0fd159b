#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Copyright 2026 the sohoa authors
#
# Licensed under the Apache License, Version 2.0 (the "License"); you may not
# use this file except in compliance with the License.  You may obtain a copy
# of the License at http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
"""The third sample set: a measuring instrument independent of sohoa's rules.

    samples/generate_third.py --out DIR [--seed N] [--count N]
                              [--levels clean,mild,hard]
                              [--types birth,death,marriage,marital_status,decision]
                              [--data /work/shared/data]

writes DIR/<level>/<type>-<level>-NN.<ext> and NN's .expected.json (the
ground-truth format that bench/accuracy.py reads: doc_type, level, pages,
dpi, dpi_tag, rotation, skew, format, font, fields, text), so that
`python3 bench/accuracy.py DIR` scores it unchanged.

What it is.  A third generator of scanned Vietnamese civil-status and
commune documents, written from the public descriptions of the real forms
(Thông tư 04/2020/TT-BTP forms, Nghị định 30/2020 layout) by someone who
never read sohoa's field rules, doc-type rules or its two other generators.
It differs from them on purpose:
  * text stack: Pango + Cairo (python3-gi): real shaping and kerning,
    justified paragraphs, lines wrapped by Pango, table borders; fonts
    Charis SIL, Gentium Plus, Linux Libertine/Biolinum, EB Garamond,
    Carlito, Roboto, Andika (none of the other generators' fonts);
  * layouts: pre-printed forms with dotted leaders whose values are typed
    in another font and size, a little off the baseline; software print-outs
    with tab-stop rows; a bordered two-column table for the marriage
    certificate; the NĐ 30/2020 header (issuing body left, motto right,
    short rules), "Nơi nhận:" and signer blocks (TM./KT.), a red round seal
    over the signature and part of the name, a scribbled blue signature,
    page footers, page numbers and decisions that run onto a second page;
  * places from the pre-July-2025 three-level list (read at run time, GPL
    data, never copied) and the July-2025 two-level list; names of Kinh,
    Hoa, Khmer, Tày, Thái, H'Mông, Ê Đê and Gia Rai people;
  * its own scanner model: 200/300 dpi, skew, upside-down and sideways
    pages, paper tint, uneven light, bleed-through, stains, folds, blur,
    noise, JPEG quality, grey, RGB and bilevel G4 TIFF, multi-page TIFF.

The text truth is taken line by line from Pango's own line breaks; the
reading order of side-by-side blocks is left block first, then right; a
table is read row by row, left cell first.  Field truth holds only what the
page prints, as printed (dates as ISO).  Seal text and signatures are not
text.

FOR MEASURING ONLY.  No rule of sohoa may be tuned on pages of this set, or
it stops measuring anything.  Use fresh seeds for every measurement.

Needs python3-gi-cairo gir1.2-pango-1.0 and the fonts above
(scripts/deps.sh --bench installs them); notes/third-set.md says more.
"""
import argparse
import json
import math
import os
import random
import sys
import unicodedata

import numpy as np
from PIL import Image, ImageFilter

try:
    import gi
    gi.require_version('Pango', '1.0')
    gi.require_version('PangoCairo', '1.0')
    from gi.repository import Pango, PangoCairo
    import cairo
except (ImportError, ValueError) as e:
    sys.exit('generate_third: cannot load Pango/Cairo (%s): '
             'apt-get install -y python3-gi-cairo gir1.2-pango-1.0' % e)

TYPES = ['birth', 'death', 'marriage', 'marital_status', 'decision']
LEVELS = ['clean', 'mild', 'hard']
RENDER_DPI = 300
A4 = (210.0, 297.0)
# body fonts (Pango family, short name); value fonts for typed-on forms
BODY_FONTS = [('Charis SIL', 'charis-sil'), ('Gentium Plus', 'gentium-plus'),
              ('Linux Libertine O', 'linux-libertine'), ('EB Garamond', 'eb-garamond'),
              ('Carlito', 'carlito')]
VALUE_FONTS = [('Roboto', 'roboto'), ('Linux Biolinum O', 'linux-biolinum'),
               ('Andika', 'andika'), ('Carlito', 'carlito'), ('Charis SIL', 'charis-sil')]
INK = (0.08, 0.08, 0.09)


def mm(x):
    return x * RENDER_DPI / 25.4


def nfc(s):
    return unicodedata.normalize('NFC', s)


def fold(s):
    s = unicodedata.normalize('NFD', s.lower().replace('đ', 'd'))
    return ''.join(c for c in s if unicodedata.category(c) != 'Mn')


def upper(s):
    return nfc(s.upper())


# ------------------------------------------------------------------ words

UNITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín']


def words2(n):
    if n < 10:
        return UNITS[n]
    t, u = divmod(n, 10)
    s = 'mười' if t == 1 else UNITS[t] + ' mươi'
    if u == 0:
        return s
    if u == 1 and t > 1:
        return s + ' mốt'
    if u == 4 and t > 1:
        return s + ' tư'
    if u == 5:
        return s + ' lăm'
    return s + ' ' + UNITS[u]


def words_year(n):
    th, r = divmod(n, 1000)
    s = UNITS[th] + ' nghìn'
    if r == 0:
        return s
    h, r2 = divmod(r, 100)
    s += ' ' + UNITS[h] + ' trăm'
    if r2 == 0:
        return s
    if r2 < 10:
        return s + ' linh ' + UNITS[r2]
    return s + ' ' + words2(r2)


def date_words(d, comma=False):
    y, m, dd = d
    month = {4: 'tư'}.get(m, words2(m))
    sep = ', ' if comma else ' '
    return 'Ngày %s%stháng %s%snăm %s' % (words2(dd), sep, month, sep, words_year(y))


def iso(d):
    return '%04d-%02d-%02d' % d


def dmy(d):
    return '%02d/%02d/%04d' % (d[2], d[1], d[0])


def rand_date(rng, y0, y1):
    y = rng.randint(y0, y1)
    m = rng.randint(1, 12)
    return (y, m, rng.randint(1, 28))


def add_days(d, n):
    import datetime
    x = datetime.date(*d) + datetime.timedelta(days=n)
    return (x.year, x.month, x.day)


def place_date(rng, place, d):
    """NĐ 30/2020: day < 10 and months 1, 2 take a leading zero; software
    often pads every month, hand-set templates often none."""
    style = rng.choice(['rule', 'pad', 'pad', 'bare'])
    day = '%02d' % d[2] if style != 'bare' else str(d[2])
    if style == 'pad' or (style == 'rule' and d[1] <= 2):
        mon = '%02d' % d[1]
    else:
        mon = str(d[1])
    return '%s, ngày %s tháng %s năm %d' % (place, day, mon, d[0])


# ------------------------------------------------------------------ data

def split_type(name):
    for t in ['Thành phố', 'Thị xã', 'Thị trấn', 'Tỉnh', 'Quận', 'Huyện',
              'Phường', 'Xã', 'Đặc khu']:
        if name.startswith(t + ' '):
            return t.lower(), name[len(t) + 1:]
    return '', name


class Places:
    """Administrative units: OLD (before 1/7/2025: province, district,
    commune) read from dvhcvn-2025-03 (GPL-3.0: read here, never copied),
    NEW (after: province, commune) from dvhcvn-20250701 (MIT)."""

    def __init__(self, data):
        with open(os.path.join(data, 'dvhcvn-2025-03', 'dvhcvn.json'), encoding='utf-8') as f:
            old = json.load(f)['data']
        self.old = []
        for p in old:
            dists = []
            for d in p['level2s']:
                comms = [(split_type(nfc(c['name'])), c['level3_id']) for c in d['level3s']]
                if comms:
                    dists.append((split_type(nfc(d['name'])), comms))
            self.old.append(('0' + p['level1_id'], split_type(nfc(p['name'])), dists))
        with open(os.path.join(data, 'dvhcvn-20250701', 'merges.json'), encoding='utf-8') as f:
            new = json.load(f)['data']
        self.new = []
        for p in new:
            comms = [split_type(' '.join(nfc(c['name']).split())) for c in p['level2s']]
            self.new.append(('0' + p['level1_id'], split_type(nfc(p['name'])), comms))
        # old commune -> the new commune that took it over (first one when split)
        with open(os.path.join(data, 'dvhcvn-20250701', 'splits.json'), encoding='utf-8') as f:
            splits = json.load(f)['data']
        self.succ = {}
        newprov = {code: prov for code, prov, _ in self.new}
        for p in splits:
            code = '0' + p['splits'][0]['new_id']
            for c in p['level3s']:
                if c['splits'] and code in newprov:
                    self.succ[c['level3_id']] = (code, newprov[code], split_type(
                        ' '.join(nfc(c['splits'][0]['name']).split())))

    def successor(self, u):
        """The unit that holds U's records after 1/7/2025, or None."""
        if u['district'] is None:
            return u
        m = self.succ.get(u.get('cid'))
        if m is None:
            return None
        return {'commune': m[2], 'district': None, 'province': m[1], 'code': m[0]}

    def pick(self, rng, d, prefer=()):
        """A commune in force on date D: dict with commune, district (None
        after the 2025 reform), province, code (3-digit ID prefix)."""
        new = d >= (2025, 7, 1)
        units = self.new if new else self.old
        if prefer and rng.random() < 0.85:
            want = [fold(x) for x in prefer]
            sel = [u for u in units if fold(u[1][1]) in want]
            units = sel or units
        code, prov, rest = rng.choice(units)
        if new:
            return {'commune': rng.choice(rest), 'district': None, 'province': prov, 'code': code}
        dist, comms = rng.choice(rest)
        comm, cid = rng.choice(comms)
        return {'commune': comm, 'cid': cid, 'district': dist, 'province': prov, 'code': code}


def unit_name(u, cap=False, abbrev=False):
    t, n = u
    if abbrev and t == 'thành phố':
        t = 'TP.'
    s = (t + ' ' + n).strip()
    return s[:1].upper() + s[1:] if cap else s


def address(rng, p, hamlet=None, cap=True, abbrev=False):
    parts = ([hamlet] if hamlet else []) + [unit_name(p['commune'])]
    if p['district']:
        parts.append(unit_name(p['district']))
    parts.append(unit_name(p['province'], abbrev=abbrev))
    s = ', '.join(parts)
    return s[:1].upper() + s[1:] if cap else s


HAMLETS = {    # Kinh hamlets by region: north, centre, south (province code)
    'north': ['Thôn %d', 'Xóm %d', 'Tổ dân phố %d', 'Thôn Đông', 'Thôn Trung Hậu', 'Xóm Chùa',
              'Thôn Thượng', 'Tổ %d'],
    'centre': ['Thôn %d', 'Tổ dân phố %d', 'Khối %d', 'Thôn Phú Mỹ', 'Thôn An Lộc',
               'Xóm Bàu'],
    'south': ['Ấp Tân Hòa', 'Ấp %d', 'Khu phố %d', 'Ấp Phước Lợi', 'Tổ %d, khu phố %d',
              'Khóm %d'],
    'Hoa': ['Tổ dân phố %d', 'Khu phố %d', 'Khóm %d', 'Ấp Hòa Lợi'],
    'Khmer': ['Ấp Sóc Ruộng', 'Phum Ta Ốt', 'Ấp Trà Kha', 'Ấp Kom Pong', 'Sóc Xoài'],
    'Tày': ['Bản Khuổi Nặm', 'Thôn Nà Pài', 'Bản Pác Nặm', 'Thôn Bó Lếch'],
    'Thái': ['Bản Na Ca', 'Bản Hua Mường', 'Bản Pá Củ', 'Bản Lọng Luông'],
    "H'Mông": ['Bản Sín Chải', 'Thôn Lũng Pục', 'Bản Pả Vi', 'Thôn Há Súng'],
    'Ê Đê': ['Buôn Ko Tam', 'Buôn Đung', 'Buôn Kmrơng Prông', 'Buôn Ea Nao'],
    'Gia Rai': ['Làng Plei Ốp', 'Làng Ia Kênh', 'Plei Chuet', 'Làng Ia Mơ Nông'],
}


def hamlet(rng, eth, unit):
    code = int(unit['code'])
    region = 'north' if code < 40 else 'centre' if code < 67 else 'south'
    h = rng.choice(HAMLETS.get(eth, HAMLETS[region]))
    while '%d' in h:
        h = h.replace('%d', str(rng.randint(1, 12)), 1)
    return h


# ------------------------------------------------------------------ people

class Names:
    """Given names from vietnamese-namedb (MIT, read at run time); surnames
    and the names of minority peoples from common knowledge."""
    SUR = [('Nguyễn', 31), ('Trần', 11), ('Lê', 9), ('Phạm', 6), ('Hoàng', 5), ('Vũ', 5),
           ('Phan', 3), ('Trương', 2), ('Bùi', 2), ('Đặng', 2), ('Đỗ', 2), ('Ngô', 2),
           ('Hồ', 1.5), ('Dương', 1.4), ('Hà', 1.2), ('Lý', 1), ('Trịnh', 1), ('Đinh', 1),
           ('Võ', 2), ('Huỳnh', 1.5), ('Lương', 0.6), ('Tạ', 0.5), ('Quách', 0.3), ('Kiều', 0.3)]
    MID_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Công', 'Thanh', 'Xuân', 'Trọng', 'Đình', 'Quang']
    MID_F = ['Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Bích', 'Kim', 'Thùy', 'Hồng', 'Mai', 'Phương']
    ETH = {  # printed ethnicity spellings, surnames, given syllables (m, f)
        'Hoa': (['Hoa'], ['Lý', 'Trương', 'Quách', 'Lâm', 'Mã', 'Tăng', 'Diệp', 'Hứa', 'Châu', 'Lưu'],
                ['Chấn Phong', 'Quốc Huy', 'A Sáng', 'Vĩnh Kiệt', 'Hớn Minh', 'Kiến Vinh'],
                ['Mỹ Linh', 'Thục Quyên', 'Lệ Hoa', 'Tú Anh', 'Muối', 'Ngọc Dung']),
        'Khmer': (['Khmer', 'Khơ-me'], ['Thạch', 'Sơn', 'Danh', 'Kim', 'Chau', 'Lâm'],
                  ['Sô Phanh', 'Sóc Kha', 'Pho', 'Sà Rươl', 'Ty Da', 'Phước Sa', 'Sa Rinh'],
                  ['Thị Sa Rết', 'Thị Chanh Đa', 'Thị Som Nang', 'Thị Sa Ly', 'Thị Pha Ly']),
        'Tày': (['Tày'], ['Hoàng', 'Nông', 'Lương', 'Ma', 'Hà', 'Lục', 'Triệu', 'Đàm', 'Bế'],
                None, None),
        'Thái': (['Thái'], ['Lò', 'Lường', 'Quàng', 'Cầm', 'Tòng', 'Vi', 'Lừ', 'Điêu'],
                 ['Văn Pọm', 'Văn Ín', 'Văn Panh', 'Văn Sươi', 'Văn Biên', 'Văn Thoan'],
                 ['Thị Ỏn', 'Thị Un', 'Thị Ban', 'Thị Xuân', 'Thị Pâng', 'Thị Ngọc']),
        "H'Mông": (["H'Mông", 'Mông'], ['Giàng', 'Sùng', 'Vàng', 'Mùa', 'Thào', 'Lý', 'Hầu',
                                          'Sình', 'Vừ', 'Tráng'],
                   ['A Páo', 'Seo Dìn', 'A Chớ', 'Seo Lử', 'Mí Sú', 'A Tủa', 'Văn Pó'],
                   ['Thị Mỷ', 'Thị Dợ', 'Thị Mua', 'Thị Chu', 'Thị Dế', 'Thị Say']),
        'Ê Đê': (['Ê Đê', 'Ê-đê'], ['Niê', 'Mlô', 'Êban', 'Byă', 'Ksơr', 'Adrơng', 'Buôn Ya',
                                     'Hwing', 'Kđơh'],
                 ['Y Bih', 'Y Kông', 'Y Thuôn', 'Y Blô', 'Y Jốc', 'Y Khâm', 'Y Wang'],
                 ["H'Nga", "H'Hen", "H'Ri", "H'Bia", "H'Yên", "H'Lin"]),
        'Gia Rai': (['Gia Rai', 'Jrai'], ['Ksor', 'Rơ Châm', 'Siu', 'Rơ Mah', 'Kpă', 'Nay',
                                          'Rah Lan', 'Puih'],
                    ['Blúp', 'Phin', 'Đinh', 'Hyun', 'Thu', 'Dơk', 'Yơng'],
                    ["H'Bơm", "H'Lan", "H'Wen", 'Hyơn', "H'Nơ", 'Blanh']),
    }
    PROV = {'Hoa': ['Hồ Chí Minh', 'Đồng Nai', 'Sóc Trăng', 'Kiên Giang', 'Cần Thơ'],
            'Khmer': ['Sóc Trăng', 'Trà Vinh', 'An Giang', 'Kiên Giang', 'Bạc Liêu', 'Vĩnh Long',
                      'Cà Mau', 'Cần Thơ'],
            'Tày': ['Cao Bằng', 'Lạng Sơn', 'Bắc Kạn', 'Tuyên Quang', 'Thái Nguyên', 'Hà Giang'],
            'Thái': ['Sơn La', 'Điện Biên', 'Lai Châu', 'Nghệ An', 'Thanh Hóa'],
            "H'Mông": ['Hà Giang', 'Lào Cai', 'Điện Biên', 'Lai Châu', 'Yên Bái', 'Tuyên Quang'],
            'Ê Đê': ['Đắk Lắk', 'Phú Yên'],
            'Gia Rai': ['Gia Lai', 'Kon Tum', 'Quảng Ngãi']}

    def __init__(self, data):
        def rd(n):
            with open(os.path.join(data, 'vietnamese-namedb', n), encoding='utf-8') as f:
                # the lists write some Đ as Icelandic Ð (U+00D0)
                return [nfc(x.strip().replace('Ð', 'Đ').replace('ð', 'đ')) for x in f if x.strip()]
        self.boy, self.girl = rd('boy.txt'), rd('girl.txt')
        self.boy1, self.girl1 = rd('boy_one_word.txt'), rd('girl_one_word.txt')

    def ethnicity(self, rng):
        r = rng.random()
        if r < 0.55:
            return 'Kinh'
        return rng.choice(list(self.ETH))

    def surname(self, rng):
        return rng.choices([s for s, _ in self.SUR], [w for _, w in self.SUR])[0]

    def kinh(self, rng, male, sur=None):
        sur = sur or self.surname(rng)
        if rng.random() < 0.5:
            rest = rng.choice(self.boy if male else self.girl)
        else:
            rest = rng.choice(self.MID_M if male else self.MID_F) + ' ' + \
                rng.choice(self.boy1 if male else self.girl1)
        return sur + ' ' + rest

    def person(self, rng, male, eth, sur=None):
        if eth == 'Kinh':
            return self.kinh(rng, male, sur)
        _, surs, gm, gf = self.ETH[eth]
        if gm is None:
            return self.kinh(rng, male, sur or rng.choice(surs))
        given = rng.choice(gm if male else gf)
        if eth in ('Ê Đê',):            # given name first, then the clan name
            return given + ' ' + (sur or rng.choice(surs))
        if eth == 'Gia Rai':
            return (sur or rng.choice(surs)) + ' ' + given
        return (sur or rng.choice(surs)) + ' ' + given

    def eth_label(self, rng, eth):
        return 'Kinh' if eth == 'Kinh' else rng.choice(self.ETH[eth][0])

    def family_sur(self, rng, eth):
        if eth == 'Kinh' or self.ETH[eth][2] is None:
            return self.surname(rng) if eth == 'Kinh' else rng.choice(self.ETH[eth][1])
        return rng.choice(self.ETH[eth][1])


def personal_id(rng, code, birth, male):
    century = 0 if birth[0] < 2000 else 2
    return '%s%d%02d%06d' % (code, century + (0 if male else 1), birth[0] % 100,
                             rng.randint(0, 999999))


# ------------------------------------------------------------------ drawing

def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


class Doc:
    """Pages drawn with Cairo at RENDER_DPI; the text truth of each page is
    collected from Pango's own line breaks, in reading order."""

    def __init__(self, rng, body, value, size, form, numbered=False, shrink=0):
        self.rng = rng
        self.body, self.value, self.size = body, value, size
        self.form = form                 # True: pre-printed labels, typed values
        self.numbered = numbered
        self.W, self.H = int(mm(A4[0])), int(mm(A4[1]))
        self.left = mm(rng.uniform(25, 33))
        self.right = self.W - mm(rng.uniform(13, 20))
        self.top, self.bottom = mm(rng.uniform(14, 22)), self.H - mm(rng.uniform(18, 24))
        self.cw = self.right - self.left
        self.pages, self.texts = [], []
        self.vsize = size + rng.choice([0, 0.5, 1, -0.5]) if form else size
        self.voff = mm(rng.uniform(-0.9, 0.3)) if form else 0
        self.lead = rng.uniform(1.2, 1.42) if form else rng.uniform(1.08, 1.25)
        self.vbold = (not form) and rng.random() < 0.35
        self.pspace = 0                  # extra space between paragraph lines
        self.leader = (mm(rng.uniform(0.9, 1.6)), mm(rng.uniform(0.09, 0.15)),
                       rng.uniform(0.15, 0.5))
        # a clerk fits a one-page form on one page: smaller type, tighter lines
        self.size -= 0.5 * shrink
        self.vsize -= 0.5 * shrink
        self.lead = max(1.05, self.lead - 0.07 * shrink)
        self.new_page()

    def new_page(self):
        surf = cairo.ImageSurface(cairo.FORMAT_RGB24, self.W, self.H)
        cr = cairo.Context(surf)
        cr.set_source_rgb(1, 1, 1)
        cr.paint()
        pctx = PangoCairo.create_context(cr)
        PangoCairo.context_set_resolution(pctx, RENDER_DPI)
        fo = cairo.FontOptions()
        fo.set_hint_metrics(cairo.HINT_METRICS_OFF)
        fo.set_hint_style(cairo.HINT_STYLE_NONE)
        fo.set_antialias(cairo.ANTIALIAS_GRAY)
        PangoCairo.context_set_font_options(pctx, fo)
        self.surf, self.cr, self.pctx = surf, cr, pctx
        self.pages.append(surf)
        self.texts.append([])
        self.y = self.top
        if self.numbered and len(self.pages) > 1:
            # NĐ 30/2020: page numbers from page 2, centred in the top margin
            lay = self.layout(str(len(self.pages)), size=self.size - 1)
            self.put(lay, self.left, mm(9), self.cw, 'center')
            self.texts[-1].append(str(len(self.pages)))

    def layout(self, text, family=None, size=None, bold=False, italic=False, width=None,
               align='left', justify=False, indent=0, markup=False, spacing=0):
        lay = Pango.Layout.new(self.pctx)
        fd = Pango.FontDescription.from_string('%s %s%s %.1f' % (
            family or self.body, 'Bold ' if bold else '', 'Italic ' if italic else '',
            size or self.size))
        lay.set_font_description(fd)
        if width:
            lay.set_width(int(width * Pango.SCALE))
            lay.set_wrap(Pango.WrapMode.WORD)
        lay.set_alignment({'left': Pango.Alignment.LEFT, 'center': Pango.Alignment.CENTER,
                           'right': Pango.Alignment.RIGHT}[align])
        lay.set_justify(justify)
        if indent:
            lay.set_indent(int(indent * Pango.SCALE))
        if spacing:
            lay.set_spacing(int(spacing * Pango.SCALE))
        if markup:
            lay.set_markup(text, -1)
        else:
            lay.set_text(text, -1)
        return lay

    @staticmethod
    def lines(lay):
        b = lay.get_text().encode('utf-8')
        return [b[l.start_index:l.start_index + l.length].decode('utf-8').strip()
                for l in lay.get_lines_readonly()]

    def put(self, lay, x, y, width=None, align='left', color=INK):
        w, h = lay.get_pixel_size()
        if width and align == 'center' and lay.get_width() < 0:
            x += (width - w) / 2
        self.cr.set_source_rgb(*color)
        self.cr.move_to(x, y)
        PangoCairo.show_layout(self.cr, lay)
        return w, h

    def need(self, h):
        if self.y + h > self.bottom:
            self.new_page()

    def para(self, text, x=None, width=None, gap=0.0, **kw):
        """A wrapped block at the cursor; returns its lines."""
        x = self.left if x is None else x
        width = width or self.cw
        kw.setdefault('spacing', self.pspace)
        lay = self.layout(text, width=width, **kw)
        h = lay.get_pixel_size()[1]
        self.need(h)
        self.put(lay, x, self.y)
        self.y += h + mm(gap)
        ls = [l for l in self.lines(lay) if l]
        self.texts[-1].extend(ls)
        return ls

    def rule(self, x0, x1, y, w=0.25):
        self.cr.set_source_rgb(*INK)
        self.cr.set_line_width(mm(w))
        self.cr.move_to(x0, y)
        self.cr.line_to(x1, y)
        self.cr.stroke()

    def dots(self, x0, x1, y):
        """The dotted leader a value is typed on (its pitch, size and grey
        are the printer's: set once per document)."""
        pitch, rad, grey = self.leader
        self.cr.set_source_rgb(grey, grey, grey)
        x = x0 + mm(0.8)
        while x < x1 - mm(0.5):
            self.cr.arc(x, y, rad, 0, 2 * math.pi)
            self.cr.fill()
            x += pitch

    def value_layout(self, text, width=None):
        return self.layout(text, family=self.value if self.form else self.body,
                           size=self.vsize, bold=(not self.form and self.vbold), width=width)

    def fit_words(self, text, width):
        """Longest prefix of TEXT's words that fits WIDTH in the value font."""
        ws = text.split()
        for k in range(len(ws), 0, -1):
            if self.value_layout(' '.join(ws[:k])).get_pixel_size()[0] <= width:
                return ' '.join(ws[:k]), ' '.join(ws[k:])
        return '', text

    def row(self, items):
        """One line of the form: ITEMS = [(label, value, x0, x1)] with x0, x1
        fractions of the text width.  The last value wraps onto full-width
        continuation lines.  Appends the truth lines."""
        lab0 = self.layout('Hg', size=self.size)
        lh = lab0.get_pixel_size()[1] * self.lead
        self.need(lh)
        base = self.y + lab0.get_baseline() / Pango.SCALE
        parts, rest, xend = [], '', self.left - mm(3)
        for i, (label, value, f0, f1) in enumerate(items):
            x0, x1 = self.left + f0 * self.cw, self.left + f1 * self.cw
            x0 = max(x0, xend + mm(3))
            lay = self.layout(label, size=self.size)
            self.put(lay, x0, base - lay.get_baseline() / Pango.SCALE)
            vx = x0 + lay.get_pixel_size()[0] + mm(1.2)
            if self.form:
                self.dots(vx, x1, base + mm(0.5))
            value = value or ''
            if i == len(items) - 1:
                value, rest = self.fit_words(value, x1 - vx)
            xend = vx
            if value:
                vl = self.value_layout(value)
                jig = mm(self.rng.uniform(-0.15, 0.15)) if self.form else 0
                vx += mm(self.rng.uniform(0, 2)) if self.form else 0
                self.put(vl, vx, base - vl.get_baseline() / Pango.SCALE + self.voff + jig)
                xend = vx + vl.get_pixel_size()[0]
            parts.append(label + (' ' + value if value else ''))
        self.texts[-1].append(' '.join(parts))
        self.y += lh
        while rest:
            self.need(lh)
            base = self.y + lab0.get_baseline() / Pango.SCALE
            x0 = self.left + (mm(6) if not self.form else 0)
            if self.form:
                self.dots(self.left, self.right, base + mm(0.5))
            value, rest = self.fit_words(rest, self.right - x0)
            if not value:
                value, rest = rest, ''
            vl = self.value_layout(value)
            self.put(vl, x0, base - vl.get_baseline() / Pango.SCALE + self.voff)
            self.texts[-1].append(value)
            self.y += lh

    def center_lines(self, lines, x, width, y, size=None, bold=False, italic=False,
                     underline=None):
        """Centred lines in a column; returns bottom y and the truth lines.
        UNDERLINE: index of the line to rule under (length of that line, or
        a third of it for the issuing body)."""
        out = []
        for i, (t, b) in enumerate(lines):
            lay = self.layout(t, size=size or self.size, bold=b if b is not None else bold,
                              italic=italic, width=width, align='center')
            w, h = lay.get_pixel_size()
            self.put(lay, x, y)
            out.extend(l for l in self.lines(lay) if l)
            y += h
            if underline and i == underline[0]:
                tw = lay.get_pixel_extents()[1].width
                frac = underline[1]
                self.rule(x + width / 2 - tw * frac / 2, x + width / 2 + tw * frac / 2,
                          y + mm(0.6), 0.3)
                y += mm(1.5)
        return y, out

    def seal(self, cx, cy, r, top_text, bottom_text, color=(0.82, 0.12, 0.14)):
        cr = self.cr
        cr.save()
        cr.set_operator(cairo.OPERATOR_MULTIPLY)
        cr.set_source_rgba(*color, self.rng.uniform(0.7, 0.92))
        cr.translate(cx, cy)
        cr.rotate(self.rng.uniform(-0.5, 0.5))
        for rad, w in ((r, 0.9), (r - mm(1.3), 0.35), (r * 0.52, 0.35)):
            cr.set_line_width(mm(w))
            cr.arc(0, 0, rad, 0, 2 * math.pi)
            cr.stroke()
        # ring text, clockwise, the body's name centred on top
        text = top_text + ' * ' + bottom_text + ' * '
        rt = r - mm(1.9)
        sz = 7.0
        ws = [self.layout(ch, family='Roboto', size=sz, bold=True).get_pixel_size()[0]
              for ch in text]
        sz = min(8.0, sz * 0.93 * 2 * math.pi * (rt - mm(1.5)) / sum(ws))
        ws = [w * sz / 7.0 for w in ws]
        per = 2 * math.pi / sum(ws)
        a = -math.pi / 2 - per * sum(ws[:len(top_text)]) / 2
        for ch, w in zip(text, ws):
            a += per * w / 2
            cr.save()
            cr.rotate(a + math.pi / 2)
            cr.translate(0, -rt)
            lay = self.layout(ch, family='Roboto', size=sz, bold=True)
            cr.move_to(-lay.get_pixel_size()[0] / 2, 0)
            PangoCairo.show_layout(cr, lay)
            cr.restore()
            a += per * w / 2
        pts = []
        for k in range(10):
            rr = mm(3.2) if k % 2 == 0 else mm(1.3)
            a = math.pi * k / 5 - math.pi / 2
            pts.append((rr * math.cos(a), rr * math.sin(a)))
        cr.move_to(*pts[0])
        for p in pts[1:]:
            cr.line_to(*p)
        cr.close_path()
        cr.fill()
        cr.restore()

    def signature(self, cx, cy, width):
        cr, rng = self.cr, self.rng
        cr.save()
        cr.set_source_rgba(0.1, 0.14, 0.48, 0.9)
        cr.set_line_width(mm(rng.uniform(0.3, 0.55)))
        cr.set_line_cap(cairo.LINE_CAP_ROUND)
        x, y = cx - width / 2, cy + rng.uniform(-1, 1) * mm(2)
        cr.move_to(x, y)
        for _ in range(rng.randint(3, 6)):
            dx = width / 5 * rng.uniform(0.5, 1.4)
            cr.curve_to(x + dx * rng.uniform(-0.4, 0.8), y - mm(rng.uniform(2, 9)),
                        x + dx * rng.uniform(0.2, 1.4), y + mm(rng.uniform(-3, 6)),
                        x + dx, y + mm(rng.uniform(-3, 3)))
            x += dx
        cr.stroke()
        cr.move_to(cx - width * 0.45, cy + mm(rng.uniform(3, 5)))
        cr.curve_to(cx - width * 0.1, cy + mm(6), cx + width * 0.2, cy + mm(1),
                    cx + width * 0.55, cy + mm(rng.uniform(2, 5)))
        cr.stroke()
        cr.restore()


# ------------------------------------------------------------------ blocks

def org_lines(rng, unit):
    """Issuing-body lines of the NĐ 30/2020 header: (parent lines, body
    lines).  The issuer field is the body lines joined, as printed."""
    ct, cn = unit['commune']
    com = upper(ct + ' ' + cn)
    parents = []
    if unit['district'] and rng.random() < 0.35:
        parents = [upper(unit_name(unit['district']))]
        if rng.random() < 0.5:
            parents.insert(0, upper(unit_name(unit['province'])))
    elif not unit['district'] and rng.random() < 0.3:
        parents = [upper(unit_name(unit['province']))]
    r = rng.random()
    if r < 0.6:
        body = ['ỦY BAN NHÂN DÂN', com]
    elif r < 0.8:
        body = ['UỶ BAN NHÂN DÂN', com]
    else:
        body = ['UBND ' + com]
    return parents, body


def place_of(unit):
    t, n = unit['commune']
    if n.isdigit():
        t, n = unit['district'] or unit['province']
        if n.isdigit():
            n = unit['province'][1]
    return n


def nd30_header(doc, rng, unit, number, pdate, number_prefix='Số: '):
    """Issuing body and number left, motto and place-date right.  Returns
    the issuer as printed."""
    parents, body = org_lines(rng, unit)
    lw = doc.cw * rng.uniform(0.38, 0.44)
    lx = doc.left - mm(rng.uniform(4, 9))
    lwid = lw + (doc.left - lx)
    hs = doc.size - rng.choice([0, 0.5, 1])
    y0 = doc.y
    lines = [(p, False) for p in parents] + [(b, True) for b in body]
    y, ltxt = doc.center_lines(lines, lx, lwid, y0, size=hs, underline=(len(lines) - 1, 0.45))
    y += mm(1.5)
    lay = doc.layout(number_prefix + number, size=doc.size)
    doc.put(lay, lx + (lwid - lay.get_pixel_size()[0]) / 2, y)
    ltxt.append(number_prefix + number)
    ybot = y + lay.get_pixel_size()[1]
    rx = doc.left + lw
    rw = doc.right - rx + mm(3)
    qs = hs
    while doc.layout('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', size=qs,
                     bold=True).get_pixel_size()[0] > rw - mm(2):
        qs -= 0.5
    qh = rng.choice(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM'])
    yr, rtxt = doc.center_lines([(qh, True)], rx, rw, y0, size=qs)
    yr, t2 = doc.center_lines([('Độc lập - Tự do - Hạnh phúc', True)], rx, rw, yr,
                              size=qs + 0.5, underline=(0, 1.0))
    rtxt += t2
    if pdate:
        lay = doc.layout(pdate, size=doc.size, italic=True)
        doc.put(lay, rx + (rw - lay.get_pixel_size()[0]) / 2, max(y, yr + mm(2)))
        rtxt.append(pdate)
        ybot = max(ybot, max(y, yr + mm(2)) + lay.get_pixel_size()[1])
    doc.texts[-1].extend(ltxt + rtxt)
    doc.y = max(ybot, yr) + mm(rng.uniform(6, 11))
    return ' '.join(body)


def title(doc, lines, size=None, gap=2.0):
    for t, b, it in lines:
        doc.para(t, size=size or doc.size + 1.5, bold=b, italic=it, align='center')
    doc.y += mm(gap)


def signer_block(doc, rng, level, unit, head, titles, name, left=None, seal=True):
    """Signer column on the right (HEAD lines, TITLES in bold, room for the
    signature and seal, NAME in bold); LEFT: lines of a block on the left
    (Nơi nhận).  Appends left block then right block to the truth."""
    rx = doc.left + doc.cw * rng.uniform(0.40, 0.48)
    rw = doc.right - rx + mm(4)
    lays = []
    for t, b, it, sz in head + [(t, True, False, doc.size) for t in titles]:
        lays.append(doc.layout(t, size=sz, bold=b, italic=it, width=rw, align='center'))
    space = mm(rng.uniform(20, 28))
    nlay = doc.layout(name, size=doc.size, bold=True, width=rw, align='center')
    rh = sum(l.get_pixel_size()[1] for l in lays) + space + nlay.get_pixel_size()[1]
    llays = []
    if left:
        lw = doc.cw * 0.42
        for t, b, it, sz in left:
            llays.append(doc.layout(t, size=sz, bold=b, italic=it, width=lw))
    lh = sum(l.get_pixel_size()[1] for l in llays)
    doc.need(max(rh, lh) + mm(4))
    y = doc.y
    for l in llays:
        doc.put(l, doc.left, y)
        doc.texts[-1].extend(x for x in doc.lines(l) if x)
        y += l.get_pixel_size()[1]
    y = doc.y
    for l in lays:
        doc.put(l, rx, y)
        doc.texts[-1].extend(x for x in doc.lines(l) if x)
        y += l.get_pixel_size()[1]
    sy = y
    cx = rx + rw / 2
    doc.signature(cx + mm(rng.uniform(-3, 6)), sy + space * 0.5, mm(rng.uniform(28, 40)))
    doc.put(nlay, rx, sy + space)
    doc.texts[-1].extend(x for x in doc.lines(nlay) if x)
    if seal:
        r = mm(rng.uniform(16.5, 18.5))
        down = {'clean': 0.0, 'mild': 0.15, 'hard': 0.3}[level]
        scx = cx - mm(rng.uniform(8, 17))
        scy = sy + space * (0.45 + rng.uniform(0, down))
        ct, cn = unit['commune']
        bottom = upper(unit_name(unit['district'] or unit['province']))
        doc.seal(scx, scy, r, upper('Ủy ban nhân dân ' + ct + ' ' + cn), bottom)
    doc.y = max(sy + space + nlay.get_pixel_size()[1], doc.y + lh) + mm(4)


def titles_for(rng, tm=True):
    r = rng.random()
    top = ['TM. ỦY BAN NHÂN DÂN'] if tm else []
    if r < 0.45:
        return top + ['CHỦ TỊCH']
    if r < 0.85:
        return top + ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']
    return ['CÔNG CHỨC TƯ PHÁP - HỘ TỊCH'] if not tm else top + ['PHÓ CHỦ TỊCH']


def footer(doc, rng, text):
    lay = doc.layout(text, size=8, italic=rng.random() < 0.5)
    doc.put(lay, doc.left, doc.H - mm(12))
    doc.texts[-1].append(text)


def sign_hint(rng):
    return rng.choice(['(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)',
                       '(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)',
                       '(Ký, ghi rõ họ tên, chức vụ và đóng dấu)'])


def reg_place(rng, unit):
    lead = 'Ủy ban nhân dân ' if rng.random() < 0.75 else 'UBND '
    return lead + address(rng, unit, cap=False)


def issuer_unit(ctx, rng, reg_unit, reg_date, issue):
    """The office that issues a copy: the same commune while it exists,
    else a commune of the same province after the 2025 reform."""
    if (reg_date >= (2025, 7, 1)) == (issue >= (2025, 7, 1)):
        return reg_unit
    return ctx.places.successor(reg_unit) or ctx.places.pick(rng, issue)


def age_date(rng, d, lo, hi):
    return add_days(d, rng.randint(lo, hi))


def clamp(d, rng, hi=(2026, 11, 30)):
    """D, or a day of the last year before HI when D is later."""
    return d if d <= hi else add_days(hi, -rng.randint(0, 365))


# ------------------------------------------------------------------ documents

def person(ctx, rng, d0, d1, male=None, eth=None, place_date=None):
    male = rng.random() < 0.5 if male is None else male
    eth = eth or ctx.names.ethnicity(rng)
    p = {'male': male, 'eth': eth, 'eth_label': ctx.names.eth_label(rng, eth),
         'name': ctx.names.person(rng, male, eth), 'birth': rand_date(rng, d0, d1)}
    p['unit'] = ctx.places.pick(rng, place_date or p['birth'], Names.PROV.get(eth, ()))
    p['home'] = address(rng, p['unit'], hamlet(rng, eth, p['unit']), abbrev=rng.random() < 0.15)
    return p


def shown(rng, name):
    return upper(name) if rng.random() < 0.5 else name


def ong_ba(p):
    return 'ông' if p['male'] else 'bà'


def sex(p):
    return 'Nam' if p['male'] else 'Nữ'


def build_birth(doc, rng, ctx, level):
    gks = rng.random() < 0.3
    child = person(ctx, rng, 2016 if gks else 1955, 2026 if gks else 2024)
    # the family name: the father's, the mother's clan among Ê Đê and Gia Rai
    fam = ctx.names.family_sur(rng, child['eth'])
    matri = child['eth'] in ('Ê Đê', 'Gia Rai')
    child['name'] = ctx.names.person(rng, child['male'], child['eth'], fam)
    child['birth'] = clamp(child['birth'], rng, (2026, 9, 15))
    reg = min(age_date(rng, child['birth'], 3, 70), (2026, 11, 30))
    unit = ctx.places.pick(rng, reg, Names.PROV.get(child['eth'], ()))
    issue = reg if gks else max(clamp(age_date(rng, reg, 0, 9000), rng), reg)
    issue = max(issue, (2016, 1, 4)) if not gks else issue
    iu = issuer_unit(ctx, rng, unit, reg, issue)
    f = {'doc_type': 'birth'}
    if gks:
        n = str(rng.randint(1, 260))
        doc.center_lines([('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', True)], doc.left, doc.cw,
                         doc.y, size=doc.size)
        doc.texts[-1].append('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
        doc.y += mm(6)
        y, t = doc.center_lines([('Độc lập - Tự do - Hạnh phúc', True)], doc.left, doc.cw,
                                doc.y, size=doc.size + 0.5, underline=(0, 1.0))
        doc.texts[-1].extend(t)
        doc.y = y + mm(5)
        q = 'Quyển số: %02d/%d' % (rng.randint(1, 3), reg[0])
        doc.row([('Số:', n, 0.0, 0.45), (q, '', 0.6, 0.6)] if rng.random() < 0.5
                else [('Số:', n, 0.0, 0.45)])
        f['doc_number'] = n
        title(doc, [('GIẤY KHAI SINH', True, False)], size=doc.size + 3, gap=3)
    else:
        suffix = rng.choice(['TLKS-BS', 'TLKS-BS', 'TLKS', 'TLKS-BC'])
        n = '%d/%s%s' % (rng.randint(1, 340), '%d/' % issue[0] if rng.random() < 0.4 else '',
                         suffix)
        f['issuer'] = nd30_header(doc, rng, iu, n, place_date(rng, place_of(iu), issue))
        f['doc_number'] = n
        f['issue_date'] = iso(issue)
        title(doc, [('TRÍCH LỤC KHAI SINH', True, False)] +
              ([('(BẢN SAO)', True, False)] if suffix.endswith('BS') else []),
              size=doc.size + 2, gap=3)
    name = shown(rng, child['name'])
    f.update(full_name=name, birth_date=iso(child['birth']), sex=sex(child),
             ethnicity=child['eth_label'], nationality='Việt Nam')
    doc.row([('Họ, chữ đệm, tên:', name, 0, 1)])
    lab = rng.choice(['ghi bằng chữ:', 'Ghi bằng chữ:'])
    doc.row([('Ngày, tháng, năm sinh:', dmy(child['birth']), 0, 0.45),
             (lab, date_words(child['birth'], rng.random() < 0.3), 0.45, 1)])
    doc.row([('Giới tính:', sex(child), 0, 0.3), ('Dân tộc:', child['eth_label'], 0.3, 0.62),
             ('Quốc tịch:', 'Việt Nam', 0.62, 1)])
    r = rng.random()
    if r < 0.45:
        bp = rng.choice(['Bệnh viện Đa khoa %s', 'Bệnh viện Sản - Nhi %s', 'Trung tâm Y tế %s'])
        bp = bp % unit_name(unit['province'], abbrev=rng.random() < 0.2)
    elif r < 0.75:
        bp = 'Trạm Y tế ' + address(rng, unit, cap=False)
    else:
        bp = address(rng, unit)
    hu = ctx.places.pick(rng, reg, Names.PROV.get(child['eth'], ()))
    home = address(rng, hu)
    f.update(birth_place=bp, hometown=home)
    doc.row([('Nơi sinh:', bp, 0, 1)])
    doc.row([('Quê quán:', home, 0, 1)])
    if reg[0] >= 2016 or issue[0] >= 2021 or rng.random() < 0.3:
        pid = personal_id(rng, unit['code'], child['birth'], child['male'])
        if rng.random() < 0.85:
            f['personal_id'] = pid
            doc.row([('Số định danh cá nhân:', pid, 0, 1)])
        else:
            doc.row([('Số định danh cá nhân:', '', 0, 1)])
    for who, male in (('mẹ', False), ('cha', True)):
        if who == 'cha' and rng.random() < 0.12:
            doc.row([('Họ, chữ đệm, tên người cha:', '', 0, 1)])
            if doc.form:
                doc.row([('Năm sinh:', '', 0, 0.3), ('Dân tộc:', '', 0.3, 0.62),
                         ('Quốc tịch:', '', 0.62, 1)])
                doc.row([('Nơi cư trú:', '', 0, 1)])
            continue
        sur = fam if male != matri else None
        pn = child['name']
        while fold(pn) == fold(child['name']):   # short name lists repeat
            pn = ctx.names.person(rng, male, child['eth'], sur)
        f['father_name' if male else 'mother_name'] = pn
        doc.row([('Họ, chữ đệm, tên người %s:' % who, pn, 0, 1)])
        doc.row([('Năm sinh:', str(child['birth'][0] - rng.randint(19, 42)), 0, 0.3),
                 ('Dân tộc:', child['eth_label'], 0.3, 0.62), ('Quốc tịch:', 'Việt Nam', 0.62, 1)])
        doc.row([('Nơi cư trú:', address(rng, unit, hamlet(rng, child['eth'], unit)), 0, 1)])
    if gks:
        doc.row([('Họ, chữ đệm, tên người đi khai sinh:', f.get('father_name', f['mother_name']),
                  0, 1)])
    rp = reg_place(rng, unit)
    f.update(registration_place=rp, registration_date=iso(reg))
    if not gks and rng.random() < 0.25:
        doc.row([('Đăng ký khai sinh tại:', rp, 0, 1)])
        doc.row([('Số:', str(rng.randint(1, 200)), 0, 0.3), ('ngày', dmy(reg), 0.3, 1)])
        f['registration_date'] = iso(reg)
    else:
        doc.row([('Nơi đăng ký khai sinh:', rp, 0, 1)])
        doc.row([('Ngày, tháng, năm đăng ký:', dmy(reg), 0, 1)])
    if not gks and rng.random() < 0.5:
        doc.row([('Ghi chú:', '', 0, 1)])
    doc.y += mm(4)
    signer = ctx.names.kinh(rng, rng.random() < 0.6)
    f['signer'] = signer
    head = [('NGƯỜI KÝ GIẤY KHAI SINH' if gks else 'NGƯỜI KÝ TRÍCH LỤC', True, False, doc.size),
            (sign_hint(rng), False, True, doc.size - 2)]
    titles = titles_for(rng, tm=False)
    if gks and titles[0].startswith('CÔNG'):
        titles = ['CHỦ TỊCH']
    signer_block(doc, rng, level, iu, head, titles, signer)
    return f


def build_death(doc, rng, ctx, level):
    dead = person(ctx, rng, 1925, 1992)
    death = rand_date(rng, 2005, 2026)
    death = clamp(death, rng, (2026, 10, 20))
    reg = min(age_date(rng, death, 1, 40), (2026, 11, 30))
    unit = ctx.places.pick(rng, reg, Names.PROV.get(dead['eth'], ()))
    issue = max(clamp(age_date(rng, reg, 0, 3000), rng), reg)
    iu = issuer_unit(ctx, rng, unit, reg, issue)
    f = {'doc_type': 'death'}
    n = '%d/%s%s' % (rng.randint(1, 190), '%d/' % issue[0] if rng.random() < 0.4 else '',
                     rng.choice(['TLKT-BS', 'TLKT-BS', 'TLKT']))
    f['issuer'] = nd30_header(doc, rng, iu, n, place_date(rng, place_of(iu), issue),
                              number_prefix=rng.choice(['Số: ', 'Số: ', 'Số ']))
    f.update(doc_number=n, issue_date=iso(issue))
    title(doc, [('TRÍCH LỤC KHAI TỬ', True, False)] +
          ([('(BẢN SAO)', True, False)] if n.endswith('BS') else []), size=doc.size + 2, gap=3)
    name = shown(rng, dead['name'])
    f.update(full_name=name, birth_date=iso(dead['birth']), sex=sex(dead),
             ethnicity=dead['eth_label'], nationality='Việt Nam')
    doc.row([('Họ, chữ đệm, tên:', name, 0, 1)])
    doc.row([('Ngày, tháng, năm sinh:', dmy(dead['birth']), 0, 1)])
    doc.row([('Giới tính:', sex(dead), 0, 0.3), ('Dân tộc:', dead['eth_label'], 0.3, 0.62),
             ('Quốc tịch:', 'Việt Nam', 0.62, 1)])
    pid = personal_id(rng, dead['unit']['code'], dead['birth'], dead['male'])
    f['personal_id'] = pid
    doc.row([('Số định danh cá nhân:', pid, 0, 1)])
    home = address(rng, unit, hamlet(rng, dead['eth'], unit))
    if rng.random() < 0.6:
        f['residence'] = home
        doc.row([('Nơi cư trú cuối cùng:', home, 0, 1)])
    if rng.random() < 0.85:
        when = '%02d giờ %02d phút, ngày %s' % (rng.randint(0, 23), rng.randint(0, 59), dmy(death))
    else:
        when = 'ngày %s' % dmy(death)
    f['death_date'] = iso(death)
    doc.row([('Đã chết vào lúc:', when, 0, 1)])
    doc.row([('ghi bằng chữ:', date_words(death), 0, 1)])
    r = rng.random()
    if r < 0.45:
        dp = 'Tại nhà, ' + home
    elif r < 0.8:
        dp = 'Bệnh viện Đa khoa ' + unit_name(unit['province'])
    else:
        dp = 'Trạm Y tế ' + address(rng, unit, cap=False)
    f['death_place'] = dp
    doc.row([('Nơi chết:', dp, 0, 1)])
    if rng.random() < 0.85:
        cause = rng.choice(['Già yếu', 'Bệnh già', 'Suy tim', 'Tai biến mạch máu não',
                            'Ung thư phổi', 'Tai nạn giao thông', 'Xơ gan', 'Đột quỵ',
                            'Viêm phổi', 'Nhồi máu cơ tim', 'Suy thận mạn'])
        f['death_cause'] = cause
        doc.row([('Nguyên nhân chết:', cause, 0, 1)])
    else:
        doc.row([('Nguyên nhân chết:', '', 0, 1)])
    if rng.random() < 0.5:
        rel = rng.choice(['Con', 'Con', 'Vợ', 'Chồng', 'Cháu', 'Em ruột'])
        doc.row([('Họ, chữ đệm, tên người đi khai tử:',
                  ctx.names.person(rng, rng.random() < 0.6, dead['eth']), 0, 1)])
        doc.row([('Quan hệ với người chết:', rel, 0, 1)])
    rp = reg_place(rng, unit)
    f.update(registration_place=rp, registration_date=iso(reg))
    doc.row([('Nơi đăng ký khai tử:', rp, 0, 1)])
    doc.row([('Ngày, tháng, năm đăng ký:', dmy(reg), 0, 1)])
    if rng.random() < 0.5:
        doc.row([('Ghi chú:', '', 0, 1)])
    doc.y += mm(4)
    signer = ctx.names.kinh(rng, rng.random() < 0.6)
    f['signer'] = signer
    head = [('NGƯỜI KÝ TRÍCH LỤC', True, False, doc.size), (sign_hint(rng), False, True,
                                                            doc.size - 2)]
    signer_block(doc, rng, level, iu, head, titles_for(rng, tm=False), signer)
    return f


def table(doc, rng, rows, fracs):
    """A bordered table; ROWS of cells, each cell a list of (label, value,
    bold).  Cells wrap inside their column; read row by row, left cell
    first."""
    pad = mm(1.8)
    xs = [doc.left + f * doc.cw for f in fracs]
    for cells in rows:
        lays = []
        for c, cell in enumerate(cells):
            w = xs[c + 1] - xs[c] - 2 * pad
            ls = []
            for label, value, bold in cell:
                m = '<span font_desc="%s %.1f">%s</span>' % (
                    doc.body + (' Bold' if bold else ''), doc.size, esc(label))
                if value:
                    m += ' <span font_desc="%s %.1f">%s</span>' % (doc.value, doc.vsize,
                                                                    esc(value))
                ls.append(doc.layout(m, width=w, markup=True,
                                     align='center' if bold and not value else 'left'))
            lays.append(ls)
        h = max(sum(l.get_pixel_size()[1] * 1.12 for l in ls) for ls in lays) + 2 * pad
        doc.need(h)
        for c, ls in enumerate(lays):
            y = doc.y + pad
            for l in ls:
                doc.put(l, xs[c] + pad, y)
                doc.texts[-1].extend(x for x in doc.lines(l) if x)
                y += l.get_pixel_size()[1] * 1.12
        doc.cr.set_source_rgb(*INK)
        doc.cr.set_line_width(mm(0.3))
        doc.cr.rectangle(xs[0], doc.y, xs[-1] - xs[0], h)
        for x in xs[1:-1]:
            doc.cr.move_to(x, doc.y)
            doc.cr.line_to(x, doc.y + h)
        doc.cr.stroke()
        doc.y += h


def build_marriage(doc, rng, ctx, level):
    reg = clamp(rand_date(rng, 2008, 2026), rng)
    eth_h = ctx.names.ethnicity(rng)
    eth_w = eth_h if rng.random() < 0.7 else ctx.names.ethnicity(rng)
    hus = person(ctx, rng, reg[0] - 45, reg[0] - 20, True, eth_h, reg)
    wife = person(ctx, rng, reg[0] - 40, reg[0] - 18, False, eth_w, reg)
    unit = rng.choice([hus, wife])['unit']
    n = str(rng.randint(1, 150)) + ('/%d' % reg[0] if rng.random() < 0.5 else '')
    f = {'doc_type': 'marriage', 'doc_number': n}
    y, t = doc.center_lines([('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', True),
                             ('Độc lập - Tự do - Hạnh phúc', True)], doc.left, doc.cw, doc.y,
                            size=doc.size, underline=(1, 1.0))
    doc.texts[-1].extend(t)
    doc.y = y + mm(4)
    if rng.random() < 0.5:
        doc.row([('Số:', n, 0, 0.4), ('Quyển số: %02d' % rng.randint(1, 4), '', 0.62, 0.62)])
    else:
        doc.row([('Số:', n, 0, 0.4)])
    title(doc, [('GIẤY CHỨNG NHẬN KẾT HÔN', True, False)], size=doc.size + 4, gap=3)
    cols = []
    for p, who in ((hus, 'chồng'), (wife, 'vợ')):
        pid = personal_id(rng, p['unit']['code'], p['birth'], p['male'])
        idl = rng.choice(['Căn cước công dân số %s', 'Căn cước số %s', 'Số định danh cá nhân: %s'])
        nm = shown(rng, p['name']) if rng.random() < 0.3 else p['name']
        p['shown'] = nm
        cols.append([[(who.upper(), '', True)],
                     [('Họ, chữ đệm, tên:', nm, False)],
                     [('Ngày, tháng, năm sinh:', dmy(p['birth']), False)],
                     [('Dân tộc:', p['eth_label'], False), ('Quốc tịch:', 'Việt Nam', False)],
                     [('Nơi cư trú:', p['home'], False)],
                     [('Giấy tờ tùy thân:', idl % pid, False)]])
    if rng.random() < 0.5:
        cols.reverse()
    table(doc, rng, list(zip(*cols)), [0, 0.5, 1])
    doc.y += mm(3)
    rp = reg_place(rng, unit)
    f.update(full_name=hus['shown'], spouse_name=wife['shown'], registration_place=rp,
             registration_date=iso(reg))
    doc.row([('Nơi đăng ký kết hôn:', rp, 0, 1)])
    doc.row([('Ngày, tháng, năm đăng ký:', dmy(reg), 0, 1)])
    doc.y += mm(3)
    # the couple's signatures, side by side; their names written under
    hint = '(Ký, ghi rõ họ, chữ đệm, tên)'
    doc.need(mm(32))
    y0 = doc.y
    order = [('Chồng', hus), ('Vợ', wife)] if rng.random() < 0.5 else [('Vợ', wife),
                                                                       ('Chồng', hus)]
    for k, (lab, p) in enumerate(order):
        x = doc.left + k * doc.cw * 0.5
        y, t = doc.center_lines([(lab, True), (hint, False)], x, doc.cw * 0.5, y0,
                                size=doc.size - 1)
        y, t2 = doc.center_lines([(p['name'], False)], x, doc.cw * 0.5, y + mm(13),
                                 size=doc.vsize, italic=True)
        doc.signature(x + doc.cw * 0.25, y - mm(12), mm(22))
        doc.texts[-1].extend(t + t2)
    doc.y = y + mm(5)
    signer = ctx.names.kinh(rng, rng.random() < 0.6)
    f['signer'] = signer
    head = [('NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN', True, False, doc.size - 1),
            (sign_hint(rng), False, True, doc.size - 2)]
    signer_block(doc, rng, level, unit, head, titles_for(rng, tm=False), signer)
    return f


PURPOSES = ['Làm thủ tục đăng ký kết hôn.', 'Bổ sung hồ sơ vay vốn ngân hàng.',
            'Bổ sung hồ sơ xin việc.', 'Làm thủ tục mua bán nhà đất.',
            'Làm thủ tục xuất khẩu lao động.', 'Bổ sung hồ sơ thừa kế.']
STATUSES = ['Chưa đăng ký kết hôn với ai.', 'Hiện tại chưa đăng ký kết hôn với ai.',
            'Đã ly hôn, hiện tại chưa đăng ký kết hôn với ai.',
            'Chưa kết hôn lần nào.', 'Có vợ/chồng đã chết, hiện tại chưa đăng ký kết hôn với ai.']


def build_marital(doc, rng, ctx, level):
    issue = clamp(rand_date(rng, 2016, 2026), rng)
    p = person(ctx, rng, issue[0] - 60, issue[0] - 18, place_date=issue)
    unit = p['unit']
    n = '%d/%s' % (rng.randint(1, 260), rng.choice(['UBND-XNTTHN', 'XNTTHN', 'UBND-XNTTHN']))
    f = {'doc_type': 'marital_status', 'doc_number': n}
    f['issuer'] = nd30_header(doc, rng, unit, n, place_date(rng, place_of(unit), issue))
    f['issue_date'] = iso(issue)
    title(doc, [('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', True, False)], size=doc.size + 1.5,
          gap=1)
    ct, cn = unit['commune']
    doc.para(upper('Ủy ban nhân dân ' + ct + ' ' + cn), align='center', gap=2)
    ob = ong_ba(p)
    doc.para('Xét đề nghị của %s %s về việc cấp Giấy xác nhận tình trạng hôn nhân cho %s %s,'
             % (ob, p['name'], ob, p['name']), justify=True, indent=mm(10), gap=1.5)
    doc.para('XÁC NHẬN:', bold=True, align='center', gap=1.5)
    name = shown(rng, p['name'])
    f.update(full_name=name, birth_date=iso(p['birth']), sex=sex(p), ethnicity=p['eth_label'],
             nationality='Việt Nam', residence=p['home'])
    doc.row([('Họ, chữ đệm, tên:', name, 0, 1)])
    doc.row([('Ngày, tháng, năm sinh:', dmy(p['birth']), 0, 1)])
    doc.row([('Giới tính:', sex(p), 0, 0.3), ('Dân tộc:', p['eth_label'], 0.3, 0.62),
             ('Quốc tịch:', 'Việt Nam', 0.62, 1)])
    if rng.random() < 0.75:
        pid = personal_id(rng, unit['code'], p['birth'], p['male'])
        f['personal_id'] = pid
        doc.row([('Số định danh cá nhân:', pid, 0, 1)])
    doc.row([('Nơi cư trú:', p['home'], 0, 1)])
    since = max(add_days(p['birth'], 18 * 365 + rng.randint(0, 3000)), (1990, 1, 1))
    if rng.random() < 0.6:
        doc.para('Trong thời gian cư trú tại %s từ ngày %s đến ngày %s' % (
            address(rng, unit, cap=False), dmy(min(since, issue)), dmy(issue)), gap=0.5)
    st = rng.choice(STATUSES)
    if st.startswith('Có'):
        st = st.replace('vợ/chồng', 'chồng' if not p['male'] else 'vợ')
    # the sentence's full stop is punctuation, not part of the status
    f['marital_status'] = st.rstrip('.')
    if rng.random() < 0.6:
        st = st.rstrip('.')
    doc.row([('Tình trạng hôn nhân:', st, 0, 1)])
    doc.para('Giấy này có giá trị sử dụng trong thời hạn 6 tháng kể từ ngày cấp, được sử dụng '
             'để: ' + rng.choice(PURPOSES), justify=True, gap=4)
    signer = ctx.names.kinh(rng, rng.random() < 0.6)
    f['signer'] = signer
    signer_block(doc, rng, level, unit, [], titles_for(rng), signer)
    return f


CAN_CU_OLD = ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
              'Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ '
              'chức chính quyền địa phương ngày 22 tháng 11 năm 2019;']
CAN_CU_NEW = ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;']
CAN_CU_HT = ['Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;',
             'Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy '
             'định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;',
             'Căn cứ Thông tư số 04/2020/TT-BTP ngày 28 tháng 5 năm 2020 của Bộ trưởng Bộ Tư '
             'pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số '
             '123/2015/NĐ-CP;']
CAN_CU_XH = ['Căn cứ Nghị định số 136/2013/NĐ-CP ngày 21 tháng 10 năm 2013 của Chính phủ '
             'quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội;',
             'Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ quy '
             'định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội;']


def can_cu(rng, kind, issue, long_doc):
    """The legal bases in force on the day of issue."""
    if issue >= (2025, 7, 1):
        cc = list(CAN_CU_NEW)
    else:
        cc = CAN_CU_OLD[:1 + (issue >= (2020, 7, 1))]
    if kind == 'trocap':
        return cc + [CAN_CU_XH[issue >= (2021, 7, 1)]]
    ht = CAN_CU_HT[:2 + (long_doc or rng.random() < 0.5)]
    return cc + (ht if issue >= (2020, 7, 16) else ht[:2])


def allowance(issue, coef):
    base = 500 if issue >= (2024, 7, 1) else 360 if issue >= (2021, 7, 1) else 270
    return '{:,}'.format(int(base * coef * 1000)).replace(',', '.')


def build_decision(doc, rng, ctx, level):
    issue = clamp(rand_date(rng, 2016, 2026), rng)
    p = person(ctx, rng, issue[0] - 85, issue[0] - 1, place_date=issue)
    unit = p['unit']
    long_doc = rng.random() < 0.35      # these run onto a second page
    if long_doc:
        doc.size = doc.vsize = 14
        doc.pspace = mm(rng.uniform(1.5, 2.5))
    n = '%02d/QĐ-UBND' % rng.randint(1, 480)
    f = {'doc_type': 'decision', 'doc_number': n}
    f['issuer'] = nd30_header(doc, rng, unit, n, place_date(rng, place_of(unit), issue))
    f['issue_date'] = iso(issue)
    ob = ong_ba(p)
    kind = rng.choice(['caichinh', 'thaydoi', 'dantoc', 'trocap', 'bosung'])
    what = rng.choice(['họ, chữ đệm, tên', 'tên', 'chữ đệm'])
    subj = {'caichinh': 'Về việc cải chính hộ tịch cho %s %s',
            'thaydoi': 'Về việc cho phép thay đổi ' + what + ' cho %s %s',
            'dantoc': 'Về việc xác định lại dân tộc cho %s %s',
            'trocap': 'Về việc trợ cấp xã hội hằng tháng đối với %s %s',
            'bosung': 'Về việc bổ sung thông tin hộ tịch cho %s %s'}[kind] % (ob, p['name'])
    f['subject'] = subj
    doc.para('QUYẾT ĐỊNH', bold=True, align='center', size=doc.size + 1)
    doc.para(subj, bold=True, align='center', width=doc.cw * 0.8,
             x=doc.left + doc.cw * 0.1)
    doc.rule(doc.left + doc.cw * 0.4, doc.left + doc.cw * 0.6, doc.y + mm(1), 0.25)
    doc.y += mm(5)
    ct, cn = unit['commune']
    doc.para('CHỦ TỊCH ' + upper('Ủy ban nhân dân ' + ct + ' ' + cn), bold=True, align='center',
             gap=3)
    cc = can_cu(rng, kind, issue, long_doc)
    cc.append('Xét đề nghị của %s %s ngày %s' % (ob, p['name'], dmy(add_days(issue, -rng.randint(
        5, 40)))) + ';')
    cc.append('Theo đề nghị của công chức %s.' % (
        'Văn hóa - Xã hội' if kind == 'trocap' else 'Tư pháp - Hộ tịch'))
    for c in cc:
        doc.para(c, italic=True, justify=True, indent=mm(10), gap=0.8)
    doc.y += mm(2)
    doc.para('QUYẾT ĐỊNH:', bold=True, align='center', gap=2)
    r = rng.random()
    if r < 0.2:
        born = 'sinh năm %d' % p['birth'][0]
    else:
        f['birth_date'] = iso(p['birth'])
        born = rng.choice(['sinh ngày %s' % dmy(p['birth']),
                           'sinh ngày %02d tháng %02d năm %d' % (p['birth'][2], p['birth'][1],
                                                                 p['birth'][0])])
    ident = ''
    if rng.random() < 0.8:
        pid = personal_id(rng, unit['code'], p['birth'], p['male'])
        f['personal_id'] = pid
        ident = rng.choice([', Số định danh cá nhân: %s', ', số định danh cá nhân %s']) % pid
    f['full_name'] = p['name']
    f['residence'] = p['home']
    who = '%s %s, %s%s; nơi cư trú: %s' % (ob, p['name'], born, ident, p['home'])
    art1 = {'caichinh': 'Cho phép cải chính nội dung ngày, tháng, năm sinh trong Giấy khai sinh '
                        'của ' + who + '.',
            'thaydoi': 'Cho phép thay đổi ' + what + ' cho ' + who + '.',
            'dantoc': 'Xác định lại dân tộc cho ' + who + ', từ dân tộc Kinh sang dân tộc ' +
                      p['eth_label'] + '.',
            'trocap': 'Trợ cấp xã hội hằng tháng đối với ' + who + '. Mức trợ cấp: %s '
                      'đồng/tháng, kể từ tháng %d năm %d.' % (
                          allowance(issue, rng.choice([1, 1.5, 2, 2.5])), issue[1], issue[0]),
            'bosung': 'Bổ sung thông tin về quê quán trong Giấy khai sinh của ' + who + '.'}[kind]
    doc.para('<b>Điều 1.</b> ' + esc(art1), markup=True, justify=True, indent=mm(10), gap=1)
    if long_doc and kind == 'trocap':
        extra = ['- Đối tượng: ' + rng.choice(['người khuyết tật nặng;',
                                               'người đơn thân thuộc hộ nghèo đang nuôi con;',
                                               'người cao tuổi thuộc hộ nghèo;']),
                 '- Hình thức chi trả: tại Ủy ban nhân dân xã hoặc qua tổ chức dịch vụ chi trả;',
                 '- Thời gian hưởng: kể từ tháng %d năm %d.' % (issue[1], issue[0])]
    elif long_doc:
        extra = ['- Nội dung trước khi thay đổi, cải chính: %s;' % dmy(add_days(p['birth'], 31)),
                 '- Nội dung sau khi thay đổi, cải chính: %s;' % dmy(p['birth']),
                 '- Lý do: có sai sót khi đăng ký, đã có giấy tờ chứng minh kèm theo hồ sơ.']
    for e in extra if long_doc else []:
        doc.para(e, justify=True, indent=mm(10), gap=0.6)
    doc.para('<b>Điều 2.</b> ' + esc(rng.choice([
        'Quyết định này có hiệu lực kể từ ngày ký.',
        'Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.'])), markup=True,
        justify=True, indent=mm(10), gap=1)
    doc.para('<b>Điều 3.</b> ' + esc('Văn phòng Hội đồng nhân dân và Ủy ban nhân dân, công chức '
                                      '%s và %s %s chịu trách nhiệm thi hành Quyết định này.' % (
                                          'Văn hóa - Xã hội' if kind == 'trocap'
                                          else 'Tư pháp - Hộ tịch', ob, p['name'])),
             markup=True, justify=True, indent=mm(10), gap=4)
    left = [('Nơi nhận:', True, True, doc.size - 1), ('- Như Điều 3;', False, False, doc.size - 2)]
    if rng.random() < 0.6:
        left.append(('- TT Đảng ủy, HĐND %s;' % ct, False, False, doc.size - 2))
    if rng.random() < 0.5:
        left.append(('- Chủ tịch, các PCT UBND %s;' % ct, False, False, doc.size - 2))
    left.append(('- Lưu: VT%s.' % rng.choice(['', ', TP-HT', ', VHXH']), False, False,
                 doc.size - 2))
    signer = ctx.names.person(rng, rng.random() < 0.6, rng.choice(['Kinh', 'Kinh', p['eth']]))
    f['signer'] = signer
    signer_block(doc, rng, level, unit, [], titles_for(rng), signer, left=left)
    return f


BUILDERS = {'birth': build_birth, 'death': build_death, 'marriage': build_marriage,
            'marital_status': build_marital, 'decision': build_decision}


# ------------------------------------------------------------------ scanner

SCAN = {   # per level: dpi, skew, blur, noise, light, jpeg quality, formats
    'clean': dict(dpi=[300, 300, 300, 200], skew=0.5, blur=(0.3, 0.5), noise=1.5,
                  light=(0.0, 0.05), q=(85, 95), stain=0.0, fold=0.1, bleed=0.1, bleed_a=(0.02, 0.05), ink=(0.92, 1.0), speck=0,
                  formats=[('jpg', 'rgb', 35), ('png', 'gray', 20), ('tif', 'bilevel', 30),
                           ('jpg', 'gray', 15)], rot=[(0, 1)], notag=0.0),
    'mild': dict(dpi=[300, 200], skew=1.5, blur=(0.5, 0.9), noise=4.0,
                 light=(0.08, 0.18), q=(60, 80), stain=0.3, fold=0.5, bleed=0.3, bleed_a=(0.04, 0.09), ink=(0.8, 0.95), speck=0.2,
                 formats=[('jpg', 'rgb', 40), ('jpg', 'gray', 25), ('tif', 'bilevel', 25),
                          ('png', 'gray', 10)], rot=[(0, 95), (180, 5)], notag=0.1),
    'hard': dict(dpi=[200, 200, 300], skew=3.5, blur=(0.8, 1.3), noise=9.0,
                 light=(0.2, 0.4), q=(30, 55), stain=0.7, fold=0.7, bleed=0.5, bleed_a=(0.07, 0.15), ink=(0.6, 0.85), speck=0.5,
                 formats=[('jpg', 'rgb', 45), ('jpg', 'gray', 30), ('tif', 'bilevel', 25)],
                 rot=[(0, 70), (180, 15), (90, 8), (270, 7)], notag=0.15),
}


def surface_array(surf):
    h, w, stride = surf.get_height(), surf.get_width(), surf.get_stride()
    a = np.frombuffer(surf.get_data(), dtype=np.uint8).reshape(h, stride // 4, 4)
    return a[:, :w, [2, 1, 0]].astype(np.float32) / 255.0


def smooth_field(nrng, h, w, cells, amp):
    small = (nrng.random((cells, cells)) * 255).astype(np.uint8)
    big = Image.fromarray(small).resize((w, h), Image.BICUBIC)
    return (np.asarray(big, dtype=np.float32) / 255.0 - 0.5) * 2 * amp


def age_paper(img, rng, nrng, P):
    h, w, _ = img.shape
    # worn toner or a weak ribbon: the ink is grey, not black
    img = 1 - (1 - img) * rng.uniform(*P['ink'])
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.93, 0.99), rng.uniform(0.86, 0.96)],
                    dtype=np.float32)
    img *= tint
    img *= (1 + smooth_field(nrng, h, w, 24, 0.025))[..., None]
    if rng.random() < P['bleed']:
        # the back of the sheet showing through, mirrored and soft
        g = img.mean(axis=2)
        back = np.asarray(Image.fromarray((g * 255).astype(np.uint8)).transpose(
            Image.FLIP_LEFT_RIGHT).filter(ImageFilter.GaussianBlur(3)), dtype=np.float32) / 255
        back = np.roll(back, rng.randint(-200, 200), axis=0)
        img *= (1 - rng.uniform(*P['bleed_a']) * (1 - back))[..., None]
    if rng.random() < P['stain']:
        yy, xx = np.mgrid[0:h // 4, 0:w // 4].astype(np.float32)
        m = np.zeros_like(yy)
        for _ in range(rng.randint(1, 3)):
            cx, cy = rng.uniform(0, w / 4), rng.uniform(0, h / 4)
            r = rng.uniform(20, 90)
            d = np.hypot((xx - cx) / rng.uniform(0.7, 1.3), yy - cy)
            m += np.exp(-((d - r) / rng.uniform(2, 5)) ** 2) * 0.7 + (d < r) * 0.25
        m = np.asarray(Image.fromarray((np.clip(m, 0, 1) * 255).astype(np.uint8)).resize(
            (w, h), Image.BILINEAR), dtype=np.float32) / 255
        col = np.array([0.55, 0.42, 0.22], dtype=np.float32)
        img *= 1 - (m[..., None] * (1 - col) * rng.uniform(0.2, 0.45))
    if rng.random() < P['fold']:
        if rng.random() < 0.7:
            pos = int(h * rng.choice([1 / 3, 2 / 3, 1 / 2]) + rng.uniform(-40, 40))
            d = np.abs(np.arange(h, dtype=np.float32) - pos)[:, None, None]
        else:
            pos = int(w / 2 + rng.uniform(-40, 40))
            d = np.abs(np.arange(w, dtype=np.float32) - pos)[None, :, None]
        s = rng.uniform(0.06, 0.16)
        img *= 1 - s * np.exp(-(d / rng.uniform(3, 8)) ** 2) + 0.03 * np.exp(-(d / 30) ** 2)
    return img


def light(img, rng, nrng, P):
    h, w, _ = img.shape
    a = rng.uniform(0, 2 * math.pi)
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    g = (math.cos(a) * xx + math.sin(a) * yy + 1.4) / 2.8
    s = rng.uniform(*P['light'])
    return img * (1 - s * g)[..., None]


def to_bilevel(gray, rng, level):
    """A scanner's 'text' mode: flatten the background, then threshold."""
    small = gray.resize((gray.width // 16, gray.height // 16), Image.BILINEAR)
    bg = small.filter(ImageFilter.MaxFilter(5)).resize(gray.size, Image.BILINEAR)
    g = np.asarray(gray, dtype=np.float32)
    b = np.maximum(np.asarray(bg, dtype=np.float32), 40)
    norm = np.clip(g / b * 255, 0, 255)
    t = {'clean': (165, 185), 'mild': (150, 190), 'hard': (125, 200)}[level]
    return Image.fromarray(((norm > rng.uniform(*t)) * 255).astype(np.uint8)).convert('1')


def scan(pages, level, rng, nrng):
    P = SCAN[level]
    dpi = rng.choice(P['dpi'])
    ext, mode = rng.choices([(e, m) for e, m, _ in P['formats']],
                            [w for _, _, w in P['formats']])[0]
    if len(pages) > 1:
        ext = 'tif'
        mode = 'bilevel' if mode == 'bilevel' else 'gray'
    rot = rng.choices([r for r, _ in P['rot']], [w for _, w in P['rot']])[0]
    q = rng.randint(*P['q'])
    out, skews = [], []
    for surf in pages:
        img = age_paper(surface_array(surf), rng, nrng, P)
        img = light(img, rng, nrng, P)
        pim = Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8))
        pim = pim.filter(ImageFilter.GaussianBlur(rng.uniform(*P['blur'])))
        skew = rng.uniform(-P['skew'], P['skew'])
        bed = tuple(int(v) for v in np.array([rng.randint(200, 250)] * 3) *
                    (1 if level != 'hard' else rng.uniform(0.3, 1)))
        pim = pim.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=bed,
                         translate=(rng.randint(-25, 25), rng.randint(-25, 25)))
        if dpi != RENDER_DPI:
            pim = pim.resize((round(pim.width * dpi / RENDER_DPI),
                              round(pim.height * dpi / RENDER_DPI)), Image.LANCZOS)
        a = np.asarray(pim, dtype=np.float32)
        a += nrng.normal(0, P['noise'], a.shape[:2])[..., None]
        if rng.random() < P['speck']:
            # a copy of a copy: toner specks over the page
            m = nrng.random(a.shape[:2]) < rng.uniform(0.00003, 0.0002)
            m = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).filter(
                ImageFilter.MaxFilter(3)), dtype=bool)
            a[m] *= 0.25
        pim = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        if mode == 'gray':
            pim = pim.convert('L')
        elif mode == 'bilevel':
            pim = to_bilevel(pim.convert('L'), rng, level)
        if rot:
            pim = pim.rotate(rot, expand=True)
        out.append(pim)
        skews.append(skew)
    tag = not (ext == 'jpg' and rng.random() < P['notag'])
    meta = {'dpi': dpi, 'dpi_tag': tag, 'rotation': rot, 'skew': round(skews[0], 3),
            'format': '%s/%s' % (ext, mode)}
    return out, ext, q, meta


def save(imgs, path, ext, q, meta):
    kw = {'dpi': (meta['dpi'], meta['dpi'])} if meta['dpi_tag'] else {}
    if ext == 'jpg':
        imgs[0].save(path, 'JPEG', quality=q, **kw)
    elif ext == 'png':
        imgs[0].save(path, 'PNG', **kw)
    else:
        comp = 'group4' if meta['format'].endswith('bilevel') else 'tiff_lzw'
        imgs[0].save(path, 'TIFF', compression=comp, save_all=True, append_images=imgs[1:],
                     **kw)


# ------------------------------------------------------------------ main

class Ctx:
    def __init__(self, data):
        self.places = Places(data)
        self.names = Names(data)


FOOTERS = ['Trang 1/1', 'Bản in từ Phần mềm đăng ký, quản lý hộ tịch điện tử dùng chung',
           'Mọi sự tẩy xóa, sửa chữa trên giấy tờ này đều không có giá trị']


def make_one(ctx, dtype, level, seed, i):
    for shrink in range(6):
        # the same seed again: the same document, set smaller until it fits
        rng = random.Random('third/%d/%s/%s/%d' % (seed, dtype, level, i))
        nrng = np.random.default_rng(rng.getrandbits(64))
        body, bshort = rng.choice(BODY_FONTS)
        vals = [v for v in VALUE_FONTS if v[0] != body]
        value, vshort = rng.choice(vals)
        form = {'birth': 0.5, 'death': 0.5, 'marriage': 1.0, 'marital_status': 0.3,
                'decision': 0.0}[dtype] > rng.random()
        size = rng.choice([12.5, 13, 13, 13.5]) if dtype != 'marriage' else rng.choice([12, 12.5])
        doc = Doc(rng, body, value, size, form, numbered=(dtype == 'decision'), shrink=shrink)
        fields = BUILDERS[dtype](doc, rng, ctx, level)
        if dtype == 'decision' or len(doc.pages) == 1:
            break
    if dtype in ('birth', 'death', 'marital_status') and not form and rng.random() < 0.35:
        footer(doc, rng, rng.choice(FOOTERS))
    imgs, ext, q, meta = scan(doc.pages, level, rng, nrng)
    text = '\f'.join('\n'.join(t) for t in doc.texts)
    truth = {'doc_type': dtype, 'level': level, 'pages': len(doc.pages)}
    truth.update(meta)
    truth['font'] = bshort + ('+' + vshort if form else '')
    truth['fields'] = {k: nfc(v) for k, v in fields.items()}
    truth['text'] = nfc(text)
    return imgs, ext, q, meta, truth


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, help='output directory')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=3, help='files per type and level')
    ap.add_argument('--levels', nargs='+', default=['clean,mild,hard'])
    ap.add_argument('--types', nargs='+', default=[','.join(TYPES)])
    ap.add_argument('--data', default=os.environ.get('SOHOA_DATA', '/work/shared/data'),
                    help='folder with dvhcvn-2025-03, dvhcvn-20250701, vietnamese-namedb')
    a = ap.parse_args(argv)
    levels = [x for v in a.levels for x in v.split(',') if x]
    types = [x for v in a.types for x in v.split(',') if x]
    for x in levels:
        if x not in LEVELS:
            ap.error("unknown level '%s' (clean, mild, hard)" % x)
    for x in types:
        if x not in TYPES:
            ap.error("unknown type '%s' (%s)" % (x, ', '.join(TYPES)))
    try:
        ctx = Ctx(a.data)
    except OSError as e:
        sys.exit("generate_third: cannot read the place and name lists in '%s': %s" %
                 (a.data, e))
    n = 0
    for level in levels:
        os.makedirs(os.path.join(a.out, level), exist_ok=True)
        for dtype in types:
            for i in range(1, a.count + 1):
                imgs, ext, q, meta, truth = make_one(ctx, dtype, level, a.seed, i)
                stem = os.path.join(a.out, level, '%s-%s-%02d' % (dtype, level, i))
                save(imgs, stem + '.' + ext, ext, q, meta)
                with open(stem + '.expected.json', 'w', encoding='utf-8') as f:
                    json.dump(truth, f, ensure_ascii=False, indent=1)
                    f.write('\n')
                n += 1
    print('generate_third: wrote %d file(s) in %s' % (n, a.out), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
