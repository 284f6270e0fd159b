#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerate the small committed sample set in samples/ (fixed seed).
#   samples/make-committed.sh
# Uses only the MIT data in samples/data/ and Debian's python3-pil/numpy, so
# the output is the same on every machine with the same PIL/numpy versions.
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" generate.py --committed --seed 2024 --out .
