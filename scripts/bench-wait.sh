#!/usr/bin/env bash
# bench-wait.sh - latency from an interface appearing to `wait -i` exec'ing
# its command, median of N runs, for the dynamic and the static binary.
#
# Usage: scripts/bench-wait.sh [RUNS]      (root; default 21 runs)
# Env:   CONLINK, CONLINK_STATIC  binaries (default build/conlink, build/conlink-static)
#
# Each run: `wait -s 30 -i DEV -- date +%s%N` blocks in a throw-away network
# namespace; we take a timestamp, `ip link add DEV type veth`, and read the
# timestamp the exec'd date printed. The figure includes starting `ip` and
# `date` (about a millisecond each); a 1 s poll, as upstream's wait.sh does,
# would add 500 ms on average. A baseline line times the same ip + date with
# no wait, to subtract. Sizes of both binaries are printed too.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-21}
dyn=${CONLINK:-$top/build/conlink}
static=${CONLINK_STATIC:-$top/build/conlink-static}

[ "$(id -u)" = 0 ] || { echo "bench-wait: needs root" >&2; exit 1; }

# One binary: print the median latency in microseconds (runs inside a fresh
# network namespace, so nothing is left behind on the host).
measure() {
	unshare --net bash -s "$1" "$runs" <<'INNER'
set -eu
bin=$1 runs=$2 out=$(mktemp)
trap 'rm -f "$out"' EXIT
lat=()
for i in $(seq "$runs"); do
	if [ "$bin" = baseline ]; then	# the same steps with no wait in between
		t0=$(date +%s%N)
		ip link add benchdev0 type veth peer name benchdev1
		t1=$(date +%s%N)
		ip link del benchdev0
		lat+=($(( (t1 - t0) / 1000 )))
		continue
	fi
	"$bin" wait -q -s 30 --timeout 20 -i benchdev0 -- date +%s%N >"$out" &
	pid=$!
	sleep 0.2	# let it block on its netlink socket
	t0=$(date +%s%N)
	ip link add benchdev0 type veth peer name benchdev1
	wait "$pid"
	t1=$(cat "$out")
	ip link del benchdev0
	lat+=($(( (t1 - t0) / 1000 )))
done
printf '%s\n' "${lat[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d\n", a[int((NR+1)/2)], a[1], a[NR]}'
INNER
}

read -r med min max < <(measure baseline)
printf '%-28s %22s ip link add + date alone   %6d us (min %d, max %d)\n' \
	baseline "" "$med" "$min" "$max"
for bin in "$dyn" "$static"; do
	[ -x "$bin" ] || { echo "bench-wait: $bin missing (make all static)"; continue; }
	read -r med min max < <(measure "$bin")
	printf '%-28s size %8d bytes  wait -i latency median %6d us (min %d, max %d, %d runs)\n' \
		"${bin#"$top"/}" "$(stat -c %s "$bin")" "$med" "$min" "$max" "$runs"
done
