#!/usr/bin/env bash
# bench-show-config.sh - time and peak memory of `conlink --show-config` on a
# generated network config of N links (default 10000): 100 bridges, each
# link on its own service with an ip, a route and a netem setting, plus
# a second file that overrides every 10th link (exercises the link merge).
#
# Usage: scripts/bench-show-config.sh [N]     (CONLINK=binary, default build/conlink)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
conlink=${CONLINK:-$top/build/conlink}
n=${1:-10000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

{
	echo "links:"
	for ((i = 0; i < n; i++)); do
		printf '  - {service: node%d, bridge: s%d, ip: 10.%d.%d.%d/16, route: "default via 10.%d.0.1", netem: "delay 1ms"}\n' \
			"$i" $((i % 100)) $((i % 100)) $(((i / 250) % 250)) $((i % 250 + 1)) $((i % 100))
	done
} >"$dir/net.yaml"
{
	echo "links:"
	for ((i = 0; i < n; i += 10)); do
		printf '  - {service: node%d, bridge: s%d, mtu: 1500}\n' "$i" $((i % 100))
	done
} >"$dir/override.yaml"

echo "config: $n links, $(du -k "$dir/net.yaml" | cut -f1) KiB + $(du -k "$dir/override.yaml" | cut -f1) KiB override"
for run in 1 2 3; do
	/usr/bin/time -v "$conlink" conlink --show-config --default-bridge-mode linux \
		--network-file "$dir/net.yaml" --network-file "$dir/override.yaml" \
		>"$dir/out.json" 2>"$dir/time.txt"
	wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
	rss=$(grep 'Maximum resident set size' "$dir/time.txt" | awk '{print $NF}')
	echo "run $run: wall $wall  peak RSS ${rss} KiB  output $(du -k "$dir/out.json" | cut -f1) KiB"
done
links=$(grep -c '"base": "conlink"' "$dir/out.json")
[ "$links" -eq "$n" ] || { echo "expected $n links in the output, found $links" >&2; exit 1; }
