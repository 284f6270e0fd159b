#!/usr/bin/env bash
# The sohoa demo on the bundled samples: install what is missing, build,
# create an archive, ingest samples/, search it, export a signed bundle of
# one dossier and verify it.  Everything lands in ./demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
sohoa=$PWD/build/sohoa
rm -rf demo
mkdir -p demo
export SOHOA_ARCHIVE=$PWD/demo/archive

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "sohoa init"
"$sohoa" init
step "sohoa ingest samples/ (cleanup, OCR, fields, index)"
"$sohoa" ingest samples/ || echo "(some inputs failed: see above and 'sohoa status')" >&2
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
dossier=$("$sohoa" dossier list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["code"] if d else "")')
step "sohoa keygen (demo key and self-signed certificate)"
"$sohoa" keygen -o demo/keys --cn "UBND xã Demo" --org "UBND xã Demo"
step "sohoa export --dossier $dossier (E-ARK ZIP, CMS-signed)"
"$sohoa" export --dossier "$dossier" --key demo/keys/key.pem --cert demo/keys/cert.pem -o "demo/$dossier.zip"
step "sohoa verify demo/$dossier.zip"
"$sohoa" verify "demo/$dossier.zip"
step "done: archive in demo/archive, bundle in demo/$dossier.zip"
