#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A second, independent sample set: civil-status and decision pages laid
out unlike samples/generate.py's, for measuring field extraction on
documents its rules were not tuned on.

    samples/generate_varied.py --out DIR [--seed N] [--count N]
                               [--levels clean,mild,hard] [--types ...]

What varies (samples/README.md, "The varied set"):
  * form versions: TT 15/2015, TT 04/2020, TT 01/2022 and older layouts,
    with their labels ("Họ và tên", "Sinh ngày", "Nơi thường trú") and
    labels no data file lists ("Giấy này được cấp để", "Nơi cư trú cuối
    cùng", "Quan hệ với người chết");
  * headers: "UBND HUYỆN …" over "UBND XÃ …", "UỶ BAN NHÂN DÂN" over
    "XÃ …", three levels "TỈNH / HUYỆN / UBND XÃ", one abbreviated line;
    old tone placement (UỶ, HOÀ, Thuỷ) as well as the new;
  * the place-date line under the motto or above the signer, with or
    without leading zeros;
  * values that wrap onto the next line (addresses with hamlet, commune,
    district and province);
  * decisions whose subject person (name, birth date, personal ID,
    residence) is written in a sentence;
  * Khmer, Hoa, Tày, Thái, H'Mông, Ê Đê, Jarai names besides Kinh ones;
  * communes of before the July 2025 merger (with their district), read
    from ../shared/data/dvhcvn-2025-03 at generation time only (GPL-3.0:
    no list of it is copied into the project; the generated pages carry a
    few of its names, as the licence rule for test samples allows), and
    current ones from samples/data;
  * fonts: DejaVu Serif / Sans and Liberation Sans as well as Liberation
    Serif (all free licences: Bitstream Vera / SIL OFL-style and GPL with
    font exception; rendered pages carry no font licence); with --fonts
    unseen, four others for measuring only: TeX Gyre Termes (GUST font
    licence), Noto Serif / Sans (SIL OFL), FreeSerif (GPL with font
    exception);
  * more 200 dpi bilevel G4 scans.
The ground truth has the format of generate.py (bench/accuracy.py reads
both).  The scanner model is generate.py's.
"""
import argparse
import datetime
import json
import os
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as G  # noqa: E402

SHARED = os.environ.get('SOHOA_SHARED_DATA', os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data'))
for cand in (SHARED, '/work/shared/data'):
    if os.path.isdir(os.path.join(cand, 'dvhcvn-2025-03')):
        SHARED = cand
        break

FAMILIES = {
    'liberation-serif': ('/usr/share/fonts/truetype/liberation2', 'LiberationSerif-%s.ttf',
                         {'r': 'Regular', 'b': 'Bold', 'i': 'Italic', 'bi': 'BoldItalic'}),
    'liberation-sans': ('/usr/share/fonts/truetype/liberation2', 'LiberationSans-%s.ttf',
                        {'r': 'Regular', 'b': 'Bold', 'i': 'Italic', 'bi': 'BoldItalic'}),
    'dejavu-serif': ('/usr/share/fonts/truetype/dejavu', 'DejaVuSerif%s.ttf',
                     {'r': '', 'b': '-Bold', 'i': '-Italic', 'bi': '-BoldItalic'}),
    'dejavu-sans': ('/usr/share/fonts/truetype/dejavu', 'DejaVuSans%s.ttf',
                    {'r': '', 'b': '-Bold', 'i': '-Oblique', 'bi': '-BoldOblique'}),
}
# Fonts no rule was ever tuned on (--fonts unseen): a measuring set whose
# glyph shapes differ from the tuning sets', as a hidden set's would.
# TeX Gyre Termes is a Times face like the one most offices print with.
UNSEEN = {
    'texgyre-termes': ('/usr/share/texmf/fonts/opentype/public/tex-gyre', 'texgyretermes-%s.otf',
                       {'r': 'regular', 'b': 'bold', 'i': 'italic', 'bi': 'bolditalic'}),
    'noto-serif': ('/usr/share/fonts/truetype/noto', 'NotoSerif-%s.ttf',
                   {'r': 'Regular', 'b': 'Bold', 'i': 'Italic', 'bi': 'BoldItalic'}),
    'noto-sans': ('/usr/share/fonts/truetype/noto', 'NotoSans-%s.ttf',
                  {'r': 'Regular', 'b': 'Bold', 'i': 'Italic', 'bi': 'BoldItalic'}),
    'freeserif': ('/usr/share/fonts/truetype/freefont', 'FreeSerif%s.ttf',
                  {'r': '', 'b': 'Bold', 'i': 'Italic', 'bi': 'BoldItalic'}),
}


class VFonts(G.Fonts):
    def __init__(self, family):
        d, pat, styles = FAMILIES.get(family) or UNSEEN[family]
        self.path = {}
        for st, fn in styles.items():
            p = os.path.join(d, pat % fn)
            if not os.path.exists(p):
                sys.exit('generate_varied.py: font %s missing (apt-get install '
                         'fonts-dejavu-extra fonts-liberation2; for --fonts unseen '
                         'fonts-texgyre fonts-noto-core fonts-freefont-ttf)' % p)
            self.path[st] = p
        self.cache = {}


# Names, written for this project from general knowledge: the Kinh ones of
# generate.py plus common names of some ethnic minorities.
MINORITY = {
    'Khmer': (['Danh', 'Thạch', 'Sơn', 'Kim', 'Lâm', 'Chau', 'Néang'],
              ['Sóc', 'Rươn', 'Sa', 'Thươl', 'Pho', 'Sang', 'Mết', 'Phal', 'Khanh',
               'Sóc Kha', 'Thị Sa Rươn', 'Ngọc Minh', 'Văn Tuấn', 'Thị Kim Ly']),
    'Hoa': (['Lý', 'Quách', 'Tăng', 'Trương', 'Lưu', 'Hứa', 'Mã'],
            ['Quốc Vĩnh', 'Chí Cường', 'Mỹ Linh', 'Kiến Hoa', 'Văn Phát', 'Thị Muội']),
    'Tày': (['Hoàng', 'Nông', 'Lục', 'Bế', 'Ma', 'Hà', 'Lương'],
            ['Văn Kháng', 'Thị Mến', 'Văn Pẻng', 'Thị Nhài', 'Đức Thịnh', 'Văn Sình']),
    'Thái': (['Lò', 'Lường', 'Cầm', 'Quàng', 'Vi', 'Hà'],
             ['Văn Pọm', 'Thị Ún', 'Văn Ín', 'Thị Xoan', 'Văn Khằm', 'Thị Bua']),
    "H'Mông": (['Giàng', 'Sùng', 'Vàng', 'Thào', 'Lầu', 'Mùa'],
               ['A Páo', 'Thị Mỷ', 'Seo Lử', 'A Chớ', 'Thị Dợ', 'Mí Sính']),
    'Ê Đê': (['Niê', 'Êban', 'Mlô', 'Byă', 'Ksơr'],
             ['Y Bih', 'H Hen', 'Y Khu', 'H Linh', 'Y Jut', 'H Bla']),
    'Gia Rai': (['Ksor', 'Rơ Châm', 'Siu', 'Rmah', 'Nay'],
                ['Y Phun', 'H Bia', 'Blui', 'H Yam', 'Nhưm', 'Thơm']),
}
HAMLET = ['Ấp Chợ', 'Ấp Giồng Lức', 'Ấp Sóc Ruộng', 'Thôn Phú Hoà', 'Thôn Thuỷ Ba',
          'Xóm Đình', 'Tổ dân phố số 3', 'Bản Pá Khôm', 'Thôn Tân Hoà', 'Ấp Phước Thuỷ',
          'Khóm 2', 'Thôn Trung Hoà', 'Buôn Ea Sup', 'Làng Plei Ốp', 'Thôn Đồng Xuân']
PURPOSE = ['Làm thủ tục đăng ký kết hôn', 'Bổ túc hồ sơ xin việc làm',
           'Làm thủ tục vay vốn tại Ngân hàng Chính sách xã hội',
           'Làm thủ tục mua bán nhà đất', 'Bổ sung hồ sơ đi lao động nước ngoài']
CAUSES = ['Già yếu', 'Bệnh tim', 'Tai biến mạch máu não', 'Ung thư gan',
          'Tai nạn giao thông', 'Suy hô hấp cấp', 'Bệnh hiểm nghèo']
STATUS = ['Chưa đăng ký kết hôn với ai', 'Hiện chưa có vợ', 'Hiện chưa có chồng',
          'Đã ly hôn, chưa đăng ký kết hôn lại', 'Chưa kết hôn lần nào']


def oldtone(s):
    """Old tone placement: hoà, thuỷ, khoẻ, uỷ."""
    for a, b in (('oà', 'òa'), ('oá', 'óa'), ('oả', 'ỏa'), ('oã', 'õa'), ('oạ', 'ọa'),
                 ('uỷ', 'ủy'), ('uý', 'úy'), ('uỳ', 'ùy'), ('uỵ', 'ụy'), ('oè', 'òe'),
                 ('oẻ', 'ỏe')):
        s = s.replace(b, a).replace(b.upper(), a.upper()).replace(
            b[0].upper() + b[1:], a[0].upper() + a[1:])
    return s


def up(s):
    return G.nfc(s).upper()


def low1(s):
    return s[0].lower() + s[1:]


class Places:
    def __init__(self, data):
        self.old = []
        path = os.path.join(SHARED, 'dvhcvn-2025-03', 'dvhcvn.json')
        with open(path, encoding='utf-8') as f:
            for p in json.load(f)['data']:
                for d in p['level2s']:
                    for c in d['level3s']:
                        self.old.append((G.nfc(c['name']), G.nfc(d['name']),
                                         G.nfc(p['name']), p['level1_id']))
        self.data = data


class Unit:
    """A commune with its district (before 2025) and province."""

    def __init__(self, places, rng, old):
        if old:
            c, d, p, code = rng.choice(places.old)
            self.kind, self.name = split_kind(c)
            self.dkind, self.dname = split_kind(d)
            self.pkind, self.pname = split_kind(p)
            self.code = code
        else:
            name, pc = rng.choice(places.data.communes)
            self.kind, self.name = split_kind(name)
            self.dkind = self.dname = None
            full = places.data.prov[pc]
            self.pkind, self.pname = split_kind(full) if full.startswith('Thành phố') \
                else ('Tỉnh', full)
            self.code = pc
        self.oldtone = rng.random() < 0.3
        if self.oldtone:
            self.name, self.pname = oldtone(self.name), oldtone(self.pname)
            if self.dname:
                self.dname = oldtone(self.dname)

    def addr(self, rng, hamlet=True, lower=True):
        parts = []
        if hamlet:
            parts.append(oldtone(rng.choice(HAMLET)) if self.oldtone else rng.choice(HAMLET))
        parts.append((low1(self.kind) if lower else self.kind) + ' ' + self.name)
        if self.dname:
            parts.append((low1(self.dkind) if lower else self.dkind) + ' ' + self.dname)
        parts.append((low1(self.pkind) if lower else self.pkind) + ' ' + self.pname)
        return ', '.join(parts)


def split_kind(full):
    for k in ('Thành phố', 'Thị trấn', 'Thị xã', 'Tỉnh', 'Huyện', 'Quận', 'Phường', 'Xã'):
        if full.startswith(k + ' '):
            return k, full[len(k) + 1:]
    return 'Xã', full


def person(data, rng, sex, minority=None):
    if minority is None and rng.random() < 0.3:
        minority = rng.choice(list(MINORITY))
    if minority:
        sur, giv = MINORITY[minority]
        given = rng.choice(giv)
        if sex == 'Nữ' and given.startswith('Văn '):
            given = 'Thị ' + given[4:]
        if sex == 'Nam' and given.startswith('Thị '):
            given = 'Văn ' + given[4:]
        if sex == 'Nam' and given.startswith('H '):
            given = 'Y ' + given[2:]
        if sex == 'Nữ' and given.startswith('Y '):
            given = 'H ' + given[2:]
        return G.nfc(rng.choice(sur) + ' ' + given), minority
    return G.person_name(data, rng, sex), 'Kinh'


def ethnic_name(group):
    return {'Khmer': 'Khmer', 'Hoa': 'Hoa', 'Tày': 'Tày', 'Thái': 'Thái',
            "H'Mông": "H'Mông", 'Ê Đê': 'Ê Đê', 'Gia Rai': 'Gia Rai'}.get(group, 'Kinh')


def ngay(d, zero):
    return ('ngày %02d tháng %02d năm %04d' if zero else 'ngày %d tháng %d năm %d') % (
        d.day, d.month, d.year)


class Doc:
    """Choices shared by every type: form version, header, date place."""

    def __init__(self, ctx, places):
        rng = ctx.rng
        self.rng, self.ctx, self.places = rng, ctx, places
        self.version = rng.choice(['old', '2015', '2020', '2022'])
        self.date = rng.choice(['top', 'top', 'sign'])
        self.zero = rng.random() < 0.5
        self.hstyle = rng.choice(['ubnd2', 'full2', 'three', 'abbr1', 'full2'])
        self.motto_hoa = rng.choice(['HÒA', 'HOÀ'])
        self.uy = 'UỶ' if rng.random() < 0.4 else 'ỦY'

    def issued(self, lo, hi):
        return G.rand_date(self.rng, lo, hi)

    def unit(self, when):
        return Unit(self.places, self.rng, when < datetime.date(2025, 7, 1))

    def header(self, u):
        """Left header lines and the issuer as printed."""
        kind = up(u.kind)
        name = up(u.name)
        s = self.hstyle
        if s == 'ubnd2' and u.dname:
            lines = ['UBND %s %s' % (up(u.dkind), up(u.dname)), 'UBND %s %s' % (kind, name)]
            return lines, lines[1]
        if s == 'three' and u.dname:
            lines = ['%s %s' % (up(u.pkind), up(u.pname)), '%s %s' % (up(u.dkind), up(u.dname)),
                     'UBND %s %s' % (kind, name)]
            return lines, lines[2]
        if s == 'abbr1':
            line = 'UBND %s %s' % (kind, name)
            return [line], line
        body = '%s BAN NHÂN DÂN' % self.uy
        return [body, '%s %s' % (kind, name)], '%s %s %s' % (body, kind, name)

    def place_date(self, u, d):
        who = u.name if u.kind == 'Xã' or self.rng.random() < 0.5 else '%s %s' % (u.kind, u.name)
        return '%s, %s' % (who, ngay(d, self.zero))

    def top(self, pg, u, number, d, fields, nolabel=False):
        left, issuer = self.header(u)
        fields['issuer'] = issuer
        lcol = [(t, 'b' if i == len(left) - 1 else 'r', 12.5,
                 'short' if i == len(left) - 1 else None) for i, t in enumerate(left)]
        rcol = [('CỘNG %s XÃ HỘI CHỦ NGHĨA VIỆT NAM' % self.motto_hoa, 'b', 12, None),
                ('Độc lập - Tự do - Hạnh phúc', 'b', 12.5, 'full')]
        sep = 'Số: ' if not nolabel else 'Số '
        lcol += [(None, 'r', 12.5, None), (sep + number, 'r', 12.5, None)]
        if self.date == 'top' and d is not None:
            rcol += [(None, 'r', 12.5, None), (self.place_date(u, d), 'i', 12.5, None)]
            fields['issue_date'] = d.isoformat()
        pg.header_two_col(lcol, rcol, lsplit=self.rng.uniform(0.38, 0.46))

    def bottom(self, pg, u, d, signer, fields, top_lines):
        if self.date == 'sign' and d is not None:
            t = self.place_date(u, d)
            w = pg.tw(t, 'i')
            pg.text(pg.right - w - self.rng.uniform(0, 8), pg.y, t, 'i')
            pg.lines.append(t)
            pg.newline()
            fields['issue_date'] = d.isoformat()
        fields['signer'] = signer
        stamp = ('ỦY BAN NHÂN DÂN', '%s %s' % (up(u.kind), up(u.name)),
                 ('%s %s' % (u.pkind, u.pname)).upper())
        pg.signer_block(top_lines, signer, stamp=stamp)


def title_block(pg, title, sub=None):
    pg.newline(factor=1.0)
    pg.centered(title, 'b', 15)
    if sub:
        pg.centered(sub, 'b', 12.5)
    pg.newline(factor=0.5)


def signer_top(rng, what=None):
    t = [('TM. ỦY BAN NHÂN DÂN', 'b', 12.5)] if rng.random() < 0.4 else []
    if what:
        t = [(what, 'b', 12.5)] + t
    t += rng.choice([[('CHỦ TỊCH', 'b', 12.5)], [('KT. CHỦ TỊCH', 'b', 12.5),
                                                 ('PHÓ CHỦ TỊCH', 'b', 12.5)],
                     [('CÔNG CHỨC TƯ PHÁP - HỘ TỊCH', 'b', 12)]])
    return t


def doc_birth(ctx, places):
    rng, data = ctx.rng, ctx.data
    D = Doc(ctx, places)
    pg = G.Page(ctx.fonts, ctx.dpi, rng, size_pt=rng.choice([12, 12.5, 13]))
    sex = rng.choice(['Nam', 'Nữ'])
    bd = G.rand_date(rng, 1960, 2024)
    regd = G.add_days(bd, rng.randint(2, 90))
    u = D.unit(regd)
    name, grp = person(data, rng, sex)
    eth = ethnic_name(grp)
    issue = G.copy_date(rng, regd) if rng.random() < 0.7 else regd
    num = rng.choice(['%d/TLKS-BS' % rng.randint(1, 300), '%d' % rng.randint(1, 500),
                      '%d/%d/TLKS-BS' % (rng.randint(1, 300), issue.year)])
    f = {'doc_type': 'birth', 'doc_number': num}
    D.top(pg, u, num, issue, f)
    title_block(pg, 'TRÍCH LỤC KHAI SINH' if 'TLKS' in num else 'GIẤY KHAI SINH',
                '(BẢN SAO)' if rng.random() < 0.4 else None)
    lab = {'old': ('Họ và tên:', 'Sinh ngày:', 'Nơi sinh:', 'Quê quán:',
                   'Họ và tên mẹ:', 'Họ và tên cha:', 'Nơi thường trú:', 'Nơi đăng ký:',
                   'Ngày đăng ký:'),
           '2015': ('Họ, chữ đệm, tên:', 'Ngày, tháng, năm sinh:', 'Nơi sinh:', 'Quê quán:',
                    'Họ, chữ đệm, tên người mẹ:', 'Họ, chữ đệm, tên người cha:', 'Nơi cư trú:',
                    'Nơi đăng ký khai sinh:', 'Ngày, tháng, năm đăng ký:'),
           '2020': ('Họ, chữ đệm, tên:', 'Ngày, tháng, năm sinh:', 'Nơi sinh:', 'Quê quán:',
                    'Họ, chữ đệm, tên người mẹ:', 'Họ, chữ đệm, tên người cha:', 'Nơi cư trú:',
                    'Đăng ký khai sinh tại:', 'Ngày đăng ký:'),
           '2022': ('Họ, chữ đệm và tên:', 'Ngày, tháng, năm sinh:', 'Nơi sinh:', 'Quê quán:',
                    'Họ, chữ đệm và tên người mẹ:', 'Họ, chữ đệm và tên người cha:',
                    'Nơi cư trú:', 'Nơi đăng ký khai sinh:', 'Ngày, tháng, năm đăng ký:'),
           }[D.version]
    shown = name.upper() if rng.random() < 0.5 else name
    bplace = rng.choice(['Trạm Y tế %s %s, %s' % (low1(u.kind), u.name,
                                                 low1(u.pkind) + ' ' + u.pname),
                         u.addr(rng)])
    home = D.unit(regd).addr(rng, hamlet=False)
    mother, _ = person(data, rng, 'Nữ', grp if grp != 'Kinh' else None)
    father, _ = person(data, rng, 'Nam', grp if grp != 'Kinh' else None)
    resid = u.addr(rng)
    pid = G.personal_id(rng, u.code, bd.year, sex)
    f.update({'full_name': shown, 'birth_date': bd.isoformat(), 'sex': sex, 'ethnicity': eth,
              'nationality': 'Việt Nam', 'birth_place': bplace, 'hometown': home,
              'mother_name': mother, 'father_name': father})
    vs = rng.choice(['r', 'b'])
    over = rng.random() < 0.25
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([(lab[0], shown, None)], 'b', over)
    pg.field_line([(lab[1], G.dmy(bd), None)], vs, over)
    if D.version != 'old':
        pg.field_line([('Ghi bằng chữ:', G.words_date(bd), None)], vs)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', eth, col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vs, over)
    pg.field_line([(lab[2], bplace, None)], vs)
    pg.field_line([(lab[3], home, None)], vs)
    if D.version != 'old' and bd.year >= 2016:
        pg.field_line([('Số định danh cá nhân:', pid, None)], vs, over)
        f['personal_id'] = pid
    for who, nm, lb in (('mẹ', mother, lab[4]), ('cha', father, lab[5])):
        pg.field_line([(lb, nm, None)], vs, over)
        pg.field_line([('Năm sinh:', str(bd.year - rng.randint(20, 40)), col2),
                       ('Dân tộc:', eth, col3), ('Quốc tịch:', 'Việt Nam', None)], vs)
        pg.field_line([(lab[6], resid, None)], vs)
    regplace = 'Ủy ban nhân dân %s %s, %s%s' % (
        low1(u.kind), u.name, ('%s %s, ' % (low1(u.dkind), u.dname)) if u.dname else '',
        low1(u.pkind) + ' ' + u.pname)
    if u.oldtone:
        regplace = oldtone(regplace)
    pg.field_line([(lab[7], regplace, None)], vs)
    pg.field_line([(lab[8], G.dmy(regd), None)], vs, over)
    f['registration_place'] = regplace
    f['registration_date'] = regd.isoformat()
    pg.newline(factor=0.6)
    signer, _ = person(data, rng, rng.choice(['Nam', 'Nữ']), None)
    D.bottom(pg, u, issue, signer, f, signer_top(rng, rng.choice(
        ['NGƯỜI KÝ TRÍCH LỤC', 'NGƯỜI KÝ GIẤY KHAI SINH', None])))
    return pg, f


def doc_death(ctx, places):
    rng, data = ctx.rng, ctx.data
    D = Doc(ctx, places)
    pg = G.Page(ctx.fonts, ctx.dpi, rng, size_pt=rng.choice([12, 12.5, 13]))
    sex = rng.choice(['Nam', 'Nữ'])
    bd = G.rand_date(rng, 1920, 1985)
    dd = G.rand_date(rng, max(bd.year + 25, 2005), 2025)
    if dd > datetime.date(2025, 10, 1):
        dd = datetime.date(2025, 9, 20)
    regd = G.add_days(dd, rng.randint(1, 25))
    issue = G.copy_date(rng, regd) if regd < datetime.date(2025, 6, 1) else regd
    u = D.unit(regd)
    name, grp = person(data, rng, sex)
    num = rng.choice(['%d/TLKT-BS' % rng.randint(1, 200), '%02d/TLKT' % rng.randint(1, 99)])
    f = {'doc_type': 'death', 'doc_number': num}
    D.top(pg, u, num, issue, f)
    title_block(pg, 'TRÍCH LỤC KHAI TỬ', '(BẢN SAO)' if rng.random() < 0.5 else None)
    shown = name.upper() if rng.random() < 0.4 else name
    pid = G.personal_id(rng, u.code, bd.year, sex)
    resid = u.addr(rng)
    hh, mi = rng.randint(0, 23), rng.randint(0, 59)
    cause = rng.choice(CAUSES)
    dplace = rng.choice(['Tại nhà, %s' % resid, 'Bệnh viện Đa khoa %s %s' % (
        low1(u.pkind), u.pname)])
    f.update({'full_name': shown, 'birth_date': bd.isoformat(), 'sex': sex,
              'ethnicity': ethnic_name(grp), 'nationality': 'Việt Nam', 'personal_id': pid,
              'death_date': dd.isoformat(), 'death_place': dplace, 'death_cause': cause,
              'residence': resid})
    vs = rng.choice(['r', 'b'])
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([('Họ và tên:' if D.version == 'old' else 'Họ, chữ đệm, tên:', shown, None)],
                  'b')
    pg.field_line([('Ngày, tháng, năm sinh:', G.dmy(bd), None)], vs)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', ethnic_name(grp), col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vs)
    pg.field_line([('Số định danh cá nhân:', pid, None)], vs)
    pg.field_line([('Nơi cư trú cuối cùng:', resid, None)], vs)
    pg.field_line([('Đã chết vào lúc:', '%02d giờ %02d phút, ngày %s' % (hh, mi, G.dmy(dd)),
                    None)], vs)
    pg.field_line([('Nơi chết:', dplace, None)], vs)
    pg.field_line([('Nguyên nhân chết:', cause, None)], vs)
    rel, _ = person(data, rng, rng.choice(['Nam', 'Nữ']), grp if grp != 'Kinh' else None)
    pg.field_line([('Họ, chữ đệm, tên người đi khai tử:', rel, None)], vs)
    pg.field_line([('Quan hệ với người chết:', rng.choice(['Con', 'Vợ', 'Chồng', 'Cháu']),
                    None)], vs)
    regplace = 'Ủy ban nhân dân %s %s, %s' % (low1(u.kind), u.name, low1(u.pkind) + ' ' + u.pname)
    pg.field_line([('Nơi đăng ký khai tử:', regplace, None)], vs)
    pg.field_line([('Ngày, tháng, năm đăng ký:', G.dmy(regd), None)], vs)
    f['registration_place'] = regplace
    f['registration_date'] = regd.isoformat()
    pg.newline(factor=0.6)
    signer, _ = person(data, rng, rng.choice(['Nam', 'Nữ']), None)
    D.bottom(pg, u, issue, signer, f, signer_top(rng, 'NGƯỜI KÝ TRÍCH LỤC'))
    return pg, f


def doc_marital(ctx, places):
    rng, data = ctx.rng, ctx.data
    D = Doc(ctx, places)
    pg = G.Page(ctx.fonts, ctx.dpi, rng, size_pt=rng.choice([12, 12.5, 13]))
    issue = G.rand_date(rng, 2016, 2025)
    if issue > datetime.date(2025, 10, 1):
        issue = datetime.date(2025, 9, 15)
    u = D.unit(issue)
    sex = rng.choice(['Nam', 'Nữ'])
    bd = G.rand_date(rng, issue.year - 55, issue.year - 19)
    name, grp = person(data, rng, sex)
    num = rng.choice(['%d/UBND-XNTTHN' % rng.randint(1, 300), '%d/XNTTHN' % rng.randint(1, 99)])
    f = {'doc_type': 'marital_status', 'doc_number': num}
    D.top(pg, u, num, issue, f)
    title_block(pg, 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN')
    if rng.random() < 0.5:
        pg.centered('%s BAN NHÂN DÂN %s %s' % (D.uy, up(u.kind), up(u.name)), 'b', 12.5)
    pid = G.personal_id(rng, u.code, bd.year, sex)
    resid = u.addr(rng)
    st = rng.choice(STATUS)
    if (st == 'Hiện chưa có vợ' and sex == 'Nữ') or (st == 'Hiện chưa có chồng' and sex == 'Nam'):
        st = STATUS[0]
    purpose = rng.choice(PURPOSE)
    asker = 'ông' if sex == 'Nam' else 'bà'
    pg.paragraph('Xét đề nghị của %s %s về việc cấp Giấy xác nhận tình trạng hôn nhân cho %s %s,'
                 % (asker, name, asker, name), indent=10)
    pg.centered('XÁC NHẬN:', 'b', 12.5)
    shown = name.upper() if rng.random() < 0.3 else name
    f.update({'full_name': shown, 'birth_date': bd.isoformat(), 'sex': sex,
              'ethnicity': ethnic_name(grp), 'nationality': 'Việt Nam', 'personal_id': pid,
              'residence': resid, 'marital_status': st})
    vs = rng.choice(['r', 'b'])
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([('Họ và tên:' if D.version == 'old' else 'Họ, chữ đệm, tên:', shown, None)],
                  'b')
    pg.field_line([('Ngày, tháng, năm sinh:', G.dmy(bd), None)], vs)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', ethnic_name(grp), col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vs)
    pg.field_line([('Giấy tờ tùy thân:', 'Căn cước công dân số %s' % pid, None)], vs)
    if D.version != 'old':
        pg.field_line([('Số định danh cá nhân:', pid, None)], vs)
    else:
        del f['personal_id']
    pg.field_line([('Nơi thường trú:' if D.version == 'old' else 'Nơi cư trú:', resid, None)],
                  vs)
    pg.field_line([('Tình trạng hôn nhân:', st, None)], vs)
    pg.field_line([('Giấy này được cấp để:', purpose, None)], vs)
    pg.paragraph('Giấy này có giá trị sử dụng trong thời hạn 6 tháng kể từ ngày cấp.',
                 indent=10)
    pg.newline(factor=0.5)
    signer, _ = person(data, rng, rng.choice(['Nam', 'Nữ']), None)
    D.bottom(pg, u, issue, signer, f, signer_top(rng))
    return pg, f


def doc_decision(ctx, places):
    rng, data = ctx.rng, ctx.data
    D = Doc(ctx, places)
    pg = G.Page(ctx.fonts, ctx.dpi, rng, size_pt=13)
    pg.lead = rng.uniform(1.3, 1.42)
    issue = G.rand_date(rng, 2016, 2025)
    if issue > datetime.date(2025, 10, 1):
        issue = datetime.date(2025, 9, 10)
    u = D.unit(issue)
    num = '%d/QĐ-UBND' % rng.randint(1, 480)
    f = {'doc_type': 'decision', 'doc_number': num}
    D.top(pg, u, num, issue, f)
    sex = rng.choice(['Nam', 'Nữ'])
    name, grp = person(data, rng, sex)
    bd = G.rand_date(rng, 1950, 2022)
    pid = G.personal_id(rng, u.code, bd.year, sex)
    resid = u.addr(rng)
    who = ('ông ' if sex == 'Nam' else 'bà ') + name if bd.year < 2007 else \
        ('cháu ' + name)
    what = rng.choice(['thay đổi họ, chữ đệm, tên', 'cải chính ngày, tháng, năm sinh',
                       'xác định lại dân tộc', 'bổ sung thông tin hộ tịch'])
    subject = 'Về việc cho phép %s cho %s' % (what, who) if rng.random() < 0.6 else \
        'V/v %s cho %s' % (what, who)
    pg.newline(factor=0.8)
    pg.centered('QUYẾT ĐỊNH', 'b', 14)
    words, lines, cur = subject.split(), [], []
    for w in words:
        if cur and pg.tw(' '.join(cur + [w]), 'b', 13.5) > (pg.right - pg.left) * 0.8:
            lines.append(' '.join(cur))
            cur = []
        cur.append(w)
    lines.append(' '.join(cur))
    for l in lines:
        pg.centered(l, 'b', 13.5)
    pg.newline(factor=0.5)
    pg.centered('CHỦ TỊCH %s BAN NHÂN DÂN %s %s' % (D.uy, up(u.kind), up(u.name)), 'b', 13)
    for c in ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
              'Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;',
              'Xét đề nghị của công chức Tư pháp - Hộ tịch.']:
        pg.paragraph(c, 'i', indent=10)
    pg.centered('QUYẾT ĐỊNH:', 'b', 13.5)
    dob = 'ngày ' + G.dmy(bd) if rng.random() < 0.6 else ngay(bd, True)
    art1 = 'Cho phép %s cho %s, sinh %s, Số định danh cá nhân: %s; nơi cư trú: %s.' % (
        what, who, dob, pid, resid)
    pg.paragraph('Điều 1. ' + art1, indent=10, bold_words=2)
    pg.paragraph('Điều 2. Quyết định này có hiệu lực kể từ ngày ký.', indent=10, bold_words=2)
    pg.paragraph('Điều 3. Công chức Tư pháp - Hộ tịch và %s chịu trách nhiệm thi hành '
                 'Quyết định này.' % who, indent=10, bold_words=2)
    f.update({'subject': subject, 'full_name': name, 'birth_date': bd.isoformat(),
              'personal_id': pid, 'residence': resid})
    pg.newline(factor=0.5)
    signer, _ = person(data, rng, rng.choice(['Nam', 'Nữ']), None)
    y0 = pg.y
    for t, st, pt in [('Nơi nhận:', 'bi', 12), ('- Như Điều 3;', 'r', 11), ('- Lưu: VT.', 'r', 11)]:
        pg.text(pg.left, pg.y, t, st, pt)
        pg.lines.append(t)
        pg.newline(pt)
    pg.y = y0
    D.bottom(pg, u, issue, signer, f, [('TM. %s BAN NHÂN DÂN' % D.uy, 'b', 12.5),
                                      ('CHỦ TỊCH', 'b', 12.5)])
    return pg, f


def check_fields(fields, text):
    """Every value is printed (dates with or without leading zeros)."""
    flat = ' '.join(text.split())
    for k, v in fields.items():
        if k == 'doc_type':
            continue
        if k.endswith('_date'):
            d = datetime.date.fromisoformat(v)
            forms = [G.dmy(d), ngay(d, True), ngay(d, False)]
        else:
            forms = [' '.join(v.split())]
        if not any(f in flat for f in forms):
            raise AssertionError('field %s=%r not in the printed text' % (k, v))


BUILDERS = {'birth': doc_birth, 'death': doc_death, 'marital_status': doc_marital,
            'decision': doc_decision}
TYPES = list(BUILDERS)


def variant(level, i):
    v = {'clean': [(300, 'rgb', 'jpg', 90, True), (300, 'bilevel', 'tif', 0, True),
                   (300, 'gray', 'png', 0, True), (200, 'bilevel', 'tif', 0, True)],
         'mild': [(200, 'bilevel', 'tif', 0, True), (300, 'gray', 'jpg', 85, True),
                  (200, 'rgb', 'jpg', 85, True), (300, 'bilevel', 'tif', 0, True)],
         'hard': [(200, 'bilevel', 'tif', 0, True), (200, 'gray', 'jpg', 70, True),
                  (200, 'rgb', 'jpg', 65, True), (200, 'bilevel', 'tif', 0, True)]}[level]
    return v[i % len(v)]


def gen(data, places, out, name, seed, dtype, level, var, families=FAMILIES):
    rng = random.Random(seed)
    family = rng.choice(list(families))
    dpi, mode, fmt, q, tag = var
    ctx = G.Ctx(data, VFonts(family), rng, dpi)
    pg, fields = BUILDERS[dtype](ctx, places)
    fields = {k: G.nfc(v) for k, v in fields.items()}
    check_fields(fields, G.page_text(pg))
    nrng = np.random.default_rng(seed)
    saved = G.LEVEL_PARAMS[level]
    G.LEVEL_PARAMS[level] = dict(saved, rot90=0.0, rot180=0.0)
    try:
        im, skew, r = G.render(pg, level, nrng, mode)
    finally:
        G.LEVEL_PARAMS[level] = saved
    ext = 'tif' if fmt.startswith('tif') else fmt
    path = os.path.join(out, '%s.%s' % (name, ext))
    G.save([im], path, fmt, dpi, tag, q)
    gt = {'doc_type': dtype, 'level': level, 'pages': 1, 'dpi': dpi, 'dpi_tag': tag,
          'rotation': r, 'skew': skew, 'format': '%s/%s' % (fmt, mode), 'font': family,
          'fields': fields, 'text': G.page_text(pg)}
    G.write_json(os.path.join(out, name + '.expected.json'), gt)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=101)
    ap.add_argument('--count', type=int, default=2, help='samples per type and level')
    ap.add_argument('--levels', default='clean,mild,hard')
    ap.add_argument('--types', default=','.join(TYPES))
    ap.add_argument('--committed', action='store_true',
                    help='the small set committed in samples/varied: --count 1, '
                         'JPEG at most q75, no PNG (smaller files)')
    ap.add_argument('--fonts', choices=('tuning', 'unseen'), default='tuning',
                    help='the four families of the tuning sets (default) or four '
                         'others no rule was tuned on')
    a = ap.parse_args(argv)
    families = FAMILIES if a.fonts == 'tuning' else UNSEEN
    if a.committed:
        a.count = 1
    if not os.path.isdir(os.path.join(SHARED, 'dvhcvn-2025-03')):
        sys.exit('generate_varied.py: no dvhcvn-2025-03 under %s (set SOHOA_SHARED_DATA)'
                 % SHARED)
    data = G.Data()
    places = Places(data)
    n = 0
    for li, level in enumerate(l for l in a.levels.split(',') if l):
        ldir = os.path.join(a.out, level)
        os.makedirs(ldir, exist_ok=True)
        for ti, dt in enumerate(t for t in a.types.split(',') if t):
            for k in range(a.count):
                seed = a.seed * 100000 + li * 10000 + ti * 1000 + k
                var = variant(level, ti * a.count + k + li)
                if a.committed:
                    dpi, mode, fmt, q, tag = var
                    var = (dpi, mode, 'jpg' if fmt == 'png' else fmt,
                           min(q, 75) if q else 80, tag)
                p = gen(data, places, ldir, '%s-%s-%02d' % (dt, level, k + 1), seed, dt,
                        level, var, families)
                n += 1
                print(p, file=sys.stderr)
    print('generated %d files in %s' % (n, a.out), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
