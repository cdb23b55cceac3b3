#!/usr/bin/env bash
# bench-timeline.sh - timeline step jitter: how late each step runs after
# its planned time (late_us of the "timeline" events, conlink's own
# measure: CLOCK_MONOTONIC at the firing less the link's made time plus
# the step's offset). One veth link flapped by {every: 50ms, for: 25ms,
# down: true}: 40 firings a second, each one netlink set down or up of
# the outer end. Per run: median and max over the first STEPS firings;
# then the median of the runs' medians and the max of their maxes.
#
#   scripts/bench-timeline.sh [RUNS] [STEPS]   (default 5 runs of 100)
#
# Everything lives in a temporary directory of namespaces of its own,
# removed at the end; conlink and the events reader are stopped by PID.
set -eu
runs=${1:-5} steps=${2:-100}
top=$(cd "$(dirname "$0")/.." && pwd)
conlink=${CONLINK:-$top/build/conlink}
dir=$(mktemp -d /tmp/bench-timeline.XXXXXX)
pid= evpid=
stop() {
	[ -n "$evpid" ] && kill "$evpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	pid= evpid=
	return 0
}
cleanup() {
	stop
	for f in "$dir"/ns/* "$dir/self"; do umount "$f" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/ns"
touch "$dir/self" && unshare --net="$dir/self" ip link set lo up
cat >"$dir/net.yaml" <<'Y'
links:
  - {container: c1, bridge: s1, timeline: [{every: 50ms, for: 25ms, down: true}]}
Y
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
for r in $(seq 1 "$runs"); do
	: >"$dir/ev"
	nsenter --net="$dir/self" "$conlink" --no-engine --netns-dir "$dir/ns" \
		--network-file "$dir/net.yaml" --control "$dir/ctl.sock" --instance bench >"$dir/log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -S "$dir/ctl.sock" ] && break; sleep 0.05; done
	"$conlink" ctl --control "$dir/ctl.sock" events --json >"$dir/ev" &
	evpid=$!
	sleep 0.2
	touch "$dir/ns/c1" && unshare --net="$dir/ns/c1" true
	for _ in $(seq 600); do
		[ "$(grep -c '"action":"timeline"' "$dir/ev")" -ge "$steps" ] && break
		sleep 0.05
	done
	stop
	umount "$dir/ns/c1" && rm -f "$dir/ns/c1"
	python3 - "$dir/ev" "$steps" "$r" <<-'P' >>"$dir/runs"
	import json, statistics, sys
	late = [e["attributes"]["late_us"] for e in map(json.loads, open(sys.argv[1]))
	        if e["action"] == "timeline"][: int(sys.argv[2])]
	if len(late) < int(sys.argv[2]):
	    sys.exit(f"run {sys.argv[3]}: only {len(late)} steps")
	print(statistics.median(late), max(late), min(late))
	P
	echo "run $r: $(tail -1 "$dir/runs" | awk '{ printf "median %.0f us, max %.0f us, min %.0f us", $1, $2, $3 }')"
done
python3 - "$dir/runs" "$steps" <<'P'
import statistics, sys
runs = [list(map(float, l.split())) for l in open(sys.argv[1])]
print(f"timeline step lateness over {len(runs)} runs of {sys.argv[2]} steps: median "
      f"{statistics.median(r[0] for r in runs):.0f} us, max {max(r[1] for r in runs):.0f} us")
P
