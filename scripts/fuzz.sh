#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan + UBSan) and run each one for
# a bounded time, one after the other:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 60 s each, all five
#
# Targets: image (page reader), fields (value parsers and extraction),
# query (search query language), bundle (bundle reader and verifier),
# signed (METS, member checks and import behind a good signature).
# Seeds come from fuzz/corpus/<target>/ (committed, read-only here); what
# the fuzzer finds goes to build-fuzz/corpus/<target>/, and a crash input
# to build-fuzz/crash-<target>-*, which the script reports and then exits 1.
# Turn a crash into a regression test: see notes/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image fields query bundle signed)
command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
B=build-fuzz
CC=clang cmake -S . -B $B -DCMAKE_BUILD_TYPE=Debug -DSOHOA_FUZZ=ON \
	-DSOHOA_SANITIZE=ON >/dev/null
cmake --build $B -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
export OMP_THREAD_LIMIT=1
status=0
for t in "${targets[@]}"; do
	mkdir -p $B/corpus/$t
	case $t in
	fields) max_len=2048 ;;
	query) max_len=512 ;;
	signed) max_len=65536 ;;
	*) max_len=262144 ;;
	esac
	echo "== fuzz_$t: $secs s"
	log=$B/fuzz_$t.log
	if ! $B/fuzz/fuzz_$t -max_total_time="$secs" -timeout=30 \
		-rss_limit_mb=2560 -max_len=$max_len -print_final_stats=1 \
		-artifact_prefix=$B/crash-$t- \
		$B/corpus/$t fuzz/corpus/$t >"$log" 2>&1; then
		echo "fuzz_$t: FAILED, see $log:" >&2
		grep -E "ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
		status=1
	fi
	grep -E "^stat::number_of_executed_units|^Done " "$log" || true
done
exit $status
