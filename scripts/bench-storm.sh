#!/usr/bin/env bash
# bench-storm.sh - an event storm: conlink running, one `docker-compose up -d
# --scale node=N` (compose v1) starts N replicas of a service that has one
# veth link onto one bridge; how long after the engine's last start event
# the last link is there.
#
# Usage: scripts/bench-storm.sh [N]         (root; default 200)
# Env:   ENGINE=docker|podman|all           engines to measure [all]
#        CONLINK=PATH                       binary [build/conlink]
#        REPEAT=R                           storms per engine: medians [3]
#        PROJECT=NAME                       compose project [clstorm]
#
# Per engine, medians of:
#   up_ms        how long `up -d --scale` took (compose returns once every
#                container started)
#   ev_span_ms   the engine's first to last start event (its timeNano)
#   last_ev_ms   the engine's last start event to the last link made: the
#                Nth "Creating veth link" line of conlink's log (stamped as it
#                arrives, EPOCHREALTIME), once the N outer interfaces exist
#                (checked every 10 ms, the resolution)
#   first_ev_ms  the first start event to the last link (the whole storm)
#   after_up_ms  `up -d` returning to the last link
# Engines are started (and later stopped) only when none answers, with the
# test harness's code (tests/lib/engine.bash); the containers go down after
# each storm.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$TOP/build/conlink}
n=${1:-200}
repeat=${REPEAT:-3}
project=${PROJECT:-clstorm}
[ "$(id -u)" = 0 ] || { echo "bench-storm: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-storm: $CONLINK missing: run make" >&2; exit 1; }

. "$TOP/scripts/bench-engine-lib.sh" storm 10.60.0.1/16
export COMPOSE_PROJECT_NAME=$project

now() { echo "$EPOCHREALTIME"; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", (b - a) * 1000}'; }

outer_links() {
	nsenter --net="$ns" ip -o link show | grep -c 'node_[0-9]*-eth0' || true
}

# follow_events FILE: the engine's start events of the project, as they
# come, one JSON line each into FILE (live: the engine keeps only its last
# 256 events for a later query, fewer than a storm makes); sets ev_pid
follow_events() {
	local filters
	filters=$(printf '{"type":["container"],"event":["start"],"label":["com.docker.compose.project=%s"]}' "$project")
	curl -sSN --unix-socket "$ENGINE_SOCK" -G --data-urlencode "filters=$filters" \
		http://d/events >"$1" 2>"$1.err" &
	ev_pid=$!
}

# the timeNano of each container's first start event in FILE, sorted
# (Podman's stream can name a container's start more than once)
start_times() {
	jq -r 'select((.Action // .status) == "start") | "\(.Actor.ID // .id) \(.timeNano)"' "$1" |
		sort -k2,2n | awk '!seen[$1]++ {print $2}'
}

printf '%-7s %5s %7s %10s %11s %12s %12s\n' engine N up_ms ev_span_ms last_ev_ms \
	first_ev_ms after_up_ms
for ENGINE_NAME in $ENGINES_ALL; do
	bench_engine_use "$ENGINE_NAME" || continue
	docker-compose --ansi never down -t 0 >/dev/null 2>&1 || true
	up=() span=() last=() first=() after=()
	for ((r = 1; r <= repeat; r++)); do
		: >"$work/log"
		nsenter --net="$ns" "$CONLINK" -v "${ENGINE_SOCKS[@]}" --compose-project "$project" \
			--default-bridge-mode linux --compose-file "$COMPOSE_FILE" \
			> >(stamp >"$work/log") 2>&1 &
		pid=$!
		for ((i = 0; i < 3000; i++)); do
			grep -q "Using $ENGINE_NAME engine" "$work/log" && break
			sleep 0.01
		done
		follow_events "$work/events"
		sleep 0.5	# both event streams are open
		t0=$(now)
		docker-compose --ansi never up -d --scale "node=$n" >"$work/up.log" 2>&1 ||
			{ cat "$work/up.log" >&2; exit 1; }
		t1=$(now)
		for ((i = 0; i < 30000; i++)); do
			[ "$(outer_links)" -ge "$n" ] && break
			kill -0 "$pid" || break
			sleep 0.01
		done
		[ "$(outer_links)" = "$n" ] ||
			{ echo "bench-storm: $(outer_links) of $n links" >&2; tail "$work/log" >&2; exit 1; }
		tl=$(awk '/Creating veth link/ {t = $1} END {print t}' "$work/log")
		[ "$(grep -c "Creating veth link" "$work/log")" = "$n" ] ||
			echo "bench-storm: $(grep -c "Creating veth link" "$work/log") links logged, not $n" >&2
		kill "$ev_pid"
		wait "$ev_pid" || true
		ev_pid=
		mapfile -t ev < <(start_times "$work/events")
		[ "${#ev[@]}" = "$n" ] || echo "bench-storm: ${#ev[@]} start events, not $n" >&2
		e0=$(awk -v t="${ev[0]}" 'BEGIN {printf "%.6f", t / 1e9}')
		e1=$(awk -v t="${ev[-1]}" 'BEGIN {printf "%.6f", t / 1e9}')
		up+=("$(ms "$t0" "$t1")") span+=("$(ms "$e0" "$e1")")
		last+=("$(ms "$e1" "$tl")") first+=("$(ms "$e0" "$tl")") after+=("$(ms "$t1" "$tl")")
		echo "  $ENGINE_NAME run $r: up ${up[-1]} ms, events over ${span[-1]} ms," \
			"last event to last link ${last[-1]} ms" >&2
		kill -TERM "$pid"
		wait "$pid" || true
		pid=
		docker-compose --ansi never down -t 0 >/dev/null 2>&1
	done
	printf '%-7s %5s %7s %10s %11s %12s %12s\n' "$ENGINE_NAME" "$n" "$(median "${up[@]}")" \
		"$(median "${span[@]}")" "$(median "${last[@]}")" "$(median "${first[@]}")" \
		"$(median "${after[@]}")"
done
