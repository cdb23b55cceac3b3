#!/usr/bin/env bash
# bench-restart.sh - how fast a conlink killed with SIGKILL converges when
# started again: N network namespaces (--netns-dir), one veth link each
# onto one linux bridge (as bench-links.sh).
#
# Usage: scripts/bench-restart.sh [-r RUNS] [N...]   (default: -r 5, N 100; root)
# Env:   CONLINK=path (default build/conlink)
#
# For each N: a first start (cold), then RUNS times: SIGKILL, start again
# and time it until "All links connected", in two ways:
#   same   the same namespace for conlink (a host deployment, --netns-dir
#          labs): the bridge is adopted, the veths replaced;
#   fresh  a new namespace for conlink, the old one deleted right after the
#          kill (a restarted container): the old container ends still
#          there are replaced.
# It prints the median and the range of the restart times, and the counts
# of the log's "Reconciled with a previous life" line (adopted, replaced,
# removed) of the last run; then SIGTERM must exit 0 and leave nothing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
runs=5
[ "${1:-}" = -r ] && { runs=$2; shift 2; }
[ "$(id -u)" = 0 ] || { echo "bench-restart: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-restart: no $CONLINK (make first)" >&2; exit 1; }
sizes=${*:-100}
work=$(mktemp -d /tmp/bench-restart.XXXXXX)
conlink_pid=

cleanup() {
	[ -z "$conlink_pid" ] || kill -TERM "$conlink_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	find "$work" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }

mkns() {
	touch "$1"
	unshare --net="$1" true
}

# start SELF LOG: conlink in namespace SELF; returns once it said "All
# links connected" (exits on anything else); sets conlink_pid.
start() {
	rm -f "$d/fifo"
	mkfifo "$d/fifo"
	nsenter --net="$1" "$CONLINK" --no-engine --netns-dir "$d/ns" \
		--network-file "$d/net.yaml" >"$d/fifo" 2>&1 &
	conlink_pid=$!
	exec {log}<"$d/fifo"
	: >"$2"
	local ok=
	while IFS= read -r -u "$log" line; do
		echo "$line" >>"$2"
		case $line in
		"All links connected") ok=1; break ;;
		*" links connected"|ERROR*) break ;;
		esac
	done
	[ -n "$ok" ] || { echo "bench-restart: no 'All links connected':"; cat "$2"; exit 1; }
	cat <&"$log" >>"$2" &
	exec {log}<&-
}

kill9() {
	kill -KILL "$conlink_pid"
	wait "$conlink_pid" 2>/dev/null || true
	conlink_pid=
}

# median and range of the numbers on stdin
stats() {
	sort -n | awk '{v[NR] = $1} END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f (%.1f..%.1f)", m, v[1], v[NR] }'
}

fmt='%-5s %-6s %-10s %-26s %-8s %-9s %-8s\n'
printf "$fmt" N mode first_ms restart_ms_median_range adopted replaced removed
for n in $sizes; do
	for mode in same fresh; do
		d=$work/$n-$mode
		mkdir -p "$d/ns"
		mkns "$d/self0"
		for ((i = 1; i <= n; i++)); do mkns "$d/ns/n_$i"; done
		cat >"$d/net.yaml" <<-Y
		bridges:
		  - {bridge: b0, mode: linux}
		links:
		  - {service: n, bridge: b0, ip: 10.1.0.1/16}
		Y
		self=$d/self0
		t0=$(now)
		start "$self" "$d/log0"
		first=$(ms "$t0" "$(now)")
		: >"$d/times"
		for ((r = 1; r <= runs; r++)); do
			kill9
			if [ "$mode" = fresh ]; then
				umount "$self" 2>/dev/null || true
				rm -f "$self"
				self=$d/self$r
				mkns "$self"
			fi
			t0=$(now)
			start "$self" "$d/log$r"
			ms "$t0" "$(now)" >>"$d/times"
			grep -q "exists\|ERROR" "$d/log$r" &&
				{ echo "bench-restart: errors in run $r:"; cat "$d/log$r"; exit 1; }
		done
		counts=$(sed -n 's/^Reconciled with a previous life (instance [^)]*): \([0-9]*\) adopted, \([0-9]*\) replaced, \([0-9]*\) removed$/\1 \2 \3/p' "$d/log$runs")
		read -r adopted replaced removed <<<"${counts:-0 0 0}"
		sleep 0.2	# the log's tail
		kill -TERM "$conlink_pid"
		wait "$conlink_pid" || { echo "bench-restart: SIGTERM exit $?"; exit 1; }
		conlink_pid=
		left=$(nsenter --net="$self" ip -o link show | grep -vc ': lo:' || true)
		[ "$left" = 0 ] || { echo "bench-restart: N=$n: $left interfaces left"; exit 1; }
		printf "$fmt" "$n" "$mode" "$first" "$(stats <"$d/times")" "$adopted" "$replaced" \
			"$removed"
		find "$d" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
		rm -rf "$d"
	done
done
