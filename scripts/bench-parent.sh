#!/usr/bin/env bash
# bench-parent.sh - how soon a *vlan link waiting for its parent is made
# once the parent is there: a macvlan whose parent does not exist yet
# (ENODEV), made WAIT seconds after conlink's first "retrying"; with
# `vlan`, a vlan whose parent exists but is down (ENETDOWN), set up WAIT
# seconds after (needs the 8021q module: kernel-lab). The time is from
# before the `ip link` command to the container's eth0 seen by a tight
# poll. parent_wait.c wakes the retry on the parent's notification; the
# backoff alone would wait for the delay in force (up to 5 s).
#
#   scripts/bench-parent.sh [-r RUNS] [macvlan|vlan] [WAIT...]
#                          (default: -r 7 macvlan, WAIT 0.3 0-10; root)
# Prints, for each WAIT, the median and range (ms). Everything lives in a
# temporary directory of namespaces, removed at the end.
set -eu
runs=7
[ "${1:-}" = -r ] && { runs=$2; shift 2; }
kind=macvlan
case ${1:-} in macvlan|vlan) kind=$1; shift ;; esac
waits=${*:-0.3 0-10}
[ "$(id -u)" = 0 ] || { echo "bench-parent: needs root" >&2; exit 1; }
. "$(dirname "$0")/bench-lib.sh" parent
extra="mode: bridge"
[ "$kind" = vlan ] && extra="vlanid: 5"
cat >"$dir/net.yaml" <<Y
links:
  - {container: c1, type: $kind, $extra, outer-dev: up9, ip: 10.99.0.1/24}
Y
now() { date +%s%N; }
in_host() { nsenter --net="$dir/host" "$@"; }

# one run: the latency in ms on stdout
one() {
	local wait=$1 t0 t1
	case $wait in *-*)
		wait=$(awk -v a="${wait%-*}" -v b="${wait#*-}" -v s="$RANDOM" \
			'BEGIN { srand(s); printf "%.2f", a + rand() * (b - a) }') ;;
	esac
	touch "$dir/host" && unshare --net="$dir/host" true
	bench_ns c1
	[ "$kind" = vlan ] && in_host ip link add up9 type veth peer name up9p
	# started here, not by bench_start (its $! is a subshell's): a run's
	# conlink must be gone, its fds on the namespaces closed, before
	# they are unmounted
	nsenter --net="$dir/self" "$conlink" --no-engine --netns-dir "$dir/ns" --network-file "$dir/net.yaml" \
		--host-netns "$dir/host" --control none --instance bench >"$dir/log" 2>&1 &
	pid=$!
	until grep -q "retrying: c1:eth0" "$dir/log"; do sleep 0.01; done
	sleep "$wait"
	t0=$(now)
	if [ "$kind" = vlan ]; then
		in_host ip link set up9 up
	else
		in_host ip link add up9 type veth peer name up9p
	fi
	until nsenter --net="$dir/ns/c1" ip link show dev eth0 >/dev/null 2>&1; do :; done
	t1=$(now)
	kill "$pid"
	wait "$pid" || { echo "bench-parent: conlink exited $?" >&2; cat "$dir/log" >&2; exit 1; }
	pid=
	umount "$dir/host" "$dir/ns/c1"
	rm -f "$dir/host" "$dir/ns/c1"
	echo $(((t1 - t0) / 1000000))
}

printf '%-8s %-8s %s\n' "WAIT(s)" "median" "range (ms, $runs runs, $kind)"
for w in $waits; do
	results=()
	for _ in $(seq "$runs"); do results+=("$(one "$w")"); done
	mapfile -t sorted < <(printf '%s\n' "${results[@]}" | sort -n)
	printf '%-8s %-8s %s..%s\n' "$w" "${sorted[$((runs / 2))]}" "${sorted[0]}" "${sorted[$((runs - 1))]}"
done
