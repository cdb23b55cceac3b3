#!/usr/bin/env bash
# bench-heal.sh - heal latency, deletion to restored, per case: an outer
# veth deleted (its link made again), one taken off its bridge (put back),
# the bridge deleted (made again, every port put back). Times are
# conlink's own event timestamps (ctl events --json), from the event of
# the change it saw to the last event of the repair: `ip link del` itself
# waits for the kernel's RCU grace periods and returns after the repair.
# The wall figure is from before the command to the repair seen by a
# poll (the command, the polling and the heal).
#
#   scripts/bench-heal.sh [RUNS] [PORTS]   (default 11 runs, 2 links on
#                                           the bridge; medians)
# Everything lives in a temporary directory of namespaces of its own,
# removed at the end; conlink and the events reader are stopped by PID.
set -eu
runs=${1:-11} ports=${2:-2}
. "$(dirname "$0")/bench-lib.sh" heal
{
	echo "links:"
	for i in $(seq 1 "$ports"); do
		echo "  - {container: c$i, bridge: s1, ip: 10.0.$(( i / 250 )).$(( i % 250 ))/16}"
	done
} >"$dir/net.yaml"
for i in $(seq 1 "$ports"); do bench_ns "c$i"; done
bench_start --network-file "$dir/net.yaml"
bench_wait_linked
bench_events
sleep 0.3
ns() { in_self "$@"; }
# until TEXT is in the events N times (5 s at most)
wait_ev() {
	for _ in $(seq 5000); do
		[ "$(grep -cF -- "$1" "$dir/ev")" -ge "$2" ] && return 0
		sleep 0.001
	done
	echo "bench-heal: no '$1' x$2 in 5 s" >&2
	tail "$dir/log" >&2
	exit 1
}
now_us() { echo $(( $(date +%s%N) / 1000 )); }
mark() { echo "MARK $1" >>"$dir/marks"; wc -l <"$dir/ev" >>"$dir/marks"; }
wall() { echo "$1 $2" >>"$dir/wall"; }

mark veth
for i in $(seq "$runs"); do
	t0=$(now_us)
	ns ip link del c1-eth0
	wait_ev '"action":"restored","actor_name":"c1:eth0"' "$i"
	wall veth $(( $(now_us) - t0 ))
	sleep 0.05
done
mark detach
for i in $(seq "$runs"); do
	t0=$(now_us)
	ns ip link set c1-eth0 nomaster
	wait_ev '"actor_name":"c1-eth0","attributes":{"what":"reattached"}' "$i"
	wall detach $(( $(now_us) - t0 ))
	sleep 0.05
done
mark bridge
n0=$(grep -cF '"what":"reattached"' "$dir/ev")
for i in $(seq "$runs"); do
	t0=$(now_us)
	ns ip link del s1
	wait_ev '"what":"reattached"' $(( n0 + i * ports ))
	wall bridge $(( $(now_us) - t0 ))
	sleep 0.05
done
mark end
sleep 0.2
python3 - "$dir/ev" "$dir/marks" "$dir/wall" "$ports" <<'P'
import json, sys, statistics
from datetime import datetime
ev = [json.loads(l) for l in open(sys.argv[1])]
m = open(sys.argv[2]).read().split("MARK ")[1:]
marks = {k.split()[0]: int(k.split()[1]) for k in m}
ports = int(sys.argv[4])
def ns(e):
    t = e["timestamp"]    # RFC 3339 with nanoseconds, Z
    base = datetime.strptime(t[:19], "%Y-%m-%dT%H:%M:%S").timestamp()
    return int(base) * 10**9 + int(t[20:29])
def lat(lo, hi, start, done, count=1):
    out, t0, left = [], None, 0
    for e in ev[lo:hi]:
        if start(e):
            t0, left = ns(e), count
        elif t0 is not None and done(e):
            left -= 1
            if left == 0:
                out.append((ns(e) - t0) / 1000)
                t0 = None
    return out
is_ = lambda **kw: (lambda e: all(e.get(k) == v for k, v in kw.items()))
reatt = lambda e: e.get("action") == "restored" and e.get("attributes", {}).get("what") == "reattached"
cases = {
    "veth":   lat(marks["veth"], marks["detach"], is_(action="deleted", actor_name="c1-eth0"),
                  is_(action="restored", actor_name="c1:eth0")),
    "detach": lat(marks["detach"], marks["bridge"], is_(action="detached", actor_name="c1-eth0"), reatt),
    "bridge": lat(marks["bridge"], marks["end"], is_(action="deleted", actor_name="s1"), reatt, ports),
}
wall = {}
for l in open(sys.argv[3]):
    k, v = l.split()
    wall.setdefault(k, []).append(int(v))
for k, v in cases.items():
    print(f"{k}: heal_us median {statistics.median(v):.0f} (min {min(v):.0f}, max {max(v):.0f}, n {len(v)}) "
          f"wall_ms median {statistics.median(wall[k]) / 1000:.1f}")
P
