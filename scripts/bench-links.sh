#!/usr/bin/env bash
# bench-links.sh - how fast the daemon links containers: N network
# namespaces (--netns-dir), one veth link each onto a linux bridge (one
# bridge per 1,000 links: the kernel takes at most 1,023 ports on one).
#
# Usage: scripts/bench-links.sh [N...]        (default: 10 100 500; root)
# Env:   CONLINK=path (default build/conlink)
#        REPEAT=R   conlink R times per N: the median (default 1)
#        V6OFF=1    IPv6 off in the container namespaces (all and default
#                   disable_ipv6 = 1, as Docker leaves network_mode: none)
#        IP_DEL=0   the ip-del floor as one group delete, not one link del
#                   each (~37 s at N=1,000)
#        FLOOR_MCAST_FLOOD=off   the iproute2 floors make each bridge port
#                   with mcast_flood off (the containers' start-up multicast
#                   not flooded; nor is IPv6 neighbour discovery: a
#                   measurement of what the flood costs, not a setting)
#
# Before each conlink run it waits for the machine to be idle (the kernel
# tears the last run's namespaces down in the background: that work would
# be counted against the next run).
#
# For each N it reports the time from starting conlink to its
# "All links connected" line, the cost per link, the daemon's peak RSS
# (VmHWM) and the time to undo everything on SIGTERM; then the same links
# made by iproute2 as the floor to compare with:
#   ip-batch  one `ip -batch` in conlink's namespace: bridge, every veth
#             pair created with its peer moved into the container, mastered
#             and up (less than conlink does: no address, no peer up)
#   ip-full   ip-batch plus one `ip -batch` per container (nsenter) for the
#             address and the peer up: the same end state as conlink's
#             (conlink also turns tx offload off, as upstream does).
# and rx_first: the frames the first container linked had received when
# conlink logged "All links connected" (median): with IPv6 on in the
# containers, the start-up multicast of the others the bridge flooded to
# it (docs/performance.md), growing with N.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
[ "$(id -u)" = 0 ] || { echo "bench-links: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-links: no $CONLINK (make first)" >&2; exit 1; }
sizes=${*:-10 100 500}
work=$(mktemp -d /tmp/bench-links.XXXXXX)
conlink_pid=

cleanup() {
	[ -z "$conlink_pid" ] || kill -TERM "$conlink_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	find "$work" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }

# settle: wait (30 s at most) until the CPUs were 90% idle for half a second
settle() {
	local a b i
	for ((i = 0; i < 60; i++)); do
		a=($(head -1 /proc/stat)); sleep 0.5; b=($(head -1 /proc/stat))
		local tot=0 k
		for k in 1 2 3 4 5 6 7 8; do tot=$((tot + b[k] - a[k])); done
		[ "$tot" -gt 0 ] && [ $(((b[4] - a[4]) * 100 / tot)) -ge 90 ] && return 0
	done
	echo "bench-links: the machine is still busy (measured anyway)" >&2
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }

# mkns FILE: a network namespace bound to FILE
mkns() {
	touch "$1"
	unshare --net="$1" true
}

# A linux bridge takes at most 1,023 ports (the kernel's BR_MAX_PORTS):
# link I (1..N) goes on bridge b(G), G = (I - 1) / PER_BRIDGE, as replica J
# of service n (G = 0) or nG, so N <= 1,000 is one bridge and one service.
PER_BRIDGE=1000
grp() { echo $((($1 - 1) / PER_BRIDGE)); }
svc() { local g; g=$(grp "$1"); [ "$g" = 0 ] && echo n || echo "n$g"; }
# namespace (= service_replica) of link I
nsname() { echo "$(svc "$1")_$((($1 - 1) % PER_BRIDGE + 1))"; }
# ip of link I: 10.(G+1).0.1 offset by J - 1, as conlink computes it
ip_of() {
	local j=$((($1 - 1) % PER_BRIDGE + 1))
	echo "10.$(($(grp "$1") + 1)).$((j / 256)).$((j % 256))/16"
}

fmt='%-5s %-11s %-9s %-9s %-9s %-9s %-12s %-11s %-8s %-8s %-10s %-8s\n'
printf "$fmt" N conlink_ms per_link peak_rss anon_rss undo_ms ip_batch_ms ip_full_ms ratio_b ratio_f ip_del_ms rx_first
for n in $sizes; do
	d=$work/$n
	mkdir -p "$d/ns"
	mkns "$d/self"
	for ((i = 1; i <= n; i++)); do mkns "$d/ns/$(nsname "$i")"; done
	if [ -n "${V6OFF:-}" ]; then
		for ((i = 1; i <= n; i++)); do
			nsenter --net="$d/ns/$(nsname "$i")" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
				net.ipv6.conf.default.disable_ipv6=1
		done
	fi
	{
		echo "bridges:"
		for ((g = 0; g <= $(grp "$n"); g++)); do echo "  - {bridge: b$g, mode: linux}"; done
		echo "links:"
		for ((g = 0; g <= $(grp "$n"); g++)); do
			echo "  - {service: $(svc $((g * PER_BRIDGE + 1))), bridge: b$g, ip: 10.$((g + 1)).0.1/16}"
		done
	} >"$d/net.yaml"

	# conlink: start to "All links connected", read off its log as it comes
	runs=() rx=()
	for ((r = 1; r <= ${REPEAT:-1}; r++)); do
		settle
		rm -f "$d/fifo"
		mkfifo "$d/fifo"
		t0=$(now)
		nsenter --net="$d/self" "$CONLINK" --no-engine --netns-dir "$d/ns" \
			--network-file "$d/net.yaml" 2>"$d/fifo" &
		conlink_pid=$!
		exec {log}<"$d/fifo"
		ok=
		while IFS= read -r -u "$log" line; do
			echo "$line" >>"$d/conlink.log"
			case $line in
			"All links connected") ok=1; break ;;
			*" links connected") break ;;
			esac
		done
		t1=$(now)
		if [ -z "$ok" ]; then
			echo "bench-links: N=$n: no 'All links connected':"
			tail -20 "$d/conlink.log"
			cat <&"$log" >/dev/null &	# its log drained: it can exit
			exit 1
		fi
		rx+=("$(nsenter --net="$d/ns/$(nsname 1)" ip -s link show dev eth0 |
			awk '/RX:/ {getline; print $2; exit}')")
		rss=$(awk '/^VmHWM/ {print $2 $3}' "/proc/$conlink_pid/status")
		anon=$(awk '/^RssAnon/ {print $2 $3}' "/proc/$conlink_pid/status")
		cat <&"$log" >>"$d/conlink.log" &
		t2=$(now)
		kill -TERM "$conlink_pid"
		wait "$conlink_pid"
		t3=$(now)
		conlink_pid=
		exec {log}<&-
		left=$(nsenter --net="$d/self" ip -o link show | grep -vc ': lo:' || true)
		[ "$left" = 0 ] || { echo "bench-links: N=$n: conlink left $left interfaces"; exit 1; }
		runs+=("$(ms "$t0" "$t1")")
		[ "${REPEAT:-1}" = 1 ] || echo "  N=$n run $r: ${runs[-1]} ms" >&2
	done
	c=$(median "${runs[@]}")
	settle

	# the floor: iproute2
	{
		for ((g = 0; g <= $(grp "$n"); g++)); do
			echo "link add b$g type bridge"
			echo "link set b$g up"
		done
		for ((i = 1; i <= n; i++)); do
			x=$(nsname "$i")
			echo "link add $x-eth0 mtu 65535 type veth peer name eth0 mtu 65535 netns $d/ns/$x"
			echo "link set $x-eth0 master b$(grp "$i")"
			[ "${FLOOR_MCAST_FLOOD:-on}" = on ] ||
				echo "link set dev $x-eth0 type bridge_slave mcast_flood off"
			echo "link set $x-eth0 up"
		done
	} >"$d/outer.batch"
	for ((i = 1; i <= n; i++)); do
		printf 'addr add %s dev eth0\nlink set eth0 up\n' "$(ip_of "$i")" >"$d/inner.$i"
	done
	t4=$(now)
	nsenter --net="$d/self" ip -batch "$d/outer.batch"
	t5=$(now)
	for ((i = 1; i <= n; i++)); do
		nsenter --net="$d/ns/$(nsname "$i")" ip -batch "$d/inner.$i"
	done
	t6=$(now)
	# the same end state as conlink's? (spot check the last one)
	nsenter --net="$d/ns/$(nsname "$n")" ip -o addr show dev eth0 | grep -q "$(ip_of "$n")"

	# undo's floor: the same interfaces deleted by one ip -batch
	{
		for ((i = 1; i <= n; i++)); do echo "link del $(nsname "$i")-eth0"; done
		for ((g = 0; g <= $(grp "$n"); g++)); do echo "link del b$g"; done
	} >"$d/del.batch"
	t7=$(now)
	if [ "${IP_DEL:-1}" = 0 ]; then
		# quicker: one group delete, as conlink's undo does
		sed -i 's/^link del \(n[0-9]*_.*\)/link set \1 group 99/' "$d/del.batch"
		echo "link del group 99" >>"$d/del.batch"
	fi
	nsenter --net="$d/self" ip -batch "$d/del.batch"
	t8=$(now)

	b=$(ms "$t4" "$t5") f=$(ms "$t4" "$t6")
	printf "$fmt" "$n" "$c" "$(echo "scale=3; $c / $n" | bc)" "$rss" "$anon" \
		"$(ms "$t2" "$t3")" "$b" "$f" "$(echo "scale=1; $c / $b" | bc)" \
		"$(echo "scale=2; $c / $f" | bc)" "$(ms "$t7" "$t8")" "$(median "${rx[@]}")"
	find "$d" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$d"
done
