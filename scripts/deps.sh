#!/usr/bin/env bash
# Install the Debian 12 packages sohoa needs to build, run and test.
# Installs only what is missing; needs root (or sudo) when something is.
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libtesseract-dev libleptonica-dev libtiff-dev libsqlite3-dev
      libarchive-dev libssl-dev libutf8proc-dev libqpdf-dev liblcms2-dev
      libharfbuzz-dev libargon2-dev libmicrohttpd-dev
      zlib1g-dev libzbar-dev libqrencode-dev  # intake: PDFs, barcodes, sheets
      tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd
      tesseract-ocr-eng  # old-style figures read again (ocr/tess_figures.c)
      python3 python3-pil python3-numpy fonts-liberation2 fonts-dejavu-core
      fonts-dejavu-extra  # DejaVu italics: samples/generate_varied.py
      poppler-utils qpdf openssl sqlite3 libarchive-tools unzip
      libengine-pkcs11-openssl  # --key pkcs11:... (USB tokens, HSMs)
      help2man  # man pages from the --help texts (CMakeLists.txt)
      time)  # time: peak RSS in bench/ingest.sh
# extra tools for the test suite: sanitizer runtime, fuzzing, BagIt check
if [ "${1:-}" = "--test" ]; then
  # (bagit-python is not packaged in Debian 12: tests/cli_bundle.sh checks
  # bags with sha256sum and an RFC 8493 script, and bagit.py when present)
  pkgs+=(clang libclang-rt-14-dev valgrind libxml2-utils
        util-linux   # setpriv: tests/cli_badinput.sh runs as nobody;
                     # unshare, flock: tests/cli_bug_0014_full_disk_pdf.sh,
                     # tests/cli_bundle_kill.sh
        chromium chromium-driver python3-selenium  # tests/web_*.py
        softhsm2 opensc libp11-kit-dev  # tests/cli_token.sh: a token
        img2pdf qrencode  # tests/test_pipeline_pdf.c, tests/cli_intake*.sh:
                          # scanner-like PDFs, a page with a QR code
        slurmctld slurmd slurm-client munge iproute2  # tests/cli_cluster.sh
        man-db)  # tests/cli_install.sh: man -l
fi
# the measuring sets: samples/generate_third.py (notes/third-set.md), Pango/
# Cairo and the fonts it sets pages in, and the fonts of
# samples/generate_varied.py --fonts unseen; for measuring, not for tests
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(python3-gi-cairo gir1.2-pango-1.0
        fonts-sil-charis fonts-sil-gentiumplus fonts-sil-andika
        fonts-linuxlibertine fonts-ebgaramond fonts-crosextra-carlito fonts-roboto
        fonts-texgyre fonts-noto-core fonts-freefont-ttf)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "sohoa: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
