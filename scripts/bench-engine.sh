#!/usr/bin/env bash
# bench-engine.sh - the daemon against a real engine: a compose service
# scaled to N replicas, one veth link each on one bridge.
#
# Usage: scripts/bench-engine.sh [N...]          (root; default N: 10 50 100)
# Env:   ENGINE=docker|podman|all                engines to measure [all]
#        CONLINK=PATH                            binary [build/conlink]
#        PROJECT=NAME                            compose project [clbench]
#
# For each engine and N it reports:
#   up          how long `docker-compose up -d --scale node=N` itself took
#   events      conlink already running: from `up -d` returning until the
#               Nth link exists (the Nth "Creating veth link" line, then the
#               N outer interfaces checked); since_up0: the same from
#               `up -d` starting (compose returns only once every container
#               started, so most links exist by then). "All links connected" comes
#               with the first replica here: the service was expected once.
#   startup     the N containers already running: from starting conlink
#               until its "All links connected"
#   log0 link0  in that same start: from spawning conlink to its first log
#               line, and to its first "Creating veth link" (each line is
#               stamped as it arrives on the pipe, to the microsecond)
#   rss         the daemon's VmRSS after that, and its peak (VmHWM)
#   priv        its private memory (Private_Clean + Private_Dirty of
#               /proc/PID/smaps_rollup): what this one process costs
#   undo        SIGTERM until conlink exited, all N links removed
# Times come from date +%s%N around polls of the daemon's log every 10 ms.
# The daemon runs on the host in a network namespace of the script's own;
# engines are started (and later stopped) only when none answers, with the
# test harness's code (tests/lib/engine.bash).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$TOP/build/conlink}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10 50 100)
[ "$(id -u)" = 0 ] || { echo "bench-engine: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-engine: $CONLINK missing: run make" >&2; exit 1; }

. "$TOP/scripts/bench-engine-lib.sh" engine 10.50.0.1/16
export COMPOSE_PROJECT_NAME=${PROJECT:-clbench}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# since_spawn PATTERN: ms from $spawn to the first log line matching it
since_spawn() {
	awk -v t0="$spawn" -v re="$1" '$0 ~ re { printf "%.1f", ($1 - t0) * 1000; exit }' "$work/log"
}

start_conlink() {
	: >"$work/log"
	spawn=$EPOCHREALTIME
	nsenter --net="$ns" "$CONLINK" "${ENGINE_SOCKS[@]}" --compose-project "$COMPOSE_PROJECT_NAME" \
		--default-bridge-mode linux --compose-file "$COMPOSE_FILE" \
		> >(stamp >"$work/log") 2>&1 &
	pid=$!
}

# wait_log PATTERN [COUNT]: until the log has COUNT lines matching PATTERN
# (300 s at most); prints the time it was seen, in ms.
wait_log() {
	local i
	for ((i = 0; i < 30000; i++)); do
		[ "$(grep -cE -- "$1" "$work/log")" -ge "${2:-1}" ] && { now_ms; return 0; }
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "bench-engine: no '$1' x${2:-1}:" >&2
	tail -5 "$work/log" >&2
	return 1
}

outer_links() {
	nsenter --net="$ns" ip -o link show | grep -c 'node_[0-9]*-eth0'
}

stop_conlink() {
	local t0 t1
	t0=$(now_ms)
	kill -TERM "$pid"
	wait "$pid" || true
	t1=$(now_ms)
	pid=
	[ "$(outer_links)" = 0 ] || echo "bench-engine: links left after SIGTERM" >&2
	undo=$((t1 - t0))
}

printf '%-7s %5s %9s %10s %10s %10s %7s %8s %9s %9s %8s %8s\n' \
	engine N up_ms events_ms since_up0 startup_ms log0_ms link0_ms rss_kB hwm_kB \
	priv_kB undo_ms
for ENGINE_NAME in $ENGINES_ALL; do
	bench_engine_use "$ENGINE_NAME" || continue
	for n in "${counts[@]}"; do
		# conlink first: every link from an event
		start_conlink
		wait_log "Using $ENGINE_NAME engine" >/dev/null
		t0=$(now_ms)
		docker-compose --ansi never up -d --scale "node=$n" >"$work/up.log" 2>&1 ||
			{ cat "$work/up.log" >&2; exit 1; }
		t1=$(now_ms)
		t2=$(wait_log "Creating veth link" "$n")
		[ "$(outer_links)" = "$n" ] || echo "bench-engine: $(outer_links) of $n links" >&2
		stop_conlink

		# the containers run already: links from the startup listing
		t3=$(now_ms)
		start_conlink
		t4=$(wait_log "All links connected")
		[ "$(outer_links)" = "$n" ] || echo "bench-engine: $(outer_links) of $n links" >&2
		rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
		hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
		priv=$(awk '/^Private_(Clean|Dirty)/ {k += $2} END {print k}' \
			"/proc/$pid/smaps_rollup")
		log0=$(since_spawn .)
		link0=$(since_spawn "Creating veth link")
		stop_conlink
		printf '%-7s %5s %9s %10s %10s %10s %7s %8s %9s %9s %8s %8s\n' "$ENGINE_NAME" \
			"$n" $((t1 - t0)) $((t2 - t1)) $((t2 - t0)) $((t4 - t3)) "$log0" "$link0" \
			"$rss" "$hwm" "$priv" "$undo"
		docker-compose --ansi never down -t 0 >/dev/null 2>&1
	done
done
