#!/usr/bin/env bash
# Build sohoa twice (warnings as errors; ASan+UBSan) and run the whole
# test suite in both builds.  This is the README's test command and what
# .ci/run runs.  Both halves always run; the exit status is non-zero if
# either build or any test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
jobs=$(nproc)
status=0
echo "== build (warnings as errors)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOHOA_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs"
echo "== tests"
ctest --test-dir build-test --output-on-failure -j"$jobs" || status=1
echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSOHOA_SANITIZE=ON -DSOHOA_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" || status=1
if [ "$status" -ne 0 ]; then
  echo "== FAILED: see the test output above" >&2
fi
exit "$status"
