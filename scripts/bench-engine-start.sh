#!/usr/bin/env bash
# bench-engine-start.sh - how fast the daemon starts against a real engine
# that already runs N containers of a compose service (one veth link each
# onto one bridge): the start-up listing links them all.
#
# Usage: scripts/bench-engine-start.sh [N...]   (root; default N: 100)
# Env:   ENGINE=docker|podman|all               engines to measure [all]
#        CONLINK="PATH [PATH...]"               binaries to compare, taking
#                                               turns in one run [build/conlink]
#        REPEAT=R                               starts of each binary per
#                                               engine and N: medians [7]
#        PROJECT=NAME                           compose project [clbstart]
#
# The N containers are started once per engine and N; then each binary is
# started R times in turn (stopped by SIGTERM between, its links undone).
# For each it reports the medians of (times from spawning conlink, through
# nsenter into the bench's namespace; each log line is stamped as it
# arrives on the pipe, EPOCHREALTIME):
#   log0_ms   its first log line
#   ping_ms   "Using ENGINE engine": the engine answered _ping
#   link0_ms  the first "Creating veth link": the first container linked
#   all_ms    "All links connected": all N linked
#   rss_kB    VmRSS once all are linked; priv_kB its Private_Clean +
#             Private_Dirty (smaps_rollup)
# Engines are started (and later stopped) only when none answers, with the
# test harness's code (tests/lib/engine.bash, through bench-engine-lib.sh).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
read -r -a bins <<<"${CONLINK:-$TOP/build/conlink}"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100)
repeat=${REPEAT:-7}
[ "$(id -u)" = 0 ] || { echo "bench-engine-start: needs root" >&2; exit 1; }
for b in "${bins[@]}"; do
	[ -x "$b" ] || { echo "bench-engine-start: no $b (make first)" >&2; exit 1; }
done

. "$TOP/scripts/bench-engine-lib.sh" estart 10.50.0.1/16
export COMPOSE_PROJECT_NAME=${PROJECT:-clbstart}

since_spawn() {
	awk -v t0="$spawn" -v re="$1" '$0 ~ re { printf "%.1f", ($1 - t0) * 1000; exit }' "$work/log"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
outer_links() {
	nsenter --net="$ns" ip -o link show | grep -c 'node_[0-9]*-eth0' || true
}

# run_one BINARY: start it, wait for all links, take its figures, stop it.
run_one() {
	local b=$1 w
	: >"$work/log"
	spawn=$EPOCHREALTIME
	nsenter --net="$ns" "$b" "${ENGINE_SOCKS[@]}" --compose-project "$COMPOSE_PROJECT_NAME" \
		--default-bridge-mode linux --compose-file "$COMPOSE_FILE" --control none \
		> >(stamp >"$work/log") 2>&1 &
	pid=$!
	for ((w = 0; w < 3000; w++)); do
		grep -q " links connected" "$work/log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	grep -q "All links connected" "$work/log" ||
		{ echo "bench-engine-start: $b $ENGINE_NAME N=$n:" >&2; tail -5 "$work/log" >&2; exit 1; }
	r[$b,log0]+=" $(since_spawn .)"
	r[$b,ping]+=" $(since_spawn "Using $ENGINE_NAME engine")"
	r[$b,link0]+=" $(since_spawn 'Creating veth link')"
	r[$b,all]+=" $(since_spawn 'All links connected')"
	r[$b,rss]+=" $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
	r[$b,priv]+=" $(awk '/^Private_(Clean|Dirty)/ {k += $2} END {print k}' \
		"/proc/$pid/smaps_rollup")"
	kill -TERM "$pid"
	wait "$pid" || true
	pid=
	[ "$(outer_links)" = 0 ] || echo "bench-engine-start: links left after SIGTERM" >&2
}

printf '%-7s %-32s %4s %7s %7s %8s %7s %7s %7s\n' engine binary N log0_ms ping_ms \
	link0_ms all_ms rss_kB priv_kB
for ENGINE_NAME in $ENGINES_ALL; do
	bench_engine_use "$ENGINE_NAME" || continue
	for n in "${counts[@]}"; do
		docker-compose --ansi never up -d --scale "node=$n" >"$work/up.log" 2>&1 ||
			{ cat "$work/up.log" >&2; exit 1; }
		declare -A r=()
		for ((k = 1; k <= repeat; k++)); do
			for b in "${bins[@]}"; do
				sleep 0.3	# the last run's links torn down in the background
				run_one "$b"
			done
		done
		for b in "${bins[@]}"; do
			# shellcheck disable=SC2086
			printf '%-7s %-32s %4s %7s %7s %8s %7s %7s %7s\n' "$ENGINE_NAME" \
				"${b#"$TOP"/}" "$n" "$(median ${r[$b,log0]})" \
				"$(median ${r[$b,ping]})" "$(median ${r[$b,link0]})" \
				"$(median ${r[$b,all]})" "$(median ${r[$b,rss]})" \
				"$(median ${r[$b,priv]})"
		done
		unset r
		docker-compose --ansi never down -t 0 >/dev/null 2>&1
	done
done
