#!/usr/bin/env bash
# bench-retry.sh - how soon a link retried with backoff is made once its
# obstacle goes: an interface someone else made holds the link's outer-dev
# name (EEXIST, retried 50 ms after the failure, doubling to 5 s); it is
# deleted WAIT seconds after conlink's first "retrying", and the time from
# the deletion to the container's eth0 existing is measured.
#
# Usage: scripts/bench-retry.sh [-r RUNS] [WAIT...]   (default: -r 5, WAIT 0.3 1 0-15; root)
#        a WAIT A-B is drawn anew each run, uniformly from A..B seconds
# Env:   CONLINK=path (default build/conlink)
#
# Prints, for each WAIT, the median and range of the latencies (ms). The
# backoff bounds them: the delay in force when the obstacle went, at most
# 5 s; polling adds a few ms.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
runs=5
[ "${1:-}" = -r ] && { runs=$2; shift 2; }
[ "$(id -u)" = 0 ] || { echo "bench-retry: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-retry: no $CONLINK (make first)" >&2; exit 1; }
waits=${*:-0.3 1 0-15}
work=$(mktemp -d /tmp/bench-retry.XXXXXX)
conlink_pid=

cleanup() {
	[ -z "$conlink_pid" ] || kill -TERM "$conlink_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	find "$work" -type f -name '[a-z]*' | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }

mkns() {
	touch "$1"
	unshare --net="$1" true
}

cat >"$work/net.yaml" <<'Y'
links:
  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
Y
mkdir -p "$work/ns"

# one run: the latency in ms on stdout
one() {
	local wait=$1 t0 t1
	case $wait in *-*)
		wait=$(awk -v a="${wait%-*}" -v b="${wait#*-}" -v s="$RANDOM" \
			'BEGIN { srand(s); printf "%.2f", a + rand() * (b - a) }') ;;
	esac
	mkns "$work/self"
	mkns "$work/ns/c1"
	nsenter --net="$work/self" ip link add c1-eth0 type veth peer name other0
	nsenter --net="$work/self" "$CONLINK" --no-engine --default-bridge-mode linux \
		--netns-dir "$work/ns" --network-file "$work/net.yaml" >"$work/log" 2>&1 &
	conlink_pid=$!
	until grep -q "retrying: c1:eth0" "$work/log"; do sleep 0.01; done
	sleep "$wait"
	nsenter --net="$work/self" ip link del c1-eth0
	t0=$(now)
	until nsenter --net="$work/ns/c1" ip link show dev eth0 >/dev/null 2>&1; do :; done
	t1=$(now)
	kill -TERM "$conlink_pid"
	wait "$conlink_pid" || { echo "bench-retry: conlink exited $?" >&2; cat "$work/log" >&2; exit 1; }
	conlink_pid=
	umount "$work/self" "$work/ns/c1"
	rm -f "$work/self" "$work/ns/c1"
	echo $(((t1 - t0) / 1000000))
}

printf '%-8s %-8s %s\n' "WAIT(s)" "median" "range (ms, $runs runs)"
for w in $waits; do
	results=()
	for _ in $(seq "$runs"); do results+=("$(one "$w")"); done
	mapfile -t sorted < <(printf '%s\n' "${results[@]}" | sort -n)
	printf '%-8s %-8s %s..%s\n' "$w" "${sorted[$((runs / 2))]}" "${sorted[0]}" "${sorted[$((runs - 1))]}"
done
