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
. "$(dirname "$0")/bench-lib.sh" timeline
cat >"$dir/net.yaml" <<'Y'
links:
  - {container: c1, bridge: s1, timeline: [{every: 50ms, for: 25ms, down: true}]}
Y
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
for r in $(seq 1 "$runs"); do
	: >"$dir/ev"
	bench_start --network-file "$dir/net.yaml"
	for _ in $(seq 100); do [ -S "$dir/ctl.sock" ] && break; sleep 0.05; done
	bench_events
	sleep 0.2
	bench_ns c1
	for _ in $(seq 600); do
		[ "$(grep -c '"action":"timeline"' "$dir/ev")" -ge "$steps" ] && break
		sleep 0.05
	done
	bench_stop
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
