#!/usr/bin/python3
# Small, fast pages for the crash and concurrency tests (tests/cli_crash.sh,
# tests/cli_concurrency.sh): birth-record extracts of a few lines, 1000x420
# at 300 dpi, in two dossier folders under OUT:
#   OUT/HS-K1/so-dang-ky.tif   NPAGES-page G4 TIFF, a record every 2 pages
#   OUT/HS-K1/rieng-01.png, OUT/HS-K2/rieng-02.jpg, OUT/HS-K2/rieng-03.png
# Usage: cli_crash_pages.py OUT [NPAGES]
import os
import sys

from PIL import Image, ImageDraw, ImageFont

out = sys.argv[1]
npages = int(sys.argv[2]) if len(sys.argv) > 2 else 8
font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 26)
names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung",
         "Hoàng Văn Em", "Vũ Thị Giang", "Đặng Văn Hùng", "Bùi Thị Lan"]


def page(i, first):
    im = Image.new('L', (1000, 420), 255)
    d = ImageDraw.Draw(im)
    n = names[i % len(names)]
    if first:
        lines = ["TRÍCH LỤC KHAI SINH",
                 "Họ, chữ đệm, tên: %s" % n,
                 "Ngày, tháng, năm sinh: %02d/03/2018" % (i + 1),
                 "Số định danh cá nhân: 0012150000%02d" % i]
    else:
        lines = ["Nơi đăng ký: Ủy ban nhân dân xã Tân Lập",
                 "Ghi chú: trang %d của hồ sơ %s" % (i + 1, n)]
    for k, t in enumerate(lines):
        d.text((40, 40 + 80 * k), t, font=font, fill=0)
    return im


os.makedirs(os.path.join(out, 'HS-K1'), exist_ok=True)
os.makedirs(os.path.join(out, 'HS-K2'), exist_ok=True)
pages = [page(i, i % 2 == 0).convert('1') for i in range(npages)]
pages[0].save(os.path.join(out, 'HS-K1', 'so-dang-ky.tif'), save_all=True,
              append_images=pages[1:], compression='group4', dpi=(300, 300))
page(20, True).save(os.path.join(out, 'HS-K1', 'rieng-01.png'), dpi=(300, 300))
page(21, True).convert('RGB').save(os.path.join(out, 'HS-K2', 'rieng-02.jpg'),
                                   dpi=(300, 300), quality=85)
page(22, True).save(os.path.join(out, 'HS-K2', 'rieng-03.png'), dpi=(300, 300))
