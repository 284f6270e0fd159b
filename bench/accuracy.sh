#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Accuracy report: sohoa extract vs plain tesseract on generated samples.
#   bench/accuracy.sh [accuracy.py options]    e.g. --skip-sohoa, --jobs 2, --json
# Generates the seeded set samples/generated/ first when it is missing
# (5 types x 2 per level + one multi-page dossier per level).
set -e
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! ls samples/generated/*/*.expected.json >/dev/null 2>&1; then
	echo "accuracy: generating samples/generated (seed 1) ..." >&2
	"$PY" samples/generate.py --out samples/generated --seed 1 --count 2 --dossiers 1
fi
exec "$PY" bench/accuracy.py samples/generated "$@"
