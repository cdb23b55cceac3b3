#!/usr/bin/env bash
# bench-sweep.sh - is the cost per link flat? The daemon linking N network
# namespaces (--netns-dir, one veth each onto a linux bridge, 1,000 per
# bridge) for N = 10, 100, 500, 1,000, 2,000, measured by
# scripts/bench-links.sh (which also makes the same end state with iproute2
# in the same run), and read as a sweep.
#
# Usage: scripts/bench-sweep.sh [N...]    (root; default 10 100 500 1000 2000)
# Env:   REPEAT=R  conlink R times per N, the median (default 3)
#        V6OFF=1   IPv6 off in the container namespaces (as Docker leaves
#                  network_mode: none); other bench-links.sh knobs pass on
#
# Prints bench-links.sh's table, then per N:
#   conlink_ms   start to "All links connected" (median)
#   per_link     conlink_ms / N
#   vs_100       per_link / per_link at N=100 (the goal: <= 1.3 at 2,000)
#   slope        the marginal cost: (conlink_ms(N) - conlink_ms(prev N)) /
#                (N - prev N), ms per link added
#   x_batch      conlink_ms / `ip -batch` of the outer half (bridge, veth
#                pairs, peers moved, mastered, up: container ends down)
#   x_full       conlink_ms / iproute2 doing conlink's whole end state
#                (ip_batch plus one `ip -batch` per container: address, up)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 500 1000 2000)
out=$(mktemp /tmp/bench-sweep.XXXXXX)
trap 'rm -f "$out"' EXIT

REPEAT=${REPEAT:-3} IP_DEL=${IP_DEL:-0} "$top/scripts/bench-links.sh" "${sizes[@]}" | tee "$out"
echo
echo "sweep: $(date -u +%F), $(nproc) cores, kernel $(uname -r)${V6OFF:+, IPv6 off in the containers}"
# bench-links.sh columns: N conlink_ms per_link peak_rss anon_rss undo_ms
# ip_batch_ms ip_full_ms ratio_b ratio_f ip_del_ms
awk 'NR > 1 && $1 ~ /^[0-9]+$/ {
	n[++k] = $1; c[k] = $2; b[k] = $7; f[k] = $8
	if ($1 == 100) base = $2 / 100
}
END {
	printf "%-6s %11s %9s %7s %9s %8s %7s\n", "N", "conlink_ms", "per_link", "vs_100",
		"slope", "x_batch", "x_full"
	for (i = 1; i <= k; i++) {
		pl = c[i] / n[i]
		vs = "-"; sl = "-"; xb = 0; xf = 0
		if (base) vs = sprintf("%.2f", pl / base)
		if (i > 1) sl = sprintf("%.3f", (c[i] - c[i - 1]) / (n[i] - n[i - 1]))
		if (b[i]) xb = c[i] / b[i]
		if (f[i]) xf = c[i] / f[i]
		printf "%-6s %11.1f %9.3f %7s %9s %8.2f %7.2f\n", n[i], c[i], pl, vs, sl, xb, xf
	}
}' "$out"
