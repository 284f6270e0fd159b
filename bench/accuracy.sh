#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Accuracy report: sohoa extract vs plain tesseract on generated samples.
#   bench/accuracy.sh [accuracy.py options]    e.g. --skip-sohoa, --jobs 2, --json, --per-file
# sohoa is $SOHOA_BIN, else build/sohoa.  (Re)generates the seeded set
# samples/generated/ first when it is missing or was made by another version
# of samples/generate.py (5 types x 2 per level + one multi-page dossier per
# level; about 2 s per page).
set -e
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
stamp=$(cat samples/generate.py samples/data/*.tsv samples/data/given-*.txt | sha256sum | cut -c1-16)
if [ "$(cat samples/generated/GENERATOR 2>/dev/null)" != "$stamp" ] ||
   ! ls samples/generated/*/*.expected.json >/dev/null 2>&1; then
	echo "accuracy: generating samples/generated (seed 1) ..." >&2
	rm -rf samples/generated
	"$PY" samples/generate.py --out samples/generated --seed 1 --count 2 --dossiers 1
	echo "$stamp" > samples/generated/GENERATOR
fi
exec "$PY" bench/accuracy.py samples/generated "$@"
