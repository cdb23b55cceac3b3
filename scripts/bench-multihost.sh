#!/usr/bin/env bash
# bench-multihost.sh - many hosts, one config: the time from a container
# appearing on one host to its reachability from the other hosts.
#
# Usage: scripts/bench-multihost.sh [-r RUNS] [-m vxlan|geneve]   (default 10, vxlan; root)
# Env:   CONLINK=path (default build/conlink)
#
# Three "hosts" (namespaces on an underlay bridge, 10.99.90.N/24), each
# with its own conlink (--host-id hN) and --netns-dir containers, as
# tests/netns/multihost.bats. Bridge s1 spans the three; a2 (h2) and a3
# (h3) are on it from the start. Each run creates container a1 on h1 (its
# namespace file appearing in h1's --netns-dir) and times, from just
# before, until a2 and until a3 get a1's first echo reply (each pings it
# every 2 ms, a1's MAC known to them: it is stable, from the config, so no
# ARP retry timer counts). As a1 is the only member of s1 on h1, h1's
# tunnel is made with it: each run includes h1's link, its mesh tunnel
# with its flood entries, and the first frames across. Then a1 goes and
# the next run waits until h1's tunnel is gone. Prints the median and the
# range of "reachable from both" (the slower of the two), and of each.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
runs=10 mesh=vxlan
while [ $# -gt 0 ]; do
	case $1 in
	-r) runs=$2; shift 2 ;;
	-m) mesh=$2; shift 2 ;;
	*) echo "usage: $0 [-r RUNS] [-m vxlan|geneve]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "bench-multihost: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-multihost: no $CONLINK (make first)" >&2; exit 1; }
work=$(mktemp -d /tmp/bench-multihost.XXXXXX)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	find "$work" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
[ -z "${BENCH_KEEP_LOG:-}" ] || trap 'cp "$work/h1.log" "$BENCH_KEEP_LOG"; cleanup' EXIT

mkns() {	# PATH: a network namespace bound at PATH, lo up
	touch "$1.tmp"
	unshare --net="$1.tmp" true
	mv "$1.tmp" "$1" 2>/dev/null || { touch "$1"; mount --bind "$1.tmp" "$1"; umount "$1.tmp"; rm -f "$1.tmp"; }
	nsenter --net="$1" ip link set lo up
}
rmns() { umount "$1" 2>/dev/null || true; rm -f "$1"; }
in_ns() { local n=$1; shift; nsenter --net="$n" "$@"; }
now() { date +%s%N; }
ms() { echo "scale=1; $1 / 1000000" | bc; }

cat >"$work/net.yaml" <<Y
hosts:
  - {host: h1, address: 10.99.90.1, containers: [a1]}
  - {host: h2, address: 10.99.90.2, containers: [a2]}
  - {host: h3, address: 10.99.90.3, containers: [a3]}
bridges: [{bridge: s1, mesh: $mesh}]
links:
  - {container: a1, bridge: s1, ip: 10.99.1.1/24}
  - {container: a2, bridge: s1, ip: 10.99.1.2/24}
  - {container: a3, bridge: s1, ip: 10.99.1.3/24}
Y
mac=$(CONLINK_BRIDGE_MODE=linux "$CONLINK" --show-config --network-file "$work/net.yaml" |
	jq -r '.containers.a1.links[0].mac')
mkdir -p "$work/hosts"
mkns "$work/hosts/ul"
in_ns "$work/hosts/ul" ip link add ul type bridge
in_ns "$work/hosts/ul" ip link set ul up
for i in 1 2 3; do
	mkns "$work/hosts/h$i"
	mkdir -p "$work/ns$i"
	in_ns "$work/hosts/ul" ip link add p$i type veth peer u0 netns "$work/hosts/h$i"
	in_ns "$work/hosts/ul" ip link set p$i master ul up
	in_ns "$work/hosts/h$i" ip addr add 10.99.90.$i/24 dev u0
	in_ns "$work/hosts/h$i" ip link set u0 up
	nsenter --net="$work/hosts/h$i" env CONLINK_BRIDGE_MODE=linux "$CONLINK" --no-engine \
		--netns-dir "$work/ns$i" --network-file "$work/net.yaml" --host-id h$i \
		--control "$work/h$i.sock" >"$work/h$i.log" 2>&1 &
	pids+=($!)
done
mkns "$work/ns2/a2"
mkns "$work/ns3/a3"
for n in 2 3; do
	for _ in $(seq 200); do grep -q "All links connected" "$work/h$n.log" && break; sleep 0.05; done
	in_ns "$work/ns$n/a$n" ip neigh replace 10.99.1.1 lladdr "$mac" dev eth0 nud permanent
done

# first_reply NS OUT: ping a1 from NS every 2 ms; the first reply's time
# (ns since the epoch) into OUT.
first_reply() {
	in_ns "$1" ping -D -n -i 0.002 -W 1 -w 10 10.99.1.1 2>/dev/null |
		sed -nE 's/^\[([0-9]+)\.([0-9]+)\] .*bytes from.*/\1 \2/p' | head -1 |
		{ read -r s f || exit 0; printf '%s%s\n' "$s" "$(printf '%-9s' "$f" | tr ' ' 0)" >"$2"; }
}

both=() t2=() t3=()
for r in $(seq "$runs"); do
	rm -f "$work/r2" "$work/r3"
	first_reply "$work/ns2/a2" "$work/r2" & p2=$!
	first_reply "$work/ns3/a3" "$work/r3" & p3=$!
	sleep 0.1	# the pings are going (to no one yet)
	t0=$(now)
	mkns "$work/ns1/a1"
	wait "$p2" "$p3" || true
	[ -s "$work/r2" ] && [ -s "$work/r3" ] || { echo "run $r: a1 not reachable in 10 s" >&2; cat "$work/h1.log" >&2; exit 1; }
	d2=$(( $(cat "$work/r2") - t0 )) d3=$(( $(cat "$work/r3") - t0 ))
	t2+=("$d2") t3+=("$d3") both+=("$(( d2 > d3 ? d2 : d3 ))")
	rmns "$work/ns1/a1"
	for _ in $(seq 200); do
		[ -n "$(in_ns "$work/hosts/h1" ip -o link show type "$mesh")" ] || break
		sleep 0.02
	done
done

stats() {	# NAME VALUES...: median, min, max in ms
	local name=$1; shift
	local sorted n
	sorted=($(printf '%s\n' "$@" | sort -n)) n=${#sorted[@]}
	printf '%-22s median %6s ms   min %6s ms   max %6s ms   (%d runs)\n' "$name" \
		"$(ms "${sorted[$((n / 2))]}")" "$(ms "${sorted[0]}")" "$(ms "${sorted[$((n - 1))]}")" "$n"
}
echo "container appears on h1 -> reachable ($mesh mesh, 3 hosts; CONLINK=$CONLINK)"
stats "from h2 and h3" "${both[@]}"
stats "from h2" "${t2[@]}"
stats "from h3" "${t3[@]}"
for p in "${pids[@]}"; do kill -TERM "$p"; done
st=0
for p in "${pids[@]}"; do wait "$p" || st=$?; done
pids=()
[ "$st" = 0 ] || { echo "a conlink exited $st" >&2; exit 1; }
