#!/usr/bin/env bash
# bench-ctl.sh - the live-state figures at N links: `conlink ctl status`
# time, /metrics scrape time and size, daemon RSS and private memory with
# --metrics on. --netns-dir, one veth per namespace, 1,000 per bridge.
#
#   scripts/bench-ctl.sh [N] [RUNS]     (default 500 links, 7 runs; medians)
# Everything lives in a temporary directory of namespaces of its own,
# removed at the end; conlink is stopped by its PID.
set -eu
n=${1:-500} runs=${2:-7}
. "$(dirname "$0")/bench-lib.sh" ctl
{
	echo "links:"
	for i in $(seq 1 "$n"); do
		echo "  - {container: h$i, bridge: s$(( (i - 1) / 1000 )), ip: 10.$(( i / 250 )).$(( i % 250 )).1/8}"
	done
} >"$dir/net.yaml"
for i in $(seq 1 "$n"); do bench_ns "h$i"; done
bench_start --network-file "$dir/net.yaml" --metrics 127.0.0.1:9912
bench_wait_linked 60
rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
priv0=$(awk '/^Private_(Clean|Dirty)/ {s += $2} END {print s}' "/proc/$pid/smaps_rollup")
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
st=$(for _ in $(seq "$runs"); do ms "$conlink" ctl --control "$dir/ctl.sock" status; done | median)
stj=$(for _ in $(seq "$runs"); do ms "$conlink" ctl --control "$dir/ctl.sock" status --json; done | median)
sc=$(for _ in $(seq "$runs"); do ms nsenter --net="$dir/self" curl -s 127.0.0.1:9912/metrics; done | median)
size=$(nsenter --net="$dir/self" curl -s 127.0.0.1:9912/metrics | wc -c)
lines=$(nsenter --net="$dir/self" curl -s 127.0.0.1:9912/metrics | grep -vc '^#')
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
priv=$(awk '/^Private_(Clean|Dirty)/ {s += $2} END {print s}' "/proc/$pid/smaps_rollup")
echo "links=$n rss_linked_kB=$rss0 private_linked_kB=$priv0 ctl_status_us=$st ctl_status_json_us=$stj scrape_us=$sc metrics_bytes=$size samples=$lines rss_after_kB=$rss private_after_kB=$priv"
