#!/usr/bin/env bash
# bench-start.sh - how fast the daemon starts and what it costs in memory,
# with no engine (--no-engine --netns-dir): N network namespaces, one veth
# link each onto one linux bridge. With an engine and N containers running:
# scripts/bench-engine-start.sh.
#
# Usage: scripts/bench-start.sh [N...]       (root; default N: 1 500)
# Env:   CONLINK="PATH [PATH...]"  binaries to compare, taking turns in one
#                                  run (default build/conlink)
#        REPEAT=R                  runs of each binary per N: medians [7]
#
# For each binary and N it reports the medians of:
#   log0_ms   spawning conlink (through nsenter into the bench's namespace)
#             to its first log line
#   link0_ms  to its first "Creating ... link" line (it starts linking the
#             first container)
#   all_ms    to "All links connected" (N=1: the first container linked)
#   rss_kB    VmRSS once all are linked; hwm_kB its peak (VmHWM)
#   priv_kB   Private_Clean + Private_Dirty of /proc/PID/smaps_rollup: what
#             this one process costs (pages of a library no other process
#             maps count here too)
#   anon_kB   RssAnon: heap and stacks
#   libs      shared objects mapped (/proc/PID/maps, the vDSO not counted)
# Each log line is stamped as it arrives on the pipe (EPOCHREALTIME). The
# namespaces live in a temporary directory removed at the end; conlink is
# stopped by its PID.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
read -r -a bins <<<"${CONLINK:-$top/build/conlink}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 500)
repeat=${REPEAT:-7}
[ "$(id -u)" = 0 ] || { echo "bench-start: needs root" >&2; exit 1; }
for b in "${bins[@]}"; do
	[ -x "$b" ] || { echo "bench-start: no $b (make first)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/bench-start.XXXXXX)
pid=

cleanup() {
	set +e
	[ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null && wait "$pid"; }
	for f in "$work"/ns/* "$work/self"; do umount "$f" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
since_spawn() {
	awk -v t0="$spawn" -v re="$1" '$0 ~ re { printf "%.1f", ($1 - t0) * 1000; exit }' "$work/log"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

mkdir -p "$work/ns"
touch "$work/self"
unshare --net="$work/self" true
printf '%-40s %5s %8s %9s %9s %8s %8s %8s %8s %5s\n' binary N log0_ms link0_ms all_ms \
	rss_kB hwm_kB priv_kB anon_kB libs
for n in "${sizes[@]}"; do
	for ((i = $(find "$work/ns" -type f | wc -l) + 1; i <= n; i++)); do
		touch "$work/ns/n_$i"
		unshare --net="$work/ns/n_$i" true
	done
	printf 'bridges:\n  - {bridge: b0, mode: linux}\nlinks:\n  - {service: n, bridge: b0, ip: 10.1.0.1/16}\n' >"$work/net.yaml"
	declare -A r=()
	for ((k = 1; k <= repeat; k++)); do
		for b in "${bins[@]}"; do
			sleep 0.3	# the last run's namespaces torn down in the background
			: >"$work/log"
			spawn=$EPOCHREALTIME
			nsenter --net="$work/self" "$b" --no-engine --netns-dir "$work/ns" \
				--network-file "$work/net.yaml" > >(stamp >"$work/log") 2>&1 &
			pid=$!
			for ((w = 0; w < 3000; w++)); do
				grep -q " links connected" "$work/log" && break
				sleep 0.01
			done
			grep -q "All links connected" "$work/log" ||
				{ echo "bench-start: $b N=$n:" >&2; tail -5 "$work/log" >&2; exit 1; }
			r[$b,log0]+=" $(since_spawn .)"
			r[$b,link0]+=" $(since_spawn 'Creating [a-z]* link')"
			r[$b,all]+=" $(since_spawn 'All links connected')"
			r[$b,rss]+=" $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
			r[$b,hwm]+=" $(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
			r[$b,anon]+=" $(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")"
			r[$b,priv]+=" $(awk '/^Private_(Clean|Dirty)/ {k += $2} END {print k}' \
				"/proc/$pid/smaps_rollup")"
			r[$b,libs]+=" $(awk '$6 ~ /\.so/ {print $6}' "/proc/$pid/maps" | sort -u | wc -l)"
			kill -TERM "$pid"
			wait "$pid" || true
			pid=
		done
	done
	for b in "${bins[@]}"; do
		# shellcheck disable=SC2086
		printf '%-40s %5s %8s %9s %9s %8s %8s %8s %8s %5s\n' "$b" "$n" \
			"$(median ${r[$b,log0]})" "$(median ${r[$b,link0]})" "$(median ${r[$b,all]})" \
			"$(median ${r[$b,rss]})" "$(median ${r[$b,hwm]})" "$(median ${r[$b,priv]})" \
			"$(median ${r[$b,anon]})" "$(median ${r[$b,libs]})"
	done
	unset r
done
