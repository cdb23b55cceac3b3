#!/usr/bin/env bash
# run.sh - build every fuzz target, run each for a bounded time, and print
# one TAP line per target (tests/run's san level tallies them).
#
#   tests/fuzz/run.sh [TARGET...]      default: every tests/fuzz/fuzz_*.c
# Env: FUZZ_SECONDS  time per target (default 10)
#      FUZZ_JOBS     targets run at once (default: the CPUs)
#      FUZZ_CORPUS_MAX  a kept corpus past this many files is first merged
#                    down to the inputs that add coverage (default 4000)
# Each target fuzzes build-fuzz/corpus/TARGET (new inputs go there, kept
# between runs) then reads tests/fuzz/seeds/TARGET (never written). A crash
# or invariant failure is "not ok" with the input's path, under
# build-fuzz/crashes/TARGET/; the log is build-fuzz/logs/TARGET.log.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-10} jobs=${FUZZ_JOBS:-$(nproc)}
out=build-fuzz
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		f=${f##*/fuzz_}
		targets+=("${f%.c}")
	done
fi
if ! tests/fuzz/build.sh; then
	echo "1..1"
	echo "not ok 1 fuzz: tests/fuzz/build.sh failed"
	exit 1
fi
mkdir -p "$out/logs" "$out/tap"

# one TARGET: its TAP line (without a number) into build-fuzz/tap/TARGET
fuzz_one() {
	local t=$1 log=$out/logs/$1.log corpus=$out/corpus/$1 crashes=$out/crashes/$1
	local start=$SECONDS rc runs crash
	mkdir -p "$corpus" "$crashes"
	[ -d "tests/fuzz/seeds/$t" ] || { echo "not ok fuzz $t: no tests/fuzz/seeds/$t" >"$out/tap/$t"; return; }
	# a corpus kept across runs grows: reading it must not eat the time
	if [ "$(find "$corpus" -type f | wc -l)" -gt "${FUZZ_CORPUS_MAX:-4000}" ]; then
		rm -rf "$corpus.new" && mkdir "$corpus.new" &&
			"$out/fuzz_$t" -merge=1 -close_fd_mask=3 "$corpus.new" "$corpus" \
				>"$out/logs/$t.merge.log" 2>&1 &&
			rm -rf "$corpus" && mv "$corpus.new" "$corpus"
	fi
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$crashes/" \
		"$corpus" "tests/fuzz/seeds/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" = 0 ]; then
		echo "ok fuzz $t: ${runs:-?} runs in $((SECONDS - start))s" >"$out/tap/$t"
	else
		crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
		echo "not ok fuzz $t: exit $rc, input ${crash:-none written}, log $log" >"$out/tap/$t"
	fi
}
export -f fuzz_one
export out secs

rm -f "$out"/tap/*
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'fuzz_one "$1"' _ {}
echo "1..${#targets[@]}"
n=0 fail=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	line=$(cat "$out/tap/$t" 2>/dev/null) || line="not ok fuzz $t: did not run"
	case $line in not*) fail=1 ;; esac
	echo "${line/ok fuzz/ok $n fuzz}"
	case $line in not*) tail -n 30 "$out/logs/$t.log" 2>/dev/null | sed 's/^/# /' ;; esac
done
exit $fail
