#!/usr/bin/env bash
# bench-impair.sh - how long a run-time impairment takes to be in force:
# `conlink ctl netem LINK OPTIONS` from start to return (the daemon
# answers once the kernel acked the qdisc change, so at return it is in
# force: each run checks that with tc qdisc show and counts misses),
# against `tc qdisc change` doing the same from a shell; and `ctl link
# LINK down` / `up` (return, and the container end's carrier seen gone).
# Two namespaces on a bridge, --netns-dir; netem needs a kernel with it
# (here: ../shared/tools/kernel-lab --cwd "$PWD" -- scripts/bench-impair.sh).
#
#   scripts/bench-impair.sh [RUNS]     (default 41 runs; medians)
# Everything lives in a temporary directory of namespaces of its own,
# removed at the end; conlink is stopped by its PID.
set -eu
runs=${1:-41}
. "$(dirname "$0")/bench-lib.sh" impair
bench_ns h1 h2
netem=0
if unshare --net sh -c 'ip link set lo up && tc qdisc add dev lo root netem' 2>/dev/null; then
	netem=1
fi
cat >"$dir/net.yaml" <<Y
links:
  - {container: h1, bridge: s1, ip: 10.0.0.1/24$([ "$netem" = 1 ] && echo ', netem: "delay 1ms"')}
  - {container: h2, bridge: s1, ip: 10.0.0.2/24}
Y
bench_start --network-file "$dir/net.yaml"
bench_wait_linked
# the request on the socket alone (no ctl process start: conlink's 38
# shared libraries cost more than the change): RUNS requests alternating
# two values of OPTS (a %s in it), microseconds each
sock_times() {	# LINK-REQUEST-JSON-WITH-%s V1 V2
	python3 - "$dir/ctl.sock" "$runs" "$@" <<'PY'
import socket, sys, time
path, runs, fmt, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
for i in range(runs):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    t0 = time.perf_counter_ns()
    s.sendall((fmt % (a if i % 2 else b) + "\n").encode())
    reply = s.makefile().readline()
    t1 = time.perf_counter_ns()
    s.close()
    if '"ok"' not in reply:
        sys.exit("refused: " + reply)
    print((t1 - t0) // 1000)
PY
}
now() { date +%s%N; }
ctl() { "$conlink" ctl --control "$dir/ctl.sock" "$@" >/dev/null; }
out=
if [ "$netem" = 1 ]; then
	: >"$dir/ctl" && : >"$dir/tc" && miss=0
	for i in $(seq "$runs"); do
		d=$(( 10 + i % 2 * 10 ))ms
		t0=$(now); ctl netem h1:eth0 delay "$d"; t1=$(now)
		echo $(( (t1 - t0) / 1000 )) >>"$dir/ctl"
		nsenter --net="$dir/ns/h1" tc qdisc show dev eth0 | grep -q "delay $d" || miss=$((miss + 1))
		t0=$(now); nsenter --net="$dir/ns/h1" tc qdisc change dev eth0 root netem delay "$d"; t1=$(now)
		echo $(( (t1 - t0) / 1000 )) >>"$dir/tc"
	done
	sock=$(sock_times '{"cmd":"netem","link":"h1:eth0","netem":"delay %s"}' 10ms 20ms | median)
	out="ctl_netem_us=$(median <"$dir/ctl") socket_netem_us=$sock tc_change_us=$(median <"$dir/tc") not_in_force_at_return=$miss"
fi
spawn=$(for _ in $(seq "$runs"); do t0=$(now); "$conlink" echo >/dev/null; t1=$(now); echo $(( (t1 - t0) / 1000 )); done | median)
sockdown=$(sock_times '{"cmd":"link","link":"h1:eth0","up":%s}' true false | median)
: >"$dir/down" && : >"$dir/carrier" && : >"$dir/up"
for _ in $(seq "$runs"); do
	t0=$(now); ctl link h1:eth0 down; t1=$(now)
	until nsenter --net="$dir/ns/h1" ip -o link show dev eth0 | grep -q NO-CARRIER; do :; done
	t2=$(now)
	echo $(( (t1 - t0) / 1000 )) >>"$dir/down"
	echo $(( (t2 - t0) / 1000 )) >>"$dir/carrier"
	t0=$(now); ctl link h1:eth0 up; t1=$(now)
	echo $(( (t1 - t0) / 1000 )) >>"$dir/up"
done
echo "runs=$runs netem=$netem conlink_start_us=$spawn ${out:+$out }socket_link_updown_us=$sockdown ctl_link_down_us=$(median <"$dir/down") carrier_gone_seen_us=$(median <"$dir/carrier") ctl_link_up_us=$(median <"$dir/up")"
