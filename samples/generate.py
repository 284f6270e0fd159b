#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate realistic scanned Vietnamese civil-status and administrative
documents with ground truth.

    samples/generate.py --out DIR [--seed N] [--count N] [--levels clean,mild,hard]
                        [--types birth,death,marriage,marital_status,decision]
                        [--dpi 300|200] [--dossiers N] [--committed]

For every sample NAME.<ext> it writes NAME.expected.json (UTF-8, NFC):

    {"doc_type", "level", "pages", "dpi", "rotation", "skew", "format",
     "fields": {...}, "text": "...", ["documents": [...]]}

Conventions (also in samples/README.md):
  * text: every printed word, one printed line per line, pages separated by
    "\\f".  Dotted leaders, the stamp and the signature scribble are not text.
    Side-by-side blocks (the two-column header, the "Nơi nhận" / signer row,
    the wife / husband signature row) are written left block first, then the
    right block.
  * rotation: the upright page was rotated counter-clockwise by this many
    degrees to make the file; rotating the file clockwise by it restores it.
  * dpi: the real sampling resolution, even when the file has no DPI tag
    ("dpi_tag": false).
Only Debian's python3-pil and python3-numpy are needed.
"""
import argparse
import io
import json
import math
import os
import random
import sys
import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
FONT_DIRS = ['/usr/share/fonts/truetype/liberation2',
             '/usr/share/fonts/truetype/liberation']
TYPES = ['birth', 'death', 'marriage', 'marital_status', 'decision']
LEVELS = ['clean', 'mild', 'hard']


def nfc(s):
    return unicodedata.normalize('NFC', s)


# ---------------------------------------------------------------- data

# Common Vietnamese surnames with rough frequency weights (percent), written
# for this project from general knowledge.
SURNAMES = [
    ('Nguyễn', 31), ('Trần', 11), ('Lê', 9), ('Phạm', 6), ('Hoàng', 5),
    ('Huỳnh', 2.5), ('Vũ', 4), ('Võ', 3), ('Phan', 3), ('Trương', 2),
    ('Bùi', 2), ('Đặng', 2), ('Đỗ', 2), ('Ngô', 1.7), ('Hồ', 1.5),
    ('Dương', 1.4), ('Hà', 1.2), ('Lý', 1), ('Trịnh', 1), ('Đinh', 1),
    ('Lương', 0.8), ('Mai', 0.7), ('Đào', 0.7), ('Cao', 0.6), ('Lâm', 0.5),
    ('Tạ', 0.4), ('Quách', 0.3), ('Chu', 0.4), ('Triệu', 0.3), ('Lò', 0.2),
    ('Nông', 0.3), ('Lục', 0.2), ('Vi', 0.2), ('Kiều', 0.3), ('Thạch', 0.2),
    ('Giàng', 0.2), ('Sùng', 0.1), ('Thái', 0.3), ('Tô', 0.3), ('Đoàn', 0.6),
    ('Lưu', 0.5), ('Văn', 0.2), ('Khúc', 0.1), ('Ông', 0.1), ('Nghiêm', 0.2),
]
MALE_MIDDLE = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thành', 'Công', 'Xuân',
               'Ngọc', 'Tiến', 'Mạnh', 'Duy', 'Trọng', 'Thế']
FEMALE_MIDDLE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ',
                 'Bích', 'Hồng', 'Thúy', 'Diệu']
ETHNIC = [('Kinh', 80), ('Tày', 3), ('Thái', 3), ('Mường', 3), ('Khmer', 2),
          ("H'Mông", 2), ('Nùng', 2), ('Hoa', 1), ('Dao', 1), ('Gia Rai', 1),
          ('Ê Đê', 1), ('Ba Na', 0.5), ('Sán Dìu', 0.5)]
DEATH_CAUSES = ['Bệnh già', 'Tai biến mạch máu não', 'Nhồi máu cơ tim',
                'Ung thư phổi', 'Suy tim', 'Tai nạn giao thông',
                'Suy hô hấp', 'Viêm phổi', 'Xơ gan', 'Đột quỵ',
                'Ung thư gan', 'Suy thận mạn']
MARITAL = ['Chưa đăng ký kết hôn với ai',
           'Hiện tại chưa đăng ký kết hôn với ai',
           'Đã ly hôn, hiện tại chưa đăng ký kết hôn với ai',
           'Có vợ là bà {spouse}', 'Có chồng là ông {spouse}',
           'Vợ đã chết, hiện tại chưa đăng ký kết hôn với ai']
PURPOSES = ['Đăng ký kết hôn', 'Bổ sung hồ sơ vay vốn ngân hàng',
            'Làm thủ tục chuyển nhượng quyền sử dụng đất',
            'Bổ sung hồ sơ xin việc', 'Làm thủ tục mua bán nhà ở']
BIRTH_PLACE_KIND = ['Trạm Y tế {commune}', 'Bệnh viện Đa khoa {prov_full}',
                    'Trung tâm Y tế {commune}', '{addr}', '{addr}',
                    'Bệnh viện Sản Nhi {prov_full}']
HAMLETS = ['Thôn Đông', 'Thôn Trung', 'Thôn Hạ', 'Thôn Thượng', 'Xóm Mới',
           'Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn 5', 'Ấp Tân Hòa', 'Bản Na',
           'Tổ dân phố 4', 'Tổ dân phố 7', 'Xóm Chùa', 'Thôn Bắc', 'Ấp Phú Lợi']


def load_lines(name):
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        return [nfc(l.strip()) for l in f if l.strip() and not l.startswith('#')]


class Data:
    def __init__(self):
        self.prov = {}
        for l in load_lines('provinces.tsv'):
            code, name = l.split('\t')
            self.prov[code] = name
        self.communes = []
        for l in load_lines('communes.tsv'):
            code, name, pc = l.split('\t')
            if name.startswith('Xã ') or name.startswith('Phường '):
                self.communes.append((name, pc))
        self.boy = load_lines('given-boy.txt')
        self.girl = load_lines('given-girl.txt')
        self.boy1 = load_lines('given-boy_one_word.txt')
        self.girl1 = load_lines('given-girl_one_word.txt')


def wchoice(rng, pairs):
    tot = sum(w for _, w in pairs)
    r = rng.random() * tot
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


def prov_addr(name):
    """'Phú Thọ' -> 'tỉnh Phú Thọ', 'Thành phố Hà Nội' -> 'thành phố Hà Nội'."""
    if name.startswith('Thành phố '):
        return 'thành phố ' + name[len('Thành phố '):]
    return 'tỉnh ' + name


class Place:
    def __init__(self, data, rng, province=None):
        pool = data.communes
        if province:
            pool = [c for c in pool if c[1] == province] or pool
        name, pc = rng.choice(pool)
        self.commune = name                       # 'Xã Tân Lập'
        self.kind = name.split(' ')[0]            # 'Xã' / 'Phường'
        self.cname = name[len(self.kind) + 1:]    # 'Tân Lập'
        self.pcode = pc
        self.prov_full = data.prov[pc]            # 'Phú Thọ' / 'Thành phố Hà Nội'
        self.prov_short = self.prov_full.replace('Thành phố ', '')

    def addr(self, lower=True):
        c = self.commune
        if lower:
            c = c[0].lower() + c[1:]
        return '%s, %s' % (c, prov_addr(self.prov_full))

    def ubnd(self):
        return 'Ủy ban nhân dân %s' % self.addr()


def person_name(data, rng, sex):
    sur = wchoice(rng, SURNAMES)
    if sex == 'Nam':
        if rng.random() < 0.55:
            given = rng.choice(data.boy)
        else:
            given = rng.choice(MALE_MIDDLE) + ' ' + rng.choice(data.boy1)
    else:
        if rng.random() < 0.5:
            given = rng.choice(data.girl)
        else:
            given = rng.choice(FEMALE_MIDDLE) + ' ' + rng.choice(data.girl1)
    return nfc(sur + ' ' + given)


def rand_date(rng, y0, y1):
    import datetime
    a = datetime.date(y0, 1, 1).toordinal()
    b = datetime.date(y1, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(a, b))


def add_days(d, n):
    import datetime
    return d + datetime.timedelta(days=n)


def copy_date(rng, regd):
    """Issue date of a trích lục (copy) of a record registered on REGD:
    these extracts exist since 2016 (TT 15/2015), so 2016-01-04 .. 2025-06-30."""
    import datetime
    lo = max(regd, datetime.date(2016, 1, 4))
    hi = datetime.date(2025, 6, 30)
    if lo >= hi:
        return add_days(regd, rng.randint(0, 30))
    return add_days(lo, rng.randint(0, min(3000, (hi - lo).days)))


def personal_id(rng, pcode, year, sex):
    century = (year // 100) - 19
    digit = century * 2 + (1 if sex == 'Nữ' else 0)
    return '0%s%d%02d%06d' % (pcode, digit, year % 100, rng.randint(0, 999999))


# ------------------------------------------------------- numbers in words

DIG = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín']


def words_2(n, after_hundred=False):
    """0..99 in words; after_hundred adds 'linh' for 1..9."""
    if n == 0:
        return ''
    if n < 10:
        return ('linh ' if after_hundred else '') + DIG[n]
    t, u = divmod(n, 10)
    s = 'mười' if t == 1 else DIG[t] + ' mươi'
    if u == 0:
        return s
    if u == 5:
        return s + ' lăm'
    if u == 1 and t > 1:
        return s + ' mốt'
    if u == 4 and t > 1:
        return s + ' tư'
    return s + ' ' + DIG[u]


def words_year(y):
    th, r = divmod(y, 1000)
    h, r = divmod(r, 100)
    s = DIG[th] + ' nghìn'
    if h == 0 and r == 0:
        return s
    s += ' ' + DIG[h] + ' trăm'
    if r:
        s += ' ' + words_2(r, True)
    return s


MONTH_WORDS = ['', 'một', 'hai', 'ba', 'tư', 'năm', 'sáu', 'bảy', 'tám',
               'chín', 'mười', 'mười một', 'mười hai']


def words_date(d):
    return 'Ngày %s tháng %s năm %s' % (words_2(d.day), MONTH_WORDS[d.month],
                                       words_year(d.year))


def dmy(d):
    return '%02d/%02d/%04d' % (d.day, d.month, d.year)


def ngay_thang_nam(d):
    return 'ngày %02d tháng %02d năm %04d' % (d.day, d.month, d.year)


# ------------------------------------------------------------- layout

class Fonts:
    def __init__(self):
        self.path = {}
        for st, fn in (('r', 'Regular'), ('b', 'Bold'), ('i', 'Italic'),
                       ('bi', 'BoldItalic')):
            for d in FONT_DIRS:
                p = os.path.join(d, 'LiberationSerif-%s.ttf' % fn)
                if os.path.exists(p):
                    self.path[st] = p
                    break
            else:
                sys.exit('generate.py: Liberation Serif not found '
                         '(apt-get install fonts-liberation2)')
        self.cache = {}

    def get(self, style, px):
        key = (style, px)
        if key not in self.cache:
            self.cache[key] = ImageFont.truetype(self.path[style], px)
        return self.cache[key]


class Page:
    """A4 page drawn at DPI: black ink in self.ink (L, 255 = ink), plus a
    list of overlay requests (stamp, signature) and the ground-truth lines
    in reading order."""

    W_MM, H_MM = 210.0, 297.0

    def __init__(self, fonts, dpi, rng, size_pt=13.0):
        self.fonts, self.dpi, self.rng = fonts, dpi, rng
        self.w = int(round(self.W_MM / 25.4 * dpi))
        self.h = int(round(self.H_MM / 25.4 * dpi))
        self.ink = Image.new('L', (self.w, self.h), 0)
        self.draw = ImageDraw.Draw(self.ink)
        self.left = rng.uniform(27, 33)
        self.right = self.W_MM - rng.uniform(14, 19)
        self.y = rng.uniform(14, 20)
        self.size = size_pt
        self.lead = rng.uniform(1.38, 1.55)
        self.lines = []
        self.stamps = []
        self.signatures = []
        self.frames = []          # (rgb 0..1, inset mm): printed border of an original
        self.dot_style = rng.choice(['.', '.', '…'])

    # units
    def px(self, mm):
        return mm / 25.4 * self.dpi

    def font(self, style, pt=None):
        return self.fonts.get(style, max(6, int(round((pt or self.size) / 72.0 * self.dpi))))

    def tw(self, text, style, pt=None):
        return self.font(style, pt).getlength(text) / self.dpi * 25.4

    def text(self, x_mm, y_mm, text, style='r', pt=None, fill=255):
        f = self.font(style, pt)
        self.draw.text((self.px(x_mm), self.px(y_mm)), text, font=f, fill=fill)

    def baseline(self, style, pt=None):
        """y (mm) of the baseline of a line drawn at self.y."""
        asc, _ = self.font(style, pt).getmetrics()
        return self.y + asc / self.dpi * 25.4

    def line_h(self, pt=None):
        return (pt or self.size) / 72.0 * 25.4 * self.lead

    def newline(self, pt=None, factor=1.0):
        self.y += self.line_h(pt) * factor

    def rule(self, x0, x1, y, width_mm=0.25):
        self.draw.line([(self.px(x0), self.px(y)), (self.px(x1), self.px(y))],
                       fill=255, width=max(1, int(round(self.px(width_mm)))))

    def dots(self, x0, x1, y, pt=None):
        """Dotted leader from x0 to x1 (mm) on the text line at y."""
        if x1 - x0 < 2:
            return
        ch = self.dot_style
        w = self.tw(ch, 'r', pt)
        n = int((x1 - x0) / w)
        if n > 0:
            self.text(x0, y, ch * n, 'r', pt)

    # blocks
    def centered(self, text, style='b', pt=None, cx=None, underline=False,
                 record=True):
        cx = cx if cx is not None else (self.left + self.right) / 2
        w = self.tw(text, style, pt)
        self.text(cx - w / 2, self.y, text, style, pt)
        if underline:
            ul = self.baseline(style, pt) + 0.6
            self.rule(cx - w / 2, cx + w / 2, ul)
        if record:
            self.lines.append(text)
        self.newline(pt)
        return w

    def left_text(self, text, style='r', pt=None, x=None, record=True):
        self.text(self.left if x is None else x, self.y, text, style, pt)
        if record:
            self.lines.append(text)
        self.newline(pt)

    def paragraph(self, text, style='r', pt=None, indent=10.0, x0=None,
                  x1=None, justify=True, bold_words=0):
        """Wrapped paragraph, first line indented; the first BOLD_WORDS
        words are bold ("Điều 1.")."""
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        words = [(w, 'b' if i < bold_words else style) for i, w in enumerate(text.split())]
        sp = self.tw(' ', style, pt)
        first = True
        while words:
            start = x0 + (indent if first else 0)
            line = [words.pop(0)]
            width = self.tw(line[0][0], line[0][1], pt)
            while words and start + width + sp + self.tw(words[0][0], words[0][1], pt) <= x1:
                width += sp + self.tw(words[0][0], words[0][1], pt)
                line.append(words.pop(0))
            gap = sp
            if justify and words and len(line) > 1:
                tot = sum(self.tw(w, st, pt) for w, st in line)
                gap = (x1 - start - tot) / (len(line) - 1)
            x = start
            for w, st in line:
                self.text(x, self.y, w, st, pt)
                x += self.tw(w, st, pt) + gap
            self.lines.append(' '.join(w for w, _ in line))
            self.newline(pt)
            first = False

    def field_line(self, segs, vstyle='r', over=False, pt=None):
        """One printed form line: segs = [(label, value, end_mm|None)].
        The label is printed, then the value, then a dotted leader up to
        end_mm (the right margin when None).  With over=True the leader
        runs from the label to end_mm and the value is typed over it.
        Values that do not fit wrap to continuation lines."""
        x = self.left
        words_on_line = []
        for label, value, end in segs:
            end = self.right if end is None else end
            if label:
                lw = self.tw(label, 'r', pt)
                if x + lw > self.right:
                    self.lines.append(' '.join(words_on_line))
                    words_on_line = []
                    self.newline(pt)
                    x = self.left
                self.text(x, self.y, label, 'r', pt)
                words_on_line.append(label)
                x += lw + self.tw(' ', 'r', pt)
            value = value or ''
            vw = self.tw(value, vstyle, pt)
            if over and value and x + vw + 3 <= end:
                # the leader runs ~2 mm under the typed value's baseline, so
                # dot-below marks (ạ, ệ, ợ) stay readable above it
                self.dots(x, end, self.y + self.rng.uniform(1.7, 2.1), pt)
                self.text(x + self.rng.uniform(0.5, 3), self.y - self.rng.uniform(0, 0.4),
                          value, vstyle, pt)
                words_on_line.append(value)
                x = end + self.tw(' ', 'r', pt)
                continue
            vx = x + (self.rng.uniform(0, 1.5) if value else 0)
            ws = value.split()
            while ws:
                chunk = [ws.pop(0)]
                while ws and vx + self.tw(' '.join(chunk + [ws[0]]), vstyle, pt) <= self.right:
                    chunk.append(ws.pop(0))
                s = ' '.join(chunk)
                if vx + self.tw(s, vstyle, pt) > self.right and words_on_line:
                    ws = chunk + ws
                    self.lines.append(' '.join(words_on_line))
                    words_on_line = []
                    self.newline(pt)
                    vx = self.left
                    continue
                self.text(vx, self.y, s, vstyle, pt)
                words_on_line.append(s)
                vx += self.tw(s, vstyle, pt)
                if ws:
                    self.lines.append(' '.join(words_on_line))
                    words_on_line = []
                    self.newline(pt)
                    vx = self.left
            x = vx + 1.0
            if end > x + 2:
                self.dots(x, end, self.y, pt)
                x = end
            x += self.tw(' ', 'r', pt)
        self.lines.append(' '.join(words_on_line))
        self.newline(pt)

    def header_two_col(self, left, right, lsplit=0.40):
        """left/right: lists of (text, style, pt, underline_kind).
        underline_kind: None, 'short' (rule under a third of the line) or
        'full'.  Left block lines are recorded first, then the right."""
        y0 = self.y
        lcx = self.left + (self.right - self.left) * lsplit / 2 - 4
        rcx = self.left + (self.right - self.left) * (lsplit + (1 - lsplit) / 2) + 3
        ys = []
        for col, cx in ((left, lcx), (right, rcx)):
            self.y = y0
            for text, style, pt, ul in col:
                if text is None:
                    self.newline(pt, 0.45)
                    continue
                w = self.tw(text, style, pt)
                if style == 'r' and text.startswith('Số:'):
                    pass
                self.text(cx - w / 2, self.y, text, style, pt)
                self.lines.append(text)
                base = self.baseline(style, pt)
                if ul == 'full':
                    self.rule(cx - w / 2, cx + w / 2, base + 0.6)
                elif ul == 'short':
                    l = w * self.rng.uniform(0.33, 0.5)
                    self.rule(cx - l / 2, cx + l / 2, base + 2.2)
                self.newline(pt)
            ys.append(self.y)
        self.y = max(ys)

    def signer_block(self, lines_top, name, cx=None, gap_mm=None, stamp=None,
                     record_top=True):
        """Right-hand signer block: lines_top = [(text, style, pt)], then a
        gap for the signature, then the name in bold.  Returns y of name."""
        cx = cx if cx is not None else self.left + (self.right - self.left) * 0.72
        for text, style, pt in lines_top:
            w = self.tw(text, style, pt)
            self.text(cx - w / 2, self.y, text, style, pt)
            if record_top:
                self.lines.append(text)
            self.newline(pt)
        top = self.y
        self.y += gap_mm if gap_mm is not None else self.rng.uniform(18, 26)
        w = self.tw(name, 'b')
        self.text(cx - w / 2, self.y, name, 'b')
        self.lines.append(name)
        name_y = self.y
        self.newline()
        self.signatures.append((cx + self.rng.uniform(-12, 8), (top + name_y) / 2 + 1,
                                self.rng.uniform(24, 38)))
        if stamp is not None:
            r = self.rng.uniform(17, 20)
            sx = cx - self.rng.uniform(15, 24)
            sy = (top + name_y) / 2 + self.rng.uniform(-3, 5)
            self.stamps.append((sx, sy, r, stamp))
        return name_y


# ------------------------------------------------------------- documents

def motto_lines(style_caps='HÒA'):
    return [('CỘNG %s XÃ HỘI CHỦ NGHĨA VIỆT NAM' % style_caps, 'b', 12.5, None),
            ('Độc lập - Tự do - Hạnh phúc', 'b', 13, 'full')]


def issuer_lines(place):
    return [('ỦY BAN NHÂN DÂN', 'b', 12.5, None),
            ('%s %s' % (place.kind.upper(), place.cname.upper()), 'b', 12.5, 'short')]


def place_date_line(place, d):
    return '%s, %s' % (place.cname if place.kind == 'Xã' else place.commune,
                       ngay_thang_nam(d))


class Ctx:
    def __init__(self, data, fonts, rng, dpi):
        self.data, self.fonts, self.rng, self.dpi = data, fonts, rng, dpi


def officer(ctx):
    sex = ctx.rng.choice(['Nam', 'Nam', 'Nữ'])
    return person_name(ctx.data, ctx.rng, sex)


def signer_title(rng, with_tm=False):
    if with_tm:
        return rng.choice([[('TM. ỦY BAN NHÂN DÂN', 'b', 13), ('CHỦ TỊCH', 'b', 13)],
                           [('TM. ỦY BAN NHÂN DÂN', 'b', 13), ('KT. CHỦ TỊCH', 'b', 13),
                            ('PHÓ CHỦ TỊCH', 'b', 13)]])
    return rng.choice([[('CHỦ TỊCH', 'b', 13)], [('PHÓ CHỦ TỊCH', 'b', 13)],
                       [('KT. CHỦ TỊCH', 'b', 13), ('PHÓ CHỦ TỊCH', 'b', 13)]])


def stamp_text(place):
    return ('ỦY BAN NHÂN DÂN', '%s %s' % (place.kind.upper(), place.cname.upper()),
            prov_addr(place.prov_full).upper())


def doc_birth(ctx):
    rng, data = ctx.rng, ctx.data
    pg = Page(ctx.fonts, ctx.dpi, rng, size_pt=rng.choice([13, 13, 13.5]))
    reg = Place(data, rng)
    extract = rng.random() < 0.6      # Trích lục (copy) or Giấy khai sinh
    sex = rng.choice(['Nam', 'Nữ'])
    # originals with a personal-ID line are issued since 2016; extracts
    # (copies) are made today of records of any age
    bd = rand_date(rng, 1975, 2023) if extract else rand_date(rng, 2016, 2024)
    regd = add_days(bd, rng.randint(3, 60))
    name = person_name(data, rng, sex)
    upper = rng.random() < 0.5
    shown = name.upper() if upper else name
    eth = wchoice(rng, ETHNIC)
    birthplace_p = Place(data, rng, reg.pcode) if rng.random() < 0.3 else reg
    kind = rng.choice(BIRTH_PLACE_KIND)
    bplace = kind.format(commune=birthplace_p.commune[0].lower() + birthplace_p.commune[1:] +
                         ', ' + prov_addr(birthplace_p.prov_full) if '{commune}' in kind else '',
                         prov_full=prov_addr(birthplace_p.prov_full),
                         addr=birthplace_p.addr(False))
    bplace = bplace.replace('Trạm Y tế xã', 'Trạm Y tế xã').strip()
    home = Place(data, rng, reg.pcode if rng.random() < 0.6 else None).addr(False)
    pid = personal_id(rng, reg.pcode, bd.year, sex)
    mother = person_name(data, rng, 'Nữ')
    father = person_name(data, rng, 'Nam') if rng.random() < 0.9 else None
    m_year = bd.year - rng.randint(19, 38)
    f_year = bd.year - rng.randint(21, 42)
    resid = '%s, %s' % (rng.choice(HAMLETS), reg.addr())
    if extract:
        issue = copy_date(rng, regd)
        num = rng.choice(['%d/%d/TLKS-BS' % (rng.randint(1, 350), issue.year),
                          '%d/TLKS-BS' % rng.randint(1, 350),
                          '%02d/TLKS' % rng.randint(1, 99)])
    else:
        issue = None
        num = str(rng.randint(1, 400)) if rng.random() < 0.5 else '%02d' % rng.randint(1, 99)
    signer = officer(ctx)
    vstyle = rng.choice(['r', 'b'])
    over = rng.random() < 0.35
    f = {'doc_type': 'birth', 'doc_number': num, 'full_name': shown,
         'birth_date': bd.isoformat(), 'sex': sex, 'ethnicity': eth,
         'nationality': 'Việt Nam', 'birth_place': bplace, 'hometown': home,
         'personal_id': pid, 'mother_name': mother,
         'registration_place': reg.ubnd(), 'registration_date': regd.isoformat(),
         'signer': signer}
    if father:
        f['father_name'] = father
    if extract:
        pg.header_two_col(issuer_lines(reg) + [(None, 'r', 13, None),
                          ('Số: %s' % num, 'r', 13, None)],
                          motto_lines() + [(None, 'r', 13, None),
                          (place_date_line(reg, issue), 'i', 13, None)])
        f['issue_date'] = issue.isoformat()
        f['issuer'] = 'ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper())
        pg.newline(factor=1.2)
        pg.centered('TRÍCH LỤC KHAI SINH', 'b', 15)
        if rng.random() < 0.6:
            pg.centered('(BẢN SAO)', 'b', 13)
    else:
        if rng.random() < 0.7:
            pg.frames.append(((0.15, 0.25, 0.55), rng.uniform(8, 10)))
        for t, st, pt, ul in motto_lines():
            pg.centered(t, st, pt, underline=ul == 'full')
        pg.newline(factor=0.6)
        pg.left_text('Số: %s' % num)
        pg.newline(factor=0.5)
        pg.centered('GIẤY KHAI SINH', 'b', 16)
    pg.newline(factor=0.6)
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([('Họ, chữ đệm, tên:', shown, None)], 'b', over)
    if rng.random() < 0.5:
        pg.field_line([('Ngày, tháng, năm sinh:', dmy(bd), None)], vstyle, over)
        pg.field_line([('ghi bằng chữ:', words_date(bd), None)], vstyle)
    else:
        pg.field_line([('Ngày, tháng, năm sinh:', dmy(bd), col2 + 12),
                       ('ghi bằng chữ:', words_date(bd), None)], vstyle)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', eth, col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vstyle, over)
    pg.field_line([('Nơi sinh:', bplace, None)], vstyle, over)
    pg.field_line([('Quê quán:', home, None)], vstyle, over)
    pg.field_line([('Số định danh cá nhân:', pid, None)], vstyle, over)
    for who, nm, yr, sx in (('mẹ', mother, m_year, 'Nữ'), ('cha', father, f_year, 'Nam')):
        if nm is None:
            pg.field_line([('Họ, chữ đệm, tên người %s:' % who, '', None)], vstyle)
            continue
        pg.field_line([('Họ, chữ đệm, tên người %s:' % who, nm, None)], vstyle, over)
        e2 = eth if rng.random() < 0.85 else wchoice(rng, ETHNIC)
        pg.field_line([('Năm sinh:', str(yr), col2), ('Dân tộc:', e2, col3),
                       ('Quốc tịch:', 'Việt Nam', None)], vstyle, over)
        pg.field_line([('Nơi cư trú:', resid, None)], vstyle)
    if not extract:
        decl = father or mother
        pg.field_line([('Họ, chữ đệm, tên người đi khai sinh:', decl, None)], vstyle)
        pg.field_line([('Giấy tờ tùy thân:', 'Căn cước công dân số %012d' % rng.randint(10**10, 10**11), None)], vstyle)
    pg.field_line([('Nơi đăng ký khai sinh:', reg.ubnd(), None)], vstyle)
    pg.field_line([('Ngày, tháng, năm đăng ký:', dmy(regd), None)], vstyle, over)
    pg.newline(factor=0.7)
    who = 'NGƯỜI KÝ TRÍCH LỤC' if extract else 'NGƯỜI KÝ GIẤY KHAI SINH'
    note = '(Ký, ghi rõ họ, chữ đệm, tên, chức vụ%s đóng dấu)' % (' và' if extract else ',')
    top = [(who, 'b', 13), (note, 'i', 12)] + signer_title(rng)
    pg.signer_block(top, signer, stamp=stamp_text(reg))
    return pg, f


def doc_death(ctx):
    rng, data = ctx.rng, ctx.data
    pg = Page(ctx.fonts, ctx.dpi, rng)
    reg = Place(data, rng)
    sex = rng.choice(['Nam', 'Nữ'])
    bd = rand_date(rng, 1925, 1990)
    dd = rand_date(rng, max(bd.year + 30, 2008), 2024)
    regd = add_days(dd, rng.randint(1, 20))
    issue = copy_date(rng, regd)
    name = person_name(data, rng, sex)
    shown = name.upper() if rng.random() < 0.5 else name
    eth = wchoice(rng, ETHNIC)
    pid = personal_id(rng, reg.pcode, bd.year, sex)
    dplace = rng.choice(['Tại nhà, %s' % reg.addr(), '%s, %s' % (rng.choice(HAMLETS), reg.addr()),
                         'Bệnh viện Đa khoa %s' % prov_addr(reg.prov_full),
                         'Trạm Y tế %s' % reg.addr()])
    cause = rng.choice(DEATH_CAUSES)
    num = rng.choice(['%d/TLKT-BS' % rng.randint(1, 200), '%02d/TLKT' % rng.randint(1, 99),
                      '%d/%d/TLKT-BS' % (rng.randint(1, 200), issue.year)])
    signer = officer(ctx)
    vstyle = rng.choice(['r', 'b'])
    over = rng.random() < 0.35
    f = {'doc_type': 'death', 'doc_number': num, 'full_name': shown,
         'birth_date': bd.isoformat(), 'sex': sex, 'ethnicity': eth,
         'nationality': 'Việt Nam', 'personal_id': pid,
         'death_date': dd.isoformat(), 'death_place': dplace, 'death_cause': cause,
         'registration_place': reg.ubnd(), 'registration_date': regd.isoformat(),
         'issue_date': issue.isoformat(),
         'issuer': 'ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper()),
         'signer': signer}
    pg.header_two_col(issuer_lines(reg) + [(None, 'r', 13, None), ('Số: %s' % num, 'r', 13, None)],
                      motto_lines() + [(None, 'r', 13, None),
                                       (place_date_line(reg, issue), 'i', 13, None)])
    pg.newline(factor=1.2)
    pg.centered('TRÍCH LỤC KHAI TỬ', 'b', 15)
    if rng.random() < 0.5:
        pg.centered('(BẢN SAO)', 'b', 13)
    pg.newline(factor=0.6)
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([('Họ, chữ đệm, tên:', shown, None)], 'b', over)
    pg.field_line([('Ngày, tháng, năm sinh:', dmy(bd), None)], vstyle, over)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', eth, col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vstyle, over)
    pg.field_line([('Số định danh cá nhân:', pid, None)], vstyle, over)
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    pg.field_line([('Đã chết vào lúc:', '%02d giờ %02d phút, ngày %s' % (hh, mm, dmy(dd)), None)],
                  vstyle)
    pg.field_line([('ghi bằng chữ:', words_date(dd), None)], vstyle)
    pg.field_line([('Nơi chết:', dplace, None)], vstyle)
    pg.field_line([('Nguyên nhân chết:', cause, None)], vstyle, over)
    pg.field_line([('Nơi đăng ký khai tử:', reg.ubnd(), None)], vstyle)
    pg.field_line([('Ngày, tháng, năm đăng ký:', dmy(regd), None)], vstyle, over)
    pg.field_line([('Ghi chú:', '', None)], vstyle)
    pg.newline(factor=0.7)
    top = [('NGƯỜI KÝ TRÍCH LỤC', 'b', 13),
           ('(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)', 'i', 12)] + signer_title(rng)
    pg.signer_block(top, signer, stamp=stamp_text(reg))
    return pg, f


def doc_marriage(ctx):
    rng, data = ctx.rng, ctx.data
    pg = Page(ctx.fonts, ctx.dpi, rng)
    reg = Place(data, rng)
    regd = rand_date(rng, 2010, 2024)
    wife = person_name(data, rng, 'Nữ')
    husband = person_name(data, rng, 'Nam')
    num = rng.choice([str(rng.randint(1, 150)), '%02d' % rng.randint(1, 99),
                      '%d/%d' % (rng.randint(1, 150), regd.year)])
    signer = officer(ctx)
    vstyle = rng.choice(['r', 'b'])
    over = rng.random() < 0.35
    f = {'doc_type': 'marriage', 'doc_number': num, 'full_name': husband,
         'spouse_name': wife, 'registration_place': reg.ubnd(),
         'registration_date': regd.isoformat(), 'signer': signer}
    if rng.random() < 0.7:
        pg.frames.append(((0.62, 0.18, 0.2), rng.uniform(8, 10)))
    for t, st, pt, ul in motto_lines():
        pg.centered(t, st, pt, underline=ul == 'full')
    pg.newline(factor=0.6)
    pg.left_text('Số: %s' % num)
    pg.newline(factor=0.4)
    pg.centered('GIẤY CHỨNG NHẬN KẾT HÔN', 'b', 16)
    pg.newline(factor=0.6)
    col2 = pg.left + (pg.right - pg.left) * 0.45
    for who, nm, sx in (('vợ', wife, 'Nữ'), ('chồng', husband, 'Nam')):
        bd = rand_date(rng, regd.year - 45, regd.year - 20)
        eth = wchoice(rng, ETHNIC)
        home = Place(data, rng, reg.pcode if rng.random() < 0.7 else None)
        pg.field_line([('Họ, chữ đệm, tên %s:' % who, nm, None)], 'b', over)
        pg.field_line([('Ngày, tháng, năm sinh:', dmy(bd), None)], vstyle, over)
        pg.field_line([('Dân tộc:', eth, col2), ('Quốc tịch:', 'Việt Nam', None)], vstyle, over)
        pg.field_line([('Nơi cư trú:', '%s, %s' % (rng.choice(HAMLETS), home.addr()), None)], vstyle)
        pg.field_line([('Giấy tờ tùy thân:', 'Căn cước công dân số %s' %
                        personal_id(rng, home.pcode, bd.year, sx), None)], vstyle)
        pg.newline(factor=0.3)
    pg.field_line([('Nơi đăng ký kết hôn:', reg.ubnd(), None)], vstyle)
    pg.field_line([('Ngày, tháng, năm đăng ký:', dmy(regd), None)], vstyle, over)
    pg.newline(factor=0.6)
    # wife / husband signature row: left block, then right block
    y0 = pg.y
    lcx = pg.left + (pg.right - pg.left) * 0.22
    rcx = pg.left + (pg.right - pg.left) * 0.72
    for cx, lab, nm in ((lcx, 'Vợ', wife), (rcx, 'Chồng', husband)):
        pg.y = y0
        for t, st, pt in ((lab, 'b', 13), ('(Ký, ghi rõ họ, chữ đệm, tên)', 'i', 11.5)):
            w = pg.tw(t, st, pt)
            pg.text(cx - w / 2, pg.y, t, st, pt)
            pg.lines.append(t)
            pg.newline(pt)
        pg.y += rng.uniform(12, 16)
        w = pg.tw(nm, 'r')
        pg.text(cx - w / 2, pg.y, nm, 'r')
        pg.lines.append(nm)
        pg.signatures.append((cx + rng.uniform(-8, 8), pg.y - 8, rng.uniform(20, 30)))
        pg.newline()
    pg.newline(factor=0.5)
    top = [('NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN', 'b', 12.5),
           ('(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)', 'i', 11.5)] + signer_title(rng)
    pg.signer_block(top, signer, cx=pg.left + (pg.right - pg.left) * 0.62,
                    gap_mm=rng.uniform(16, 22), stamp=stamp_text(reg))
    return pg, f


def doc_marital_status(ctx):
    rng, data = ctx.rng, ctx.data
    pg = Page(ctx.fonts, ctx.dpi, rng)
    reg = Place(data, rng)
    issue = rand_date(rng, 2016, 2025)
    sex = rng.choice(['Nam', 'Nữ'])
    bd = rand_date(rng, issue.year - 60, issue.year - 19)
    name = person_name(data, rng, sex)
    shown = name.upper() if rng.random() < 0.4 else name
    eth = wchoice(rng, ETHNIC)
    pid = personal_id(rng, reg.pcode, bd.year, sex)
    resid = '%s, %s' % (rng.choice(HAMLETS), reg.addr())
    st = rng.choice(MARITAL)
    if '{spouse}' in st:
        if (sex == 'Nam') != ('vợ' in st):
            st = MARITAL[0]
        else:
            st = st.format(spouse=person_name(data, rng, 'Nữ' if sex == 'Nam' else 'Nam'))
    num = '%d/UBND-XNTTHN' % rng.randint(1, 300) if rng.random() < 0.7 else \
        '%02d/XNTTHN' % rng.randint(1, 99)
    signer = officer(ctx)
    vstyle = rng.choice(['r', 'b'])
    over = rng.random() < 0.3
    issuer = 'ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper())
    f = {'doc_type': 'marital_status', 'doc_number': num, 'full_name': shown,
         'birth_date': bd.isoformat(), 'sex': sex, 'ethnicity': eth,
         'nationality': 'Việt Nam', 'personal_id': pid, 'residence': resid,
         'marital_status': st, 'issue_date': issue.isoformat(), 'issuer': issuer,
         'signer': signer}
    pg.header_two_col(issuer_lines(reg) + [(None, 'r', 13, None), ('Số: %s' % num, 'r', 13, None)],
                      motto_lines() + [(None, 'r', 13, None),
                                       (place_date_line(reg, issue), 'i', 13, None)])
    pg.newline(factor=1.2)
    pg.centered('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', 'b', 15)
    pg.newline(factor=0.4)
    pg.centered('ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper()), 'b', 13)
    pg.newline(factor=0.3)
    asker = 'ông' if sex == 'Nam' else 'bà'
    pg.paragraph('Xét đề nghị của %s %s về việc cấp Giấy xác nhận tình trạng hôn nhân cho %s %s,'
                 % (asker, name, asker, name), indent=10)
    pg.centered('XÁC NHẬN:', 'b', 13)
    col2 = pg.left + (pg.right - pg.left) * 0.36
    col3 = pg.left + (pg.right - pg.left) * 0.66
    pg.field_line([('Họ, chữ đệm, tên:', shown, None)], 'b', over)
    pg.field_line([('Ngày, tháng, năm sinh:', dmy(bd), None)], vstyle, over)
    pg.field_line([('Giới tính:', sex, col2), ('Dân tộc:', eth, col3),
                   ('Quốc tịch:', 'Việt Nam', None)], vstyle, over)
    pg.field_line([('Số định danh cá nhân:', pid, None)], vstyle, over)
    pg.field_line([('Nơi cư trú:', resid, None)], vstyle)
    since = rand_date(rng, bd.year + 1, issue.year - 1)
    pg.paragraph('Trong thời gian cư trú tại %s từ ngày %s đến ngày %s'
                 % (reg.addr(), dmy(since), dmy(issue)), indent=0, justify=False)
    pg.field_line([('Tình trạng hôn nhân:', st, None)], vstyle)
    pg.paragraph('Giấy này có giá trị sử dụng trong thời hạn 6 tháng kể từ ngày cấp, '
                 'được sử dụng để: %s.' % rng.choice(PURPOSES), indent=10)
    pg.newline(factor=0.6)
    pg.signer_block(signer_title(rng, with_tm=True), signer, stamp=stamp_text(reg))
    return pg, f


DECISION_SUBJECTS = [
    ('Về việc cải chính hộ tịch cho {who}',
     'Cho phép cải chính nội dung ngày, tháng, năm sinh trong Giấy khai sinh của {who}, '
     'sinh năm {year}, nơi cư trú: {addr}.'),
    ('Về việc công nhận danh hiệu Gia đình văn hóa năm {y}',
     'Công nhận {n} hộ gia đình trên địa bàn xã đạt danh hiệu Gia đình văn hóa năm {y} '
     '(có danh sách kèm theo).'),
    ('Về việc thành lập Tổ công tác rà soát, số hóa sổ hộ tịch',
     'Thành lập Tổ công tác rà soát, số hóa sổ hộ tịch của Ủy ban nhân dân xã gồm {n} thành viên, '
     'do {who} làm Tổ trưởng.'),
    ('Về việc cho phép thay đổi chữ đệm, tên cho {who}',
     'Cho phép thay đổi chữ đệm, tên của {who}, sinh năm {year}, nơi cư trú: {addr}.'),
    ('Về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {y}',
     'Phê duyệt danh sách {n} hộ nghèo và hộ cận nghèo trên địa bàn xã năm {y} '
     '(có danh sách kèm theo).'),
    ('Về việc ban hành Kế hoạch số hóa tài liệu lưu trữ năm {y}',
     'Ban hành kèm theo Quyết định này Kế hoạch số hóa tài liệu lưu trữ của Ủy ban nhân dân xã '
     'năm {y}.'),
]


def doc_decision(ctx):
    rng, data = ctx.rng, ctx.data
    pg = Page(ctx.fonts, ctx.dpi, rng, size_pt=13)
    pg.lead = rng.uniform(1.30, 1.42)
    reg = Place(data, rng)
    issue = rand_date(rng, 2016, 2025)
    num = '%d/QĐ-UBND' % rng.randint(1, 480) if rng.random() < 0.8 else \
        '%02d/QĐ-UBND' % rng.randint(1, 9)
    who_sex = rng.choice(['Nam', 'Nữ'])
    who_nm = person_name(data, rng, who_sex)
    who = ('ông ' if who_sex == 'Nam' else 'bà ') + who_nm
    subj_t, art1_t = rng.choice(DECISION_SUBJECTS)
    fill = dict(who=who, y=issue.year - (1 if rng.random() < 0.3 else 0),
                n=rng.randint(5, 180), year=rng.randint(1950, 2015),
                addr='%s, %s' % (rng.choice(HAMLETS), reg.addr()))
    subject = subj_t.format(**fill)
    signer = officer(ctx)
    issuer = 'ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper())
    f = {'doc_type': 'decision', 'doc_number': num, 'issue_date': issue.isoformat(),
         'issuer': issuer, 'subject': subject, 'signer': signer}
    pg.header_two_col(issuer_lines(reg) + [(None, 'r', 13, None), ('Số: %s' % num, 'r', 13, None)],
                      motto_lines() + [(None, 'r', 13, None),
                                       (place_date_line(reg, issue), 'i', 13.5, None)])
    pg.newline(factor=1.0)
    pg.centered('QUYẾT ĐỊNH', 'b', 14)
    # trích yếu: bold, may wrap over two centred lines
    words = subject.split()
    maxw = (pg.right - pg.left) * 0.8
    lines, cur = [], []
    for w in words:
        if cur and pg.tw(' '.join(cur + [w]), 'b', 14) > maxw:
            lines.append(' '.join(cur))
            cur = []
        cur.append(w)
    lines.append(' '.join(cur))
    for l in lines:
        pg.centered(l, 'b', 14)
    cx = (pg.left + pg.right) / 2
    pg.rule(cx - 18, cx + 18, pg.y - 0.8)
    pg.newline(factor=0.5)
    pg.centered('CHỦ TỊCH ỦY BAN NHÂN DÂN %s %s' % (reg.kind.upper(), reg.cname.upper()), 'b', 14)
    pg.newline(factor=0.3)
    cancu = ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
             'Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức '
             'chính quyền địa phương ngày 22 tháng 11 năm 2019;']
    if 'hộ tịch' in subject or 'tên' in subject:
        cancu += ['Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;',
                  'Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy '
                  'định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;']
    elif 'lưu trữ' in subject:
        cancu += ['Căn cứ Luật Lưu trữ ngày 11 tháng 11 năm 2011;']
    cancu.append('Theo đề nghị của công chức %s.' % rng.choice(
        ['Tư pháp - Hộ tịch', 'Văn hóa - Xã hội', 'Văn phòng - Thống kê']))
    for c in cancu:
        pg.paragraph(c, 'i', indent=10)
    pg.newline(factor=0.2)
    pg.centered('QUYẾT ĐỊNH:', 'b', 14)
    art1 = art1_t.format(**fill)
    art2 = rng.choice(['Quyết định này có hiệu lực kể từ ngày ký.',
                       'Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.'])
    art3 = ('Văn phòng Ủy ban nhân dân xã, công chức %s và các cá nhân có liên quan chịu '
            'trách nhiệm thi hành Quyết định này.' % rng.choice(
                ['Tư pháp - Hộ tịch', 'Văn hóa - Xã hội', 'Địa chính - Xây dựng']))
    for i, a in enumerate((art1, art2, art3), 1):
        pg.paragraph('Điều %d. %s' % (i, a), indent=10, bold_words=2)
    pg.newline(factor=0.6)
    # Nơi nhận (left) and signer (right): left block first
    y0 = pg.y
    nn = [('Nơi nhận:', 'bi', 12), ('- Như Điều 3;', 'r', 11),
          ('- UBND %s (b/c);' % rng.choice(['huyện', 'tỉnh']), 'r', 11),
          ('- TT Đảng ủy, HĐND xã;', 'r', 11), ('- Lưu: VT.', 'r', 11)]
    for t, st, pt in nn:
        pg.text(pg.left, pg.y, t, st, pt)
        pg.lines.append(t)
        pg.newline(pt)
    pg.y = y0
    pg.signer_block(signer_title(rng, with_tm=True), signer, stamp=stamp_text(reg))
    return pg, f


BUILDERS = {'birth': doc_birth, 'death': doc_death, 'marriage': doc_marriage,
            'marital_status': doc_marital_status, 'decision': doc_decision}


# ---------------------------------------------------------- rendering

def smooth_field(rng, h, w, cells=6, amp=1.0):
    """Low-frequency random field in [-amp, amp], h x w."""
    g = rng.standard_normal((cells, int(cells * w / h) + 2)).astype(np.float32)
    im = Image.fromarray(g).resize((w, h), Image.BICUBIC)
    a = np.asarray(im, dtype=np.float32)
    return a / (np.abs(a).max() + 1e-6) * amp


def draw_stamp(pg, nrng, sx, sy, r_mm, texts):
    """Red round stamp as an alpha mask (0..1) of the page size plus
    bounding box.  Rings, circular text, a star in the centre."""
    dpi = pg.dpi
    R = int(r_mm / 25.4 * dpi)
    size = 2 * R + 8
    im = Image.new('L', (size, size), 0)
    d = ImageDraw.Draw(im)
    c = size / 2
    lw = max(2, int(0.55 / 25.4 * dpi))
    d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=lw)
    r2 = R * 0.72
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, lw // 2))
    # star
    rs, ri = R * 0.28, R * 0.11
    pts = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rr = rs if k % 2 == 0 else ri
        pts.append((c + rr * math.cos(ang), c + rr * math.sin(ang) - R * 0.12))
    d.polygon(pts, fill=255)
    # centre text (commune)
    fpx = int(R * 0.16)
    font = pg.fonts.get('b', max(8, fpx))
    t = texts[1]
    w = font.getlength(t)
    if w > 1.3 * r2:
        font = pg.fonts.get('b', max(8, int(fpx * 1.3 * r2 / w)))
        w = font.getlength(t)
    d.text((c - w / 2, c + R * 0.22), t, font=font, fill=255)
    # circular text between the rings
    ring = ' '.join([texts[0], '*', texts[2], '*'])
    fsz = max(8, int(R * 0.17))
    font = pg.fonts.get('b', fsz)
    rt = (R + r2) / 2
    total = sum(font.getlength(ch) for ch in ring)
    scale = (2 * math.pi * rt * 0.93) / total
    ang = -math.pi / 2 - math.pi * 0.93
    for ch in ring:
        cw = font.getlength(ch) * scale
        a = ang + cw / 2 / rt
        gi = Image.new('L', (fsz * 2, fsz * 2), 0)
        ImageDraw.Draw(gi).text((fsz - font.getlength(ch) / 2, fsz * 0.45), ch, font=font, fill=255)
        gi = gi.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        x = c + rt * math.cos(a) - fsz
        y = c + rt * math.sin(a) - fsz
        im.paste(255, (int(x), int(y)), gi)
        ang += cw / rt
    im = im.rotate(nrng.uniform(-40, 40), resample=Image.BICUBIC)
    a = np.asarray(im, dtype=np.float32) / 255.0
    # uneven ink: patchy pressure
    patch = smooth_field(nrng, size, size, cells=5, amp=1.0)
    a = a * np.clip(0.75 + 0.35 * patch + nrng.normal(0, 0.12, a.shape), 0.25, 1.0)
    x0 = int(sx / 25.4 * dpi - size / 2)
    y0 = int(sy / 25.4 * dpi - size / 2)
    return a, x0, y0


def draw_signature(pg, nrng, cx, cy, w_mm):
    dpi = pg.dpi
    W = int(w_mm / 25.4 * dpi)
    H = int(W * 0.5)
    im = Image.new('L', (W + 20, H + 20), 0)
    d = ImageDraw.Draw(im)
    pts = []
    n = nrng.integers(6, 11)
    x = 10.0
    for k in range(n):
        x += W / n * nrng.uniform(0.6, 1.3)
        y = 10 + H * (0.5 + 0.45 * math.sin(k * nrng.uniform(1.5, 3.5)) * nrng.uniform(0.4, 1))
        pts.append((min(x, W + 10), y))
    # smooth through points with Catmull-Rom
    curve = []
    for i in range(len(pts) - 1):
        p0 = pts[max(0, i - 1)]; p1 = pts[i]; p2 = pts[i + 1]; p3 = pts[min(len(pts) - 1, i + 2)]
        for t in np.linspace(0, 1, 12):
            t2, t3 = t * t, t * t * t
            curve.append(tuple(0.5 * ((2 * p1[j]) + (-p0[j] + p2[j]) * t +
                                      (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2 +
                                      (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3)
                               for j in range(2)))
    lw = max(2, int(0.4 / 25.4 * dpi))
    d.line(curve, fill=255, width=lw, joint='curve')
    # underline flourish
    y = 10 + H * nrng.uniform(0.7, 0.95)
    d.line([(W * 0.1, y), (W * 0.95, y - H * 0.15)], fill=255, width=lw)
    a = np.asarray(im.filter(ImageFilter.GaussianBlur(lw * 0.3)), dtype=np.float32) / 255.0
    x0 = int(cx / 25.4 * dpi - W / 2)
    y0 = int(cy / 25.4 * dpi - H / 2)
    return a, x0, y0


def blit_alpha(alpha_full, a, x0, y0):
    H, W = alpha_full.shape
    h, w = a.shape
    xs, ys = max(0, x0), max(0, y0)
    xe, ye = min(W, x0 + w), min(H, y0 + h)
    if xe <= xs or ye <= ys:
        return
    sub = a[ys - y0:ye - y0, xs - x0:xe - x0]
    alpha_full[ys:ye, xs:xe] = np.maximum(alpha_full[ys:ye, xs:xe], sub)


LEVEL_PARAMS = {
    'clean': dict(skew=(0.0, 0.3), blur=(0.0, 0.25), noise=(1.0, 2.5), yellow=(0.0, 0.03),
                  light=(0.0, 0.03), contrast=(0.97, 1.0), ink=(0.92, 1.0), border=0.0,
                  rot90=0.0, rot180=0.0, speck=0, autolevel=0.5, bleed=0.0, holes=0.0, fold=0.0),
    'mild': dict(skew=(0.3, 1.5), blur=(0.3, 0.7), noise=(2.5, 5.0), yellow=(0.03, 0.10),
                 light=(0.03, 0.10), contrast=(0.85, 0.97), ink=(0.85, 0.97), border=0.25,
                 rot90=0.0, rot180=0.0, speck=150, autolevel=0.2, bleed=0.3, holes=0.1, fold=0.2),
    'hard': dict(skew=(1.5, 4.0), blur=(0.6, 1.1), noise=(5.0, 10.0), yellow=(0.10, 0.22),
                 light=(0.10, 0.30), contrast=(0.55, 0.80), ink=(0.70, 0.90), border=0.8,
                 rot90=0.25, rot180=0.2, speck=900, autolevel=0.0, bleed=0.6, holes=0.35, fold=0.4),
}


def render(pg, level, nrng, colour_mode='rgb', blank=False):
    """Compose ink, stamp and signature over paper and degrade it like a
    scanner at LEVEL.  Returns (PIL image, skew_deg, rotation)."""
    P = LEVEL_PARAMS[level]
    H, W = pg.h, pg.w
    dpi = pg.dpi
    # paper: off-white, yellowing, fibres
    yel = nrng.uniform(*P['yellow'])
    base = np.array([248, 247, 243], np.float32) - np.array([4, 10, 40], np.float32) * yel / 0.22 * 1.6
    base = base * nrng.uniform(0.985, 1.0)
    tone = smooth_field(nrng, H // 8, W // 8, cells=4, amp=1.0)
    tone = np.asarray(Image.fromarray(tone).resize((W, H), Image.BILINEAR))
    fib = nrng.normal(0, 1, (H // 2, W // 2)).astype(np.float32)
    fib = np.asarray(Image.fromarray(fib).resize((W, H), Image.BILINEAR))
    paper = base[None, None, :] * (1 + 0.012 * tone[..., None] + 0.004 * fib[..., None])
    if yel > 0.05:
        # foxing / stains: a few soft brownish spots
        for _ in range(nrng.integers(0, int(yel * 40) + 1)):
            cx, cy = nrng.uniform(0, W), nrng.uniform(0, H)
            r = nrng.uniform(0.01, 0.05) * W
            yy, xx = np.ogrid[0:H, 0:W]
            m = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))).astype(np.float32)
            paper *= 1 - m[..., None] * np.array([0.02, 0.05, 0.12], np.float32) * nrng.uniform(0.5, 1.5)
    img = paper
    if not blank and nrng.random() < P['bleed']:
        # show-through of the back side: mirrored, blurred, faint
        back = pg.ink.transpose(Image.FLIP_LEFT_RIGHT).filter(
            ImageFilter.GaussianBlur(2.6 * dpi / 300))
        back = np.roll(np.asarray(back, dtype=np.float32) / 255.0,
                       int(nrng.uniform(-0.1, 0.1) * H), axis=0)
        k = nrng.uniform(0.04, 0.08) if level == 'hard' else nrng.uniform(0.02, 0.04)
        img = img * (1 - k * back[..., None])
    if nrng.random() < P['fold']:
        # crease of a letter folded in three: thin shadow + highlight band
        y0 = H * nrng.choice([1 / 3, 2 / 3, 1 / 2]) + nrng.uniform(-0.02, 0.02) * H
        yy = np.arange(H, dtype=np.float32)[:, None]
        wpx = 0.8 / 25.4 * dpi
        band = np.exp(-((yy - y0) / wpx) ** 2) * nrng.uniform(0.05, 0.12)
        hl = np.exp(-((yy - y0 - 2 * wpx) / wpx) ** 2) * 0.03
        img = img * (1 - band + hl)[..., None] if img.ndim == 3 else img
    if not blank:
        ink = np.asarray(pg.ink, dtype=np.float32) / 255.0
        # toner: slight spread, uneven density, a little drop-out
        inkim = Image.fromarray((ink * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.35 * dpi / 300))
        ink = np.asarray(inkim, dtype=np.float32) / 255.0
        dens = nrng.uniform(*P['ink']) * (1 + 0.06 * smooth_field(nrng, H // 16, W // 16, 3, 1.0).repeat(16, 0).repeat(16, 1)[:H, :W])
        if dens.shape != ink.shape:
            dens = np.asarray(Image.fromarray(dens.astype(np.float32)).resize((W, H)))
        ink = np.clip(ink * dens, 0, 1)
        ink_col = np.array([22, 22, 28], np.float32) + nrng.uniform(0, 20)
        img = img * (1 - ink[..., None]) + ink_col[None, None, :] * ink[..., None]
        # printed border of an original certificate (coloured double rule)
        for col, inset in pg.frames:
            fm = Image.new('L', (W, H), 0)
            fd = ImageDraw.Draw(fm)
            for off, wmm in ((inset, 0.9), (inset + 1.6, 0.3)):
                o = pg.px(off)
                fd.rectangle([o, o, W - 1 - o, H - 1 - o], outline=255,
                             width=max(1, int(round(pg.px(wmm)))))
            fa = np.asarray(fm, dtype=np.float32)[..., None] / 255.0 * 0.9
            img = img * (1 - fa * (1 - np.array(col, np.float32)[None, None, :]))
        # signatures (dark blue/black ballpoint) then stamps (red, multiply)
        sig = np.zeros((H, W), np.float32)
        for (sx, sy, sw) in pg.signatures:
            a, x0, y0 = draw_signature(pg, nrng, sx, sy, sw)
            blit_alpha(sig, a, x0, y0)
        sig_col = np.array([30, 40, 110], np.float32) if nrng.random() < 0.7 else np.array([35, 35, 40], np.float32)
        img = img * (1 - 0.9 * sig[..., None]) + sig_col * 0.9 * sig[..., None]
        st = np.zeros((H, W), np.float32)
        for (sx, sy, r, texts) in pg.stamps:
            a, x0, y0 = draw_stamp(pg, nrng, sx, sy, r, texts)
            blit_alpha(st, a, x0, y0)
        gb = nrng.uniform(0.2, 0.42)
        red = np.array([0.95, gb, gb + 0.03], np.float32) * nrng.uniform(0.85, 1.0)
        img = img * (1 - st[..., None] * (1 - red[None, None, :]) * nrng.uniform(0.75, 0.95))
    # uneven lighting: broad gradient + a shadow along one edge
    lt = nrng.uniform(*P['light'])
    if lt > 0:
        yy = np.linspace(-1, 1, H, dtype=np.float32)[:, None]
        xx = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
        ang = nrng.uniform(0, 2 * math.pi)
        grad = (math.cos(ang) * xx + math.sin(ang) * yy) * 0.5
        edge = nrng.integers(0, 4)
        d = [xx + 1, 1 - xx, yy + 1, 1 - yy][edge]
        shadow = np.exp(-d / nrng.uniform(0.05, 0.2)) if level == 'hard' else 0
        illum = 1 - lt * (grad + 0.5) - lt * 0.8 * shadow - 0.02 * smooth_field(nrng, 64, 64, 3).mean()
        img = img * np.clip(illum, 0.35, 1.05)[..., None]
    if nrng.random() < P['holes']:
        # two punch holes in the left margin, dark where the lid shows through
        yy, xx = np.ogrid[0:H, 0:W]
        cxh = nrng.uniform(9, 13) / 25.4 * dpi
        r = 3.0 / 25.4 * dpi
        lid = nrng.uniform(30, 80)
        for cy in (H / 2 - 40 / 25.4 * dpi, H / 2 + 40 / 25.4 * dpi):
            d = np.sqrt((xx - cxh) ** 2 + (yy - cy) ** 2)
            m = np.clip(r + 1 - d, 0, 1)[..., None]
            sh = np.clip(1 - (d - r) / (0.8 / 25.4 * dpi), 0, 1)[..., None] * (d > r)[..., None] * 0.25
            img = img * (1 - sh) * (1 - m) + lid * m
    # low contrast (washed-out scan): blacks lifted, whites lowered
    c = nrng.uniform(*P['contrast'])
    if c < 1:
        img = 255 * (1 - c) * 0.55 + img * c
    img = np.clip(img, 0, 255)
    im = Image.fromarray(img.astype(np.uint8), 'RGB')
    # skew: rotate about the centre; with borders the page lies on a dark lid
    skew = nrng.uniform(*P['skew']) * (1 if nrng.random() < 0.5 else -1)
    fillc = tuple(int(v) for v in np.median(img[::50, ::50].reshape(-1, 3), axis=0))
    border = nrng.random() < P['border']
    if border:
        m = int(nrng.uniform(0.01, 0.035) * W)
        v = int(nrng.integers(12, 50))
        bg = (v, v, v + int(nrng.integers(0, 6)))
        big = Image.new('RGB', (W + 2 * m, H + 2 * m), bg)
        big.paste(im, (m, m))
        big = big.rotate(skew, resample=Image.BICUBIC, fillcolor=bg)
        ox = int(nrng.uniform(0.2, 1.8) * m)
        oy = int(nrng.uniform(0.2, 1.8) * m)
        im = big.crop((ox, oy, ox + W, oy + H))
    elif abs(skew) > 0.01:
        im = im.rotate(skew, resample=Image.BICUBIC, fillcolor=fillc)
    # optics: blur
    b = nrng.uniform(*P['blur']) * dpi / 300
    if b > 0.05:
        im = im.filter(ImageFilter.GaussianBlur(b))
    a = np.asarray(im, dtype=np.float32)
    # sensor noise (slightly correlated) and dust specks
    sig = nrng.uniform(*P['noise'])
    # luminance noise correlated over ~2 px (CCD + scanner's own filtering),
    # a little per-pixel chroma noise
    nz = nrng.normal(0, sig * 1.3, ((H + 1) // 2, (W + 1) // 2)).astype(np.float32)
    nz = np.asarray(Image.fromarray(nz).resize((W, H), Image.BILINEAR))
    a = a + nz[..., None] + nrng.normal(0, sig * 0.3, a.shape).astype(np.float32)
    for _ in range(P['speck'] and nrng.integers(P['speck'] // 3, P['speck'])):
        x, y = nrng.integers(0, W - 4), nrng.integers(0, H - 4)
        r = nrng.integers(1, 3)
        a[y:y + r, x:x + r] *= nrng.uniform(0.2, 0.7)
    if nrng.random() < P['autolevel']:
        # scanner "document" mode: levels stretched so the paper turns white
        white = np.percentile(a[::7, ::7].mean(axis=2), 60) - nrng.uniform(4, 10)
        black = nrng.uniform(10, 30)
        a = (a - black) * (255.0 / max(white - black, 1))
    a = np.clip(a, 0, 255).astype(np.uint8)
    im = Image.fromarray(a, 'RGB')
    rot = 0
    if nrng.random() < P['rot90']:
        rot = 90 if nrng.random() < 0.6 else 270
    elif nrng.random() < P['rot180']:
        rot = 180
    if rot:
        im = im.rotate(rot, expand=True)
    if colour_mode == 'gray':
        im = im.convert('L')
    elif colour_mode == 'bilevel':
        g = np.asarray(im.convert('L'), dtype=np.float32)
        # scanner bilevel mode: fixed threshold on a locally normalised image
        small = Image.fromarray(g.astype(np.uint8)).resize((max(1, g.shape[1] // 32), max(1, g.shape[0] // 32)), Image.BILINEAR)
        bgd = np.asarray(small.filter(ImageFilter.MaxFilter(5)).resize((g.shape[1], g.shape[0]), Image.BILINEAR), dtype=np.float32)
        norm = g / np.maximum(bgd, 1) * 255
        # scanner auto-exposure: threshold between the ink and paper levels
        ink_lv = min(100.0, float(np.percentile(norm[::3, ::3], 1.5)))
        thr = ink_lv + (255 - ink_lv) * nrng.uniform(0.55, 0.7)
        im = Image.fromarray(np.where(norm > thr, 255, 0).astype(np.uint8)).convert('1', dither=Image.NONE)
    return im, round(skew, 3), rot


# ------------------------------------------------------------- output

def save(ims, path, fmt, dpi, dpi_tag=True, quality=85):
    kw = {'dpi': (dpi, dpi)} if dpi_tag else {}
    if fmt == 'jpg':
        ims[0].save(path, 'JPEG', quality=quality, subsampling=2 if quality < 90 else 0, **kw)
    elif fmt == 'png':
        ims[0].save(path, 'PNG', optimize=False, compress_level=6, **kw)
    elif fmt == 'tif':
        comp = 'group4' if ims[0].mode == '1' else 'tiff_lzw'
        if dpi_tag:
            kw = {'dpi': (dpi, dpi), 'resolution_unit': 2}
        ims[0].save(path, 'TIFF', compression=comp, save_all=len(ims) > 1,
                    append_images=ims[1:], **kw)
    elif fmt == 'tif-jpeg':
        ims[0].save(path, 'TIFF', compression='jpeg', quality=quality, save_all=len(ims) > 1,
                    append_images=ims[1:], **kw)
    else:
        raise ValueError(fmt)


def write_json(path, obj):
    def norm(o):
        if isinstance(o, str):
            return nfc(o)
        if isinstance(o, dict):
            return {nfc(k): norm(v) for k, v in o.items()}
        if isinstance(o, list):
            return [norm(v) for v in o]
        return o
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(norm(obj), f, ensure_ascii=False, indent=1)
        f.write('\n')


def page_text(pg):
    return '\n'.join(l for l in (' '.join(x.split()) for x in pg.lines) if l)


def check_fields(fields, text):
    """Every field value must be visible in the ground-truth text (dates in
    dd/mm/yyyy or "ngày dd tháng mm năm yyyy" form); catches generator bugs."""
    flat = ' '.join(text.split())
    for k, v in fields.items():
        if k == 'doc_type':
            continue
        if k.endswith('_date'):
            y, m, d = v.split('-')
            forms = ['%s/%s/%s' % (d, m, y), 'ngày %s tháng %s năm %s' % (d, m, y)]
        else:
            forms = [v]
        if not any(f in flat for f in forms):
            raise AssertionError('field %s=%r not in the printed text' % (k, v))


def choose_variant(level, rng, index=None):
    """Output variant for a single-document sample at LEVEL:
    (dpi, colour_mode, fmt, quality, dpi_tag); the INDEX-th variant (mod
    the number of variants) when INDEX is given, else a random one."""
    pick = (lambda v: v[index % len(v)]) if index is not None else rng.choice
    if level == 'clean':
        return pick([(300, 'rgb', 'jpg', 92, True), (300, 'gray', 'png', 0, True),
                           (300, 'bilevel', 'tif', 0, True), (300, 'gray', 'tif', 0, True),
                           (300, 'rgb', 'tif-jpeg', 90, True)])
    if level == 'mild':
        return pick([(300, 'rgb', 'jpg', 85, True), (200, 'rgb', 'jpg', 85, True),
                           (300, 'gray', 'jpg', 85, True), (200, 'gray', 'png', 0, False),
                           (300, 'bilevel', 'tif', 0, True), (300, 'rgb', 'tif-jpeg', 85, True)])
    return pick([(200, 'rgb', 'jpg', 70, True), (200, 'rgb', 'jpg', 60, True),
                       (200, 'gray', 'jpg', 70, False), (300, 'rgb', 'jpg', 75, True),
                       (200, 'bilevel', 'tif', 0, True)])


def make_doc(data, fonts, seed, dtype, dpi):
    rng = random.Random(seed)
    ctx = Ctx(data, fonts, rng, dpi)
    pg, fields = BUILDERS[dtype](ctx)
    check_fields(fields, page_text(pg))
    return pg, fields


def gen_single(data, fonts, out, name, seed, dtype, level, variant=None, rot=None):
    rng = random.Random(seed * 7 + 1)
    dpi, mode, fmt, q, tag = variant or choose_variant(level, rng)
    pg, fields = make_doc(data, fonts, seed, dtype, dpi)
    nrng = np.random.default_rng(seed)
    over = {}
    if rot is not None:
        # force a rotation: override the level's rotation odds
        over['rot90'] = 1.0 if rot in (90, 270) else 0.0
        over['rot180'] = 1.0 if rot == 180 else 0.0
    if fmt == 'png' and level == 'clean':
        over['autolevel'] = 1.0     # keep lossless files small
    saved = LEVEL_PARAMS[level]
    LEVEL_PARAMS[level] = dict(saved, **over)
    try:
        im, skew, r = render(pg, level, nrng, mode)
    finally:
        LEVEL_PARAMS[level] = saved
    if rot is not None and r != rot and rot in (90, 270):
        im = im.rotate(180, expand=True)
        r = (r + 180) % 360
    ext = 'tif' if fmt.startswith('tif') else fmt
    path = os.path.join(out, '%s.%s' % (name, ext))
    save([im], path, fmt, dpi, tag, q)
    gt = {'doc_type': dtype, 'level': level, 'pages': 1, 'dpi': dpi, 'dpi_tag': tag,
          'rotation': r, 'skew': skew, 'format': '%s/%s' % (fmt, mode),
          'fields': fields, 'text': page_text(pg)}
    write_json(os.path.join(out, name + '.expected.json'), gt)
    return path


def gen_dossier(data, fonts, out, name, seed, level, types, dpi=300, mode='rgb', blank=True,
                fmt='tif-jpeg', q=80):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    ims, texts, docs = [], [], []
    order = list(types)
    blank_at = rng.randint(1, len(order) - 1) if blank and len(order) > 1 else None
    pageno = 0
    for i, dt in enumerate(order):
        if i == blank_at:
            pg = Page(fonts, dpi, rng)
            im, _, _ = render(pg, level, nrng, mode, blank=True)
            ims.append(im)
            texts.append('')
            pageno += 1
        pg, fields = make_doc(data, fonts, seed * 100 + i, dt, dpi)
        im, skew, r = render(pg, level, nrng, mode)
        if r:
            im = im.rotate(-r, expand=True)     # keep dossier pages upright
        ims.append(im)
        texts.append(page_text(pg))
        pageno += 1
        docs.append({'pages': [pageno, pageno], 'doc_type': dt, 'fields': fields})
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name + '.tif')
    if mode == 'bilevel':
        fmt = 'tif'
    save(ims, path, fmt, dpi, True, q)
    gt = {'doc_type': docs[0]['doc_type'], 'level': level, 'pages': len(ims), 'dpi': dpi,
          'dpi_tag': True, 'rotation': 0, 'format': '%s/%s' % (fmt, mode),
          'blank_pages': [blank_at + 1] if blank_at is not None else [],
          'fields': docs[0]['fields'], 'documents': docs, 'text': '\f'.join(texts)}
    write_json(os.path.join(out, name + '.expected.json'), gt)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=2, help='samples per type and level')
    ap.add_argument('--levels', default='clean,mild,hard')
    ap.add_argument('--types', default=','.join(TYPES))
    ap.add_argument('--dpi', type=int, default=0,
                    help='force this resolution (default: chosen per level/variant)')
    ap.add_argument('--dossiers', type=int, default=1,
                    help='multi-page TIFF dossiers per level (in DIR/HS-<year>-<n>/)')
    ap.add_argument('--committed', action='store_true',
                    help='write the small committed set (see make-committed.sh)')
    a = ap.parse_args(argv)
    data, fonts = Data(), Fonts()
    os.makedirs(a.out, exist_ok=True)
    if a.committed:
        return committed(data, fonts, a.out, a.seed)
    levels = [l for l in a.levels.split(',') if l]
    types = [t for t in a.types.split(',') if t]
    for l in levels + types:
        if l not in LEVELS + TYPES:
            ap.error('unknown level or type: %s' % l)
    n = 0
    for li, level in enumerate(levels):
        ldir = os.path.join(a.out, level)
        os.makedirs(ldir, exist_ok=True)
        for ti, dt in enumerate(types):
            for k in range(a.count):
                seed = a.seed * 100000 + li * 10000 + ti * 1000 + k
                rng = random.Random(seed * 7 + 1)
                var = choose_variant(level, rng, ti * a.count + k + li)
                if a.dpi:
                    var = (a.dpi,) + var[1:]
                # hard: 3 pages in 10 turned (90, 180, 270), the same in every set
                rot = [0, 90, 0, 180, 0, 0, 270, 0, 0, 0][(ti * a.count + k) % 10] \
                    if level == 'hard' else None
                p = gen_single(data, fonts, ldir, '%s-%s-%02d' % (dt, level, k + 1), seed, dt,
                               level, var, rot)
                n += 1
                print(p, file=sys.stderr)
        for k in range(a.dossiers):
            seed = a.seed * 100000 + li * 10000 + 9000 + k
            rng = random.Random(seed)
            dts = [rng.choice(types) for _ in range(rng.randint(2, 4))]
            p = gen_dossier(data, fonts, os.path.join(ldir, 'HS-2024-%04d' % (li * 100 + k + 1)),
                            'dossier', seed, level, dts,
                            dpi=a.dpi or {'clean': 300, 'mild': rng.choice([200, 300])}.get(level, 200),
                            mode=rng.choice(['rgb', 'gray', 'bilevel']))
            n += 1
            print(p, file=sys.stderr)
    print('generated %d files in %s' % (n, a.out), file=sys.stderr)
    return 0


def committed(data, fonts, out, seed):
    """The small set committed in samples/: every type and level, 90 and 180
    degree rotations, a 200 dpi JPEG, a G4 TIFF, a grayscale PNG, a colour
    TIFF without DPI tag, and a 4-document dossier with a blank page."""
    S = seed * 1000
    plan = [
        ('birth-clean', 'birth', 'clean', (300, 'rgb', 'jpg', 75, True), None),
        ('birth-clean-gray', 'birth', 'clean', (300, 'gray', 'png', 0, True), None),
        ('death-clean-g4', 'death', 'clean', (300, 'bilevel', 'tif', 0, True), None),
        ('marriage-clean', 'marriage', 'clean', (300, 'rgb', 'jpg', 75, True), None),
        ('marital-status-mild', 'marital_status', 'mild', (300, 'rgb', 'jpg', 75, True), None),
        ('decision-clean', 'decision', 'clean', (300, 'rgb', 'jpg', 75, True), None),
        ('decision-mild-200dpi', 'decision', 'mild', (200, 'rgb', 'jpg', 75, True), None),
        ('birth-mild-nodpi', 'birth', 'mild', (200, 'gray', 'jpg', 85, False), None),
        ('death-hard', 'death', 'hard', (200, 'rgb', 'jpg', 70, True), 0),
        ('birth-hard-rot90', 'birth', 'hard', (200, 'rgb', 'jpg', 70, True), 90),
        ('marriage-hard-rot180', 'marriage', 'hard', (200, 'gray', 'jpg', 70, True), 180),
        ('marital-status-hard-g4', 'marital_status', 'hard', (200, 'bilevel', 'tif', 0, True), 0),
    ]
    for i, (name, dt, level, var, rot) in enumerate(plan):
        p = gen_single(data, fonts, out, name, S + i, dt, level, var, rot)
        print(p, file=sys.stderr)
    p = gen_dossier(data, fonts, os.path.join(out, 'HS-2024-0001'), 'HS-2024-0001', S + 50, 'mild',
                    ['birth', 'marital_status', 'marriage', 'decision'], dpi=300, mode='bilevel',
                    blank=True, fmt='tif')
    print(p, file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
