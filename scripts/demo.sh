#!/usr/bin/env bash
# The sohoa demo on the bundled samples: install what is missing, build,
# create an archive, ingest samples/, search it, export a signed bundle of
# one dossier and verify it.  Everything lands in ./demo/.
# Installed (<prefix>/share/sohoa/demo.sh, as the .deb puts it) it runs the
# installed sohoa on the installed samples, in the current folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/../CMakeLists.txt" ]; then
  cd "$here/.."
  bash scripts/deps.sh
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" >/dev/null
  sohoa=$PWD/build/sohoa
  samples=samples
else
  sohoa=$here/../../bin/sohoa
  samples=$here/samples
fi
rm -rf demo
mkdir -p demo
export SOHOA_ARCHIVE=$PWD/demo/archive

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "sohoa init"
"$sohoa" init
step "sohoa ingest samples (cleanup, OCR, fields, index)"
# the committed sample scans: single pages, and a dossier folder holding a
# multi-page TIFF of several documents (samples/generated/ and
# samples/bugs/ are left out: they are for the benchmarks and tests)
shopt -s nullglob
"$sohoa" ingest "$samples"/HS-*/ "$samples"/*.jpg "$samples"/*.png \
  "$samples"/*.tif ||
  echo "(some inputs failed: see above and 'sohoa status')" >&2
step "sohoa status"
"$sohoa" status
step "sohoa search 'nguyen van'   (no diacritics typed)"
"$sohoa" search --limit 5 "nguyen van"
step "sohoa search --type birth 'khai sinh'"
"$sohoa" search --type birth --limit 3 "khai sinh"
first=$("$sohoa" search --json --limit 1 "nguyen" | python3 -c 'import json,sys; h=json.load(sys.stdin); print(h[0]["doc_id"] if h else "")')
if [ -n "$first" ]; then
  step "sohoa show $first"
  "$sohoa" show "$first" | head -40
fi
dossier=$("$sohoa" dossier list --json | python3 -c 'import json,sys; d=[x["code"] for x in json.load(sys.stdin)]; hs=[c for c in d if c.startswith("HS-")]; print((hs or d or [""])[0])')
step "sohoa dossier set $dossier (archival metadata for Thông tư 05/2025)"
"$sohoa" dossier set "$dossier" paper_file_code=H49.12.0001 \
  title="Hồ sơ hộ tịch mẫu $dossier" description="Demo: bundled sample scans"
"$sohoa" dossier show "$dossier"
step "sohoa keygen (demo key and self-signed certificate)"
"$sohoa" keygen -o demo/keys --cn "UBND xã Demo" --org "UBND xã Demo"
step "sohoa export --dossier $dossier (E-ARK ZIP, CMS-signed)"
"$sohoa" export --dossier "$dossier" --key demo/keys/key.pem --cert demo/keys/cert.pem -o "demo/$dossier.zip"
step "sohoa verify demo/$dossier.zip"
"$sohoa" verify "demo/$dossier.zip"
step "sohoa export --format bagit --sign-pdfs (BagIt tar; PAdES-signed PDFs)"
"$sohoa" export --dossier "$dossier" --format bagit --sign-pdfs --office "UBND xã Demo" \
  --key demo/keys/key.pem --cert demo/keys/cert.pem -o "demo/$dossier.tar"
"$sohoa" verify "demo/$dossier.tar"
step "sohoa import into a second archive that trusts the demo signer, then search there"
"$sohoa" init --archive demo/archive2
"$sohoa" trust add --archive demo/archive2 demo/keys/cert.pem
"$sohoa" import --archive demo/archive2 "demo/$dossier.zip"
"$sohoa" search --archive demo/archive2 --limit 3 "khai sinh"
step "sohoa check (fixity of every stored file, recorded in the history)"
"$sohoa" check
step "done: archive in demo/archive, bundles demo/$dossier.zip and demo/$dossier.tar"
